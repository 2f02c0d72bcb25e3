import assert from "node:assert/strict";
import { parsePathMap } from "../io/mod.ts";
import type { ActiveSynapse } from "../network/mod.ts";
import { SYNAPSE_MECHANISMS, synapseMechanism } from "../network/mod.ts";
import { type ModelSettings, prepareModel, resolveProbes, runSweep } from "../solver/mod.ts";
import { createCell } from "./create_cell.ts";
import { packSweep, type SweepSetup, synapticInputs } from "./_worker_protocol.ts";
import { SWEEP_LANES, SweepPool } from "./sweep_pool.ts";

const EXAMPLE_CELL = new URL("../examples/model/example_pyramid.param", import.meta.url).pathname;

/** Two synapses on the soma and an apical section, the first with two receptors. */
function synapses(): ActiveSynapse[] {
  const base = { type: "T", somaDist: 0, ptId: 0, label: "Soma", randomKey: "T/0" };
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

async function setup(tStop: number): Promise<SweepSetup> {
  const built = await createCell(EXAMPLE_CELL, { pathMap: parsePathMap([]) });
  const settings: ModelSettings = {
    vInit: built.sim.vInit,
    tStop,
    dt: built.sim.dt,
    celsius: built.sim.celsius,
    rateTables: true,
    units: "modern",
  };
  const sites = [{ section: 1, x: 0.5 }, { section: 0, x: 0.5, variable: "cai" }];
  return { cell: built.cell, settings, sites, mechanisms: [] };
}

/** The job thread's model and probes of a setup, as the job runner gives them to a pool. */
function local(s: SweepSetup) {
  const model = prepareModel(s.cell, s.settings);
  return { model, probes: resolveProbes(model, s.sites), synapses: SYNAPSE_MECHANISMS };
}

Deno.test("SweepPool: workers and the in-thread pool give runSweep()'s traces, bit for bit", async () => {
  const s = await setup(5);
  const here = local(s);
  const expected = runSweep(here.model, synapticInputs(synapses(), KNOWN), { probes: here.probes });
  assert.ok(expected.soma.some((v) => v !== expected.soma[0]), "the synapses moved nothing");
  for (const size of [2, 0]) {
    const pool = new SweepPool(size);
    try {
      pool.init(s, local(s));
      assert.equal(pool.capacity, SWEEP_LANES * Math.max(1, size));
      // Three sweeps over two workers: one worker runs two, in any order of completion.
      const got = await Promise.all(
        [0, 1, 2].map((k) => pool.simulate(packSweep(synapses(), KNOWN), k)),
      );
      for (const r of got) {
        assert.deepEqual(r.t, expected.t, `size ${size}`);
        assert.deepEqual(r.soma, expected.soma, `size ${size}`);
        assert.deepEqual(r.traces, expected.traces, `size ${size}`);
      }
    } finally {
      pool.terminate();
    }
  }
});

Deno.test("SweepPool: a failed sweep rejects with its error, queued sweeps with it, later ones too", async () => {
  const s = await setup(1);
  const pool = new SweepPool(2);
  try {
    pool.init(s);
    const bad = packSweep(synapses(), KNOWN);
    const unknown = { ...bad, inputs: [{ ...bad.inputs[0]!, mechanism: "nope_syn" }] };
    // Handlers attached at once: the pool rejects the others as soon as the first one fails.
    const [a, b, c] = await Promise.allSettled([
      pool.simulate(unknown, 0),
      pool.simulate(packSweep(synapses(), KNOWN), 1),
      pool.simulate(packSweep(synapses(), KNOWN), 2),
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
    await assert.rejects(pool.simulate(packSweep(synapses(), KNOWN), 3), /nope_syn/);
  } finally {
    pool.terminate();
  }
  assert.throws(() => new SweepPool(-1), /integer >= 0/);
  assert.throws(() => new SweepPool(0).init(s), /needs the model/);
});

Deno.test("SweepPool: a worker's SimulationError keeps its class, sweep and time", async () => {
  const s = await setup(5);
  // A huge synaptic weight drives V to ±Infinity within a step of the first event.
  const huge = synapses().map((x) => ({
    ...x,
    receptors: x.receptors.map((r) => ({ ...r, weights: r.weights.map(() => 1e308) })),
  }));
  for (const size of [1, 0]) {
    const pool = new SweepPool(size);
    try {
      pool.init(s, local(s));
      await assert.rejects(pool.simulate(packSweep(huge, KNOWN), 4), (e: unknown) => {
        assert.equal((e as Error).name, "SimulationError", String(e));
        assert.equal((e as { sweep?: number }).sweep, 4);
        assert.match((e as Error).message, /^Sweep 4: .* at t = \d/);
        return true;
      });
    } finally {
      pool.terminate();
    }
  }
});
