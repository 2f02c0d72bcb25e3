/**
 * The engine's tiers give the same bits: WebAssembly SIMD (2 and 4 lock-step sweeps), scalar
 * WebAssembly (forced with `selectEngineTier({ atMost: "scalar" })`), and the JavaScript kernels
 * running on the engine memory's views (forced with `atMost: "js"`, and for real in a runtime
 * without WebAssembly: V8's `--jitless`). Shown on the Hines solve of the example pyramid's
 * matrix, both variants. Tolerance: none (the tiers perform the same IEEE operations in the same
 * order, so a sweep's result must not depend on the machine it lands on).
 *
 * @module
 */
import assert from "node:assert/strict";
import { parsePathMap } from "../io/path_map.ts";
import { createCell } from "../simrun/create_cell.ts";
import { type HinesSystem, stepVoltage, stepVoltageFast } from "../solver/hines_solver.ts";
import { prepareModel } from "../solver/prepare_model.ts";
import {
  allocateEngineMemory,
  emitHinesSolve,
  type EngineMemory,
  type EngineTier,
  f64View,
  fillHinesRegions,
  hinesRegions,
  type HinesVariant,
  importEngineMemory,
  ModuleBuilder,
  readLane,
  selectEngineTier,
  writeLane,
} from "../solver/wasm/mod.ts";
import { repoDir } from "./_shared.ts";

async function pyramidSystem(): Promise<HinesSystem> {
  const { cell, sim } = await createCell(`${repoDir()}/examples/model/example_pyramid.param`, {
    pathMap: parsePathMap([]),
  });
  return prepareModel(cell, {
    vInit: sim.vInit,
    tStop: 1,
    dt: 0.025,
    celsius: sim.celsius,
    rateTables: true,
    units: "modern",
  }).system;
}

/** One solve step on the engine memory, by tier: the JavaScript solve on views, or WebAssembly. */
function solver(
  tier: EngineTier,
  mem: EngineMemory,
  system: HinesSystem,
  variant: HinesVariant,
): () => void {
  if (tier === "js") {
    // The JavaScript kernels index the engine memory's views (one lane: plain structure of arrays);
    // the memory's `hines.parent` holds byte addresses for the WebAssembly loops, so the parent
    // indices come from the system.
    const onViews: HinesSystem = {
      ...system,
      parent: system.parent,
      upper: f64View(mem, "hines.upper"),
      lower: f64View(mem, "hines.lower"),
      d: f64View(mem, "hines.d"),
      rhs: f64View(mem, "hines.rhs"),
    };
    const [v, i, g] = [f64View(mem, "v"), f64View(mem, "i"), f64View(mem, "g")];
    const step = variant === "exact" ? stepVoltage : stepVoltageFast;
    return () => step(onViews, v, i, g, 0.025);
  }
  const mb = new ModuleBuilder();
  const imports = importEngineMemory(mb, mem);
  emitHinesSolve(mb, mem, variant, "solve");
  return new WebAssembly.Instance(new WebAssembly.Module(mb.encode()), imports).exports
    .solve as () => void;
}

/** Runs 20 steps of 4 sweeps through `tier` (lanes: 4 for simd, else one sweep at a time). */
function runTier(
  tier: EngineTier,
  lanes: number,
  system: HinesSystem,
  variant: HinesVariant,
): Float64Array[] {
  const n = system.parent.length;
  const sweeps = 4;
  const out: Float64Array[] = [];
  for (let first = 0; first < sweeps; first += lanes) {
    const mem = allocateEngineMemory([
      { name: "v", kind: "f64", length: n, perLane: true },
      { name: "i", kind: "f64", length: n, perLane: true },
      { name: "g", kind: "f64", length: n, perLane: true },
      ...hinesRegions(n, "exact"),
      ...hinesRegions(n, "fast").filter((r) => r.name !== "hines.rhs"),
    ], { lanes, wasm: tier !== "js" });
    fillHinesRegions(mem, system, "exact", 0.025);
    fillHinesRegions(mem, system, "fast", 0.025);
    const step = solver(tier, mem, system, variant);
    for (let s = 0; s < lanes; s++) {
      writeLane(
        mem,
        "v",
        s,
        Float64Array.from({ length: n }, (_, k) => -75 + 0.01 * k * (first + s + 1)),
      );
    }
    for (let t = 0; t < 20; t++) {
      for (let s = 0; s < lanes; s++) {
        // Inputs depend on the sweep (its global index) and the step only.
        const sweep = first + s;
        writeLane(
          mem,
          "i",
          s,
          Float64Array.from({ length: n }, (_, k) => Math.sin(k + t + 7 * sweep) * 1e-3),
        );
        writeLane(
          mem,
          "g",
          s,
          Float64Array.from({ length: n }, (_, k) => (1 + Math.cos(k * sweep + t)) * 1e-4),
        );
      }
      step();
    }
    for (let s = 0; s < lanes; s++) out.push(readLane(mem, "v", s));
  }
  return out;
}

for (const variant of ["exact", "fast"] as const) {
  Deno.test(`engine tiers simd (2 and 4 lanes), scalar and js give the same bits per sweep (${variant} Hines solve)`, async () => {
    const system = await pyramidSystem();
    const tiers: [EngineTier, number][] = [
      [selectEngineTier({ atMost: "js" }), 1],
      [selectEngineTier({ atMost: "scalar" }), 1],
      [selectEngineTier(), 2],
      [selectEngineTier(), 4],
    ];
    assert.deepEqual(tiers.map(([t]) => t), ["js", "scalar", "simd", "simd"]);
    const [reference, ...others] = tiers.map(([tier, lanes]) =>
      runTier(tier, lanes, system, variant)
    );
    others.forEach((run, j) => {
      for (let s = 0; s < reference.length; s++) {
        for (let k = 0; k < reference[s].length; k++) {
          assert.ok(
            Object.is(run[s][k], reference[s][k]),
            `${tiers[j + 1][0]} ×${tiers[j + 1][1]}: sweep ${s} node ${k}: ${run[s][k]} vs js ${
              reference[s][k]
            }`,
          );
        }
      }
    });
  });
}

Deno.test("without WebAssembly (V8 --jitless) the engine selects the JavaScript tier and its memory still works", async () => {
  const dir = await Deno.makeTempDir({ prefix: "simrun_jitless_" });
  try {
    const script = `${dir}/probe.ts`;
    const wasmMod = new URL("../solver/wasm/mod.ts", import.meta.url).href;
    const hines = new URL("../solver/hines_solver.ts", import.meta.url).href;
    await Deno.writeTextFile(
      script,
      `import { allocateEngineMemory, f64View, selectEngineTier } from "${wasmMod}";
import { createHinesSystem, stepVoltage } from "${hines}";
const tier = selectEngineTier();
const mem = allocateEngineMemory([{ name: "v", kind: "f64", length: 3, perLane: true }]);
const v = f64View(mem, "v");
v.set([0, 10, -5]);
const plain = Float64Array.from(v);
const mk = () => createHinesSystem(new Int32Array([-1, 0, 1]), new Float64Array([0, 1, 3]),
  new Float64Array([100, 50, 100]), new Float64Array([1, 1, 1]));
stepVoltage(mk(), v, new Float64Array([1, 0, 2]), new Float64Array(3), 0.025);
stepVoltage(mk(), plain, new Float64Array([1, 0, 2]), new Float64Array(3), 0.025);
console.log(JSON.stringify({ wasm: typeof WebAssembly, tier, memory: mem.memory === undefined ? "plain" : "wasm",
  same: v.every((x, k) => Object.is(x, plain[k])) }));
`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-lock",
        "--v8-flags=--jitless",
        `--allow-read=${repoDir()},${dir}`,
        script,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout).trim();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    assert.deepEqual(JSON.parse(text), {
      wasm: "undefined",
      tier: "js",
      memory: "plain",
      same: true,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
