import assert from "node:assert/strict";
import {
  buildConcentrationTable,
  buildRateTable,
  CONC_TABLE_EXP_MAX,
  CONC_TABLE_EXP_MIN,
  concentrationInterval,
  evaluateConcentrationTable,
  evaluateRateTable,
  nernstFromTable,
  TABLE_V_MAX,
  TABLE_V_MIN,
  updateTablePositions,
} from "./_rate_table.ts";
import { DENSITY_MECHANISMS } from "./mod.ts";
import { allocateInstances, type DensityMechanism, type Kernel } from "./_types.ts";
import { makeNodes, prepareContext } from "./_testing.ts";

/** The channels with a fast `advance` kernel, with it. */
const TABULATED: [DensityMechanism, Kernel][] = DENSITY_MECHANISMS.flatMap((m) =>
  m.fast?.advance !== undefined ? [[m, m.fast.advance] as [DensityMechanism, Kernel]] : []
);

/**
 * Tabulated vs exact gate step: 5e-10 absolute per gate and step. The cubic-per-interval bound
 * h⁴·max|f⁗|/3072 is ≈ 1e-10 for the steepest x∞ (slope factor 4.6 mV) at h = 0.25 mV; measured
 * worst is ≈ 1e-10 (printed).
 */
const GATE_TOL = 5e-10;
/**
 * At a guard point of a .mod file (v == −38 → v + 1e-4 …) the exact kernel evaluates the rates
 * 1e-4 mV away, so it differs from the smooth function the table holds by ≈ 1e-4·|dx∞/dV|
 * times F ≤ 1; |dx∞/dV| ≤ 0.1 /mV for these channels (NaTa_t m at −38 mV: ≈ 0.02 /mV, measured
 * 1.9e-6 at dt 0.1): 1e-5. Hit only when V equals the guard value exactly.
 */
const GUARD_TOL = 1e-5;
const GUARDS = new Set([-38, -66, -154.9, -17, -64.4, -27]);

/** Voltages: a dense irregular sweep across and beyond the table, plus the rate formulas' guard
 * points, the K_Pst switch at −60 mV, the table ends and non-finite values. */
function sweep(): Float64Array {
  const vs: number[] = [];
  for (let v = -170.003; v < 130; v += 0.0137) vs.push(v);
  vs.push(-38, -66, -60, -60 - 1e-12, -154.9, -17, -64.4, -27, -56.6, TABLE_V_MIN, TABLE_V_MAX);
  vs.push(TABLE_V_MAX - 1e-13, TABLE_V_MIN - 1e-13, 500, -500);
  return Float64Array.from(vs);
}

for (const dt of [0.025, 0.1, 0.005]) {
  Deno.test(`tabulated advance kernels match the exact cnexp step within ${GATE_TOL} at dt ${dt}`, () => {
    const v = sweep();
    const node = Int32Array.from(v.keys());
    const report: string[] = [];
    assert.equal(TABULATED.length, 10, "ten channels have a fast advance");
    for (const [mech, fast] of TABULATED) {
      const nodesExact = makeNodes(v.length, { dt });
      nodesExact.v.set(v);
      updateTablePositions(nodesExact);
      const a = allocateInstances(mech, node);
      const b = allocateInstances(mech, node);
      mech.prepare(a, prepareContext(nodesExact, false));
      mech.prepare(b, prepareContext(nodesExact, true));
      // Gates away from steady state so that errors of both x∞ and 1 − exp(−dt/τ) show.
      for (let k = 0; k < v.length; k++) {
        for (const [j, st] of mech.states.entries()) {
          a.fields[st][k] = b.fields[st][k] = ((k * 7919 + j * 104729) % 1000) / 999;
        }
      }
      mech.advance(a, nodesExact);
      fast(b, nodesExact);
      let worst = 0, at = 0;
      for (const st of mech.states) {
        for (let k = 0; k < v.length; k++) {
          const d = Math.abs(a.fields[st][k] - b.fields[st][k]);
          if (GUARDS.has(v[k])) {
            assert.ok(d <= GUARD_TOL, `${mech.name} at guard ${v[k]} mV: |Δgate| ${d}`);
            continue;
          }
          if (!(d <= worst)) {
            worst = d;
            at = v[k];
          }
        }
      }
      report.push(`${mech.name} ${worst.toExponential(1)}`);
      assert.ok(worst <= GATE_TOL, `${mech.name} at dt ${dt}: |Δgate| ${worst} at V = ${at} mV`);
    }
    console.log(`dt ${dt}: worst |Δgate| ${report.join(", ")}`);
  });
}

Deno.test("tabulated advance falls back to the exact formula for NaN and far-out voltages", () => {
  const [mech, fast] = TABULATED[0];
  const n = makeNodes(3);
  n.v.set([NaN, 1e6, -1e6]);
  updateTablePositions(n);
  const s = allocateInstances(mech, new Int32Array([0, 1, 2]));
  mech.prepare(s, prepareContext(n, true));
  fast(s, n);
  assert.ok(Number.isNaN(s.fields[mech.states[0]][0]), "NaN propagates like the exact kernel");
});

Deno.test("buildRateTable: cubic per interval reproduces a cubic exactly and follows dt", () => {
  const t = buildRateTable(2, (v, dt, out) => {
    out[0] = 0.5 + v * (0.25 + v * (1e-3 - 2e-6 * v));
    out[1] = dt * v;
  }, 0.125);
  for (const v of [-149.9, -60, -0.01, 37.3, 99.99]) {
    const want = 0.5 + v * (0.25 + v * (1e-3 - 2e-6 * v));
    assert.ok(Math.abs(evaluateRateTable(t, v, 0) - want) < 1e-11 * Math.max(1, Math.abs(want)));
    assert.ok(Math.abs(evaluateRateTable(t, v, 1) - 0.125 * v) < 1e-12 * Math.max(1, Math.abs(v)));
  }
  assert.throws(() => evaluateRateTable(t, TABLE_V_MAX, 0), RangeError);
});

Deno.test("prepare builds a channel's rate table for the model's dt, and only in fast mode", () => {
  const [mech] = TABULATED[0];
  const n = makeNodes(1, { dt: 0.1 });
  const s = allocateInstances(mech, new Int32Array([0]));
  mech.prepare(s, prepareContext(n, false));
  assert.equal(s.derived.rateTable.length, 0, "no table in exact mode");
  mech.prepare(s, prepareContext(n, true));
  const q = mech.states.length * 2;
  assert.equal(s.derived.rateTable.length, 1000 * q * 4);
  const other = allocateInstances(mech, new Int32Array([0]));
  mech.prepare(other, prepareContext(makeNodes(1, { dt: 0.025 }), true));
  assert.notDeepEqual(other.derived.rateTable, s.derived.rateTable, "tables depend on dt");
});

Deno.test("concentration tables: ln c and SK_E2's z∞ within 4e-9 over 1.2e-7..4 mM, exact outside", () => {
  const lnFn = (c: number, out: Float64Array) => {
    out[0] = Math.log(c);
  };
  const ln = buildConcentrationTable(1, lnFn);
  const zInf = (c: number) => 1 / (1 + Math.pow(0.00043 / (c < 1e-7 ? c + 1e-7 : c), 4.8));
  const zFn = (c: number, out: Float64Array) => {
    out[0] = zInf(c);
  };
  const z = buildConcentrationTable(1, zFn);
  let worstLn = 0, worstZ = 0;
  // A dense geometric sweep with irrational ratio, plus the binade and table ends.
  const cs: number[] = [2 ** CONC_TABLE_EXP_MIN, 2 ** CONC_TABLE_EXP_MAX * (1 - 2 ** -52), 1e-4];
  for (let c = 1.3e-7; c < 4; c *= 1.000731) cs.push(c);
  for (const c of cs) {
    worstLn = Math.max(worstLn, Math.abs(evaluateConcentrationTable(ln, lnFn, c) - Math.log(c)));
    worstZ = Math.max(worstZ, Math.abs(evaluateConcentrationTable(z, zFn, c) - zInf(c)));
  }
  console.log(
    `concentration tables: worst |Δ ln c| ${worstLn.toExponential(1)}, |Δz∞| ${
      worstZ.toExponential(1)
    }`,
  );
  // Bound (h⁴·max|f⁗|/3072 with h = 1/64 of a binade): ≈ 1e-10 for ln, a few 1e-9 for z∞ (slope 4.8 per ln c).
  assert.ok(worstLn <= 1e-9 && worstZ <= 4e-9, `${worstLn} ${worstZ}`); // measured 1.1e-10, 1.7e-9
  // Outside the grid (and at SK_E2's cai < 1e-7 guard) the exact function is used.
  for (const c of [1e-7, 5e-8, 0, 4, 100]) {
    assert.equal(concentrationInterval(c), -1);
    assert.equal(evaluateConcentrationTable(z, zFn, c), zInf(c));
  }
  assert.equal(concentrationInterval(NaN), -1);
  assert.equal(concentrationInterval(-1e-4), -1);
});

Deno.test("nernstFromTable: eca within 1e-8 mV of (k_T/2)·ln(cao/cai)", () => {
  const cai = Float64Array.from([5e-5, 1e-4, 3.7e-4, 2e-3, 1e-2, 5e-8, 0.5]);
  const nodes = Int32Array.from(cai.keys());
  const lnCao = new Float64Array(cai.length).fill(Math.log(2));
  const eca = new Float64Array(cai.length);
  nernstFromTable(nodes, lnCao, cai, eca, 13.4);
  for (let k = 0; k < cai.length; k++) {
    const want = 13.4 * Math.log(2 / cai[k]);
    assert.ok(Math.abs(eca[k] - want) <= 1e-8, `cai ${cai[k]}: ${eca[k]} vs ${want}`);
  }
});

Deno.test("updateTablePositions() gives every node its interval and coordinate, −1 outside", () => {
  const v = sweep();
  const n = makeNodes(v.length);
  n.v.set(v);
  updateTablePositions(n);
  for (let k = 0; k < v.length; k++) {
    const u = (v[k] - TABLE_V_MIN) / 0.25;
    if (u >= 0 && u < 1000) {
      assert.equal(n.vInterval[k], Math.floor(u), `V = ${v[k]}`);
      assert.ok(Math.abs(n.vFrac[k] - (u - Math.floor(u))) < 1e-9, `V = ${v[k]}`);
    } else {
      assert.equal(n.vInterval[k], -1, `V = ${v[k]} is outside`);
    }
  }
});
