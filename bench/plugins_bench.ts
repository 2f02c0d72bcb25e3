/**
 * Recorder-plugin overhead: one sweep of the ISF example cell (no synapses, the worst case for
 * relative overhead) with and without the example cai hot-zone recorder
 * (examples/plugins/cai_hot_zone_recorder.ts), which adds its sites to the solver's recordings
 * and, after the sweep, receives the traces in its own process and writes a CSV into its folder
 * of the job. Goal: at most 5 % slower. Also the start latency of a plugin's process (start,
 * load the module, close), paid once per cell-modify plugin and job and once per recorder and
 * job.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { parsePathMap } from "../io/path_map.ts";
import { PluginProcess } from "../plugins/host.ts";
import { openRecorders } from "../plugins/recorder.ts";
import { createCell } from "../simrun/create_cell.ts";
import { simulate } from "../solver/simulation.ts";
import { isfPathMap, sharedDir, sharedPath } from "../tests/_shared.ts";

/** Simulated time per sweep [ms] (ISF's network sweeps are 345 ms; overhead scales with it). */
const T_STOP_MS = 150;
/** Alternating repetitions of each variant; the minimum of each is compared. */
const REPEATS = 9;
/** Allowed slowdown with one recorder. */
const MAX_OVERHEAD = 0.05;
/** Plugin process starts timed. */
const STARTS = 7;

/**
 * Start latency of a plugin's process: start, load the example cell-modify plugin, and close
 * (the process is gone when it returns).
 *
 * @returns the fastest and the median [ms] of {@linkcode STARTS} starts
 */
async function startLatency(): Promise<{ best: number; median: number; close: number }> {
  const path = fileURLToPath(
    new URL("../examples/plugins/scale_apical_morph_86.ts", import.meta.url),
  );
  const starts: number[] = [], closes: number[] = [];
  for (let k = 0; k < STARTS; k++) {
    const t0 = performance.now();
    const p = await PluginProcess.start(path, { kind: "cellModify" });
    const t1 = performance.now();
    await p.close();
    starts.push(t1 - t0);
    closes.push(performance.now() - t1);
  }
  starts.sort((a, b) => a - b);
  return { best: starts[0], median: starts[STARTS >> 1], close: Math.min(...closes) };
}

/**
 * Times sweeps without and with one recorder plugin, alternating, and compares the fastest of
 * each (wall time of `simulate` plus `deliver`, which waits for the previous sweep's recorder
 * work: the recorder's thread works while the next sweep runs), and the whole run including the
 * last sweep's recorder work and `finish()`.
 *
 * @returns one report line: both times [s], the overhead [%], the number of recorded sites,
 *   whether it is within 5 %, and the start latency of a plugin's process [ms]
 * @example
 * ```ts ignore
 * console.log(await benchPlugins());
 * ```
 */
export async function benchPlugins(): Promise<string> {
  if (sharedDir() === undefined) return "plugins: skipped (../shared is absent)";
  const { cell, sim } = await createCell(
    sharedPath("data", "isf_example", "biophysical_constraints", "86_C2_center.param"),
    { pathMap: parsePathMap(isfPathMap()) },
  );
  // The job's own recording: the landmark site's voltage (section 38, x 0.929).
  const own = [{ section: 38, x: 0.9285714285714286 }];
  const base = { vInit: sim.vInit, tStop: T_STOP_MS, dt: sim.dt, celsius: sim.celsius };
  const jobDir = await Deno.makeTempDir({ prefix: "simrun_plugins_bench_" });
  const path = fileURLToPath(
    new URL("../examples/plugins/cai_hot_zone_recorder.ts", import.meta.url),
  );
  const rec = await openRecorders([{ path }], { jobDir });
  try {
    const extra = await rec.sites(cell);
    const without: number[] = [];
    const withRec: number[] = [];
    /** Time simrun's thread spends in deliver() per sweep [ms] (copy into the pipe, wait). */
    const inDeliver: number[] = [];
    simulate(cell, { ...base, tStop: 5, record: own }); // warm up the JIT
    for (let r = 0; r < REPEATS; r++) {
      let t0 = performance.now();
      simulate(cell, { ...base, record: own });
      without.push(performance.now() - t0);

      t0 = performance.now();
      const run = simulate(cell, { ...base, record: [...own, ...extra] });
      const t1 = performance.now();
      await rec.deliver(r, run.t, run.traces.slice(own.length));
      const t2 = performance.now();
      withRec.push(t2 - t0);
      inDeliver.push(t2 - t1);
    }
    // The last sweep's recorder work is not hidden behind a next sweep: count it once per job.
    const t0 = performance.now();
    await rec.close();
    const tail = performance.now() - t0;
    const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
    const jobOverhead = (sum(withRec) + tail) / sum(without) - 1;
    const a = Math.min(...without), b = Math.min(...withRec);
    const overhead = b / a - 1;
    const start = await startLatency();
    inDeliver.sort((x, y) => x - y);
    return `plugins: ${T_STOP_MS} ms sweep ${(a / 1000).toFixed(3)} s without, ${
      (b / 1000).toFixed(3)
    } s with the cai recorder (${extra.length} sites, CSV per sweep): overhead ${
      (overhead * 100).toFixed(1)
    } % per sweep, ${
      (jobOverhead * 100).toFixed(1)
    } % for ${REPEATS} sweeps incl. the last sweep's ${
      tail.toFixed(0)
    } ms and finish(); deliver() ${inDeliver[REPEATS >> 1].toFixed(1)} ms per sweep (median); ${
      overhead <= MAX_OVERHEAD ? "within" : "ABOVE"
    } the ${MAX_OVERHEAD * 100} % goal (best of ${REPEATS}); a plugin process starts and loads in ${
      start.best.toFixed(0)
    } ms (median ${start.median.toFixed(0)} ms of ${STARTS}) and is gone ${
      start.close.toFixed(0)
    } ms after close()`;
  } finally {
    rec.abort();
    await Deno.remove(jobDir, { recursive: true });
  }
}

if (import.meta.main) console.log(await benchPlugins());
