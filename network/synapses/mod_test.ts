import assert from "node:assert/strict";
import { SYNAPSE_MECHANISMS, synapseMechanism } from "./mod.ts";

Deno.test("SYNAPSE_MECHANISMS is in NEURON's order (gaba_syn, glutamate_syn)", () => {
  assert.deepEqual(SYNAPSE_MECHANISMS.map((m) => m.name), ["gaba_syn", "glutamate_syn"]);
  assert.equal(synapseMechanism("GABA_syn"), undefined);
  for (const m of SYNAPSE_MECHANISMS) {
    assert.equal(m.kind, "point");
    assert.ok(m.netReceive !== undefined && m.lumpable !== undefined, m.name);
  }
});
