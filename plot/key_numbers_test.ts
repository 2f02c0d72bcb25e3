import assert from "node:assert/strict";
import { keyNumbers } from "./key_numbers.ts";

Deno.test("keyNumbers() reports spikes, first-spike latency after the stimulus and inputs per sweep", () => {
  const spikes = [
    { sweep: 0, times: [20, 250, 260], values: [1, 1, 1] },
    { sweep: 1, times: [30], values: [1] },
    { sweep: 2, times: [247.5], values: [1] },
  ];
  const inputs = {
    groups: [{ name: "VPM", kind: "excitatory" as const }],
    totals: new Map([["VPM", { activeSynapses: 30, activations: 45, psth: new Float64Array(1) }]]),
    sweeps: [
      { sweep: 0, activeSynapses: 10, activations: 15 },
      { sweep: 1, activeSynapses: 10, activations: 15 },
      { sweep: 2, activeSynapses: 10, activations: 15 },
    ],
    bins: 1,
    outOfRange: 0,
    detail: undefined,
  };
  const k = keyNumbers(spikes, inputs, { ms: 245, type: "VPM_C2" });
  assert.deepEqual(k.perSweep.map((s) => [s.spikes, s.firstSpikeLatencyMs]), [[3, 5], [1, null], [
    1,
    2.5,
  ]]);
  assert.equal(k.respondingSweeps, 2);
  assert.deepEqual(k.firstSpikeLatencyMs, { n: 2, mean: 3.75, median: 3.75, min: 2.5, max: 5 });
  assert.deepEqual(k.spikesPerSweep, { n: 3, mean: 5 / 3, median: 1, min: 1, max: 3 });
  assert.deepEqual(k.inputs, [{
    group: "VPM",
    kind: "excitatory",
    activeSynapsesPerSweep: 10,
    activationsPerSweep: 15,
  }]);
  const none = keyNumbers(spikes, inputs, { ms: undefined, type: undefined });
  assert.equal(none.respondingSweeps, null);
  assert.equal(none.perSweep[0].firstSpikeLatencyMs, null);
});
