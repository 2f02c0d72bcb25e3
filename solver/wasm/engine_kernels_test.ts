import assert from "node:assert/strict";
import { createHinesSystem } from "../hines_solver.ts";
import {
  nernstFromTable,
  TABLE_STEP,
  TABLE_V_MAX,
  TABLE_V_MIN,
  updateTablePositions,
} from "../mechanisms/_rate_table.ts";
import type { NodeArrays } from "../mechanisms/_types.ts";
import {
  allocateEngineMemory,
  type EngineMemory,
  f64View,
  i32View,
  importEngineMemory,
  readLane,
  writeLane,
} from "./engine_memory.ts";
import {
  concentrationGrid,
  emitNernst,
  lnTable,
  type NernstSpec,
  nodePositionHook,
  type PositionRegions,
} from "./engine_kernels.ts";
import type { ModuleEmitter } from "./wasm_builder.ts";
import { JsModuleBuilder } from "./js_module.ts";
import { ModuleBuilder } from "./wasm_builder.ts";
import { emitHinesSolve, fillHinesRegions, hinesRegions, type HinesVariant } from "./wasm_hines.ts";

const POS: PositionRegions = {
  interval: "pos.interval",
  frac: "pos.frac",
  concStart: "conc.start",
  concInvWidth: "conc.invWidth",
};

/** Voltages that exercise every branch of the position: grid ends, just outside, huge, ±0. */
const SPECIAL = [
  TABLE_V_MIN,
  TABLE_V_MIN - 1e-13,
  TABLE_V_MIN + TABLE_STEP / 2,
  TABLE_V_MAX,
  TABLE_V_MAX - 1e-13,
  TABLE_V_MAX + 1e-13,
  -65,
  0,
  -0,
  1e6,
  -1e6,
  500,
  -500,
];

/** A solve with the hook, on the WebAssembly tier (any lanes) or the JavaScript tier (1 lane). */
function solveWithPositions(
  n: number,
  lanes: number,
  variant: HinesVariant,
  js: boolean,
): { mem: EngineMemory; solve: () => void } {
  const mem = allocateEngineMemory([
    { name: "v", kind: "f64", length: n, perLane: true },
    { name: "i", kind: "f64", length: n, perLane: true },
    { name: "g", kind: "f64", length: n, perLane: true },
    { name: POS.interval, kind: "i32", length: n, perLane: true },
    { name: POS.frac, kind: "f64", length: n, perLane: true },
    ...hinesRegions(n, variant),
  ], { lanes, wasm: !js });
  // Axial conductances far below the capacitive term: V^{n+1} = V^n to the bit with i = g = 0,
  // so the special voltages reach the hook unchanged.
  const parent = Int32Array.from({ length: n }, (_, k) => (k === 0 ? -1 : (k * 5) % k));
  const gAxial = new Float64Array(n).fill(1e-200);
  const area = Float64Array.from({ length: n }, (_, k) => 10 + k);
  const cm = new Float64Array(n).fill(1);
  fillHinesRegions(mem, createHinesSystem(parent, gAxial, area, cm), variant, 0.025);
  if (js) {
    const mb = new JsModuleBuilder();
    mb.importMemory("env", "memory", { initial: 1 });
    emitHinesSolve(mb, mem, variant, "solve", { onSolved: nodePositionHook(POS) });
    return { mem, solve: mb.instantiate({}, mem.buffer).solve };
  }
  const mb = new ModuleBuilder();
  const imports = importEngineMemory(mb, mem);
  emitHinesSolve(mb, mem, variant, "solve", { onSolved: nodePositionHook(POS) });
  const bytes = mb.encode();
  assert.ok(WebAssembly.validate(bytes));
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;
  return { mem, solve: exports.solve as () => void };
}

for (const variant of ["exact", "fast"] as const) {
  for (const [lanes, js] of [[1, false], [2, false], [4, false], [1, true]] as const) {
    const tier = js ? "the JavaScript tier" : `${lanes} lane(s)`;
    Deno.test(`nodePositionHook() in the ${variant} Hines solve writes updateTablePositions()' bits, ${tier}`, () => {
      const n = 61;
      const { mem, solve } = solveWithPositions(n, lanes, variant, js);
      const interval = i32View(mem, POS.interval);
      for (const step of ["finite", "NaN in the last lane"]) {
        for (let s = 0; s < lanes; s++) {
          const v = Float64Array.from(
            { length: n },
            (_, k) => (k + s) % 3 === 0 ? SPECIAL[(k + 7 * s) % SPECIAL.length] : -170 + k * 4.37,
          );
          if (step !== "finite" && s === lanes - 1) v[n - 1] = NaN;
          writeLane(mem, "v", s, v);
        }
        interval.fill(12345);
        solve();
        for (let s = 0; s < lanes; s++) {
          const v = readLane(mem, "v", s);
          const ref = { v, vInterval: new Int32Array(n), vFrac: new Float64Array(n) };
          updateTablePositions(ref as unknown as NodeArrays);
          const frac = readLane(mem, POS.frac, s);
          let outside = 0;
          for (let k = 0; k < n; k++) {
            const at = `${step}, lane ${s}, node ${k} (V ${v[k]})`;
            assert.equal(interval[k * lanes + s], ref.vInterval[k], `interval, ${at}`);
            assert.ok(
              Object.is(frac[k], ref.vFrac[k]),
              `frac ${frac[k]} vs ${ref.vFrac[k]}, ${at}`,
            );
            if (ref.vInterval[k] < 0) outside++;
          }
          if (step !== "finite" && s === lanes - 1) {
            // A NaN reaches every node of its lane through the solve, and only of its lane.
            assert.ok(v.every(Number.isNaN), `lane ${s}: V is NaN everywhere`);
          } else {
            // Special voltages arrive unchanged (±0 become tiny), and both regimes occur.
            for (let k = 0; k < n; k++) {
              const want = SPECIAL[(k + 7 * s) % SPECIAL.length];
              if ((k + s) % 3 === 0 && want !== 0) {
                assert.ok(Object.is(v[k], want), `node ${k}: ${v[k]} ≠ ${want}`);
              }
            }
            assert.ok(outside > 0 && outside < n, `lane ${s}: ${outside} of ${n} outside`);
          }
        }
      }
    });
  }
}

/** Dynamic-calcium nodes (an odd count, so a one-lane SIMD loop has a lone last node). */
const CA_NODES = Int32Array.from([1, 2, 3, 5, 8, 9, 13, 14, 17]);
/** cai [mM]: on the grid, below (0, 1e-300), above (1e3), negative, NaN, in pairs both ways. */
const CAI = [5e-5, 1e-4, 2.3e-3, 0, 4.9e-4, 1e3, NaN, 7e-5, 1e-300, 3e-4, -1e-4, 6.1e-5, 8e-3];
const NERNST_MV = 12.5;

/** eca after one emitNernst() pass, per lane, for a tier. */
function ecaByNernst(lanes: number, fastMode: boolean, tier: "simd" | "scalar" | "js") {
  const n = 20;
  const grid = concentrationGrid(), ln = lnTable();
  const spec: NernstSpec = {
    nernst: NERNST_MV,
    fastMode,
    regions: { caNodes: "ca.nodes", lnCao: "ca.lnCao", lnTable: "ca.ln" },
    pos: { ...POS, concStart: "conc.start", concInvWidth: "conc.invWidth" },
  };
  const mem = allocateEngineMemory([
    { name: "cai", kind: "f64", length: n, perLane: true },
    { name: "eca", kind: "f64", length: n, perLane: true },
    { name: "cao", kind: "f64", length: n, perLane: false },
    { name: "ca.nodes", kind: "i32", length: CA_NODES.length, perLane: false },
    { name: "ca.lnCao", kind: "f64", length: CA_NODES.length, perLane: false },
    { name: "ca.ln", kind: "f64", length: ln.length, perLane: false },
    { name: "conc.start", kind: "f64", length: grid.start.length, perLane: false },
    { name: "conc.invWidth", kind: "f64", length: grid.start.length, perLane: false },
  ], { lanes, wasm: tier !== "js" });
  const cao = Float64Array.from({ length: n }, (_, k) => 2 + k / 7);
  f64View(mem, "cao").set(cao);
  i32View(mem, "ca.nodes").set(CA_NODES);
  f64View(mem, "ca.lnCao").set(Array.from(CA_NODES, (c) => Math.log(cao[c])));
  f64View(mem, "ca.ln").set(ln);
  f64View(mem, "conc.start").set(grid.start);
  f64View(mem, "conc.invWidth").set(grid.invWidth);
  const cai = Array.from(
    { length: lanes },
    (_, s) => Float64Array.from({ length: n }, (_, k) => CAI[(k + 5 * s) % CAI.length]),
  );
  cai.forEach((x, s) => writeLane(mem, "cai", s, x));
  for (let s = 0; s < lanes; s++) writeLane(mem, "eca", s, new Float64Array(n).fill(-7));
  const build = (mb: ModuleEmitter) => {
    const log = mb.importFunction("math", "log", { params: ["f64"], results: ["f64"] });
    const fb = mb.addFunction({ params: [], results: [] }, { exportAs: "eca" });
    emitNernst(
      fb,
      { mem, math: { log }, dt: 0.025, celsius: 34 },
      CA_NODES.length,
      spec,
      tier === "simd",
    );
  };
  let run: () => void;
  if (tier === "js") {
    const mb = new JsModuleBuilder();
    mb.importMemory("env", "memory", { initial: 1 });
    build(mb);
    run = mb.instantiate({ math: { log: Math.log } }, mem.buffer).eca;
  } else {
    const mb = new ModuleBuilder();
    const imports = importEngineMemory(mb, mem);
    build(mb);
    const bytes = mb.encode();
    assert.ok(WebAssembly.validate(bytes));
    run = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      ...imports,
      math: { log: Math.log },
    }).exports.eca as () => void;
  }
  run();
  return { eca: cai.map((_, s) => readLane(mem, "eca", s)), cai, cao };
}

for (const fastMode of [true, false]) {
  const mode = fastMode ? "fast" : "exact";
  for (
    const [lanes, tier] of [[1, "simd"], [2, "simd"], [1, "scalar"], [2, "scalar"], [
      1,
      "js",
    ]] as const
  ) {
    Deno.test(`emitNernst() ${mode}, ${lanes} lane(s), ${tier}: the JavaScript update's bits on and off the grid`, () => {
      const { eca, cai, cao } = ecaByNernst(lanes, fastMode, tier);
      for (let s = 0; s < lanes; s++) {
        const want = new Float64Array(eca[s].length).fill(-7);
        if (fastMode) {
          const lnCao = Float64Array.from(CA_NODES, (c) => Math.log(cao[c]));
          nernstFromTable(CA_NODES, lnCao, cai[s], want, NERNST_MV);
        } else {
          // solver/run_sweep.ts updateEca: nernst·log(cao/cai)
          for (const c of CA_NODES) want[c] = NERNST_MV * Math.log(cao[c] / cai[s][c]);
        }
        for (let k = 0; k < want.length; k++) {
          assert.ok(
            Object.is(eca[s][k], want[k]),
            `lane ${s} node ${k} (cai ${cai[s][k]}): ${eca[s][k]} vs ${want[k]}`,
          );
        }
      }
    });
  }
}
