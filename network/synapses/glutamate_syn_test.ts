import assert from "node:assert/strict";
import { GLUTAMATE_SYN } from "./glutamate_syn.ts";
import { allocateInstances, type MechanismInstances } from "../../solver/mod.ts";
import {
  clearCurrents,
  makeNodes,
  prepareContext,
  relErr,
} from "../../solver/mechanisms/_testing.ts";

/** The example network's glutamate parameters (network.param, spec §4.1). */
const EXAMPLE = {
  tau1: 26,
  tau2: 2,
  tau3: 2,
  tau4: 0.1,
  decayampa: 1,
  decaynmda: 1,
  facilampa: 0,
  facilnmda: 0,
};

function make(count: number, params: Record<string, number> = EXAMPLE, dt = 0.025, v = -75) {
  const s = allocateInstances(GLUTAMATE_SYN, new Int32Array(count));
  for (const [p, x] of Object.entries(params)) s.fields[p].fill(x);
  const n = makeNodes(1, { v, dt, area: 100 });
  GLUTAMATE_SYN.prepare(s, prepareContext(n));
  GLUTAMATE_SYN.init(s, n);
  return { s, n };
}

function event(s: MechanismInstances, k: number, wAmpa: number, wNmda: number) {
  const n = makeNodes(1);
  GLUTAMATE_SYN.netReceive!(s, k, new Float64Array([0, wAmpa, wNmda]), 1, n);
}

Deno.test("GLUTAMATE_SYN.init() zeroes A..D, sets d = f = 1 and the spec's peak factors", () => {
  const { s } = make(1);
  const f = s.fields;
  for (const x of ["A", "B", "C", "D"]) assert.equal(f[x][0], 0);
  for (const x of ["d_ampa", "d_nmda", "f_ampa", "f_nmda"]) assert.equal(f[x][0], 1);
  // Spec §4.1 values (NEURON): N₁ = 1.3415001295600049, N₂ = 1.2323999091818731. Math.exp/log
  // may differ from glibc by an ulp: 1e-15 relative.
  assert.ok(relErr(f.factor1[0], 1.3415001295600049) <= 1e-15);
  assert.ok(relErr(f.factor2[0], 1.2323999091818731) <= 1e-15);
});

Deno.test("GLUTAMATE_SYN peak conductance equals the weight for a single event", () => {
  // dt 1e-4 ms: sampling the peak of a smooth curve misses it by ≈ |g''|·dt²/8 ≤ 5·w·1e-8/8.
  const dt = 1e-4, v = -70, wA = 1.68, wN = 1.14;
  const { s, n } = make(1, EXAMPLE, dt, v);
  event(s, 0, wA, wN);
  let peakA = 0, peakN = 0;
  for (let step = 0; step < 100_000; step++) { // 10 ms: past both peaks (0.315 and 5.56 ms)
    GLUTAMATE_SYN.advance(s, n);
    clearCurrents(n);
    GLUTAMATE_SYN.current(s, n);
    peakA = Math.max(peakA, s.fields.g_ampa[0]);
    peakN = Math.max(peakN, s.fields.g_nmda[0]);
  }
  const mgBlock = 1 / (1 + 0.25 * Math.exp(-0.08 * v));
  assert.ok(Math.abs(peakA - wA) <= 1e-6, `AMPA peak ${peakA}`);
  assert.ok(Math.abs(peakN - wN * mgBlock) <= 1e-6 * mgBlock, `NMDA peak ${peakN}`);
});

Deno.test("GLUTAMATE_SYN.advance() decays A..D exactly by e^(−dt/τ) in one step", () => {
  const dt = 0.025;
  const { s, n } = make(1, EXAMPLE, dt);
  event(s, 0, 1.5, 1.2);
  const f = s.fields;
  const before = { A: f.A[0], B: f.B[0], C: f.C[0], D: f.D[0] };
  assert.ok(relErr(before.A, 1.3415001295600049 * 1.2) <= 1e-15);
  assert.ok(relErr(before.C, 1.2323999091818731 * 1.5) <= 1e-15);
  GLUTAMATE_SYN.advance(s, n);
  const taus = { A: 26, B: 2, C: 2, D: 0.1 };
  for (const [x, tau] of Object.entries(taus)) {
    const want = before[x as keyof typeof before] * Math.exp(-dt / tau);
    assert.ok(relErr(f[x][0], want) <= 1e-14, `${x}: ${f[x][0]} vs ${want}`);
  }
  assert.equal(f.d_ampa[0], 1); // no depression: stays exactly 1
});

Deno.test("GLUTAMATE_SYN.current() adds I·100/area with the difference-quotient slope", () => {
  const { s, n } = make(1, EXAMPLE, 0.025, -50);
  event(s, 0, 1.68, 1.68);
  for (let k = 0; k < 40; k++) GLUTAMATE_SYN.advance(s, n); // 1 ms
  clearCurrents(n);
  GLUTAMATE_SYN.current(s, n);
  const f = s.fields, v = -50;
  const block = (u: number) => 1 / (1 + 0.25 * Math.exp(-0.08 * u));
  const gN = (f.A[0] - f.B[0]) * block(v), gA = f.C[0] - f.D[0];
  const i = 1e-3 * (gN + gA) * (v - 0); // [nA]
  assert.ok(relErr(f.i[0], i) <= 1e-14);
  assert.ok(relErr(n.i[0], i * (100 / 100)) <= 1e-14); // area 100 µm²
  // Analytic dI/dV; the 0.001 mV difference quotient differs by O(0.0005·I''/I') ≈ 1e-5.
  const dBlock = 0.25 * 0.08 * Math.exp(-0.08 * v) * block(v) ** 2;
  const slope = 1e-3 * (gN + gA) + 1e-3 * (f.A[0] - f.B[0]) * dBlock * (v - 0);
  assert.ok(relErr(n.g[0], slope) <= 1e-4, `slope ${n.g[0]} vs ${slope}`);
});

Deno.test("GLUTAMATE_SYN.lumpable() is true exactly without depression and facilitation", () => {
  const lump = GLUTAMATE_SYN.lumpable!;
  assert.equal(lump(EXAMPLE), true);
  assert.equal(lump({}), false); // defaults decay* 0.5
  assert.equal(lump({ ...EXAMPLE, decaynmda: 0.9 }), false);
  assert.equal(lump({ ...EXAMPLE, facilampa: 0.1 }), false);
});

Deno.test("GLUTAMATE_SYN: one lumped instance equals two identical synapses' summed events", () => {
  const dt = 0.025;
  const two = make(2, EXAMPLE, dt, -60);
  const one = make(1, EXAMPLE, dt, -60);
  const events = new Map([[0, [0, 1.68]], [12, [1, 1.68]], [13, [0, 1.14]], [200, [1, 1.14]]]);
  // Differences are measured against the largest |i| and |g| of the run: the NMDA negative
  // slope can cancel the AMPA slope, so a pointwise relative error is meaningless near g = 0.
  let di = 0, dg = 0, maxI = 0, maxG = 0;
  for (let step = 0; step < 800; step++) {
    const ev = events.get(step);
    if (ev !== undefined) {
      event(two.s, ev[0], ev[1], ev[1]);
      event(one.s, 0, ev[1], ev[1]);
    }
    clearCurrents(two.n);
    clearCurrents(one.n);
    GLUTAMATE_SYN.current(two.s, two.n);
    GLUTAMATE_SYN.current(one.s, one.n);
    di = Math.max(di, Math.abs(one.n.i[0] - two.n.i[0]));
    dg = Math.max(dg, Math.abs(one.n.g[0] - two.n.g[0]));
    maxI = Math.max(maxI, Math.abs(two.n.i[0]));
    maxG = Math.max(maxG, Math.abs(two.n.g[0]));
    GLUTAMATE_SYN.advance(two.s, two.n);
    GLUTAMATE_SYN.advance(one.s, one.n);
  }
  // Linear kinetics: equal up to rounding of the sums (and the 0.001 mV difference quotient,
  // which cancels ~3 digits of I): 1e-10 relative.
  const worst = Math.max(di / maxI, dg / maxG);
  assert.ok(maxI > 0 && worst <= 1e-10, `worst relative difference ${worst}`);
});

Deno.test("GLUTAMATE_SYN NET_RECEIVE applies depression and facilitation after each event", () => {
  const { s } = make(1, { ...EXAMPLE, decayampa: 0.5, decaynmda: 0.25, facilampa: 0.1 });
  event(s, 0, 1, 1);
  const c1 = s.fields.C[0];
  event(s, 0, 1, 1);
  const f = s.fields;
  // Second AMPA increment uses d = 0.5, f = 1.1 (no time passed).
  // 1e-14 relative: C − c1 cancels about one digit of C's rounding.
  assert.ok(relErr(f.C[0] - c1, c1 * 0.5 * 1.1) <= 1e-14);
  assert.equal(f.d_ampa[0], 0.25);
  assert.equal(f.d_nmda[0], 0.0625);
  assert.ok(relErr(f.f_ampa[0], 1.2) <= 1e-15); // 1 + 0.1 + 0.1 is not exactly 1.2: 1 ulp
  assert.equal(f.f_nmda[0], 1);
});

Deno.test("glutamate_syn: instances before their first event are skipped, bit-identically", () => {
  // Two nodes; instance 0 receives an event, instance 1 never does. Node 1's i and g stay
  // exactly 0 and instance 1's states stay at their fixed point, as the full update would keep.
  const s = allocateInstances(GLUTAMATE_SYN, new Int32Array([0, 1]));
  for (const [p, x] of Object.entries(EXAMPLE)) s.fields[p].fill(x);
  const n = makeNodes(2, { v: -60 });
  GLUTAMATE_SYN.prepare(s, prepareContext(n));
  GLUTAMATE_SYN.init(s, n);
  assert.deepEqual(
    [...s.derived.plastic],
    [0, 0],
    "example parameters neither depress nor facilitate",
  );
  GLUTAMATE_SYN.netReceive!(s, 0, new Float64Array([1.5, 1.5]), 0, n);
  assert.deepEqual([...s.derived.active], [1, 0]);
  for (let step = 0; step < 40; step++) {
    clearCurrents(n);
    GLUTAMATE_SYN.current(s, n);
    GLUTAMATE_SYN.advance(s, n);
  }
  assert.ok(n.i[0] !== 0 && s.fields.A[0] > 0);
  assert.equal(n.i[1], 0);
  assert.equal(n.g[1], 0);
  for (const st of ["A", "B", "C", "D"]) assert.equal(s.fields[st][1], 0);
  for (const st of ["d_ampa", "d_nmda", "f_ampa", "f_nmda"]) {
    assert.equal(s.fields[st][0], 1);
    assert.equal(s.fields[st][1], 1);
  }
});

Deno.test("glutamate_syn's fast current matches current() within 3e-11 (Mg block table)", () => {
  // Voltages across the table ([−150, 100) mV) and outside it (exact fallback), one node each.
  const vs = [-200, -150, -123.37, -90.1, -75, -60.6, -38.2, -0.001, 0.3, 35.77, 99.99, 100, 140];
  const count = vs.length;
  const mk = (rateTables: boolean) => {
    const s = allocateInstances(GLUTAMATE_SYN, Int32Array.from(vs, (_, k) => k));
    for (const [p, x] of Object.entries(EXAMPLE)) s.fields[p].fill(x);
    const n = makeNodes(count, { area: 250 });
    vs.forEach((v, k) => n.v[k] = v);
    GLUTAMATE_SYN.prepare(s, prepareContext(n, rateTables));
    GLUTAMATE_SYN.init(s, n);
    for (let k = 0; k < count; k++) {
      GLUTAMATE_SYN.netReceive!(s, k, new Float64Array([1.68, 1.14]), 0, n);
    }
    for (let step = 0; step < 20; step++) GLUTAMATE_SYN.advance(s, n); // A ≠ B, C ≠ D
    clearCurrents(n);
    return { s, n };
  };
  const exact = mk(false), fast = mk(true);
  GLUTAMATE_SYN.current(exact.s, exact.n);
  GLUTAMATE_SYN.fast!.current!(fast.s, fast.n);
  for (let k = 0; k < count; k++) {
    const nmda = exact.s.fields.A[k] - exact.s.fields.B[k];
    const e = {
      gNmda: relErr(fast.s.fields.g_nmda[k], exact.s.fields.g_nmda[k]),
      gNmdaAbs: Math.abs(fast.s.fields.g_nmda[k] - exact.s.fields.g_nmda[k]) / nmda,
      i: relErr(fast.n.i[k], exact.n.i[k]),
      g: relErr(fast.n.g[k], exact.n.g[k]),
    };
    // Hermite cubic of B(v) on 0.125 mV intervals: relative error ≤ (0.125·gama)⁴/384 ≈ 2.6e-11
    // in the exponential tail (B ≈ e^(gama·v)/n), absolute ≤ h⁴·max|B⁗|/384 ≈ 3.4e-12 of the unblocked conductance.
    assert.ok(e.gNmda <= 3e-11 && e.gNmdaAbs <= 4e-12, `v ${vs[k]}: ${JSON.stringify(e)}`);
    assert.ok(e.i <= 3e-11, `i at v ${vs[k]}: ${JSON.stringify(e)}`);
    // The slope is a difference quotient over 0.001 mV that cancels ~3 digits of I: 1e-6.
    assert.ok(e.g <= 1e-6, `g at v ${vs[k]}: ${JSON.stringify(e)}`);
    assert.equal(fast.s.fields.g_ampa[k], exact.s.fields.g_ampa[k]);
  }
});

Deno.test("glutamate_syn.advance() skips decays at their subnormal fixed point bit-identically", () => {
  // D (τ = 0.1 ms) reaches the subnormal range ~70 ms after an event and then stops at a value
  // the rounded step no longer moves; the kernel skips it there. Reference: the plain cnexp step.
  const { s, n } = make(1);
  event(s, 0, 1.5, 1.2);
  const f = s.fields;
  let A = f.A[0], B = f.B[0], C = f.C[0], D = f.D[0];
  const kA = 1 - Math.exp(0.025 * (-1.0 / 26)), kB = 1 - Math.exp(0.025 * (-1.0 / 2));
  const kD = 1 - Math.exp(0.025 * (-1.0 / 0.1));
  let subnormalSteps = 0;
  for (let step = 0; step < 6500; step++) { // 162.5 ms
    if (step === 3100) { // D is stuck by now; a second event moves it, and it decays again
      event(s, 0, 0.5, 0.5);
      A = f.A[0], B = f.B[0], C = f.C[0], D = f.D[0];
    }
    GLUTAMATE_SYN.advance(s, n);
    A = A + kA * (0.0 - A);
    B = B + kB * (0.0 - B);
    C = C + s.derived.kC[0] * (0.0 - C);
    D = D + kD * (0.0 - D);
    assert.ok(Object.is(f.D[0], D) && f.A[0] === A && f.B[0] === B && f.C[0] === C, `step ${step}`);
    if (D !== 0 && Math.abs(D) < 2.2250738585072014e-308) subnormalSteps++;
  }
  assert.ok(subnormalSteps > 400, `D subnormal in ${subnormalSteps} steps`);
  assert.ok(D > 0 && D === D + kD * (0.0 - D), "D ends at its fixed point");
});

Deno.test("glutamate_syn's prepare builds one Mg table per distinct (n, gama), only in fast mode", () => {
  const s = allocateInstances(GLUTAMATE_SYN, new Int32Array([0, 0, 0]));
  s.fields.gama.set([0.08, 0.062, 0.08]);
  const n = makeNodes(1, { area: 250 });
  GLUTAMATE_SYN.prepare(s, prepareContext(n, false));
  assert.equal(s.derived.mgTables.length, 0);
  GLUTAMATE_SYN.prepare(s, prepareContext(n, true));
  assert.equal(s.derived.mgTables.length, 2 * 16000, "two tables of 2000 intervals × 8");
  assert.deepEqual([...s.derived.mgOffset], [0, 16000, 0]);
  assert.equal(s.derived.toDensity[0], 100 / 250);
});

Deno.test("glutamate_syn's derived data is not recordable: fields hold only NMODL variables", () => {
  const s = allocateInstances(GLUTAMATE_SYN, new Int32Array([0]));
  for (const name of ["mgTable", "mgOffset", "fixed", "toDensity", "active", "kA", "stepDt"]) {
    assert.equal(s.fields[name], undefined, name);
  }
});
