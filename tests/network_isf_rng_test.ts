/**
 * Reference test: with ISF's random-number policy, seed 20250101 and 2 sweeps, the realized
 * network of the ISF example reproduces ISF's per-sweep activation files
 * (reference/network/B_run_new_simulations, spec/algorithm.md §6–§7).
 *
 * Every column except the times must be identical, and so must the number of times per line.
 * Times may differ in the last bits: spike-train intervals use ln(), and V8's `Math.log`
 * (fdlibm) and glibc's `log` (used by NumPy) round a few near-tie arguments differently
 * (≈ 1 in 1,300 draws); the difference stays at the last ulp of a spike time.
 */
import assert from "node:assert/strict";
import { formatPresynapticSpikes, formatSynapseActivations } from "../io/activation_files.ts";
import { readParamFile } from "../io/param.ts";
import { mapPath, parsePathMap } from "../io/path_map.ts";
import { createAnatomyCache, createNetworkMapper } from "../network/network_mapper.ts";
import { readNetworkSpec } from "../network/network_param.ts";
import { createNetworkRandom } from "../network/rng/network_random.ts";
import { createCell } from "../simrun/create_cell.ts";
import { isfPathMap, sharedDir, sharedPath } from "./_shared.ts";

const SEED = 20250101;
const T_STOP = 345;
/** Allowed |Δt| [ms]: a few ulps of a 345 ms time (5.7e-14), from libm log rounding (see above). */
const MAX_ABS_DT_MS = 1e-12;
/** Lines allowed to differ at all (ulp-level times); measured 7–13 of ≈ 7,000 per file. */
const MAX_DIFFERING_LINES = 40;

function compareFiles(got: string, want: string, what: string, timeColumn: number): void {
  const g = got.split("\n"), w = want.split("\n");
  assert.equal(
    g.length,
    w.length,
    `${what}: ${g.length - 2} data lines, ISF wrote ${w.length - 2}`,
  );
  let differing = 0, worst = 0, worstLine = 0;
  for (let i = 0; i < w.length; i++) {
    if (g[i] === w[i]) continue;
    differing++;
    const gf = g[i].split("\t"), wf = w[i].split("\t");
    assert.deepEqual(
      gf.slice(0, timeColumn),
      wf.slice(0, timeColumn),
      `${what} line ${i + 1}: ${g[i]} vs ${w[i]}`,
    );
    const gt = gf[timeColumn].split(",").filter((s) => s !== "").map(Number);
    const wt = wf[timeColumn].split(",").filter((s) => s !== "").map(Number);
    assert.equal(gt.length, wt.length, `${what} line ${i + 1}: number of times differs`);
    for (let k = 0; k < gt.length; k++) {
      const d = Math.abs(gt[k] - wt[k]);
      if (d > worst) [worst, worstLine] = [d, i + 1];
    }
  }
  assert.ok(
    worst <= MAX_ABS_DT_MS,
    `${what}: max |Δt| ${worst} ms at line ${worstLine} > ${MAX_ABS_DT_MS} ms`,
  );
  assert.ok(
    differing <= MAX_DIFFERING_LINES,
    `${what}: ${differing} lines differ > ${MAX_DIFFERING_LINES}`,
  );
}

Deno.test({
  name: "createNetworkMapper() with isf random numbers reproduces ISF's sweep files",
  ignore: sharedDir() === undefined,
  async fn() {
    const pathMap = parsePathMap(isfPathMap());
    const resolvePath = (p: string) => mapPath(p, pathMap)[0] ?? p;
    const { cell } = await createCell(
      sharedPath("data", "isf_example", "biophysical_constraints", "86_C2_center.param"),
      { pathMap },
    );
    const netParam = await readParamFile(
      sharedPath("data", "isf_example", "functional_constraints", "network.param"),
    );
    const network = readNetworkSpec(netParam, { resolvePath });
    const mapper = createNetworkMapper(cell, network, {
      anatomy: createAnatomyCache((p) => Deno.readTextFileSync(p)),
      tStop: T_STOP,
      random: createNetworkRandom("isf", SEED),
    });
    const dir = sharedPath("reference", "network", "B_run_new_simulations");
    for (const sweep of [0, 1]) {
      const r = mapper.realizeSweep(sweep);
      const n = String(sweep).padStart(4, "0");
      compareFiles(
        formatPresynapticSpikes(r.presynaptic),
        Deno.readTextFileSync(`${dir}/simulation_run${n}_presynaptic_cells.csv`),
        `sweep ${sweep} presynaptic cells`,
        2,
      );
      compareFiles(
        formatSynapseActivations(r.synapses),
        Deno.readTextFileSync(`${dir}/simulation_run${n}_synapses.csv`),
        `sweep ${sweep} synapses`,
        6,
      );
    }
  },
});
