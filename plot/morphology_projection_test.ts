import assert from "node:assert/strict";
import { parseHoc } from "../io/mod.ts";
import { pointOf, positionAt, projectMorphology } from "./morphology_projection.ts";

const HOC = "{create soma}\n{pt3dadd(0,0,0,10)}\n{pt3dadd(0,2,0,10)}\n{pt3dadd(0,4,0,10)}\n\n" +
  "{create apical_1}\n{connect apical_1(0), soma(0.5)}\n{pt3dadd(0,2,0,2)}\n{pt3dadd(0,300,10,2)}\n\n" +
  "{create dend_1}\n{connect dend_1(0), soma(0.5)}\n{pt3dadd(0,2,0,1)}\n{pt3dadd(0,-40,0,1)}\n" +
  "{pt3dadd(80,-60,0,1)}\n";

Deno.test("projectMorphology() draws the apical axis upwards and the wider other axis across", () => {
  const m = parseHoc(HOC, "cell.hoc");
  const p = projectMorphology(m);
  assert.equal(p.vAxis, "y", "the apical dendrite reaches 298 µm along +y");
  assert.equal(p.hAxis, "x", "x spans 80 µm, z 10 µm");
  assert.deepEqual(pointOf(p, 1, 1), { h: 0, v: 300 });
  assert.deepEqual(pointOf(p, 2, 2), { h: 80, v: -60 });
  assert.equal(pointOf(p, 3, 0), undefined, "no section 3");
  assert.equal(pointOf(p, 0, 3), undefined, "no point 3 on the soma");
});

Deno.test("positionAt() interpolates along the 3-D arc length", () => {
  const m = parseHoc(HOC, "cell.hoc");
  const p = projectMorphology(m);
  // dend_1: 42 µm straight down, then hypot(80, 20) µm to (80, -60).
  const second = Math.hypot(80, 20);
  const w = ((42 + second) / 2 - 42) / second; // where x = 0.5 lies on the second piece
  const at = positionAt(p, m, 2, 0.5)!;
  assert.ok(Math.abs(at.h - 80 * w) < 1e-9, `h ${at.h}`);
  assert.ok(Math.abs(at.v - (-40 - 20 * w)) < 1e-9, `v ${at.v}`);
  assert.deepEqual(positionAt(p, m, 2, 1), { h: 80, v: -60 });
  assert.equal(positionAt(p, m, 9, 0.5), undefined);
});
