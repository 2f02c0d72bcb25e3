import assert from "node:assert/strict";
import { parseParam } from "../io/mod.ts";
import { inputRoles } from "./input_roles.ts";

const NET = `{"network": {
  "L1_C2": {"celltype": "spiketrain", "interval": 100.0,
            "synapses": {"receptors": {"gaba_syn": {"weight": 1.0}}}},
  "L5tt_C2": {"celltype": {"pointcell": {"distribution": "PSTH", "intervals": [(0.0, 1.0)],
              "probabilities": [0.1], "offset": 245.0}, "spiketrain": {"interval": 200.0}},
              "synapses": {"receptors": {"glutamate_syn": {"weight": [1.0, 1.0]}}}},
  "L5tt_C3": {"celltype": {"pointcell": {"distribution": "PSTH_poissontrain_v2", "bins": [0, 1],
              "rates": [5.0], "offset": 10.0}},
              "synapses": {"receptors": {"GABA_A": {}}}},
  "VPM_C2": {"celltype": "pointcell", "distribution": "uniform", "activeFrac": 0.5, "window": 5,
             "offset": 250.0, "synapses": {"receptors": {"AMPA": {}, "NMDA": {}}}},
  "network_modify_functions": {}
}}`;

Deno.test("inputRoles() takes excitatory/inhibitory from the receptor names, not the cell names", () => {
  const r = inputRoles(parseParam(NET, "n.param"));
  assert.equal(r.kindOf("L1_C2"), "inhibitory");
  assert.equal(r.kindOf("L5tt_C2"), "excitatory");
  assert.equal(r.kindOf("L5tt_C3"), "inhibitory");
  assert.equal(r.kindOf("VPM_C2"), "excitatory");
  assert.equal(r.kindOf("SymLocal1_C2"), "unknown");
});

Deno.test("inputRoles() splits a cell type whose presynaptic types disagree", () => {
  const r = inputRoles(parseParam(NET, "n.param"));
  assert.equal(r.groupOf("L5tt_C2"), "L5tt (exc)");
  assert.equal(r.groupOf("L5tt_C3"), "L5tt (inh)");
  assert.equal(r.groupOf("VPM_C2"), "VPM");
  assert.equal(r.groupOf("L1_C2"), "L1");
});

Deno.test("inputRoles() takes the earliest offset of a source that places spikes relative to it", () => {
  // PSTH_poissontrain_v2's offset (10 ms) is unused by ISF; PSTH 245 and uniform 250 count.
  const r = inputRoles(parseParam(NET, "n.param"));
  assert.equal(r.stimulusMs, 245);
  assert.equal(r.stimulusType, "L5tt_C2");
  const normal = inputRoles(parseParam(
    `{"network": {"X_C2": {"celltype": {"pointcell": {"activeFrac": 1, "spikeT": 1, "spikeWidth": 1}}}}}`,
    "n.param",
  ));
  assert.equal(normal.stimulusMs, 10, "a missing distribution is normal, offset default 10 ms");
  const none = inputRoles(
    parseParam(`{"network": {"X_C2": {"celltype": "spiketrain"}}}`, "n.param"),
  );
  assert.equal(none.stimulusMs, undefined);
  assert.equal(inputRoles(undefined).kindOf("X_C2"), "unknown");
});

Deno.test("inputRoles() names file, line and key of a wrongly typed offset", () => {
  const p = parseParam(
    `{"network": {\n"X_C2": {"celltype": {"pointcell": {"distribution": "PSTH",\n"offset": "245"}}}}}`,
    "n.param",
  );
  assert.throws(() => inputRoles(p), /n\.param:3:.*"offset".*expected a number/);
});
