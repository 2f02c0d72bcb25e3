import assert from "node:assert/strict";
import { DENSITY_MECHANISMS, densityMechanism, POINT_MECHANISMS, pointMechanism } from "./mod.ts";
import { allocateInstances } from "./_types.ts";

Deno.test("DENSITY_MECHANISMS is in NEURON's state-update order (spec §1.6), pas first", () => {
  assert.deepEqual(DENSITY_MECHANISMS.map((m) => m.name), [
    "pas",
    "CaDynamics_E2",
    "Ca_HVA",
    "Ca_LVAst",
    "Ih",
    "Im",
    "K_Pst",
    "K_Tst",
    "NaTa_t",
    "Nap_Et2",
    "SK_E2",
    "SKv3_1",
  ]);
});

Deno.test("densityMechanism() and pointMechanism() find entries by exact name", () => {
  assert.equal(densityMechanism("CaDynamics_E2")?.writesCai, true);
  assert.equal(densityMechanism("nata_t"), undefined);
  assert.equal(pointMechanism("epsp")?.name, "epsp");
  assert.equal(pointMechanism("glutamate_syn"), undefined);
  assert.deepEqual(POINT_MECHANISMS.map((m) => m.name), ["IClamp", "epsp"]);
});

Deno.test("every catalogue entry has distinct field names and kernels that run on 0 instances", () => {
  for (const m of [...DENSITY_MECHANISMS, ...POINT_MECHANISMS]) {
    const names = [...Object.keys(m.parameters), ...m.states, ...m.assigned];
    assert.equal(new Set(names).size, names.length, m.name);
    const s = allocateInstances(m, new Int32Array(0));
    assert.equal(Object.keys(s.fields).length, names.length);
  }
  for (const m of DENSITY_MECHANISMS) {
    // Only CaDynamics_E2 writes cai; its Ca channels declare ion "ca".
    assert.equal(m.writesCai, m.name === "CaDynamics_E2", m.name);
  }
});
