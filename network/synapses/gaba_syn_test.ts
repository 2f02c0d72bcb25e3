import assert from "node:assert/strict";
import { GABA_SYN } from "./gaba_syn.ts";
import { allocateInstances, type MechanismInstances } from "../../solver/mod.ts";
import {
  clearCurrents,
  makeNodes,
  prepareContext,
  relErr,
} from "../../solver/mechanisms/_testing.ts";

/** The example network's GABA parameters (network.param, spec §4.2). */
const EXAMPLE = { decaytime: 20, risetime: 1, decaygaba: 1, e: -80, facilgaba: 0 };

function make(count: number, params: Record<string, number> = EXAMPLE, dt = 0.025, v = -75) {
  const s = allocateInstances(GABA_SYN, new Int32Array(count));
  for (const [p, x] of Object.entries(params)) s.fields[p].fill(x);
  const n = makeNodes(1, { v, dt, area: 100 });
  GABA_SYN.prepare(s, prepareContext(n));
  GABA_SYN.init(s, n);
  return { s, n };
}

function event(s: MechanismInstances, k: number, w: number) {
  GABA_SYN.netReceive!(s, k, new Float64Array([w]), 0, makeNodes(1));
}

Deno.test("GABA_SYN.init() zeroes R, D, sets d = f = 1 and the spec's peak factor", () => {
  const f = make(1).s.fields;
  assert.equal(f.R[0], 0);
  assert.equal(f.D[0], 0);
  assert.equal(f.d_gaba[0], 1);
  assert.equal(f.f_gaba[0], 1);
  // Spec §4.2: N = 1.2323999091818731 for 20/1 (Math.exp/log vs glibc: 1e-15 relative).
  assert.ok(relErr(f.factor[0], 1.2323999091818731) <= 1e-15);
});

Deno.test("GABA_SYN peak conductance equals the weight for a single event", () => {
  // dt 1e-4 ms: sampling error at the peak ≈ |g''|·dt²/8 ≪ 1e-6.
  const dt = 1e-4, w = 1.0;
  const { s, n } = make(1, EXAMPLE, dt);
  event(s, 0, w);
  let peak = 0;
  for (let step = 0; step < 60_000; step++) { // 6 ms, peak at 3.15 ms
    GABA_SYN.advance(s, n);
    clearCurrents(n);
    GABA_SYN.current(s, n);
    peak = Math.max(peak, s.fields.g[0]);
  }
  assert.ok(Math.abs(peak - w) <= 1e-6, `peak ${peak}`);
});

Deno.test("GABA_SYN.advance() decays R and D exactly by e^(−dt/τ) in one step", () => {
  const { s, n } = make(1, EXAMPLE, 0.1);
  event(s, 0, 2);
  const r0 = s.fields.R[0], d0 = s.fields.D[0];
  GABA_SYN.advance(s, n);
  // 1e-14 relative: cnexp's 1 − (1 − e^(−dt/τ)) form vs e^(−dt/τ) differ by a few ulp.
  assert.ok(relErr(s.fields.R[0], r0 * Math.exp(-0.1 / 1)) <= 1e-14);
  assert.ok(relErr(s.fields.D[0], d0 * Math.exp(-0.1 / 20)) <= 1e-14);
});

Deno.test("GABA_SYN.current() adds 1e-3·g·(V − e)·100/area with slope 1e-3·g·100/area", () => {
  const { s, n } = make(1, EXAMPLE, 0.025, -65);
  event(s, 0, 1);
  for (let k = 0; k < 40; k++) GABA_SYN.advance(s, n);
  clearCurrents(n);
  GABA_SYN.current(s, n);
  const g = s.fields.D[0] - s.fields.R[0];
  assert.ok(relErr(n.i[0], 1e-3 * g * 15) <= 1e-14); // a few roundings of the product
  // Linear in V: the difference quotient equals g up to cancellation in I(V+0.001) − I(V).
  assert.ok(relErr(n.g[0], 1e-3 * g) <= 1e-9);
});

Deno.test("GABA_SYN: one lumped instance equals two identical synapses' summed events", () => {
  assert.equal(GABA_SYN.lumpable!(EXAMPLE), true);
  assert.equal(GABA_SYN.lumpable!({ ...EXAMPLE, facilgaba: 0.2 }), false);
  const two = make(2), one = make(1);
  const events = new Map([[0, 0], [5, 1], [6, 1], [300, 0]]);
  // Differences are measured against the largest |i| and |g| of the run: the NMDA negative
  // slope can cancel the AMPA slope, so a pointwise relative error is meaningless near g = 0.
  let di = 0, dg = 0, maxI = 0, maxG = 0;
  for (let step = 0; step < 600; step++) {
    const k = events.get(step);
    if (k !== undefined) {
      event(two.s, k, 1);
      event(one.s, 0, 1);
    }
    clearCurrents(two.n);
    clearCurrents(one.n);
    GABA_SYN.current(two.s, two.n);
    GABA_SYN.current(one.s, one.n);
    di = Math.max(di, Math.abs(one.n.i[0] - two.n.i[0]));
    dg = Math.max(dg, Math.abs(one.n.g[0] - two.n.g[0]));
    maxI = Math.max(maxI, Math.abs(two.n.i[0]));
    maxG = Math.max(maxG, Math.abs(two.n.g[0]));
    GABA_SYN.advance(two.s, two.n);
    GABA_SYN.advance(one.s, one.n);
  }
  const worst = Math.max(di / maxI, dg / maxG);
  assert.ok(maxI > 0 && worst <= 1e-10, `worst relative difference ${worst}`); // rounding of sums only
});

Deno.test("GABA_SYN NET_RECEIVE depresses (decaygaba) and facilitates (facilgaba)", () => {
  const { s } = make(1, { ...EXAMPLE, decaygaba: 0.8, facilgaba: 0.5 });
  event(s, 0, 1);
  const r1 = s.fields.R[0];
  event(s, 0, 1);
  // 1e-14 relative: R − r1 cancels about one digit of R's rounding.
  assert.ok(relErr(s.fields.R[0] - r1, r1 * 0.8 * 1.5) <= 1e-14);
  assert.ok(relErr(s.fields.d_gaba[0], 0.64) <= 1e-15);
  assert.equal(s.fields.f_gaba[0], 2);
});
