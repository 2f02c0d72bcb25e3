import assert from "node:assert/strict";
import { createHinesSystem, stepVoltage, stepVoltageFast } from "../hines_solver.ts";
import {
  allocateEngineMemory,
  f64View,
  importEngineMemory,
  readLane,
  writeLane,
} from "./engine_memory.ts";
import { ModuleBuilder } from "./wasm_builder.ts";
import { emitHinesSolve, fillHinesRegions, hinesRegions, type HinesVariant } from "./wasm_hines.ts";

/** A reproducible generator in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** A random tree of n nodes (parent < child) with zero-area end nodes, as a lowered cell has. */
function randomSystem(n: number, seed: number) {
  const r = rng(seed);
  const parent = new Int32Array(n);
  parent[0] = -1;
  for (let k = 1; k < n; k++) parent[k] = Math.floor(r() * k);
  const gAxial = Float64Array.from({ length: n }, () => 0.01 + r());
  const area = Float64Array.from({ length: n }, () => (r() < 0.1 ? 0 : 10 + 500 * r()));
  const cm = Float64Array.from({ length: n }, () => 0.5 + r());
  return { parent, gAxial, area, cm, r };
}

for (const variant of ["exact", "fast"] as const satisfies readonly HinesVariant[]) {
  for (const lanes of [1, 2, 4]) {
    Deno.test(`emitHinesSolve() ${variant}, ${lanes} lane(s), equals the JavaScript solve to the bit per sweep`, () => {
      const n = 157;
      const dt = 0.025;
      const { parent, gAxial, area, cm, r } = randomSystem(n, 42 + lanes);
      const mem = allocateEngineMemory([
        { name: "v", kind: "f64", length: n, perLane: true },
        { name: "i", kind: "f64", length: n, perLane: true },
        { name: "g", kind: "f64", length: n, perLane: true },
        ...hinesRegions(n, variant),
      ], { lanes });
      const system = createHinesSystem(parent, gAxial, area, cm);
      fillHinesRegions(mem, system, variant, dt);
      const mb = new ModuleBuilder();
      const imports = importEngineMemory(mb, mem);
      emitHinesSolve(mb, mem, variant, "solve");
      const bytes = mb.encode();
      assert.ok(WebAssembly.validate(bytes));
      const solve = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports
        .solve as () => void;
      // One JavaScript system per sweep (the fast solve keeps per-system work arrays).
      const js = Array.from({ length: lanes }, () => ({
        system: createHinesSystem(parent, gAxial, area, cm),
        v: Float64Array.from({ length: n }, () => -80 + 40 * r()),
        i: new Float64Array(n),
        g: new Float64Array(n),
      }));
      for (let s = 0; s < lanes; s++) writeLane(mem, "v", s, js[s].v);
      for (let step = 0; step < 6; step++) {
        for (let s = 0; s < lanes; s++) {
          const sw = js[s];
          for (let k = 0; k < n; k++) {
            sw.i[k] = (r() - 0.5) * 1e-2;
            sw.g[k] = r() * 1e-3;
          }
          writeLane(mem, "i", s, sw.i);
          writeLane(mem, "g", s, sw.g);
          if (variant === "exact") stepVoltage(sw.system, sw.v, sw.i, sw.g, dt);
          else stepVoltageFast(sw.system, sw.v, sw.i, sw.g, dt);
        }
        solve();
        for (let s = 0; s < lanes; s++) {
          const v = readLane(mem, "v", s);
          for (let k = 0; k < n; k++) {
            assert.ok(
              Object.is(v[k], js[s].v[k]),
              `step ${step} sweep ${s} node ${k}: wasm ${v[k]} vs js ${js[s].v[k]}`,
            );
          }
        }
        // i and g are zeroed for the next current evaluation, as the JavaScript solve does.
        assert.ok(
          f64View(mem, "i").every((x) => x === 0) && f64View(mem, "g").every((x) => x === 0),
        );
      }
    });
  }
}
