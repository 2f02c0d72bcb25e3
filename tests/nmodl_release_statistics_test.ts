/**
 * ISF's stochastic synapses (ProbAMPANMDA2, ProbUDFsyn2) compiled from their `.mod` files: the
 * VERBATIM Random-object pattern is replaced by a seeded stream per synapse (simrun's derived
 * generators), and release statistics match the model.
 *
 * What the model's release probability is: NET_RECEIVE releases when `erand() < Pr`, and
 * `erand()` returns the next value of the NEURON Random object that ISF hands over with
 * `setRNG` after `negexp(1)` (releaseProb "dynamic"), an exponential(1) variate. So an event
 * releases with probability P = 1 − exp(−Pr), Pr = u·Pv (Fuhrmann et al. 2002 dynamics in the
 * .mod). NEURON's own counts (fixtures from generate_neuron_fixtures.py, ISF's wiring) are
 * checked against the same P. Byte identity with NEURON's MCellRan4 streams is not a goal.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createNetworkRandom, loadSeedrandom, synapseStream } from "../network/mod.ts";
import { allocateInstances } from "../solver/mechanisms/_types.ts";
import { makeNodes, prepareContext } from "../solver/mechanisms/_testing.ts";
import { toPointMechanism } from "../solver/nmodl/mod.ts";
import {
  catalogueOf,
  compileMod,
  fixtureRunnable,
  loadFixture,
  modPath,
} from "./_nmodl_harness.ts";
import { prepareModel, resolveProbes, runSweep } from "../solver/mod.ts";
import { readFileSync } from "node:fs";
import { fromFileUrl } from "./_url.ts";

await loadSeedrandom();

/** Binomial bar: |count − N·P| ≤ 3 standard errors (a 3σ test fails by chance 0.27 % of runs). */
const SE_BOUND = 3;

interface ReleaseFixture {
  readonly name: string;
  readonly mechanism: string;
  readonly state: string;
  readonly synapses: number;
  readonly events: number[];
  readonly params: Record<string, number>;
  readonly weights: number[];
  readonly releases: number[];
}

function loadRelease(name: string): ReleaseFixture {
  const dir = fromFileUrl(new URL("../solver/nmodl/testdata/neuron/", import.meta.url));
  return JSON.parse(readFileSync(`${dir}${name}.json`, "utf8"));
}

const FILE: Record<string, string> = {
  ProbAMPANMDA2: "ProbAMPANMDA2",
  ProbUDFsyn2: "ProbUDFsyn2",
};

/**
 * Release probability of each event of one synapse from the model's equations (the .mod's
 * NET_RECEIVE: u facilitation, Pv recovery with Dep, both deterministic), P = 1 − exp(−Pr).
 */
function modelProbabilities(p: Record<string, number>, events: number[]): number[] {
  const Use = p.Use ?? 1, Dep = p.Dep ?? 100, Fac = p.Fac ?? 10, u0 = p.u0 ?? 0;
  let Pv = 1, u = u0, tsyn = 0;
  return events.map((t) => {
    u = Fac > 0 ? u * Math.exp(-(t - tsyn) / Fac) : Use;
    if (Fac > 0) u = u + Use * (1 - u);
    Pv = 1 - (1 - Pv) * Math.exp(-(t - tsyn) / Dep);
    const Pr = u * Pv;
    Pv = Pv - u * Pv;
    tsyn = t;
    return 1 - Math.exp(-Pr);
  });
}

/** Delivers the events to every instance through the compiled NET_RECEIVE; counts releases. */
function countReleases(
  mechanism: string,
  state: string,
  synapses: number,
  events: number[],
  params: Record<string, number>,
  seed: number,
): number[] {
  const rng = createNetworkRandom("simrun", seed);
  rng.beginSweep(0);
  // One stream per synapse from simrun's generators.
  const streams = Array.from({ length: synapses }, (_, k) => rng.activity(`synapse ${k}`));
  const m = toPointMechanism(compileMod(FILE[mechanism]));
  const w = m.weightCount!;
  const s = {
    ...allocateInstances(m, new Int32Array(synapses)),
    random: streams.map((st) => () => st.random()),
  };
  for (const [k, v] of Object.entries(params)) s.fields[k].fill(v);
  const n = makeNodes(1);
  m.prepare(s, prepareContext(n));
  m.init(s, n);
  const weights = new Float64Array(w * synapses);
  for (let k = 0; k < synapses; k++) {
    weights[k * w] = 1;
    m.netConInit!(s, k, weights, k * w, n);
  }
  const counts = new Array<number>(synapses).fill(0);
  for (const t of events) {
    for (let k = 0; k < synapses; k++) {
      n.t = t;
      const before = s.fields[state][k];
      m.netReceive!(s, k, weights, k * w, n);
      if (s.fields[state][k] > before) counts[k]++;
    }
  }
  return counts;
}

function within(count: number, probs: number[], trials: number, what: string): string {
  const mean = trials * probs.reduce((x, y) => x + y, 0);
  const variance = trials * probs.reduce((x, p) => x + p * (1 - p), 0);
  const se = Math.sqrt(variance);
  const z = (count - mean) / se;
  assert.ok(
    Math.abs(z) <= SE_BOUND,
    `${what}: ${count} releases, model ${mean.toFixed(1)} ± ${se.toFixed(1)} (z = ${z.toFixed(2)})`,
  );
  return `${what} ${count} vs ${mean.toFixed(1)} ± ${se.toFixed(1)} (z ${z.toFixed(2)})`;
}

for (const name of ["release_probampanmda2", "release_probudfsyn2"]) {
  const f = loadRelease(name);
  Deno.test({
    name: `${f.mechanism}: release counts match 1 − exp(−Pr) within 3 SE (simrun and NEURON)`,
    ignore: modPath(FILE[f.mechanism]) === undefined,
    fn() {
      const probs = modelProbabilities(f.params, f.events);
      const neuron = f.releases.reduce((x, y) => x + y, 0);
      const ours = countReleases(f.mechanism, f.state, f.synapses, f.events, f.params, 20250101)
        .reduce((x, y) => x + y, 0);
      console.log(
        within(neuron, probs, f.synapses, "NEURON") + "; " +
          within(ours, probs, f.synapses, "simrun"),
      );
    },
  });
}

Deno.test({
  name: "ProbAMPANMDA2: facilitation/depression dynamics give the model's release counts",
  ignore: modPath("ProbAMPANMDA2") === undefined,
  fn() {
    const params = { Use: 0.4, Dep: 100, Fac: 10, u0: 0, gmax: 0 };
    const events = Array.from({ length: 12 }, (_, i) => 5 + 7 * i);
    const probs = modelProbabilities(params, events);
    // The dynamics must matter here: the first and the later probabilities differ.
    assert.ok(Math.abs(probs[0] - probs[5]) > 0.05, `probabilities ${probs}`);
    const counts = countReleases("ProbAMPANMDA2", "A_AMPA", 1000, events, params, 7);
    console.log(within(counts.reduce((x, y) => x + y, 0), probs, 1000, "dynamic"));
  },
});

Deno.test({
  name: "ProbUDFsyn2 runs in runSweep() with a random stream per synapse and depolarizes the cell",
  ignore: !fixtureRunnable(loadFixture("epsp_point")) || modPath("ProbUDFsyn2") === undefined,
  fn() {
    const f = loadFixture("epsp_point"); // a passive soma (geometry only)
    const rng = createNetworkRandom("simrun", 1);
    rng.beginSweep(0);
    const catalogue = catalogueOf(["ProbUDFsyn2"]);
    const m = catalogue.compiledPoint[0];
    const sec = f.sections[0];
    const cell = passiveSoma(sec);
    const times = Float64Array.from({ length: 20 }, (_, i) => 10 + 5 * i);
    const model = prepareModel(cell, {
      vInit: -75,
      tStop: 120,
      dt: 0.025,
      celsius: 34,
      rateTables: true,
      units: "modern",
    }, { catalogue });
    const r = runSweep(
      model,
      Array.from({ length: 50 }, (_, k) => {
        const st = rng.activity(`synapse ${k}`);
        return {
          mechanism: m,
          section: 0,
          x: 0.5,
          params: { Use: 0.5, Dep: 50, Fac: 0, gmax: 0.001, e: 0 },
          weights: [1],
          eventTimes: times,
          random: () => st.random(),
        };
      }),
    );
    const peak = Math.max(...r.soma);
    assert.ok(r.soma.every(Number.isFinite), "finite voltage");
    assert.ok(peak > -74, `releases depolarize the soma (peak ${peak} mV)`);
  },
});

Deno.test({
  name:
    "ProbUDFsyn2 through runSweep with the network's per-synapse streams: releases over 400 sweeps match the model within 3 SE",
  ignore: !fixtureRunnable(loadFixture("epsp_point")) || modPath("ProbUDFsyn2") === undefined,
  fn() {
    const f = loadFixture("epsp_point"); // a passive soma (geometry only)
    const sec = f.sections[0];
    const cell = passiveSoma(sec);
    const catalogue = catalogueOf(["ProbUDFsyn2"]);
    const m = catalogue.compiledPoint[0];
    const params = { Use: 0.5, Dep: 50, Fac: 0, gmax: 0.001, e: 0 };
    const events = Array.from({ length: 10 }, (_, i) => 5 + 10 * i);
    const model = prepareModel(cell, {
      vInit: -75,
      tStop: 110,
      dt: 0.025,
      celsius: 34,
      rateTables: true,
      units: "modern",
    }, { catalogue });
    const probes = resolveProbes(model, [{ section: 0, x: 0.5, variable: "A_ProbUDFsyn2" }], {
      synapseMechanisms: [m],
    });
    const sweeps = 400;
    const rng = createNetworkRandom("simrun", 20250101);
    let releases = 0;
    const perEvent = new Array<number>(events.length).fill(0);
    for (let sweep = 0; sweep < sweeps; sweep++) {
      rng.beginSweep(sweep);
      const r = runSweep(model, [{
        mechanism: m,
        section: 0,
        x: 0.5,
        params,
        weights: [1],
        eventTimes: Float64Array.from(events),
        random: synapseStream(rng.synapseStreamKey("L5tt_C2", 17)),
      }], { probes });
      // A release adds weight·factor to A; between releases A only decays.
      const a = r.traces[0];
      for (let k = 1; k < a.length; k++) {
        if (a[k] > a[k - 1]) {
          releases++;
          const e = events.findIndex((t) => Math.abs(t - r.t[k]) < 0.026);
          assert.ok(e >= 0, `a jump at ${r.t[k]} ms without an event`);
          perEvent[e]++;
        }
      }
    }
    const probs = modelProbabilities(params, events);
    console.log(within(releases, probs, sweeps, "runSweep, 400 sweeps"));
    // The depression must show: the first event releases more often than the later ones.
    assert.ok(perEvent[0] > perEvent[5], `per event ${perEvent}`);
  },
});

/** A one-segment passive soma with the fixture's geometry, for the release statistics. */
function passiveSoma(sec: { L: number; diam: number }) {
  return {
    sections: [{
      index: 0,
      name: "soma",
      label: "soma",
      parent: -1,
      parentX: 0,
      children: [],
      x: new Float64Array([0, sec.L]),
      y: new Float64Array(2),
      z: new Float64Array(2),
      hocDiam: new Float64Array([sec.diam, sec.diam]),
      diam: new Float64Array([sec.diam, sec.diam]),
      arc: new Float64Array([0, sec.L]),
      L: sec.L,
      relPts: new Float64Array([0, 1]),
      nseg: 1,
      Ra: 100,
      cm: 1,
      ions: {},
      line: 1,
      mechanisms: [{
        name: "pas",
        params: { g: new Float64Array([3e-5]), e: new Float64Array([-75]) },
      }],
    }],
    pointProcesses: [],
    mechGlobals: {},
    paramFile: "release.param",
    hocFile: "release.hoc",
  };
}
