import assert from "node:assert/strict";
import { parsePathMap } from "../io/mod.ts";
import type { ActiveSynapse } from "../network/mod.ts";
import { synapseMechanism } from "../network/mod.ts";
import { simulate } from "../solver/mod.ts";
import { createCell } from "./create_cell.ts";
import { synapticInputs } from "./job.ts";
import { packSweep, SweepPool, type SweepSimulation } from "./sweep_pool.ts";

const EXAMPLE_CELL = new URL("../examples/model/example_pyramid.param", import.meta.url).pathname;

/** Two synapses on the soma and an apical section, the first with two receptors. */
function synapses(): ActiveSynapse[] {
  const base = { type: "T", somaDist: 0, ptId: 0, label: "Soma" };
  return [
    {
      ...base,
      synapseId: 0,
      section: 0,
      x: 0.5,
      releaseTimes: new Float64Array([1, 2.5]),
      receptors: [
        { mechanism: "glutamate_syn", weights: [1, 1], params: {}, delay: 0.5 },
        { mechanism: "gaba_syn", weights: [0.5], params: {}, delay: 0.25 },
      ],
    },
    {
      ...base,
      synapseId: 1,
      section: 1,
      x: 0.3,
      releaseTimes: new Float64Array([0.75]),
      receptors: [{ mechanism: "glutamate_syn", weights: [2, 1], params: {}, delay: 1 }],
    },
  ];
}

const KNOWN = {
  glutamate_syn: synapseMechanism("glutamate_syn")!,
  gaba_syn: synapseMechanism("gaba_syn")!,
};

Deno.test("packSweep: same inputs, order and event times as synapticInputs", () => {
  const direct = synapticInputs(synapses(), KNOWN);
  const packed = packSweep(synapses(), KNOWN);
  assert.equal(packed.inputs.length, direct.length);
  assert.equal(packed.times.length, 5);
  packed.inputs.forEach((p, i) => {
    const d = direct[i]!;
    assert.equal(KNOWN[p.mechanism as keyof typeof KNOWN], d.mechanism);
    assert.deepEqual([p.section, p.x, p.weights, p.params], [d.section, d.x, d.weights, d.params]);
    assert.deepEqual(packed.times.subarray(p.start, p.end), d.eventTimes);
  });
  assert.throws(() => packSweep(synapses(), { glutamate_syn: KNOWN.glutamate_syn }), /gaba_syn/);
});

Deno.test("SweepPool: a worker's traces equal simulate() in this thread, bit for bit", async () => {
  const built = await createCell(EXAMPLE_CELL, { pathMap: parsePathMap([]) });
  const sim: SweepSimulation = {
    vInit: built.sim.vInit,
    tStop: 5,
    dt: built.sim.dt,
    celsius: built.sim.celsius,
    rateTables: true,
    record: [{ section: 1, x: 0.5 }, { section: 0, x: 0.5, variable: "cai" }],
  };
  const expected = simulate(built.cell, { ...sim, synapses: synapticInputs(synapses(), KNOWN) });
  const pool = new SweepPool(2);
  try {
    pool.init(built.cell, sim);
    // Three sweeps over two workers: one worker runs two, in any order of completion.
    const got = await Promise.all([0, 1, 2].map(() => pool.simulate(packSweep(synapses(), KNOWN))));
    for (const r of got) {
      assert.deepEqual(r.t, expected.t);
      assert.deepEqual(r.soma, expected.soma);
      assert.deepEqual(r.traces, expected.traces);
    }
    assert.ok(expected.soma.some((v) => v !== expected.soma[0]), "the synapses moved nothing");
  } finally {
    pool.terminate();
  }
});

Deno.test("SweepPool: the first failure rejects every sweep not yet returned and stops the pool", async () => {
  const built = await createCell(EXAMPLE_CELL, { pathMap: parsePathMap([]) });
  const pool = new SweepPool(2);
  try {
    pool.init(built.cell, {
      vInit: built.sim.vInit,
      tStop: 1,
      dt: built.sim.dt,
      celsius: built.sim.celsius,
      rateTables: true,
      record: [],
    });
    const bad = packSweep(synapses(), KNOWN);
    const unknown = { ...bad, inputs: [{ ...bad.inputs[0]!, mechanism: "nope_syn" }] };
    // Handlers attached at once: the pool rejects the others as soon as the first one fails.
    const [a, b, c] = await Promise.allSettled([
      pool.simulate(unknown),
      pool.simulate(packSweep(synapses(), KNOWN)),
      pool.simulate(packSweep(synapses(), KNOWN)),
    ]);
    assert.equal(a.status, "rejected");
    assert.match(
      String((a as PromiseRejectedResult).reason),
      /unknown receptor mechanism "nope_syn"/,
    );
    // b and c are valid: done before the failure arrived, or rejected with the first failure.
    for (const r of [b, c]) {
      if (r.status === "rejected") assert.match(String(r.reason), /nope_syn/);
    }
    await assert.rejects(pool.simulate(packSweep(synapses(), KNOWN)), /nope_syn/);
  } finally {
    pool.terminate();
  }
  assert.throws(() => new SweepPool(0), /integer >= 1/);
});
