/**
 * Recorder-plugin overhead: one sweep of the ISF example cell (no synapses, the worst case for
 * relative overhead) with and without the example cai hot-zone recorder
 * (examples/plugins/cai_hot_zone_recorder.ts), which adds its sites to the solver's recordings
 * and, after the sweep, receives the traces in its worker and writes a CSV into the job folder.
 * Goal: at most 5 % slower.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { parsePathMap } from "../io/path_map.ts";
import { openRecorders } from "../plugins/recorder.ts";
import { createCell } from "../simrun/create_cell.ts";
import { simulate } from "../solver/simulation.ts";
import { isfPathMap, sharedDir, sharedPath } from "../tests/_shared.ts";

/** Simulated time per sweep [ms] (ISF's network sweeps are 345 ms; overhead scales with it). */
const T_STOP_MS = 150;
/** Alternating repetitions of each variant; the minimum of each is compared. */
const REPEATS = 5;
/** Allowed slowdown with one recorder. */
const MAX_OVERHEAD = 0.05;

/**
 * Times sweeps without and with one recorder plugin, alternating, and compares the fastest of
 * each (wall time of `simulate` plus `deliver`, which waits for the previous sweep's recorder
 * work: the recorder's thread works while the next sweep runs), and the whole run including the
 * last sweep's recorder work and `finish()`.
 *
 * @returns one report line: both times [s], the overhead [%], the number of recorded sites, and
 *   whether it is within 5 %
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
    simulate(cell, { ...base, tStop: 5, record: own }); // warm up the JIT
    for (let r = 0; r < REPEATS; r++) {
      let t0 = performance.now();
      simulate(cell, { ...base, record: own });
      without.push(performance.now() - t0);

      t0 = performance.now();
      const run = simulate(cell, { ...base, record: [...own, ...extra] });
      await rec.deliver(r, run.t, run.traces.slice(own.length));
      withRec.push(performance.now() - t0);
    }
    // The last sweep's recorder work is not hidden behind a next sweep: count it once per job.
    const t0 = performance.now();
    await rec.close();
    const tail = performance.now() - t0;
    const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
    const jobOverhead = (sum(withRec) + tail) / sum(without) - 1;
    const a = Math.min(...without), b = Math.min(...withRec);
    const overhead = b / a - 1;
    return `plugins: ${T_STOP_MS} ms sweep ${(a / 1000).toFixed(3)} s without, ${
      (b / 1000).toFixed(3)
    } s with the cai recorder (${extra.length} sites, CSV per sweep): overhead ${
      (overhead * 100).toFixed(1)
    } % per sweep, ${
      (jobOverhead * 100).toFixed(1)
    } % for ${REPEATS} sweeps incl. the last sweep's ${tail.toFixed(0)} ms and finish(); ${
      overhead <= MAX_OVERHEAD ? "within" : "ABOVE"
    } the ${MAX_OVERHEAD * 100} % goal (best of ${REPEATS})`;
  } finally {
    rec.abort();
    await Deno.remove(jobDir, { recursive: true });
  }
}

if (import.meta.main) console.log(await benchPlugins());
