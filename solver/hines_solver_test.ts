import assert from "node:assert/strict";
import { createHinesSystem, stepVoltage, stepVoltageFast } from "./hines_solver.ts";

/** Deterministic pseudo-random numbers in [0, 1) (LCG; tests stay reproducible). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Dense Gaussian elimination with partial pivoting: the independent reference. */
function solveDense(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x;
}

function randomTree(n: number, rnd: () => number) {
  const parent = new Int32Array(n);
  parent[0] = -1;
  for (let i = 1; i < n; i++) parent[i] = Math.floor(rnd() * i);
  const gAxial = new Float64Array(n);
  const area = new Float64Array(n);
  const cm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    gAxial[i] = i === 0 ? 0 : 0.1 + 10 * rnd();
    // every 5th node has zero area (like end nodes), the rest 10–1000 µm²
    area[i] = i % 5 === 4 ? 0 : 10 + 990 * rnd();
    cm[i] = 0.5 + rnd();
  }
  return { parent, gAxial, area, cm };
}

Deno.test("stepVoltage() solves NEURON's backward-Euler cable equations (spec §8.3 step 5)", () => {
  const rnd = lcg(11);
  const n = 40;
  const { parent, gAxial, area, cm } = randomTree(n, rnd);
  const dt = 0.025;
  const v0 = Float64Array.from({ length: n }, () => -80 + 40 * rnd());
  const iMem = Float64Array.from({ length: n }, (_, k) => (area[k] > 0 ? 1e-3 * (rnd() - 0.5) : 0));
  const gMem = Float64Array.from({ length: n }, (_, k) => (area[k] > 0 ? 1e-3 * rnd() : 0));
  // Dense system written straight from the spec's equations.
  const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const b = new Array<number>(n).fill(0);
  for (let k = 0; k < n; k++) {
    const s = area[k] > 0 ? 100 / area[k] : 1;
    a[k][k] += area[k] > 0 ? 1e-3 * cm[k] / dt + gMem[k] : 0;
    b[k] = -iMem[k];
    const nb: [number, number][] = [];
    if (k > 0) nb.push([parent[k], gAxial[k]]);
    for (let j = 1; j < n; j++) if (parent[j] === k) nb.push([j, gAxial[j]]);
    for (const [j, g] of nb) {
      a[k][k] += s * g;
      a[k][j] -= s * g;
      b[k] += s * g * (v0[j] - v0[k]);
    }
  }
  const dv = solveDense(a, b);
  const sys = createHinesSystem(parent, gAxial, area, cm);
  const v = Float64Array.from(v0);
  const iw = Float64Array.from(iMem);
  const gw = Float64Array.from(gMem);
  stepVoltage(sys, v, iw, gw, dt);
  for (let k = 0; k < n; k++) {
    // 1e-10 mV: dense Gaussian elimination vs Hines elimination round differently; a wrong
    // coupling or sign moves V by ≥ 1e-4 mV in this system.
    assert.ok(Math.abs(v[k] - (v0[k] + dv[k])) < 1e-10, `node ${k}: ${v[k]} vs ${v0[k] + dv[k]}`);
    assert.equal(iw[k], 0);
    assert.equal(gw[k], 0);
  }
});

Deno.test("stepVoltage() keeps an isopotential passive tree at rest and conserves charge", () => {
  const rnd = lcg(3);
  const n = 25;
  const { parent, gAxial, area, cm } = randomTree(n, rnd);
  const sys = createHinesSystem(parent, gAxial, area, cm);
  const v = new Float64Array(n).fill(-70);
  stepVoltage(sys, v, new Float64Array(n), new Float64Array(n), 0.025);
  for (let k = 0; k < n; k++) assert.ok(Math.abs(v[k] + 70) < 1e-12); // rounding of 0·g sums
  // No membrane current: total charge Σ cm·A·V on membrane nodes is conserved.
  for (let k = 0; k < n; k++) v[k] = -80 + 30 * rnd();
  const q = (x: Float64Array) => x.reduce((s, vk, k) => s + cm[k] * area[k] * vk, 0);
  const q0 = q(v);
  for (let s = 0; s < 50; s++) stepVoltage(sys, v, new Float64Array(n), new Float64Array(n), 0.025);
  // 1e-9 relative: 50 steps of rounding (≈ 1e-13 each, amplified by the cancellation of
  // currents between nodes); a leak or a wrong area weighting changes q by ≥ 1e-4.
  assert.ok(Math.abs(q(v) - q0) < 1e-9 * Math.abs(q0), `charge ${q(v)} vs ${q0}`);
});

Deno.test("stepVoltageFast() matches stepVoltage() to rounding over 200 steps of a random tree", () => {
  const rnd = lcg(17);
  const n = 60;
  const { parent, gAxial, area, cm } = randomTree(n, rnd);
  const a = createHinesSystem(parent, gAxial, area, cm);
  const b = createHinesSystem(parent, gAxial, area, cm);
  const va = Float64Array.from({ length: n }, () => -80 + 40 * rnd());
  const vb = Float64Array.from(va);
  let worst = 0;
  for (let step = 0; step < 200; step++) {
    const iMem = Float64Array.from(
      { length: n },
      (_, k) => (area[k] > 0 ? 1e-3 * (rnd() - 0.5) : 0),
    );
    const gMem = Float64Array.from({ length: n }, (_, k) => (area[k] > 0 ? 1e-3 * rnd() : 0));
    const ib = Float64Array.from(iMem), gb = Float64Array.from(gMem);
    stepVoltage(a, va, iMem, gMem, 0.025);
    stepVoltageFast(b, vb, ib, gb, 0.025);
    for (let k = 0; k < n; k++) {
      worst = Math.max(worst, Math.abs(va[k] - vb[k]));
      assert.equal(ib[k], 0);
      assert.equal(gb[k], 0);
    }
  }
  // A product with 1/d instead of a quotient and the children's terms summed in another order:
  // a few roundings per node and step (≲ 1e-16 relative to |ΔV| ≲ 1 mV), accumulated over 200
  // steps of V ≈ 80 mV: ≪ 1e-11 mV.
  assert.ok(worst < 1e-11, `max |ΔV| ${worst} mV`);
});

Deno.test("stepVoltageFast() follows dt changes and deep chains (its node schedule) like stepVoltage()", () => {
  const rnd = lcg(5);
  const n = 120;
  const { gAxial, area, cm } = randomTree(n, rnd);
  // A chain of 80 nodes with a second branch of 40 from node 30: long dependency chains.
  const parent = Int32Array.from({ length: n }, (_, k) => (k === 80 ? 30 : k - 1));
  const a = createHinesSystem(parent, gAxial, area, cm);
  const b = createHinesSystem(parent, gAxial, area, cm);
  const va = Float64Array.from({ length: n }, () => -80 + 40 * rnd());
  const vb = Float64Array.from(va);
  let worst = 0;
  for (let step = 0; step < 60; step++) {
    const dt = step < 20 ? 0.025 : step < 40 ? 0.1 : 0.025; // the cached 1/dt terms are rebuilt
    const iMem = Float64Array.from({ length: n }, (_, k) => (area[k] > 0 ? rnd() - 0.5 : 0));
    const gMem = Float64Array.from({ length: n }, (_, k) => (area[k] > 0 ? 1e-3 * rnd() : 0));
    const ib = Float64Array.from(iMem), gb = Float64Array.from(gMem); // both zero them
    stepVoltage(a, va, iMem, gMem, dt);
    stepVoltageFast(b, vb, ib, gb, dt);
    for (let k = 0; k < n; k++) worst = Math.max(worst, Math.abs(va[k] - vb[k]));
  }
  // Rounding only (as above); a stale 1/dt term would differ by ≳ 1e-3 mV.
  assert.ok(worst < 1e-11, `max |ΔV| ${worst} mV`);
});
