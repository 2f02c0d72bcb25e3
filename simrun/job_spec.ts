/**
 * What a job is, as plain data that can be posted to a worker: the run and replay job specs,
 * their shared settings, the hooks of a job, its result, and the naming of its sweeps.
 *
 * @module
 */
import type { PathMap } from "../io/mod.ts";
import type { NetworkRandomKind } from "../network/mod.ts";
import type { RecorderHook } from "../plugins/mod.ts";
import type { Cell, SolverSettings } from "../solver/mod.ts";

/** Plugin settings of a job (CLI `--plugin`, `--plugin-read`, `--plugin-time-limit`). */
export interface PluginSettings {
  /** Recorder plugin module paths (`--plugin`), opened once per job (docs/plugins.md). */
  readonly plugins?: readonly string[];
  /** Extra files or folders plugins may read besides their own folder (`--plugin-read`). */
  readonly pluginRead?: readonly string[];
  /** Time limit of one plugin call [ms] (default `DEFAULT_PLUGIN_TIME_LIMIT_MS`, 30 s). */
  readonly pluginTimeLimitMs?: number;
}

/** Settings shared by run and replay jobs. */
export interface JobSettings extends PluginSettings {
  /** ISF `dirPrefix` ("" = working directory). */
  readonly dirPrefix: string;
  /** ISF `tStop` [ms]; saved as `sim.tStop` (an int unless `tStopIsFloat`). */
  readonly tStop: number;
  /** Save `sim.tStop` as a float (`345.0`) rather than an int. */
  readonly tStopIsFloat: boolean;
  /** ISF `tar`. */
  readonly tar: boolean;
  /**
   * Fast or exact mode, unit system (CLI `--exact`, `--legacy-units`), passed unchanged to the
   * solver (default: fast mode, modern units).
   */
  readonly solver?: SolverSettings;
  /**
   * Sweeps simulated in parallel (`--threads`), each in a sweep worker of this job (default 1:
   * all in the job's thread, no extra worker). The files are identical for any value.
   */
  readonly threads?: number;
  /**
   * Folders of the user's `.mod` files (`--mechanisms DIR`, repeatable), compiled at load time
   * after the cell and network params' `NMODL_mechanisms` folders (docs/mechanisms.md).
   */
  readonly mechanismFolders?: readonly string[];
}

/** One run job (ISF `_evoked_activity`): plain data, so that it can be posted to a worker. */
export interface JobSpec extends JobSettings {
  /** Cell param path (ISF `cellParamName`). */
  readonly cellParam: string;
  /** Network param path (ISF `evokedUpParamName`). */
  readonly networkParam: string;
  /** The job's seed [0, 4294967294]; part of the folder name. */
  readonly seed: number;
  /** Number of sweeps (ISF `nSweeps`); ignored when `sweepRange` is given. */
  readonly nSweeps: number;
  /** Run only sweeps [start, end). */
  readonly sweepRange?: { readonly start: number; readonly end: number };
  /** Random streams: ISF's exact MT19937 use (`isf`) or independent per-sweep streams (`simrun`). */
  readonly rng: NetworkRandomKind;
  /** Rules for foreign paths inside the param files. */
  readonly pathMap: PathMap;
  /** Recorder plugin module paths (`--plugin`); see {@link JobHooks.openRecorders}. */
  readonly plugins: readonly string[];
}

/** One replay job (ISF `run_existing_synapse_activations`): plain data for a worker. */
export interface ReplayJobSpec extends JobSettings {
  /** Cell param path (ISF `cellParamName`). */
  readonly cellParam: string;
  /** Network param path (ISF `evokedUpParamName`; synapse kinetics and weights). */
  readonly networkParam: string;
  /** This job's synapse activation files, in order (one sweep each). */
  readonly synapseFiles: readonly string[];
  /** Rules for foreign paths inside the param files. */
  readonly pathMap: PathMap;
}

/** Callbacks and overrides of a job. */
export interface JobHooks {
  /** Called after each sweep's files are written. */
  readonly onSweep?: (sweep: number, somaSpikes: number) => void;
  /** Process id in the folder name (default `Deno.pid`). */
  readonly pid?: number;
  /**
   * Opens the job's recorders once the job folder exists and the cell is built (their sites are
   * recorded after the recording sites; `deliver` gets their arrays after each sweep, `close`
   * runs before the folder is renamed). Default: the settings' `plugins` through
   * `openRecorderHook` (none when `plugins` is empty).
   */
  readonly openRecorders?: (jobDir: string, cell: Cell) => Promise<RecorderHook>;
}

/** What a finished job reports. */
export interface JobResult {
  /** Final folder (or `.tar`). */
  readonly output: string;
  /** The job's seed (0 for replays). */
  readonly seed: number;
  /** Sweep numbers run. */
  readonly sweeps: readonly number[];
  /** Soma spike count per sweep. */
  readonly somaSpikes: readonly number[];
}

/**
 * Sweep numbers of a spec: `sweepRange` when given, else 0 … nSweeps−1.
 *
 * @param spec `nSweeps` and optional `sweepRange`
 * @returns the sweep numbers in order
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sweepList } from "./job_spec.ts";
 * assert.deepEqual(sweepList({ nSweeps: 9, sweepRange: { start: 2, end: 4 } }), [2, 3]);
 * ```
 */
export function sweepList(spec: Pick<JobSpec, "nSweeps" | "sweepRange">): number[] {
  const a = spec.sweepRange?.start ?? 0, b = spec.sweepRange?.end ?? spec.nSweeps;
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

/**
 * `simulation_run%04d` (run jobs).
 *
 * @param sweep the sweep number
 * @returns the prefix of the sweep's files
 */
export function runPrefix(sweep: number): string {
  return `simulation_run${String(sweep).padStart(4, "0")}`;
}

/**
 * `simulation_run%07d` (replay jobs).
 *
 * @param sweep the sweep number (index of the activation file)
 * @returns the prefix of the sweep's files
 */
export function replayPrefix(sweep: number): string {
  return `simulation_run${String(sweep).padStart(7, "0")}`;
}
