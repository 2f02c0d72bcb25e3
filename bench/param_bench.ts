/**
 * Parse time of the 383 KB example network param (budget: < 100 ms; measured ≈ 6 ms on the
 * shared 2-core VM) and of the 824 KB example hoc.
 *
 * Run alone: `npx deno run --allow-read bench/param_bench.ts`.
 *
 * @module
 */
import { parseHoc } from "../io/hoc.ts";
import { parseParam } from "../io/param.ts";
import { formatParamJson } from "../io/param_writer.ts";
import { sharedPath } from "../tests/_shared.ts";

function best(fn: () => void, runs: number): number {
  fn(); // warm-up
  let b = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

/**
 * Measures parsing (best of 10 after one warm-up) of the example `network.param` and
 * `86_C2_center.hoc`, and writing the network param back.
 *
 * @returns one printable line with the timings [ms]
 * @example Print the line
 * ```ts ignore
 * console.log(await benchParam());
 * ```
 */
export async function benchParam(): Promise<string> {
  const netPath = sharedPath("data/isf_example/functional_constraints/network.param");
  const hocPath = sharedPath("data/isf_example/anatomical_constraints/86_C2_center.hoc");
  const net = await Deno.readTextFile(netPath);
  const hoc = await Deno.readTextFile(hocPath);
  const parsed = parseParam(net, netPath);
  const tParam = best(() => parseParam(net, netPath), 10);
  const tWrite = best(() => formatParamJson(parsed), 10);
  const tHoc = best(() => parseHoc(hoc, hocPath), 10);
  const kb = (s: string) => (s.length / 1024).toFixed(0);
  return `param: network.param (${kb(net)} KB) parse ${tParam.toFixed(1)} ms [budget 100], ` +
    `write ${tWrite.toFixed(1)} ms; 86_C2_center.hoc (${kb(hoc)} KB) parse ${
      tHoc.toFixed(1)
    } ms [budget 50]`;
}

if (import.meta.main) console.log(await benchParam());
