import assert from "node:assert/strict";
import { InputValueError, parseParam } from "../io/mod.ts";
import { readNetworkSpec } from "./network_param.ts";

const SYN =
  `"synapses": {"releaseProb": 0.6, "distributionFile": "/x/a.syn", "connectionFile": "/x/a.con",
  "receptors": {"glutamate_syn": {"weight": [1.5, 1.5], "delay": 0.0, "threshold": 0.0,
    "parameter": {"tau1": 26.0}}}}`;

Deno.test("readNetworkSpec() converts types in file order with sources, receptors and resolved paths", () => {
  const p = parseParam(
    `{"network": {
      "Z": {"cellNr": 3, "celltype": {"pointcell": {"distribution": "PSTH", "intervals": [(0.0, 1.0)],
            "probabilities": [0.5], "offset": 245.0}, "spiketrain": {"interval": 142.9}}, ${SYN}},
      "A": {"cellNr": 2, "celltype": "spiketrain", "interval": 100.0, "start": 5.0, ${SYN}},
      "network_modify_functions": {"silence_synapses_by_somadist": {"soma_dist_ranges": {"A": [0, 200]}}}
    }}`,
    "n.param",
  );
  const n = readNetworkSpec(p, { resolvePath: (s) => s.replace("/x/", "/data/") });
  assert.deepEqual(n.types.map((t) => t.name), ["Z", "A"]);
  assert.deepEqual(n.types[0].sources.map((s) => s.kind), ["pointcell", "spiketrain"]);
  // start without noise is ignored (ISF reads noise and start together).
  assert.deepEqual(n.types[1].sources[0], {
    kind: "spiketrain",
    interval: 100,
    noise: 1,
    start: 0,
    nspikes: undefined,
  });
  assert.equal(n.types[0].synapses.distributionFile, "/data/a.syn");
  assert.deepEqual(n.types[0].synapses.receptors[0].weights, [1.5, 1.5]);
  assert.deepEqual(n.modifyFunctions, [{
    name: "silence_synapses_by_somadist",
    ranges: [{ type: "A", min: 0, max: 200 }],
  }]);
});

Deno.test("readNetworkSpec() reports file, line and key of a bad value", () => {
  const p = parseParam(
    `{"network": {\n "A": {"cellNr": 2, "celltype": "pointcell", "distribution": "PSTH",\n "intervals": [(0.0, 1.0)], "probabilities": [0.5, 0.1], "offset": 0.0, ${SYN}}}}`,
    "n.param",
  );
  assert.throws(() => readNetworkSpec(p), (e: unknown) => {
    assert.ok(e instanceof InputValueError);
    assert.equal(e.file, "n.param");
    assert.equal(e.line, 3);
    assert.equal(e.key, "network.A.probabilities");
    return true;
  });
  const q = parseParam(
    `{"network": {"A": {"cellNr": 2, "celltype": {"burst": {}}, ${SYN}}}}`,
    "q.param",
  );
  assert.throws(() => readNetworkSpec(q), /q\.param:1:\d+: Cell type "burst" is not implemented/);
  const r = parseParam(`{"network": {"network_modify_functions": {"shuffle": {}}}}`, "r.param");
  assert.throws(() => readNetworkSpec(r), /Unknown network modify function "shuffle"/);
});
