import assert from "node:assert/strict";
import { DENSITY_MECHANISMS, densityMechanism, POINT_MECHANISMS, pointMechanism } from "./mod.ts";
import { allocateInstances, writesCai } from "./_types.ts";
import { makeNodes, prepareContext } from "./_testing.ts";

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
  assert.equal(writesCai(densityMechanism("CaDynamics_E2")!), true);
  assert.equal(densityMechanism("nata_t"), undefined);
  assert.equal(pointMechanism("epsp")?.name, "epsp");
  assert.equal(pointMechanism("glutamate_syn"), undefined);
  assert.deepEqual(POINT_MECHANISMS.map((m) => m.name), ["IClamp", "epsp"]);
});

Deno.test("every catalogue entry has distinct names and kernels that run on 0 instances", () => {
  const n = makeNodes(1);
  for (const m of [...DENSITY_MECHANISMS, ...POINT_MECHANISMS]) {
    const names = [
      ...Object.keys(m.parameters),
      ...Object.keys(m.globals),
      ...m.states,
      ...m.assigned,
      ...Object.keys(m.derived),
    ];
    assert.equal(new Set(names).size, names.length, m.name);
    const s = allocateInstances(m, new Int32Array(0));
    // fields: exactly the NMODL variables; derived data is not recordable
    assert.equal(
      Object.keys(s.fields).length,
      names.length - Object.keys(m.globals).length -
        Object.keys(m.derived).length,
    );
    assert.deepEqual(Object.keys(s.derived), Object.keys(m.derived));
    for (const rateTables of [false, true]) {
      m.prepare(s, prepareContext(n, rateTables));
      m.init(s, n);
      m.current(s, n);
      m.advance(s, n);
      m.fast?.current?.(s, n);
      m.fast?.advance?.(s, n);
    }
  }
  for (const m of DENSITY_MECHANISMS) {
    // Only CaDynamics_E2 writes cai.
    assert.equal(writesCai(m), m.name === "CaDynamics_E2", m.name);
  }
});

Deno.test("the GLOBALs are exactly the PARAMETERs the .mod files do not declare RANGE", () => {
  // Ih.mod: ehcn; SK_E2.mod: zTau (NEURON exposes them as ehcn_Ih, zTau_SK_E2).
  const globals = DENSITY_MECHANISMS.flatMap((m) =>
    Object.keys(m.globals).map((g) => `${g}_${m.name}`)
  );
  assert.deepEqual(globals, ["ehcn_Ih", "zTau_SK_E2"]);
});
