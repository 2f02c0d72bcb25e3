/**
 * Fast mode tabulates glutamate_syn's Mg block over v (see kernel_lowering.ts `#tabulated`); the
 * SIMD layouts look both lanes up at once when both lie inside the table and fall back lane by
 * lane otherwise. Starting far above the table (V_MAX = 100 mV) makes the synapses' nodes cross
 * the table's edge at different steps, so pairs with one lane inside and one outside occur: every
 * tier, alone and in lock-step lanes, must still give the same bits.
 */
import assert from "node:assert/strict";
import { parsePathMap } from "../../io/path_map.ts";
import { SYNAPSE_MECHANISMS } from "../../network/synapses/mod.ts";
import { createCell } from "../../simrun/create_cell.ts";
import { prepareModel } from "../prepare_model.ts";
import { runSweeps, type SimulationResult } from "../run_sweep.ts";
import type { EngineChoice } from "../settings.ts";
import { TABLE_V_MAX } from "../mechanisms/_rate_table.ts";

const PARAM = new URL("../../examples/model/example_pyramid.param", import.meta.url).pathname;

function sameBits(a: SimulationResult, b: SimulationResult, what: string): void {
  assert.equal(a.soma.length, b.soma.length, what);
  a.soma.forEach((v, k) => assert.ok(Object.is(v, b.soma[k]), `${what}: sample ${k}`));
}

Deno.test("tabulated Mg block across the table's edge: every tier, alone and in lock-step lanes, gives the same bits", async () => {
  const { cell, sim } = await createCell(PARAM, { pathMap: parsePathMap([]) });
  const glu = SYNAPSE_MECHANISMS.find((m) => m.name === "glutamate_syn")!;
  const synapsesOf = (shift: number) =>
    [1, 2, 3, 5, 7, 9, 11, 13, 3, 7].map((section, j) => ({
      mechanism: glu,
      section,
      x: 0.5,
      params: { tau1: 26, decayampa: 1, decaynmda: 1 },
      weights: [1.5, 1.5],
      eventTimes: Float64Array.of(0.5 + j * 0.7 + shift, 9 + j + shift),
    }));
  const sweeps = [synapsesOf(0), synapsesOf(0.3)];
  const vInit = TABLE_V_MAX + 60;
  const model = (engine: EngineChoice) =>
    prepareModel(cell, {
      vInit,
      tStop: 30,
      dt: sim.dt,
      celsius: sim.celsius,
      rateTables: true,
      units: "modern",
      engine,
    });
  const simd = model("simd");
  const pair = runSweeps(simd, sweeps.map((synapses, sweep) => ({ synapses, sweep })));
  const soma = pair[0].soma;
  assert.ok(soma[0] > TABLE_V_MAX, `starts outside the table: ${soma[0]} mV`);
  assert.ok(soma[soma.length - 1] < TABLE_V_MAX, `ends inside: ${soma[soma.length - 1]} mV`);
  assert.ok(soma.every(Number.isFinite), "finite");
  for (const tier of ["simd", "scalar", "js"] as const) {
    const m = tier === "simd" ? simd : model(tier);
    for (const s of [0, 1]) {
      const alone = runSweeps(m, [{ synapses: sweeps[s], sweep: s }])[0];
      sameBits(alone, pair[s], `${tier} sweep ${s} alone vs lane ${s}`);
    }
  }
});
