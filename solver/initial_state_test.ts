import assert from "node:assert/strict";
import { initialState } from "./initial_state.ts";
import type { Cell, Section, SectionMechanism } from "./cell.ts";

function soma(mechanisms: SectionMechanism[], ions: Record<string, number>): Section {
  return {
    index: 0,
    name: "soma",
    label: "Soma",
    parent: -1,
    parentX: 0,
    children: [1],
    x: new Float64Array([0, 20]),
    y: new Float64Array(2),
    z: new Float64Array(2),
    hocDiam: new Float64Array([20, 20]),
    diam: new Float64Array([20, 20]),
    arc: new Float64Array([0, 20]),
    L: 20,
    relPts: new Float64Array([0, 1]),
    nseg: 1,
    Ra: 100,
    cm: 1,
    mechanisms,
    ions,
    line: 1,
  };
}

Deno.test("initialState() reports states, currents and ion totals after finitialize", () => {
  const one = (x: number) => new Float64Array([x]);
  const s0 = soma([
    { name: "pas", params: { g: one(3.26e-5), e: one(-90) } },
    { name: "NaTa_t", params: { gNaTa_tbar: one(2.43) } },
    { name: "Nap_Et2", params: { gNap_Et2bar: one(0.00499) } },
    { name: "K_Tst", params: { gK_Tstbar: one(0.0471) } },
    { name: "Ca_HVA", params: { gCa_HVAbar: one(0.000642) } },
    { name: "CaDynamics_E2", params: {} },
  ], { ek: -85, ena: 50 });
  const dend: Section = {
    ...soma([{ name: "pas", params: { g: one(1e-4), e: one(-90) } }], {}),
    index: 1,
    name: "dend",
    label: "Dendrite",
    parent: 0,
    parentX: 0.5,
    children: [],
  };
  const cell: Cell = {
    sections: [s0, dend],
    pointProcesses: [],
    mechGlobals: {},
    paramFile: "t.param",
    hocFile: "t.hoc",
  };
  const cols = new Map(
    initialState(cell, { vInit: -75, celsius: 34 }).map((c) => [c.name, c.values]),
  );
  const col = (name: string) => {
    const v = cols.get(name);
    assert.ok(v !== undefined, `missing column ${name}`);
    return v;
  };
  assert.equal(col("i_pas")[0], 3.26e-5 * 15);
  // 1e-18 mA/cm² ≈ 1 ulp of 1.5e-3: 1e-4·15 vs g·(V − e) may round differently.
  assert.ok(Math.abs(col("i_pas")[1] - 1e-4 * 15) < 1e-18);
  // Values from reference/single_cell/cell_segments.csv row 0 (same channel densities, −75 mV).
  // Tolerances ≈ 1e-12 relative: libm exp/pow may differ from glibc by an ulp, amplified by the
  // rate formulas (tests/mechanisms_init_reference_test.ts measures bit-identical values).
  assert.ok(Math.abs(col("m_NaTa_t")[0] - 0.0030701880783005103) < 1e-15);
  assert.ok(Math.abs(col("ina_NaTa_t")[0] - -7.186849565026317e-06) < 1e-18);
  assert.equal(col("eca")[0], 140.23660113151266);
  assert.ok(Number.isNaN(col("eca")[1]), "no calcium in the dendrite");
  assert.ok(Number.isNaN(col("m_NaTa_t")[1]));
  assert.equal(col("ina_na_ion")[0], col("ina_NaTa_t")[0] + col("ina_Nap_Et2")[0]);
  assert.equal(col("ik_k_ion")[0], col("ik_K_Tst")[0]);
  assert.equal(col("ica_ca_ion")[0], col("ica_Ca_HVA")[0]);
  // d i/dV of linear-in-V currents equals their conductance; 1e-6 relative: NEURON's slope is a
  // difference quotient over 0.001 mV, which cancels ~3 of I's 16 digits plus the step's O(ΔV)
  // change of the gates' contribution (none here: states are frozen).
  const gna = col("gNaTa_t_NaTa_t")[0] + col("gNap_Et2_Nap_Et2")[0];
  assert.ok(Math.abs(col("dina_dv__na_ion")[0] / gna - 1) < 1e-6);
  assert.equal(col("nai_na_ion")[0], 10);
  assert.equal(col("ko_k_ion")[0], 2.5);
  assert.equal(col("cai_ca_ion")[0], 5e-5);
  assert.equal(cols.has("gNaTa_tbar_NaTa_t"), false, "parameters are printed by inspect itself");
});
