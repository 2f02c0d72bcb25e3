import assert from "node:assert/strict";
import { simulate } from "./simulation.ts";
import { stepCount } from "./settings.ts";
import { initializeSweep, runSweep, type SynapticInput } from "./run_sweep.ts";
import { prepareModel, resolveProbes } from "./prepare_model.ts";
import type { Cell, PointProcessSpec, Section, SectionMechanism } from "./cell.ts";
import type { MechanismInstances, NodeArrays, PointMechanism } from "./mechanisms/_types.ts";
import { prepareNothing } from "./mechanisms/_types.ts";
import { InputValueError, SimulationError } from "../io/mod.ts";

function cylinder(
  index: number,
  parent: number,
  lengthUm: number,
  diamUm: number,
  nseg: number,
  mechanisms: SectionMechanism[],
): Section {
  return {
    index,
    name: `sec_${index}`,
    label: parent < 0 ? "Soma" : "Dendrite",
    parent,
    parentX: parent < 0 ? 0 : 1,
    children: [],
    x: new Float64Array([0, lengthUm]),
    y: new Float64Array(2),
    z: new Float64Array(2),
    hocDiam: new Float64Array([diamUm, diamUm]),
    diam: new Float64Array([diamUm, diamUm]),
    arc: new Float64Array([0, lengthUm]),
    L: lengthUm,
    relPts: new Float64Array([0, 1]),
    nseg,
    Ra: 100,
    cm: 1,
    mechanisms,
    ions: {},
    line: 1,
  };
}

function cellOf(sections: Section[], pointProcesses: PointProcessSpec[] = []): Cell {
  for (const s of sections) if (s.parent >= 0) sections[s.parent].children.push(s.index);
  return {
    sections,
    pointProcesses,
    mechGlobals: {},
    paramFile: "test.param",
    hocFile: "test.hoc",
  };
}

const pas = (g: number, e: number, nseg = 1): SectionMechanism => ({
  name: "pas",
  params: { g: new Float64Array(nseg).fill(g), e: new Float64Array(nseg).fill(e) },
});

/** The solver settings of these tests: fast mode, modern units. */
const SETTINGS = {
  vInit: -65,
  tStop: 10,
  dt: 0.025,
  celsius: 34,
  rateTables: true,
  units: "modern",
} as const;

Deno.test("stepCount() and the accumulated t reproduce NEURON's sample counts (spec §8.4)", () => {
  assert.equal(stepCount(345, 0.025) + 1, 13802);
  assert.equal(stepCount(400, 0.025) + 1, 16002);
  assert.equal(stepCount(300, 0.025) + 1, 12002);
  assert.equal(stepCount(250, 0.025) + 1, 10002);
  assert.equal(stepCount(100, 0.1) + 1, 1001);
  const r = simulate(cellOf([cylinder(0, -1, 10, 10, 1, [pas(1e-4, -70)])]), {
    vInit: -70,
    tStop: 345,
    dt: 0.025,
    celsius: 34,
  });
  assert.equal(r.t.length, 13802);
  assert.equal(r.t[4000], 100.00000000001417);
  assert.equal(r.t[13801], 345.02499999982314);
});

Deno.test("simulate() matches the backward-Euler recurrence of one passive compartment with IClamp", () => {
  const dt = 0.025;
  const g = 1e-3, e = -70, cm = 1;
  const cell = cellOf([cylinder(0, -1, 20, 20, 1, [pas(g, e)])], [
    { mechanism: "IClamp", section: 0, x: 0.5, params: { del: 1, dur: 0.5, amp: 0.2 } },
  ]);
  const r = simulate(cell, { vInit: -65, tStop: 3, dt, celsius: 34 });
  const area = Math.PI * 20 * 20; // cylinder side [µm²]
  // V_{n+1} = V_n + (−g(V_n − e) + I·100/A)/(10⁻³·cm/dt + g); the clamp is on when the step's
  // midpoint lies in [del, del + dur) (mechanisms.md §6).
  let v = -65, t = 0, worst = 0, onSteps = 0;
  for (let k = 1; k < r.t.length; k++) {
    const tm = t + dt / 2;
    const inj = tm >= 1 && tm < 1.5 ? 0.2 * 100 / area : 0;
    if (inj > 0) onSteps++;
    v += (-g * (v - e) + inj) / (1e-3 * cm / dt + g);
    t = tm + dt / 2;
    worst = Math.max(worst, Math.abs(r.soma[k] - v));
  }
  assert.equal(onSteps, 20);
  // Only rounding differs (the zero-area root/end nodes follow the segment exactly).
  assert.ok(worst < 1e-11, `max |ΔV| ${worst} mV`);
});

// A linear exponential synapse used only by these tests: i = 10⁻³·g·(V − e) [nA], g += w.
function expSynCurrent(s: MechanismInstances, n: NodeArrays): void {
  const { gs, e, i } = s.fields;
  for (let k = 0; k < s.node.length; k++) {
    const c = s.node[k];
    const ik = 1e-3 * gs[k] * (n.v[c] - e[k]);
    i[k] = ik;
    n.i[c] += ik * 100 / n.area[c];
    n.g[c] += 1e-3 * gs[k] * 100 / n.area[c];
  }
}
function expSynAdvance(s: MechanismInstances, n: NodeArrays): void {
  const { gs, tau } = s.fields;
  for (let k = 0; k < s.node.length; k++) {
    gs[k] = gs[k] + (1 - Math.exp(-n.dt / tau[k])) * (0 - gs[k]);
  }
}
const EXP_SYN: PointMechanism = {
  kind: "point",
  name: "ExpSynTest",
  ions: [],
  parameters: { tau: { unit: "ms", default: 2 }, e: { unit: "mV", default: 0 } },
  globals: {},
  states: ["gs"],
  assigned: ["i", "tlast", "count"],
  derived: {},
  prepare: prepareNothing,
  fast: undefined,
  init: (s) => {
    s.fields.gs.fill(0);
    s.fields.count.fill(0);
  },
  current: expSynCurrent,
  advance: expSynAdvance,
  netReceive: (s, k, w, off, n) => {
    s.fields.gs[k] += w[off];
    s.fields.tlast[k] = n.t;
    s.fields.count[k]++;
  },
  lumpable: () => true,
};

Deno.test("simulate() delivers events with τ ≤ t_n + dt/2 before the step's currents (spec §8.3)", () => {
  const cell = cellOf([cylinder(0, -1, 20, 20, 1, [pas(1e-4, -70)])]);
  const syn = (times: number[], w: number): SynapticInput => ({
    mechanism: EXP_SYN,
    section: 0,
    x: 0.5,
    params: { tau: 2 },
    weights: [w],
    eventTimes: new Float64Array(times),
  });
  const r = simulate(cell, {
    vInit: -70,
    tStop: 0.1,
    dt: 0.025,
    celsius: 34,
    synapses: [syn([0.0125], 1)], // exact tie with t_0 + dt/2: delivered in step 1
    record: [{ section: 0, x: 0.5, variable: "gs_ExpSynTest" }, {
      section: 0,
      x: 0.5,
      variable: "tlast_ExpSynTest",
    }],
  });
  const decay = 1 - (1 - Math.exp(-0.025 / 2));
  assert.equal(r.traces[0][0], 0);
  // 1e-15: 1 − (1 − e^(−dt/τ)) re-rounds e^(−dt/τ) ≈ 0.99: a few ulp.
  assert.ok(Math.abs(r.traces[0][1] - decay) < 1e-15, `g after step 1: ${r.traces[0][1]}`);
  assert.equal(r.traces[1][1], 0.0125);
  assert.ok(r.soma[1] > -70); // the synapse acted in step 1
  const r2 = simulate(cell, {
    vInit: -70,
    tStop: 0.1,
    dt: 0.025,
    celsius: 34,
    synapses: [syn([0.0126], 1)], // just after: delivered in step 2
    record: [{ section: 0, x: 0.5, variable: "gs_ExpSynTest" }],
  });
  assert.equal(r2.traces[0][1], 0);
  assert.equal(r2.soma[1], -70);
  assert.ok(Math.abs(r2.traces[0][2] - decay) < 1e-15); // as above: a few ulp
  // Events at t ≤ 0 are delivered during finitialize (after the init kernels).
  const model = prepareModel(cell, { ...SETTINGS, vInit: -70, tStop: 1 });
  const s0 = initializeSweep(model, [syn([-1, 0, 5], 2)]);
  assert.equal(s0.points[0].instances.fields.gs[0], 4);
  assert.equal(s0.queue.next, 2);
});

/** Lumped vs unlumped: NEURON would keep one instance per synapse; the sum is linear. */
const LUMP_MAX_ABS_DV_MV = 1e-9; // only summation order differs: rounding ≈ 1e-13 mV
Deno.test("simulate() lumping of identical linear synapses changes V by rounding only", () => {
  const cell = cellOf([
    cylinder(0, -1, 20, 20, 1, [pas(1e-4, -70)]),
    cylinder(1, 0, 200, 2, 5, [pas(1e-4, -70, 5)]),
  ]);
  const synapses: SynapticInput[] = [];
  for (let s = 0; s < 12; s++) {
    const times = Float64Array.from({ length: 5 }, (_, k) => 1 + 3.1 * k + 0.37 * s);
    synapses.push({
      mechanism: EXP_SYN,
      section: 1,
      x: s % 2 === 0 ? 0.5 : 0.55, // both in segment 2: one node
      params: { tau: s % 3 === 0 ? 5 : 2 },
      weights: [0.5 + 0.1 * s],
      eventTimes: times,
    });
  }
  const opts = { vInit: -70, tStop: 30, dt: 0.025, celsius: 34, synapses };
  const lumpedState = initializeSweep(prepareModel(cell, { ...SETTINGS, ...opts }), synapses);
  assert.deepEqual(lumpedState.synapseCount, { inputs: 12, instances: 2 });
  const a = simulate(cell, opts);
  const b = simulate(cell, { ...opts, lump: false });
  let worst = 0;
  for (let k = 0; k < a.soma.length; k++) worst = Math.max(worst, Math.abs(a.soma[k] - b.soma[k]));
  console.log(
    `lumped vs unlumped: max |ΔV| = ${worst.toExponential(2)} mV (peak ${
      Math.max(...b.soma).toFixed(3)
    } mV)`,
  );
  assert.ok(Math.max(...b.soma) > -69, "synapses must depolarize the cell");
  assert.ok(worst <= LUMP_MAX_ABS_DV_MV, `max |ΔV| ${worst} mV > ${LUMP_MAX_ABS_DV_MV} mV`);
});

Deno.test("simulate() records cai, ica, eca and <field>_<Mechanism> variables", () => {
  const mechs: SectionMechanism[] = [
    pas(3e-5, -90),
    { name: "Ca_HVA", params: { gCa_HVAbar: new Float64Array([0.001]) } },
    { name: "CaDynamics_E2", params: {} },
    { name: "NaTa_t", params: { gNaTa_tbar: new Float64Array([2]) } },
  ];
  const cell = cellOf([cylinder(0, -1, 20, 20, 1, mechs)]);
  const record = ["cai", "ica", "eca", "m_NaTa_t", "ica_Ca_HVA", "v"].map((variable) => ({
    section: 0,
    x: 0.5,
    variable,
  }));
  const r = simulate(cell, { vInit: -75, tStop: 1, dt: 0.025, celsius: 34, record });
  assert.equal(r.traces[0][0], 5e-5);
  assert.equal(r.traces[2][0], 140.23660113151266); // Nernst, modern units (mechanisms.md §1.4)
  assert.equal(r.traces[1][0], r.traces[4][0]); // the only Ca current
  assert.ok(r.traces[1][0] < 0);
  assert.ok(r.traces[3][0] > 0 && r.traces[3][0] < 0.01);
  assert.deepEqual(r.traces[5], r.soma);
  assert.ok(r.traces[0][40] !== 5e-5); // cai is dynamic
  const legacy = simulate(cell, {
    vInit: -75,
    tStop: 0.025,
    dt: 0.025,
    celsius: 34,
    record,
    units: "legacy",
  });
  assert.equal(legacy.traces[2][0], 140.21871199503352);
  assert.throws(
    () =>
      simulate(cell, {
        vInit: -75,
        tStop: 1,
        dt: 0.025,
        celsius: 34,
        record: [{ section: 0, x: 0.5, variable: "m_Ih" }],
      }),
    InputValueError,
  );
  assert.throws(
    () =>
      simulate(cell, {
        vInit: -75,
        tStop: 1,
        dt: 0.025,
        celsius: 34,
        record: [{ section: 0, x: 0.5, variable: "q_NaTa_t" }],
      }),
    InputValueError,
  );
});

Deno.test("runSweep() twice on one prepared model equals two fresh models, bit for bit", () => {
  const mechs: SectionMechanism[] = [
    pas(3e-5, -90),
    { name: "Ca_HVA", params: { gCa_HVAbar: new Float64Array([0.001]) } },
    { name: "CaDynamics_E2", params: {} },
    { name: "NaTa_t", params: { gNaTa_tbar: new Float64Array([2]) } },
    { name: "SK_E2", params: { gSK_E2bar: new Float64Array([0.01]) } },
  ];
  const cell = cellOf([cylinder(0, -1, 20, 20, 1, mechs)], [
    { mechanism: "IClamp", section: 0, x: 0.5, params: { del: 1, dur: 3, amp: 0.5 } },
  ]);
  const syn = (w: number): SynapticInput => ({
    mechanism: EXP_SYN,
    section: 0,
    x: 0.5,
    params: { tau: 2 },
    weights: [w],
    eventTimes: new Float64Array([2, 4.1]),
  });
  for (const rateTables of [true, false]) {
    const settings = { ...SETTINGS, vInit: -75, tStop: 8, rateTables };
    const sites = [{ section: 0, x: 0.5, variable: "cai" }, {
      section: 0,
      x: 0.5,
      variable: "z_SK_E2",
    }];
    const model = prepareModel(cell, settings);
    const probes = resolveProbes(model, sites);
    const a1 = runSweep(model, [syn(1)], { probes });
    const a2 = runSweep(model, [syn(3)], { probes });
    for (const [w, got] of [[1, a1], [3, a2]] as const) {
      const fresh = prepareModel(cell, settings);
      const want = runSweep(fresh, [syn(w)], { probes: resolveProbes(fresh, sites) });
      assert.deepEqual(got.soma, want.soma, `rateTables ${rateTables}, weight ${w}`);
      assert.deepEqual(got.traces, want.traces);
    }
    assert.notDeepEqual(a1.soma, a2.soma, "the sweeps differ");
  }
});

Deno.test("runSweep() stops with a SimulationError naming the time when V becomes non-finite", () => {
  // 1e308 nA into one compartment: V overflows to Infinity in the first step of the pulse.
  const cell = cellOf([cylinder(0, -1, 20, 20, 1, [pas(1e-4, -70)])], [
    { mechanism: "IClamp", section: 0, x: 0.5, params: { del: 1, dur: 1, amp: 1e308 } },
  ]);
  const model = prepareModel(cell, { ...SETTINGS, tStop: 5 });
  assert.throws(() => runSweep(model, [], { sweep: 3 }), (e: unknown) => {
    assert.ok(e instanceof SimulationError, String(e));
    assert.equal(e.sweep, 3);
    // Sample 41, at the end of the first step whose midpoint (1.0125 ms) lies in the pulse.
    assert.equal(e.timeMs, 1.0249999999999984);
    assert.match(
      e.message,
      /^Sweep 3: the soma's membrane potential is Infinity at t = 1\.0249999999999984 ms/,
    );
    return true;
  });
});

Deno.test("runSweep() checks recorded values too (a non-finite probe is never returned)", () => {
  // A recorded mechanism field that becomes NaN while V stays finite: pas with e = Infinity
  // would spoil V too, so poke the field directly through a probe of a point process.
  const cell = cellOf([cylinder(0, -1, 20, 20, 1, [pas(1e-4, -70)])], [
    { mechanism: "IClamp", section: 0, x: 0.5, params: { del: 0, dur: 1, amp: 0 } },
  ]);
  const model = prepareModel(cell, { ...SETTINGS, tStop: 1 });
  const probes = resolveProbes(model, [{ section: 0, x: 0.5, variable: "del_IClamp" }]);
  model.points[0].instances.fields.del[0] = NaN; // a parameter the kernels never turn finite
  assert.throws(
    () => runSweep(model, [], { probes }),
    /"del_IClamp" at section 0 x 0.5 is NaN at t = 0 ms/,
  );
});
