import assert from "node:assert/strict";
import { generateTypeActivity, type TypeActivity } from "./activity.ts";
import type { PresynapticTypeSpec } from "./network_param.ts";
import { createNetworkRandom } from "./rng/network_random.ts";
import { loadSeedrandom } from "./rng/seedrandom_stream.ts";

await loadSeedrandom();

const LOC = { file: "n.param" };
const SYN = {
  releaseProb: undefined,
  distributionFile: "",
  connectionFile: "",
  receptors: [],
  location: LOC,
};

/** Each cell's spike times as a list. */
function cellSpikes(a: TypeActivity): number[][] {
  const out: number[][] = [];
  for (let c = 0; c + 1 < a.start.length; c++) {
    out.push(Array.from(a.times.subarray(a.start[c], a.start[c + 1])));
  }
  return out;
}

// Expected values: an independent NumPy 2.4 transcription of ISF's _create_pointcell_activities
// (PSTH) followed by compute_spike_train_times, seed 1 (global generator).
Deno.test("generateTypeActivity() reproduces ISF's PSTH + spike-train draws (seed 1)", () => {
  const type: PresynapticTypeSpec = {
    name: "T",
    cellNr: 6,
    location: LOC,
    synapses: SYN,
    sources: [
      {
        kind: "pointcell",
        dist: {
          distribution: "PSTH",
          intervals: [[0, 1], [2, 5]],
          probabilities: [0.5, 0.3],
          offset: 245,
        },
      },
      { kind: "spiketrain", interval: 100, noise: 1, start: 0, nspikes: undefined },
    ],
  };
  const r = createNetworkRandom("isf", 1);
  r.beginSweep(0);
  const a = generateTypeActivity(type, r, 345);
  assert.deepEqual(cellSpikes(a), [
    [245.18626021137766, 277.99794969472026, 302.63408831386465, 318.879881507335],
    [62.993251735769284, 141.901090889623, 248.67606948533725],
    [
      186.07202552391163,
      208.53723956464268,
      215.4123028757374,
      245.34556072704305,
      336.72675427821434,
    ],
    [
      93.03245737605415,
      111.44775453712226,
      152.67017513843282,
      197.489748003368,
      245.39676747423067,
      247.4211608157857,
    ],
    [5.409163897590111, 114.52702350489777, 245.53881673400335],
    [
      109.53832006226423,
      211.9220244915781,
      237.47767925314412,
      245.4191945144033,
      300.71063851733476,
    ],
  ]);
  // Spike sources follow the sorted spikes: the PSTH spike of cell 0 comes first.
  assert.deepEqual(Array.from(a.sources.subarray(a.start[0], a.start[0] + 2)), [1, 0]);
});

Deno.test("generateTypeActivity() with nspikes gives exactly that many spikes per cell", () => {
  const r = createNetworkRandom("simrun", 3);
  r.beginSweep(0);
  const a = generateTypeActivity(
    {
      name: "T",
      cellNr: 4,
      location: LOC,
      synapses: SYN,
      sources: [{ kind: "spiketrain", interval: 10, noise: 0, start: 5, nspikes: 3 }],
    },
    r,
    345,
  );
  // noise 0: regular train start + k·interval.
  assert.deepEqual(cellSpikes(a), [[5, 15, 25], [5, 15, 25], [5, 15, 25], [5, 15, 25]]);
});

Deno.test("generateTypeActivity() rejects a spike train starting after tStop without nspikes", () => {
  const r = createNetworkRandom("simrun", 3);
  r.beginSweep(0);
  assert.throws(() =>
    generateTypeActivity(
      {
        name: "T",
        cellNr: 1,
        location: LOC,
        synapses: SYN,
        sources: [{ kind: "spiketrain", interval: 10, noise: 1, start: 400, nspikes: undefined }],
      },
      r,
      345,
    ), /after tStop/);
});
