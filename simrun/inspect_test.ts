import assert from "node:assert/strict";
import { buildTestCell, labelBlock, testParamText } from "../solver/_test_cell.ts";
import { inspectTables, SECTION_COLUMNS } from "./inspect.ts";

Deno.test("inspectTables: section and segment rows, parameter and ion columns, extra columns", () => {
  const cell = buildTestCell(testParamText(
    labelBlock(
      "Soma",
      '"pas": {"spatial": "uniform", "g": 0.0001, "e": -90}, "NaTa_t": {"spatial": "uniform", "gNaTa_tbar": 2.0}',
      '"Ra": 100.0, "cm": 1.0, "ions": {"ena": 55.0}',
    ),
  ));
  const nseg = cell.sections.reduce((a, s) => a + s.nseg, 0);
  const extra = [{
    name: "v",
    values: Array.from({ length: nseg }, (_, i) => (i === 0 ? -75 : undefined)),
  }];
  const { sections, segments } = inspectTables(cell, { extraColumns: extra });
  const sec = sections.trim().split("\n");
  assert.equal(sec[0], SECTION_COLUMNS.join(","));
  assert.equal(sec.length, 5);
  assert.match(sec[1], /^0,Soma,-1,,1,20\.0,3,100\.0,/);
  assert.match(sec[2], /^1,Dendrite,0,0\.5,/);
  const seg = segments.trim().split("\n").map((l) => l.split(","));
  const h = seg[0];
  assert.equal(seg.length, nseg + 1);
  const col = (n: string) => h.indexOf(n);
  assert.ok(
    col("gNaTa_tbar_NaTa_t") > 0 && col("g_pas") > 0 && col("e_pas") > 0 &&
      col("v") === h.length - 1,
  );
  assert.equal(seg[1][col("ena")], "55.0");
  assert.equal(seg[1][col("ek")], "");
  assert.equal(seg[1][col("g_pas")], "0.0001");
  assert.equal(seg[1][col("somaDist")], "10.0");
  assert.equal(seg[1][col("v")], "-75.0");
  assert.equal(seg[2][col("g_pas")], ""); // dendrite without mechanisms
  assert.equal(seg[2][col("ena")], "");
  assert.equal(seg[2][col("v")], "");
});

Deno.test("inspectTables: GLOBAL columns show the mech_globals value in force, else the default", () => {
  const labels = labelBlock(
    "Soma",
    '"Ih": {"spatial": "uniform", "gIhbar": 0.0001}, "SK_E2": {"spatial": "uniform"}',
  );
  const text = testParamText(labels).replace(/}$/, ', "mech_globals": {"Ih": {"ehcn": -30}}}');
  const { segments } = inspectTables(buildTestCell(text));
  const seg = segments.trim().split("\n").map((l) => l.split(","));
  const col = (n: string) => seg[0].indexOf(n);
  assert.equal(seg[1][col("gIhbar_Ih")], "0.0001");
  assert.equal(seg[1][col("ehcn_Ih")], "-30.0", "the GLOBAL from mech_globals");
  assert.equal(seg[1][col("zTau_SK_E2")], "1.0", "the .mod default");
  assert.equal(seg[2][col("ehcn_Ih")], "", "no Ih on the dendrite");
});
