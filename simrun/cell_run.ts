/**
 * `simrun cell`: builds the cell of a cell param, runs it with the param's `sim` settings
 * (optionally another tStop / dt) and returns the traces as CSV plus the soma spike times.
 *
 * @module
 */
import type { PathMap } from "../io/mod.ts";
import {
  DEFAULT_SOLVER_SETTINGS,
  prepareModel,
  resolveProbes,
  runSweep,
  type SolverSettings,
} from "../solver/mod.ts";
import { createCell, type CreateCellOptions, modelSettings } from "./create_cell.ts";

/** Options of {@link runCell}. */
export interface RunCellOptions {
  /** Rules that map the param's foreign absolute paths to local ones. */
  readonly pathMap: PathMap;
  /** Stop time [ms] (default: the param's `sim.tStop`). */
  readonly tStop?: number;
  /** Time step [ms] (default: the param's `sim.dt`). */
  readonly dt?: number;
  /**
   * Extra recordings: section index, relative position and the variable (default `v`; `cai`,
   * `ica`, …, or a mechanism's `<name>_<mechanism>`, compiled ones included).
   */
  readonly record: readonly {
    readonly section: number;
    readonly x: number;
    readonly variable?: string;
  }[];
  /** Fast or exact mode, unit system (default: fast mode, modern units). */
  readonly solver?: SolverSettings;
  /** Cell-modify hooks (user plugin resolver with its grants and time limit). */
  readonly cellModify?: CreateCellOptions["cellModify"];
  /** Progress callback (steps done, total steps). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Folders of the user's `.mod` files (`--mechanisms DIR`), after the param's `NMODL_mechanisms`. */
  readonly mechanismFolders?: readonly string[];
}

/** The result of {@link runCell}. */
export interface CellRunResult {
  /** `t,v_soma,sec<S>_x<X>…` with one row per sample; numbers round-trip (`String(x)`). */
  readonly csv: string;
  /** Soma spike times [ms]: the first sample ≥ 0 mV of every upward crossing of 0 mV. */
  readonly spikes: number[];
}

/**
 * Spike times of a trace: for every upward crossing of `thresholdMv`, the time of the first
 * sample at or above it (reference/README.md "Spikes").
 *
 * @param t sample times [ms]
 * @param v voltage [mV]
 * @param thresholdMv threshold [mV] (default 0)
 * @returns spike times [ms]
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { spikeTimes } from "./cell_run.ts";
 * const t = new Float64Array([0, 1, 2, 3, 4]);
 * assert.deepEqual(spikeTimes(t, new Float64Array([-70, 0, 10, -5, 3])), [1, 4]);
 * ```
 */
export function spikeTimes(
  t: ArrayLike<number>,
  v: ArrayLike<number>,
  thresholdMv = 0,
): number[] {
  const out: number[] = [];
  for (let k = 1; k < v.length; k++) {
    if (v[k - 1] < thresholdMv && v[k] >= thresholdMv) out.push(t[k]);
  }
  return out;
}

/**
 * Runs one cell param (`simrun cell <cell.param> [--tstop] [--dt] [--record SEC:X]…`).
 *
 * @param paramPath the cell `.param`
 * @param options path map, tStop [ms], dt [ms], record sites
 * @returns the CSV text and the soma spike times [ms]
 * @throws InputSyntaxError / InputValueError for bad input, sites or settings
 * @example
 * ```ts ignore
 * const { csv, spikes } = await runCell("86_C2_center.param", { pathMap, record: [{ section: 38, x: 0.5 }] });
 * ```
 */
export async function runCell(paramPath: string, options: RunCellOptions): Promise<CellRunResult> {
  const { cell, sim, mechanisms } = await createCell(paramPath, {
    pathMap: options.pathMap,
    resolveRecordingSites: false, // the cell command records only the sites it is given
    ...(options.cellModify !== undefined ? { cellModify: options.cellModify } : {}),
    ...(options.mechanismFolders !== undefined
      ? { mechanismFolders: options.mechanismFolders }
      : {}),
  });
  const created = { sim };
  const settings = modelSettings(created, options.solver ?? DEFAULT_SOLVER_SETTINGS, {
    ...(options.tStop !== undefined
      ? { tStop: { value: options.tStop, where: { file: "--tstop", key: "tStop" } } }
      : {}),
    ...(options.dt !== undefined
      ? { dt: { value: options.dt, where: { file: "--dt", key: "dt" } } }
      : {}),
  });
  const model = prepareModel(cell, settings, { catalogue: mechanisms.catalogue });
  const probes = resolveProbes(
    model,
    options.record.map((s) => ({
      ...s,
      where: { file: `--record ${s.section}:${s.x}${s.variable ? `:${s.variable}` : ""}` },
    })),
  );
  const r = runSweep(model, [], {
    probes,
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  });
  const header = [
    "t",
    "v_soma",
    ...options.record.map((s) =>
      `sec${s.section}_x${s.x}${
        s.variable !== undefined && s.variable !== "v" ? `_${s.variable}` : ""
      }`
    ),
  ].join(",");
  const lines = new Array<string>(r.t.length + 1);
  lines[0] = header;
  const nt = r.traces.length;
  for (let k = 0; k < r.t.length; k++) {
    let line = `${r.t[k]},${r.soma[k]}`;
    for (let j = 0; j < nt; j++) line += `,${r.traces[j][k]}`;
    lines[k + 1] = line;
  }
  return { csv: lines.join("\n") + "\n", spikes: spikeTimes(r.t, r.soma) };
}
