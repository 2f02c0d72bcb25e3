/**
 * The one runner of run and replay jobs: §3 steps 4–11 of ISF's `_evoked_activity` for a job
 * whose inputs are prepared (`job_inputs.ts`): the `_running` folder with its host-name marker,
 * the recorders, the sweeps (through a {@link SweepPool}: in this thread, or in `--threads`
 * workers), each sweep's files right after it, the traces and saved params, and the final
 * rename (or archive). A failed job leaves only its `_running` folder.
 *
 * @module
 */
import {
  cloneParam,
  formatParamJson,
  formatPythonFloat,
  InputValueError,
  type ParamObject,
  setParam,
} from "../io/mod.ts";
import { openRecorderHook, type RecorderHook } from "../plugins/mod.ts";
import { type Cell, type RecordSite, resolveProbes, type SimulationResult } from "../solver/mod.ts";
import { spikeTimes } from "./cell_run.ts";
import { pluginOptions, type PreparedJob, type SweepNetwork } from "./job_inputs.ts";
import type { JobHooks, JobResult, JobSettings, PluginSettings } from "./job_spec.ts";
import { JobFolder, resultsDir } from "./output_dir.ts";
import { packSweep } from "./_worker_protocol.ts";
import { returnFreeMemory } from "./free_memory.ts";
import { SweepPool } from "./sweep_pool.ts";
import { withPath } from "./_file_errors.ts";

/**
 * The time column of a trace file, formatted once for every trace file of a job.
 *
 * @param t time of the last sweep [ms]
 * @returns one Python float spelling per sample
 */
export function formatTimeColumn(t: Float64Array): string[] {
  const out = new Array<string>(t.length);
  for (let k = 0; k < t.length; k++) out[k] = formatPythonFloat(t[k]!);
  return out;
}

/** Characters of a trace file gathered before they are written (rows are never split). */
const TRACE_CHUNK_CHARS = 1 << 20;

/**
 * Writes a trace file (outputs.md §5): header `t\tVm run 00…`, then one row per sample. The
 * file has one column per sweep, so it can only be written when the job's last sweep is done;
 * it is streamed in chunks of about 1 MB, so that a job of many sweeps does not hold the whole
 * text at once (400 sweeps of the demo: 15 MB of text per file; built as one string the job's
 * peak RSS was 250 MiB instead of 130).
 *
 * @param path the file (must not exist)
 * @param t time of the last sweep [ms], or its column as {@link formatTimeColumn} gives it
 * @param columns one voltage array per sweep [mV]
 * @param sweeps sweep numbers for the header
 */
export async function writeTraces(
  path: string,
  t: Float64Array | readonly string[],
  columns: readonly Float64Array[],
  sweeps: readonly number[],
): Promise<void> {
  const time = t instanceof Float64Array ? formatTimeColumn(t) : t;
  const encoder = new TextEncoder();
  const file = await Deno.open(path, { write: true, createNew: true });
  try {
    const put = async (text: string) => {
      const bytes = encoder.encode(text);
      for (let at = 0; at < bytes.length;) {
        const n = await file.write(bytes.subarray(at));
        if (n === 0) throw new Deno.errors.WriteZero("write returned 0 bytes");
        at += n;
      }
    };
    let chunk = "t" + sweeps.map((s) => `\tVm run ${String(s).padStart(2, "0")}`).join("") +
      "\n";
    const nc = columns.length;
    for (let k = 0; k < time.length; k++) {
      let row = time[k]!;
      for (let j = 0; j < nc; j++) row += "\t" + formatPythonFloat(columns[j]![k]!);
      chunk += row + "\n";
      if (chunk.length >= TRACE_CHUNK_CHARS) {
        await put(chunk);
        chunk = "";
      }
    }
    await put(chunk);
  } catch (e) {
    throw withPath(e, path);
  } finally {
    file.close();
  }
}

/**
 * The recorder opener of a job: the hook given by the caller, else the settings' `plugins`
 * (each a recorder module, sandboxed, writing only into the job folder), else none.
 *
 * @param settings plugin paths, read grants, time limit
 * @param hooks the caller's hooks
 * @returns the opener, or undefined when the job has no recorders
 */
export function recorderOpener(
  settings: PluginSettings,
  hooks: JobHooks,
): ((jobDir: string, cell: Cell) => Promise<RecorderHook>) | undefined {
  if (hooks.openRecorders !== undefined) return hooks.openRecorders;
  const plugins = settings.plugins ?? [];
  if (plugins.length === 0) return undefined;
  const options = pluginOptions(settings);
  return (jobDir, cell) =>
    openRecorderHook(plugins.map((path) => ({ path })), { jobDir, cell, ...options });
}

/**
 * Starts the sweep workers of a job with `threads` > 1 (at most one per sweep) before its inputs
 * are read, so that the workers load while the cell is built; otherwise a pool of size 0 (sweeps
 * in this thread). The caller passes the pool to {@link executeJob}, which terminates it.
 *
 * @param settings `threads` (default 1)
 * @param nSweeps number of sweeps of the job
 * @returns the pool
 */
export function startSweepPool(settings: Pick<JobSettings, "threads">, nSweeps: number): SweepPool {
  const threads = settings.threads ?? 1;
  if (!(Number.isInteger(threads) && threads >= 1)) {
    throw new InputValueError(
      { file: "--threads", key: "threads" },
      `threads must be an integer >= 1, got ${threads}`,
    );
  }
  const size = Math.min(threads, nSweeps);
  return new SweepPool(size > 1 ? size : 0);
}

/**
 * Runs prepared sweeps into a new job folder: §3 steps 4–11 (folder, recorders, sweeps with
 * their files, traces, saved params, rename or archive). Terminates the pool.
 *
 * @param job the prepared cell, model, network and naming
 * @param settings folder prefix, tStop, tar, plugins
 * @param options the sweep pool (default: this thread) and the caller's hooks
 * @returns the final folder, sweeps and spike counts (seed 0 here; callers fill it in)
 * @throws InputValueError for a recorder's bad site (the new folder is removed first);
 *   SimulationError, PluginError or I/O errors during the sweeps (the `_running` folder stays)
 */
export async function executeJob(
  job: PreparedJob,
  settings: JobSettings,
  options: { readonly pool?: SweepPool; readonly hooks?: JobHooks } = {},
): Promise<JobResult> {
  const hooks = options.hooks ?? {};
  const pool = options.pool ?? new SweepPool(0);
  const { built, net, uniqueId, sweeps, recordSites } = job;
  const somaTraces: Float64Array[] = [];
  const siteTraces: Float64Array[][] = recordSites.map(() => []);
  const spikes: number[] = [];
  let lastT: Float64Array = new Float64Array(0);
  let folder: JobFolder;
  try {
    // §3 step 4: output folder + host-name marker.
    const results = resultsDir(settings.dirPrefix);
    const hadResults = await Deno.stat(results).then(() => true, () => false);
    folder = await JobFolder.create(settings.dirPrefix, uniqueId);
    for (const [name, text] of Object.entries(job.startFiles ?? {})) {
      await Deno.writeTextFile(folder.file(name), text);
    }
    const open = recorderOpener(settings, hooks);
    const recorder = open ? await open(folder.path, built.cell) : undefined;
    // Any failure while recorders run stops them (else their workers keep the job alive); the
    // folder keeps its `_running` name.
    try {
      // The recording sites (for the dend trace files), then the recorders' sites (their arrays
      // go to the recorders after each sweep).
      const sites: RecordSite[] = [
        ...recordSites.map((s) => ({ section: s.section, x: s.x })),
        ...recorderSites(recorder, settings),
      ];
      let probes;
      try {
        probes = resolveProbes(job.model, sites, {
          synapseMechanisms: Object.values(net.mechanisms),
        });
      } catch (e) {
        if (!(e instanceof InputValueError)) throw e;
        // The recorders' sites are known only once they run, and they run only with their
        // job folder: a bad one is still an input error, and leaves no folder behind.
        recorder?.abort();
        await Deno.remove(folder.path, { recursive: true });
        // `results` too, when this job made it and nothing else is in it (else this fails).
        if (!hadResults) await Deno.remove(results).catch(() => {});
        throw e;
      }
      pool.init(
        { cell: built.cell, settings: job.settings, sites, mechanisms: built.mechanisms.sources },
        { model: job.model, probes, synapses: built.mechanisms.synapses },
      );
      // §3 step 7.5: a sweep's files right after the sweep (and every earlier one), in order.
      const sweepDone = async (sweep: number, realization: SweepNetwork, res: SimulationResult) => {
        lastT = res.t;
        somaTraces.push(res.soma);
        recordSites.forEach((_, i) => siteTraces[i]!.push(res.traces[i]!));
        const prefix = job.sweepFilePrefix(sweep);
        await Deno.writeTextFile(folder.file(`${prefix}_synapses.csv`), realization.synapsesCsv());
        await Deno.writeTextFile(
          folder.file(`${prefix}_presynaptic_cells.csv`),
          realization.presynapticCsv(),
        );
        if (recorder) await recorder.deliver(sweep, res.t, res.traces.slice(recordSites.length));
        const n = spikeTimes(res.t, res.soma).length;
        spikes.push(n);
        hooks.onSweep?.(sweep, n);
      };
      // §3 step 7.1: a fresh realization per sweep, in sweep order in this thread (the isf
      // generator continues across sweeps); 7.3: simulate. At most `capacity` sweeps are
      // realized and not yet written; they are handed over `lanes` at a time, so that they
      // can run in lock-step lanes.
      const inFlight: { realization: SweepNetwork; result: Promise<SimulationResult> }[] = [];
      let next = 0;
      for (let k = 0; k < sweeps.length; k++) {
        const refill = inFlight.length <= pool.capacity - pool.lanes;
        while (refill && next < sweeps.length && next < k + pool.capacity) {
          const realization = net.realize(sweeps[next]!);
          const result = pool.simulate(
            packSweep(realization.synapses, net.mechanisms),
            sweeps[next]!,
          );
          result.catch(() => {}); // a failure is thrown where the sweep is awaited
          inFlight.push({ realization, result });
          next++;
        }
        const head = inFlight.shift()!;
        await sweepDone(sweeps[k]!, head.realization, await head.result);
        // A group written, the next about to be realized: the C heap's free pages go back.
        if ((k + 1) % pool.lanes === 0 && k + 1 < sweeps.length) returnFreeMemory();
      }
      // Before the folder is renamed: a failing recorder leaves only the `_running` folder.
      await recorder?.close();
    } catch (e) {
      recorder?.abort(); // stops what is still running (a no-op after close)
      throw e;
    }
  } finally {
    pool.terminate();
  }

  // §3 step 8: traces (t of the last sweep), one column per sweep number.
  const time = formatTimeColumn(lastT);
  await writeTraces(folder.file(`${uniqueId}_vm_all_traces.csv`), time, somaTraces, sweeps);
  for (const [i, site] of recordSites.entries()) {
    await writeTraces(
      folder.file(`${uniqueId}_${site.label}_vm_dend_traces.csv`),
      time,
      siteTraces[i]!,
      sweeps,
    );
  }
  // §3 step 9: saved params (sim.tStop = the tStop argument).
  const cellParam = cloneParam(built.param) as ParamObject;
  setParam(cellParam.sim as ParamObject, "tStop", settings.tStop, { float: settings.tStopIsFloat });
  await Deno.writeTextFile(
    folder.file(`${uniqueId}_neuron_model.param`),
    formatParamJson(cellParam),
  );
  await Deno.writeTextFile(
    folder.file(`${uniqueId}_network_model.param`),
    job.networkParamJson,
  );
  // §3 steps 10–11.
  const output = await folder.finish({ tar: settings.tar });
  return { output, seed: 0, sweeps, somaSpikes: spikes };
}

/** The recorders' sites, each located at its plugin for messages. */
function recorderSites(
  recorder: RecorderHook | undefined,
  settings: PluginSettings,
): RecordSite[] {
  if (recorder === undefined) return [];
  const plugins = settings.plugins ?? [];
  const source = plugins.length === 1 ? `--plugin ${plugins[0]}` : "recorder plugins";
  // Sites carry their plugin and index (`plugin <name>`, `recorder.sites()[i]`) from the hook.
  return recorder.sites().map((s, i) => ({
    ...s,
    where: s.where ?? { file: source, key: `sites()[${i}]` },
  }));
}
