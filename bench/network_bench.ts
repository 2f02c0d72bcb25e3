/**
 * Network realization timing on the ISF example (278 types, 24,780 synapses): first-time
 * `.syn`/`.con` parsing and anatomy mapping, then the per-sweep realization (activity,
 * connections, releases) for both random policies. Target: ≤ 50 ms per sweep.
 *
 * @module
 */
import process from "node:process";
import { readParamFile } from "../io/param.ts";
import { mapPath, parsePathMap } from "../io/path_map.ts";
import { createAnatomyCache, createNetworkMapper } from "../network/network_mapper.ts";
import { readNetworkSpec } from "../network/network_param.ts";
import { createNetworkRandom, type NetworkRandomKind } from "../network/rng/network_random.ts";
import { loadSeedrandom } from "../network/rng/seedrandom_stream.ts";
import { createCell } from "../simrun/create_cell.ts";
import { isfPathMap, sharedPath } from "../tests/_shared.ts";

/**
 * Runs the benchmark.
 *
 * @returns a short report (one line per measurement)
 */
export async function benchNetwork(): Promise<string> {
  const pathMap = parsePathMap(isfPathMap());
  const resolvePath = (p: string) => mapPath(p, pathMap)[0] ?? p;
  const { cell } = await createCell(
    sharedPath("data", "isf_example", "biophysical_constraints", "86_C2_center.param"),
    { pathMap },
  );
  const network = readNetworkSpec(
    await readParamFile(
      sharedPath("data", "isf_example", "functional_constraints", "network.param"),
    ),
    { resolvePath },
  );
  const lines: string[] = [];
  const SWEEPS = 10;
  await loadSeedrandom();
  for (const kind of ["isf", "simrun"] as NetworkRandomKind[]) {
    const anatomy = createAnatomyCache((p) => Deno.readTextFileSync(p));
    const mapper = createNetworkMapper(cell, network, {
      anatomy,
      tStop: 345,
      random: createNetworkRandom(kind, 20250101),
    });
    let t = performance.now();
    let r = mapper.realizeSweep(0);
    const first = performance.now() - t;
    t = performance.now();
    const cpu0 = process.cpuUsage();
    let releases = 0;
    for (let s = 1; s <= SWEEPS; s++) {
      r = mapper.realizeSweep(s);
      for (const syn of r.synapses) releases += syn.releaseTimes.length;
    }
    const per = (performance.now() - t) / SWEEPS;
    const cpu = process.cpuUsage(cpu0);
    const perCpu = (cpu.user + cpu.system) / 1000 / SWEEPS;
    lines.push(
      `network ${kind}: first sweep incl. .syn/.con parsing ${first.toFixed(0)} ms; ` +
        `per sweep ${per.toFixed(1)} ms wall, ${
          perCpu.toFixed(1)
        } ms CPU (target ≤ 50 ms; ${r.synapses.length} active synapses, ` +
        `${(releases / SWEEPS).toFixed(0)} releases/sweep)`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) console.log(await benchNetwork());
