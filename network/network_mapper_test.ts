import assert from "node:assert/strict";
import { parseParam, parseSynapseActivationFile } from "../io/mod.ts";
import type { Cell, Section } from "../solver/mod.ts";
import {
  createAnatomyCache,
  createNetworkMapper,
  createReplayMapper,
  presynapticCells,
  snapToPoint,
} from "./network_mapper.ts";
import { readNetworkSpec } from "./network_param.ts";
import { createNetworkRandom } from "./rng/network_random.ts";
import { loadSeedrandom } from "./rng/seedrandom_stream.ts";

await loadSeedrandom();

function section(index: number, parent: number, label: string, L: number): Section {
  const rel = Float64Array.from([0, 0.25, 0.5, 1]);
  return {
    index,
    name: `s${index}`,
    label,
    parent,
    parentX: parent === 0 ? 0.5 : 1,
    children: [],
    x: new Float64Array(4),
    y: new Float64Array(4),
    z: new Float64Array(4),
    hocDiam: new Float64Array(4),
    diam: new Float64Array(4),
    arc: rel.map((r) => r * L),
    L,
    relPts: rel,
    nseg: 5,
    Ra: 100,
    cm: 1,
    mechanisms: [],
    ions: {},
    line: 0,
  };
}
const CELL: Cell = {
  sections: [
    section(0, -1, "Soma", 20),
    section(1, 0, "Dendrite", 100),
    section(2, 1, "Dendrite", 40),
  ],
  pointProcesses: [],
  mechGlobals: {},
  paramFile: "c.param",
  hocFile: "c.hoc",
};
const NET = (extra = "") =>
  readNetworkSpec(parseParam(
    `{"network": {"A": {"cellNr": 2, "celltype": "spiketrain", "interval": 5.0,
      "synapses": {"distributionFile": "n.syn", "connectionFile": "n.con",
      "receptors": {"gaba_syn": {"weight": 1.0, "delay": 0.5, "threshold": 0.0, "parameter": {"e": -80.0}}}}}
      ${extra}}}`,
    "n.param",
  ));

function mapper(files: Record<string, string>, extra = "") {
  return createNetworkMapper(CELL, NET(extra), {
    anatomy: createAnatomyCache((p) => files[p]),
    tStop: 100,
    random: createNetworkRandom("simrun", 1),
  });
}

Deno.test("snapToPoint() picks the closest relPts entry, the first of equals", () => {
  const rel = Float64Array.from([0, 0.25, 0.5, 1]);
  assert.equal(snapToPoint(rel, 0.3), 1);
  assert.equal(snapToPoint(rel, 0.375), 1);
  assert.equal(snapToPoint(rel, 0.9), 3);
});

Deno.test("createNetworkMapper() places synapses, measures geometric distance and releases every spike", () => {
  const r = mapper({ "n.syn": "A\t2\t0.5\nA\t0\t0.9\n", "n.con": "A\t0\t0\nA\t1\t1\n" })
    .realizeSweep(0);
  assert.equal(r.synapses.length, 2); // 20 Hz over 100 ms with 2 cells: both active
  const [s0, s1] = r.synapses;
  assert.deepEqual([s0.synapseId, s0.section, s0.ptId, s0.somaDist, s0.label], [
    0,
    2,
    2,
    0.5 * 40 + 100,
    "Dendrite",
  ]);
  assert.deepEqual([s1.somaDist, s1.label, s1.x], [0, "Soma", 0.9]); // x = relPts[3] = 1 clamped to 0.9
  assert.deepEqual(s0.receptors, [{
    mechanism: "gaba_syn",
    weights: [1],
    params: { e: -80 },
    delay: 0.5,
  }]);
  const pre = presynapticCells(r).find((p) => p.cellId === 0)!;
  assert.deepEqual(Array.from(s0.releaseTimes), Array.from(pre.spikes)); // no releaseProb: every spike
});

Deno.test("createNetworkMapper() names the .syn/.con file and line of a bad reference", () => {
  assert.throws(
    () => mapper({ "n.syn": "A\t1\t0.5\nA\t7\t0.5\n", "n.con": "" }).realizeSweep(0),
    /n\.syn:2: .*section 7/,
  );
  assert.throws(
    () => mapper({ "n.syn": "A\t1\t0.5\n", "n.con": "A\t5\t0\n" }).realizeSweep(0),
    /n\.con:1: Cell ID 5/,
  );
  assert.throws(
    () => mapper({ "n.syn": "A\t1\t0.5\n", "n.con": "A\t0\t3\n" }).realizeSweep(0),
    /n\.con:1: Synapse ID 3/,
  );
});

Deno.test("silence_synapses_by_somadist removes active synapses in [min, max)", () => {
  const files = { "n.syn": "A\t2\t0.5\nA\t0\t0.9\n", "n.con": "A\t0\t0\nA\t1\t1\n" };
  const extra =
    `, "network_modify_functions": {"silence_synapses_by_somadist": {"soma_dist_ranges": {"A": [100, 200]}}}`;
  const r = mapper(files, extra).realizeSweep(0);
  assert.deepEqual(r.synapses.map((s) => s.synapseId), [1]);
});

Deno.test("createReplayMapper() renumbers synapses, keeps counting across files, and forces release", () => {
  const rep = createReplayMapper(CELL, NET());
  const f = (text: string) => parseSynapseActivationFile("# header\n" + text, "a.csv");
  const r0 = rep.replayFile(f("A\t7\t1.0\t2\t1\tDendrite\t5.0,3.0,\n"));
  assert.deepEqual([
    r0.synapses[0].synapseId,
    r0.synapses[0].somaDist,
    Array.from(r0.synapses[0].releaseTimes),
  ], [0, 110, [3, 5]]);
  const r1 = rep.replayFile(
    f("A\t9\t1.0\t1\t3\tDendrite\t7.0,\nA\t8\t1.0\t1\t2\tDendrite\t8.0,\n"),
  );
  assert.deepEqual(r1.synapses.map((s) => s.synapseId), [1, 2]);
  assert.deepEqual(presynapticCells(r1).map((p) => p.cellId), [0, 1]);
  assert.throws(() => rep.replayFile(f("A\t0\t1.0\t1\t9\tDendrite\t1.0,\n")), /a\.csv:2: Point 9/);
  assert.throws(
    () => rep.replayFile(f("B\t0\t1.0\t1\t0\tDendrite\t1.0,\n")),
    /a\.csv:2: Synapse type "B"/,
  );
});

Deno.test("createNetworkMapper() warns once when the .syn was made for another cell", () => {
  const files = (header: string) => ({
    "n.syn":
      `# Synapse distribution file\n# corresponding to cell: ${header}\n\nA\t2\t0.5\nA\t0\t0.9\n`,
    "n.con": "A\t0\t0\nA\t1\t1\n",
  });
  const run = (header: string) => {
    const warnings: string[] = [];
    const m = createNetworkMapper(CELL, NET(), {
      anatomy: createAnatomyCache((p) => files(header)[p as "n.syn"]),
      tStop: 100,
      random: createNetworkRandom("simrun", 1),
      onWarning: (w) => warnings.push(w),
    });
    m.realizeSweep(0);
    m.realizeSweep(1);
    return warnings;
  };
  assert.deepEqual(run("other_cell"), [
    'n.syn:2: made for cell "other_cell", but the morphology is c.hoc: its 2 synapse positions (section ID, x) may fall on the wrong sections',
  ]);
  assert.deepEqual(run("c"), []);
  // ISF's headers prefix the reconstruction's name: not a mismatch.
  assert.deepEqual(run("86_L5_c"), []);
});

Deno.test("createReplayMapper() warns with counts when rows name other section labels", () => {
  const warnings: string[] = [];
  const rep = createReplayMapper(CELL, NET(), { onWarning: (w) => warnings.push(w) });
  const f = (text: string) => parseSynapseActivationFile("# header\n" + text, "a.csv");
  rep.replayFile(f("A\t7\t1.0\t2\t1\tDendrite\t5.0,\nA\t8\t1.0\t1\t1\tDendrite\t5.0,\n"));
  assert.deepEqual(warnings, []);
  rep.replayFile(
    f("A\t7\t1.0\t2\t1\tApicalDendrite\t5.0,\nA\t8\t1.0\t0\t1\tDendrite\t5.0,\nA\t9\t1.0\t1\t1\tDendrite\t5.0,\n"),
  );
  assert.deepEqual(warnings, [
    'a.csv: 2 of 3 synapses are on sections whose label differs from the file\'s "dendrite label" (first at line 2: section 2 is Dendrite in c.hoc, the file says ApicalDendrite); the file may have been made on another morphology',
  ]);
});

Deno.test("createNetworkMapper() reads the anatomy files in the first sweep only", () => {
  const files: Record<string, string> = {
    "n.syn": "A\t2\t0.5\nA\t0\t0.9\n",
    "n.con": "A\t0\t0\nA\t1\t1\n",
  };
  const cache = createAnatomyCache((p) => files[p]);
  let calls = 0;
  const m = createNetworkMapper(CELL, NET(), {
    anatomy: { syn: (p) => (calls++, cache.syn(p)), con: (p) => (calls++, cache.con(p)) },
    tStop: 100,
    random: createNetworkRandom("simrun", 1),
  });
  const first = m.realizeSweep(0);
  const afterFirst = calls;
  assert.ok(afterFirst >= 2, `${afterFirst} calls in the first sweep`);
  const second = m.realizeSweep(1);
  assert.equal(calls, afterFirst, "the second sweep asked the anatomy cache again");
  assert.deepEqual(
    second.synapses.map((s) => [s.synapseId, s.somaDist]),
    first.synapses.map((s) => [s.synapseId, s.somaDist]),
  );
});

Deno.test("createNetworkMapper() gives a synapse of two .con rows each receptor's weights once per row", () => {
  const files = { "n.syn": "A\t2\t0.5\n", "n.con": "A\t0\t0\nA\t1\t0\n" };
  const net = (wd: string) =>
    readNetworkSpec(parseParam(
      `{"network": {"A": {"cellNr": 2, "celltype": "spiketrain", "interval": 5.0,
      "synapses": {"distributionFile": "n.syn", "connectionFile": "n.con",
      "receptors": {"glutamate_syn": {"weight": [1.5, 0.5], ${wd} "delay": 0.5, "threshold": 0.0}}}}}}`,
      "n.param",
    ));
  const realize = (wd: string) =>
    createNetworkMapper(CELL, net(wd), {
      anatomy: createAnatomyCache((p) => files[p as keyof typeof files]),
      tStop: 100,
      random: createNetworkRandom("simrun", 1),
    }).realizeSweep(0).synapses[0].receptors[0].weights;
  assert.deepEqual(realize(""), [1.5, 0.5, 1.5, 0.5]);
  // Lognormal: one draw per entry and row, in row order, from the type's release stream.
  const r = createNetworkRandom("simrun", 1);
  r.beginSweep(0);
  const expected = [1.5, 0.5, 1.5, 0.5].map((mean) => {
    const sigma = Math.sqrt(Math.log(1 + (mean ** 2) ** 2 / mean ** 2));
    return r.release("A").lognormal(Math.log(mean) - 0.5 * sigma ** 2, sigma);
  });
  assert.deepEqual(realize(`"weightDistribution": "lognormal",`), expected);
});
