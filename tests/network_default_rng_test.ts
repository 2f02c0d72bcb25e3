/**
 * The default ("simrun") random policy: statistics match the configured activity, and a sweep's
 * result depends only on (seed, sweep index), not on which sweeps ran before.
 */
import assert from "node:assert/strict";
import { formatPresynapticSpikes, formatSynapseActivations } from "../io/activation_files.ts";
import { parseParam } from "../io/param.ts";
import {
  createAnatomyCache,
  createNetworkMapper,
  type NetworkMapper,
  presynapticCells,
} from "../network/network_mapper.ts";
import { readNetworkSpec } from "../network/network_param.ts";
import { createNetworkRandom } from "../network/rng/network_random.ts";
import { loadSeedrandom } from "../network/rng/seedrandom_stream.ts";
import type { Cell, Section } from "../solver/cell.ts";

await loadSeedrandom();

const T_STOP = 345;
const N_A = 20, INTERVAL_A = 50; // Poisson trains: 345/50 = 6.9 spikes per cell
const N_B = 30, P_B = [0.3, 0.5]; // PSTH: per bin, each cell spikes with probability p

function section(index: number, parent: number, label: string, nPts: number): Section {
  const rel = new Float64Array(nPts).map((_, i) => i / (nPts - 1));
  const z = new Float64Array(nPts).map((_, i) => i * 10);
  return {
    index,
    name: `s${index}`,
    label,
    parent,
    parentX: parent === 0 ? 0.5 : 1,
    children: [],
    x: new Float64Array(nPts),
    y: new Float64Array(nPts),
    z,
    hocDiam: new Float64Array(nPts).fill(1),
    diam: new Float64Array(nPts).fill(1),
    arc: z.slice(),
    L: (nPts - 1) * 10,
    relPts: rel,
    nseg: 3,
    Ra: 100,
    cm: 1,
    mechanisms: [],
    ions: {},
    line: 0,
  };
}

const CELL: Cell = {
  sections: [section(0, -1, "Soma", 3), section(1, 0, "Dendrite", 5), section(2, 1, "Dendrite", 5)],
  pointProcesses: [],
  mechGlobals: {},
  paramFile: "synthetic.param",
  hocFile: "synthetic.hoc",
};

const RECEPTOR =
  `"receptors": {"gaba_syn": {"weight": 1.0, "delay": 0.0, "threshold": 0.0, "parameter": {}}}`;
const NETWORK = readNetworkSpec(parseParam(
  `{"network": {
    "A": {"cellNr": ${N_A}, "celltype": "spiketrain", "interval": ${INTERVAL_A}.0,
          "synapses": {"releaseProb": 0.6, "distributionFile": "n.syn", "connectionFile": "n.con", ${RECEPTOR}}},
    "B": {"cellNr": ${N_B}, "celltype": {"pointcell": {"distribution": "PSTH", "offset": 100.0,
          "intervals": [(0.0, 10.0), (20.0, 30.0)], "probabilities": [${P_B.join(", ")}]}},
          "synapses": {"distributionFile": "n.syn", "connectionFile": "n.con", ${RECEPTOR}}}}}`,
  "synthetic_network.param",
));

const FILES: Record<string, string> = {
  "n.syn": Array.from({ length: N_A }, (_, i) => `A\t${1 + (i % 2)}\t${(i / N_A).toFixed(3)}`)
    .concat(Array.from({ length: N_B }, (_, i) => `B\t${i % 3}\t0.5`)).join("\n") + "\n",
  "n.con": Array.from({ length: N_A }, (_, i) => `A\t${i}\t${i}`)
    .concat(Array.from({ length: N_B }, (_, i) => `B\t${i}\t${i}`)).join("\n") + "\n",
};

function mapper(seed: number): NetworkMapper {
  return createNetworkMapper(CELL, NETWORK, {
    anatomy: createAnatomyCache((p) => FILES[p]),
    tStop: T_STOP,
    random: createNetworkRandom("simrun", seed),
  });
}

Deno.test("default random policy: mean spike counts per type within 3 standard errors over 200 sweeps", () => {
  const m = mapper(12345);
  const sweeps = 200;
  const sum = { A: 0, B: 0 };
  for (let s = 0; s < sweeps; s++) {
    for (const p of m.realizeSweep(s).presynaptic) sum[p.type as "A" | "B"] += p.times.length;
  }
  // A: Poisson count with mean = variance = N·T/I per sweep.
  const meanA = N_A * T_STOP / INTERVAL_A, varA = meanA;
  // B: sum of Bernoulli(p) over cells and bins.
  const meanB = N_B * (P_B[0] + P_B[1]),
    varB = N_B * (P_B[0] * (1 - P_B[0]) + P_B[1] * (1 - P_B[1]));
  for (const [type, mean, v] of [["A", meanA, varA], ["B", meanB, varB]] as const) {
    const got = sum[type] / sweeps, se = Math.sqrt(v / sweeps);
    assert.ok(
      Math.abs(got - mean) <= 3 * se,
      `type ${type}: mean ${got} spikes/sweep, expected ${mean} ± 3·${se.toFixed(3)}`,
    );
  }
});

Deno.test("default random policy: sweeps 5..9 alone equal the same sweeps of a 0..9 run", () => {
  const full = mapper(777), part = mapper(777);
  const files: string[] = [];
  for (let s = 0; s < 10; s++) {
    const r = full.realizeSweep(s);
    if (s >= 5) {
      files.push(
        formatSynapseActivations(r.synapses) + formatPresynapticSpikes(presynapticCells(r)),
      );
    }
  }
  for (let s = 5; s < 10; s++) {
    const r = part.realizeSweep(s);
    assert.equal(
      formatSynapseActivations(r.synapses) + formatPresynapticSpikes(presynapticCells(r)),
      files[s - 5],
      `sweep ${s}`,
    );
  }
  const other = mapper(778).realizeSweep(5);
  assert.notEqual(
    formatPresynapticSpikes(presynapticCells(other)),
    files[0].slice(files[0].indexOf("# presynaptic")),
  );
});
