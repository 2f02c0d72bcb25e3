/**
 * A sealed-end passive cylinder against cable theory: input resistance at the middle and the
 * membrane time constant (spec/algorithm.md §4.4–§4.5, §8.3).
 *
 * @module
 */
import assert from "node:assert/strict";
import { simulate } from "../solver/simulation.ts";
import type { Cell, Section } from "../solver/cell.ts";

/** Analytic bar: 0.1 % (discretization error here is O((Δ/λ)²) ≈ 5e-4 · small factor). */
const REL_TOL = 1e-3;

const L_UM = 400; // [µm]
const DIAM_UM = 2; // [µm]
const RA = 100; // [Ω·cm]
const CM = 1; // [µF/cm²]
const G_PAS = 1e-3; // [S/cm²]
const E_PAS = -70; // [mV]
const NSEG = 81; // odd: a node sits exactly at x = 0.5
const AMP_NA = 0.1; // [nA]

function cableCell(): Cell {
  const sec: Section = {
    index: 0,
    name: "cable",
    label: "Soma",
    parent: -1,
    parentX: 0,
    children: [],
    x: new Float64Array([0, L_UM]),
    y: new Float64Array(2),
    z: new Float64Array(2),
    hocDiam: new Float64Array([DIAM_UM, DIAM_UM]),
    diam: new Float64Array([DIAM_UM, DIAM_UM]),
    arc: new Float64Array([0, L_UM]),
    L: L_UM,
    relPts: new Float64Array([0, 1]),
    nseg: NSEG,
    Ra: RA,
    cm: CM,
    mechanisms: [{
      name: "pas",
      params: { g: new Float64Array(NSEG).fill(G_PAS), e: new Float64Array(NSEG).fill(E_PAS) },
    }],
    ions: {},
    line: 1,
  };
  return {
    sections: [sec],
    pointProcesses: [{
      mechanism: "IClamp",
      section: 0,
      x: 0.5,
      params: { del: 0, dur: 30, amp: AMP_NA },
    }],
    mechGlobals: {},
    paramFile: "cable.param",
    hocFile: "cable.hoc",
  };
}

Deno.test("simulate() input resistance and time constant of a sealed cable match cable theory within 0.1 %", () => {
  const dt = 0.025;
  const r = simulate(cableCell(), {
    vInit: E_PAS,
    tStop: 36,
    dt,
    celsius: 34,
    record: [{ section: 0, x: 0.5 }],
  });
  const v = r.traces[0];
  // Input resistance at the middle: two sealed half-cables of length L/2 in parallel,
  // R_in = r_a·λ / (2·tanh(L/(2λ))), r_a = 4·Ra/(π·d²), λ = sqrt(Rm·d/(4·Ra)).
  const dCm = DIAM_UM * 1e-4;
  const rm = 1 / G_PAS; // [Ω·cm²]
  const lambdaCm = Math.sqrt(rm * dCm / (4 * RA));
  const raPerCm = 4 * RA / (Math.PI * dCm * dCm); // [Ω/cm]
  const rInfMOhm = raPerCm * lambdaCm * 1e-6;
  const rInExpected = rInfMOhm / (2 * Math.tanh(L_UM * 1e-4 / (2 * lambdaCm)));
  // steady state at 30 ms (30 τ; the slowest mode is τ = Rm·Cm = 1 ms)
  const kOn = Math.round(30 / dt) - 1;
  const rInMeasured = (v[kOn] - E_PAS) / AMP_NA; // [mV/nA = MΩ]
  const relR = Math.abs(rInMeasured / rInExpected - 1);
  // Time constant from the decay 2–3 ms after the step (higher even modes decay ≥ 13× faster):
  // backward Euler turns e^{−t/τ} into (1 + dt/τ)^{−n}, so τ = dt·ρ/(1 − ρ) for the ratio ρ.
  const tauExpected = rm * CM * 1e-3; // [Ω·cm²·µF/cm² = µs → ms]
  const k0 = Math.round(32 / dt);
  const k1 = Math.round(33 / dt);
  const rho = Math.pow((v[k1] - E_PAS) / (v[k0] - E_PAS), 1 / (k1 - k0));
  const tauMeasured = dt * rho / (1 - rho);
  const relTau = Math.abs(tauMeasured / tauExpected - 1);
  console.log(
    `R_in ${rInMeasured.toFixed(5)} MΩ vs ${rInExpected.toFixed(5)} MΩ (rel ${
      relR.toExponential(2)
    }); ` +
      `τ ${tauMeasured.toFixed(7)} ms vs ${tauExpected} ms (rel ${relTau.toExponential(2)})`,
  );
  assert.ok(
    relR <= REL_TOL,
    `R_in ${rInMeasured} MΩ vs ${rInExpected} MΩ: rel ${relR} > ${REL_TOL}`,
  );
  assert.ok(
    relTau <= REL_TOL,
    `τ ${tauMeasured} ms vs ${tauExpected} ms: rel ${relTau} > ${REL_TOL}`,
  );
  // sealed ends: the far ends are flat (no axial current through the end nodes)
  const ends = simulate(cableCell(), {
    vInit: E_PAS,
    tStop: 30,
    dt,
    celsius: 34,
    record: [{ section: 0, x: 1 }, { section: 0, x: 1 - 0.5 / NSEG }],
  });
  const last = ends.t.length - 1;
  // NEURON-exact sealed end: the end node carries no current, so it equals its neighbour
  assert.ok(Math.abs(ends.traces[0][last] - ends.traces[1][last]) < 1e-9);
  // symmetric about the middle (soma trace = the 0-end's first segment) up to rounding
  assert.ok(Math.abs(ends.soma[last] - ends.traces[1][last]) < 1e-9);
});
