/**
 * The hand-built WebAssembly kernels of the engine's feasibility bench (bench/_wasm_kernels.ts)
 * reproduce today's JavaScript kernels to the bit, in every SIMD layout and every lock-step lane:
 * NaTa_t current and advance (exact with imported Math.exp; exact with the engine's exp against
 * the JavaScript kernel run with that exp; rate table), CaDynamics_E2, and both Hines solves on
 * the cell's own matrix. Tolerance: none (bit identity), because the kernels perform the
 * JavaScript kernels' IEEE operations in their order; a lane computed in lock-step must equal
 * the sweep computed alone (issue 13, "bit for bit in exact mode").
 *
 * @module
 */
import assert from "node:assert/strict";
import { buildKernels, KERNELS, LAYOUTS } from "../bench/_wasm_kernels.ts";
import { checkBits, loadWasmModel, type WasmBenchModel } from "../bench/wasm_bench.ts";
import { isfPathMap, repoDir, sharedDir, sharedPath } from "./_shared.ts";

function checkModel(model: WasmBenchModel): void {
  for (const layout of LAYOUTS) {
    const set = buildKernels(model.inputs, layout, model.dt);
    for (const name of KERNELS) {
      const differ = checkBits(model, set, name, layout);
      assert.equal(differ, 0, `${name} (${layout}): ${differ} values differ from JavaScript`);
    }
  }
}

for (const dt of [0.025, 2.5]) {
  // dt = 2.5 ms makes the cnexp factors large, so a changed rounding anywhere in a kernel shows in
  // its outputs (at 0.025 ms the Ca pool's update absorbs a last-bit change of its drive).
  Deno.test(`wasm kernels equal the JavaScript kernels to the bit on the example pyramid, dt ${dt} ms (every layout, every lane)`, async () => {
    const model = await loadWasmModel(`${repoDir()}/examples/model/example_pyramid.param`, [], dt);
    assert.ok(model.inputs.nataNode.length > 0 && model.inputs.cadNode.length > 0);
    checkModel(model);
  });
}

Deno.test({
  name:
    "wasm kernels equal the JavaScript kernels to the bit on 86_C2_center (every layout, every lane)",
  ignore: sharedDir() === undefined,
  async fn() {
    const model = await loadWasmModel(
      sharedPath("reference", "single_cell", "A2_step_1p0_neuron_model.param"),
      isfPathMap(),
    );
    assert.equal(model.inputs.nodes, 1313);
    assert.equal(model.inputs.nataNode.length, 638);
    checkModel(model);
  },
});
