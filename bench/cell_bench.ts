/**
 * Build time of the example cell 86_C2_center (target < 100 ms; NEURON/ISF `create_cell`
 * 0.23 s): the whole `createCell` (reading and parsing param + hoc, building, cell-modify
 * functions) cold and warm, and `buildCell` + cell-modify functions alone on parsed inputs.
 *
 * Run alone: `npx deno run --allow-read --allow-env bench/cell_bench.ts`.
 *
 * @module
 */
import { readCellSpec } from "../io/cell_spec.ts";
import { parseHoc } from "../io/hoc.ts";
import { getObject, type ParamObject, parseParam } from "../io/param.ts";
import { parsePathMap } from "../io/path_map.ts";
import { applyCellModifyFunctions } from "../plugins/cell_modify.ts";
import { createCell } from "../simrun/create_cell.ts";
import { buildCell } from "../solver/build_cell.ts";
import { isfPathMap, sharedPath } from "../tests/_shared.ts";

/**
 * Measures building the example cell.
 *
 * @returns one printable line with the timings [ms]
 * @example Print the line
 * ```ts ignore
 * console.log(await benchCell());
 * ```
 */
export async function benchCell(): Promise<string> {
  const paramPath = sharedPath("data/isf_example/biophysical_constraints/86_C2_center.param");
  const hocPath = sharedPath("data/isf_example/anatomical_constraints/86_C2_center.hoc");
  const pathMap = parsePathMap(isfPathMap());
  let t0 = performance.now();
  await createCell(paramPath, { pathMap });
  const cold = performance.now() - t0;
  let warm = Infinity;
  for (let i = 0; i < 5; i++) {
    t0 = performance.now();
    await createCell(paramPath, { pathMap });
    warm = Math.min(warm, performance.now() - t0);
  }
  const param = parseParam(await Deno.readTextFile(paramPath), paramPath);
  const hoc = parseHoc(await Deno.readTextFile(hocPath), hocPath);
  const neuron = getObject(param, "neuron");
  let build = Infinity;
  for (let i = 0; i < 10; i++) {
    t0 = performance.now();
    const cell = buildCell(readCellSpec(param, { file: paramPath }), hoc);
    await applyCellModifyFunctions(cell, neuron.cell_modify_functions as ParamObject, {
      paramFile: paramPath,
    });
    build = Math.min(build, performance.now() - t0);
  }
  return `cell build (86_C2_center, 170 sections / 1142 segments): createCell cold ${
    cold.toFixed(1)
  } ms, ` +
    `warm ${warm.toFixed(1)} ms; readCellSpec + buildCell + cell-modify on parsed inputs ${
      build.toFixed(1)
    } ms ` +
    `(target < 100 ms; NEURON 230 ms)`;
}

if (import.meta.main) console.log(await benchCell());
