/**
 * Reference test: with ISF's random-number policy, seed 20250101 and 2 sweeps, the realized
 * network of the ISF example reproduces ISF's per-sweep activation files
 * (reference/network/B_run_new_simulations, spec/algorithm.md §6–§7).
 *
 * With the C library's `log` bound (as `simrun run --rng isf` does) the files are byte-identical;
 * see tests/_activation_compare.ts for the fallback comparison where it cannot be bound.
 */
import { formatPresynapticSpikes, formatSynapseActivations } from "../io/activation_files.ts";
import { readParamFile } from "../io/param.ts";
import { mapPath, parsePathMap } from "../io/path_map.ts";
import {
  createAnatomyCache,
  createNetworkMapper,
  presynapticCells,
} from "../network/network_mapper.ts";
import { readNetworkSpec } from "../network/network_param.ts";
import { createNetworkRandom } from "../network/rng/network_random.ts";
import { createCell } from "../simrun/create_cell.ts";
import { loadSystemLibm } from "../simrun/system_libm.ts";
import { JS_MATH } from "../network/rng/elementary_functions.ts";
import { isfPathMap, sharedDir, sharedPath } from "./_shared.ts";
import { compareActivationFiles as compareFiles } from "./_activation_compare.ts";

const SEED = 20250101;
const T_STOP = 345;

/** The C library's log/exp when they can be bound (as `simrun run --rng isf` does). */
function libmOrJs() {
  const libm = loadSystemLibm();
  return libm.ok ? libm.math : JS_MATH;
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
      random: createNetworkRandom("isf", SEED, { math: libmOrJs() }),
    });
    const dir = sharedPath("reference", "network", "B_run_new_simulations");
    for (const sweep of [0, 1]) {
      const r = mapper.realizeSweep(sweep);
      const n = String(sweep).padStart(4, "0");
      compareFiles(
        formatPresynapticSpikes(presynapticCells(r)),
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
