import assert from "node:assert/strict";
import { segmentGeometry, segmentRi } from "./segment_geometry.ts";

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

Deno.test("segmentGeometry: cylinder in 4 segments gives π·d·Δ areas and equal half resistances", () => {
  const g = segmentGeometry({
    arc: new Float64Array([0, 40, 100]),
    diam: new Float64Array([2, 2, 2]),
    nseg: 4,
    Ra: 150,
  });
  for (let i = 0; i < 4; i++) {
    close(g.area[i], Math.PI * 2 * 25);
    close(g.rLeft[i], 4 * 150 * 12.5 / (Math.PI * 4) * 0.01);
    close(g.rRight[i], g.rLeft[i]);
    close(g.diam[i], 2);
  }
  const ri = segmentRi(g);
  close(ri[0], g.rLeft[0]);
  close(ri[2], 2 * g.rLeft[0]);
});

Deno.test("segmentGeometry: a linear taper integrates frustum areas and ∫1/d² resistances", () => {
  // d goes 4 → 2 over 10 µm, one segment
  const g = segmentGeometry({
    arc: new Float64Array([0, 10]),
    diam: new Float64Array([4, 2]),
    nseg: 1,
    Ra: 100,
  });
  const frustum = (d1: number, d2: number, h: number) =>
    Math.PI * (d1 + d2) / 2 * Math.sqrt(h * h + ((d2 - d1) / 2) ** 2);
  close(g.area[0], frustum(4, 3, 5) + frustum(3, 2, 5));
  // NEURON's piece rule: 4·Ra/π·0.01·δ/(d1·d2)
  close(g.rLeft[0], 4 * 100 / Math.PI * 0.01 * 5 / (4 * 3));
  close(g.rRight[0], 4 * 100 / Math.PI * 0.01 * 5 / (3 * 2));
  close(g.diam[0], 3);
});

Deno.test("segmentGeometry: a duplicated point with a diameter step adds NEURON's annulus area", () => {
  const g = segmentGeometry({
    arc: new Float64Array([0, 5, 5, 10]),
    diam: new Float64Array([2, 2, 4, 4]),
    nseg: 1,
    Ra: 100,
  });
  const expected = Math.PI * 2 * 5 + Math.PI * 4 * 5 + Math.PI * (2 + 4) / 2 * 1; // annulus: π(d1+d2)/2·|d2−d1|/2
  close(g.area[0], expected, 1e-9);
});

Deno.test("segmentGeometry: diameters are taken as float32", () => {
  const g = segmentGeometry({
    arc: new Float64Array([0, 10]),
    diam: new Float64Array([1.24, 1.24]),
    nseg: 1,
    Ra: 100,
  });
  assert.equal(g.diam[0], Math.fround(1.24));
});
