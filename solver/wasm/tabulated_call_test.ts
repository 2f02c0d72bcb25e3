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
import { buildRateTable, TABLE_STEP, TABLE_V_MAX, TABLE_V_MIN } from "../mechanisms/_rate_table.ts";
import { compileNmodl, type Expr } from "../nmodl/mod.ts";
import {
  allocateEngineMemory,
  f64View,
  i32View,
  importEngineMemory,
  readLane,
  writeLane,
} from "./engine_memory.ts";
import { JsModuleBuilder } from "./js_module.ts";
import {
  addressLocals,
  emitInstanceLoop,
  IrEmitter,
  type Layout,
  type LoweringContext,
  type MechanismRegions,
} from "./kernel_lowering.ts";
import { ModuleBuilder } from "./wasm_builder.ts";

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

/**
 * The current kernel's two passes (V + 0.001, then V) share a tabulated call's lookup when both
 * lie in one interval of the table (kernel_lowering.ts `#pairedLookup`). Every layout and tier
 * must give the bits of the passes looking up alone, also where the two voltages straddle an
 * interval boundary or the table's edges, and where the lanes of one f64x2 differ in that.
 */
Deno.test("shared lookups of the two current passes: bits of separate lookups across interval boundaries and the table's edges, every layout and tier", () => {
  const nmodl = `NEURON { SUFFIX tabv NONSPECIFIC_CURRENT i RANGE g, e }
PARAMETER { g = 0.002 (S/cm2) e = -10 (mV) }
ASSIGNED { v (mV) i (mA/cm2) }
BREAKPOINT { i = g*(v - e)/(1 + exp(-0.062*v)/3.57) }
`;
  const compiled = compileNmodl(nmodl, { file: "tabv.mod" });
  assert.ok(compiled.ok);
  const ir = compiled.mechanism.ir;
  const c = ir.current!;
  assert.equal(c.conductance, undefined, "two passes");
  // The call to tabulate: exp(−0.062·v), the only call of the body.
  const calls: Expr[] = [];
  const visit = (e: Expr): void => {
    if (e.op === "call") calls.push(e);
    if (e.op === "neg" || e.op === "not") visit(e.arg);
    else if (e.op === "call") e.args.forEach(visit);
    else if (e.op !== "const" && e.op !== "read") {
      visit(e.a);
      visit(e.b);
    }
  };
  for (const s of c.body) if (s.op === "assign") visit(s.value);
  assert.equal(calls.length, 1);
  const vLocal = (c.v as { index: number }).index;
  const vTables = new Map([[calls[0], { region: "vt", vLocal }]]);
  const table = buildRateTable(1, (v, _dt, out) => {
    out[0] = Math.exp(-0.062 * v);
  }, 0.025).c;

  // Voltages: V and V + 0.001 in one interval, straddling a boundary, V + 0.001 just past the
  // table's top, V just below its bottom, both outside, far outside, NaN.
  const b = TABLE_V_MIN + 400 * TABLE_STEP;
  const cases = [
    -65.3,
    b,
    b - 0.0005,
    b - 0.001,
    b - 1e-13,
    b + TABLE_STEP / 2,
    TABLE_V_MIN,
    TABLE_V_MIN - 0.0005,
    TABLE_V_MIN - 3,
    TABLE_V_MAX - 0.0005,
    TABLE_V_MAX - 1e-13,
    TABLE_V_MAX,
    1e6,
    NaN,
  ];
  assert.ok(
    Math.trunc((b - 0.0005 + 0.001 - TABLE_V_MIN) * 4) !==
      Math.trunc((b - 0.0005 - TABLE_V_MIN) * 4),
  );
  // Every ordered pair of cases on adjacent instances (inst2 pairs them in one f64x2); lane 1
  // of lock-step memories takes the pairs reversed.
  const lane0 = cases.flatMap((x) => cases.flatMap((y) => [x, y]));
  const lane1 = lane0.map((_, k) => lane0[k ^ 1]);
  const n = lane0.length;

  const run = (layout: Layout, lanes: number, js: boolean, share: boolean) => {
    const fieldRegions = ir.fields.map((f) => ({ region: `f.${f.name}`, perLane: true }));
    const mem = allocateEngineMemory([
      ...["v", "i", "g"].map((name) => ({ name, kind: "f64" as const, length: n, perLane: true })),
      { name: "node", kind: "i32", length: n, perLane: false },
      ...fieldRegions.map((r) => ({
        name: r.region,
        kind: "f64" as const,
        length: n,
        perLane: true,
      })),
      { name: "G", kind: "f64", length: Math.max(1, ir.globals.length), perLane: false },
      { name: "vt", kind: "f64", length: table.length, perLane: false },
    ], { lanes, wasm: !js });
    i32View(mem, "node").set(Int32Array.from({ length: n }, (_, k) => k));
    f64View(mem, "vt").set(table);
    for (let lane = 0; lane < lanes; lane++) {
      writeLane(mem, "v", lane, lane === 0 ? lane0 : lane1);
      ir.fields.forEach((f, j) => {
        const x = f.name === "g" ? 0.002 : f.name === "e" ? -10 : 0;
        writeLane(mem, fieldRegions[j].region, lane, new Float64Array(n).fill(x));
      });
    }
    const mb = js ? new JsModuleBuilder() : new ModuleBuilder();
    const math = { exp: mb.importFunction("math", "exp", { params: ["f64"], results: ["f64"] }) };
    const imports = js ? undefined : importEngineMemory(mb as ModuleBuilder, mem);
    if (js) mb.importMemory("env", "memory", { initial: 1 });
    const ctx: LoweringContext = { mem, math, dt: 0.025, celsius: 34 };
    const regions: MechanismRegions = {
      count: n,
      node: "node",
      fields: fieldRegions,
      globals: "G",
    };
    const fb = mb.addFunction({ params: [], results: [] }, { exportAs: "cur" });
    const addr = addressLocals(fb, layout, lanes);
    for (let lane = 0; lane < (layout === "scalar" ? lanes : 1); lane++) {
      const em = new IrEmitter(fb, ir, regions, layout, ctx, addr, {
        t: 0,
        vTables,
        shareLookups: share,
      });
      emitInstanceLoop(fb, ctx, regions, layout, addr, () => {
        em.resetLocals(c.locals);
        em.current(c, true);
        em.flush();
      }, lane);
    }
    let exports: Record<string, unknown>;
    let bytes: Uint8Array | undefined;
    if (mb instanceof JsModuleBuilder) {
      exports = mb.instantiate({ math: { exp: Math.exp } } as never, mem.buffer);
    } else {
      bytes = mb.encode();
      exports = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), {
        ...imports,
        math: { exp: Math.exp },
      }).exports;
    }
    (exports.cur as () => void)();
    const out = [];
    for (let lane = 0; lane < lanes; lane++) {
      out.push(readLane(mem, "i", lane), readLane(mem, "g", lane));
    }
    return { out, bytes };
  };

  const configs: [string, Layout, number, boolean][] = [
    ["js", "scalar", 1, true],
    ["scalar", "scalar", 1, false],
    ["scalar lane-serial, 2 lanes", "scalar", 2, false],
    ["inst2", "inst2", 1, false],
    ["lock, 2 lanes", "lock", 2, false],
  ];
  for (const [what, layout, lanes, js] of configs) {
    const alone = run(layout, lanes, js, false);
    const shared = run(layout, lanes, js, true);
    if (!js) assert.notDeepEqual(shared.bytes, alone.bytes, `${what}: the lookups are shared`);
    alone.out.forEach((a, j) => {
      const s = shared.out[j];
      for (let k = 0; k < n; k++) {
        assert.ok(Object.is(a[k], s[k]), `${what}: array ${j} entry ${k}: ${a[k]} vs ${s[k]}`);
      }
    });
    // Meaningful slopes: finite and nonzero wherever V is on the table.
    const g0 = alone.out[1];
    const onTable = (v: number) => v >= TABLE_V_MIN && v < TABLE_V_MAX;
    assert.ok(
      lane0.every((v, k) => !onTable(v) || (Number.isFinite(g0[k]) && g0[k] !== 0)),
      `${what}: finite nonzero conductances on the table`,
    );
  }
});
