/** A small synthetic cell for unit tests (folder-private). @module */
import { parseHoc, parseParam, readCellSpec } from "../io/mod.ts";
import { buildCell } from "./build_cell.ts";
import type { Cell } from "./cell.ts";

/**
 * soma: 20 µm along z, d 10; dend_1 (basal, 100 µm, d 2) and apical_1 (500 µm, d 3) attach to the
 * soma (at 0.2 / 0.8 in the hoc, forced to 0.5); apical_2 (800 µm, d 2) continues apical_1.
 */
export const TEST_HOC = `{create soma}
{access soma}
{nseg = 1}
{pt3dclear()}
{pt3dadd(0, 0, 0, 10)}
{pt3dadd(0, 0, 10, 10)}
{pt3dadd(0, 0, 20, 10)}

{create dend_1}
{connect dend_1(0), soma(0.2)}
{access dend_1}
{pt3dclear()}
{pt3dadd(0, 0, 10, 2)}
{pt3dadd(100, 0, 10, 2)}

{create apical_1}
{connect apical_1(0), soma(0.8)}
{access apical_1}
{pt3dclear()}
{pt3dadd(0, 0, 20, 3)}
{pt3dadd(0, 0, 270, 3)}
{pt3dadd(0, 0, 520, 3)}

{create apical_2}
{connect apical_2(0), apical_1(1)}
{access apical_2}
{pt3dclear()}
{pt3dadd(0, 0, 520, 2)}
{pt3dadd(0, 0, 1320, 2)}
`;

/** The `neuron` block text of a test param with the given label blocks. */
export function testParamText(labels: string, extra = ""): string {
  return `{"neuron": {"filename": "test.hoc", ${extra} ${labels}}}`;
}

/** A label block with properties and range mechanisms. */
export function labelBlock(label: string, range: string, props = '"Ra": 100.0, "cm": 1.0'): string {
  return `"${label}": {"properties": {${props}}, "mechanisms": {"global": {}, "range": {${range}}}},`;
}

/** Builds the test cell from a `neuron` param text. */
export function buildTestCell(paramText: string, hoc = TEST_HOC): Cell {
  const p = parseParam(paramText, "test.param");
  return buildCell(readCellSpec(p), parseHoc(hoc, "test.hoc"));
}
