import assert from "node:assert/strict";
import { InputValueError, type ParamObject, parseParam } from "../../io/mod.ts";
import { recordingSites } from "../../solver/mod.ts";
import { buildTestCell, labelBlock, TEST_HOC, testParamText } from "../../solver/_test_cell.ts";
import { applyCellModifyFunctions } from "../cell_modify.ts";

const PAS = '"pas": {"spatial": "uniform", "g": 0.0001}';
const WITH_AXON = testParamText(
  labelBlock("Soma", PAS) + labelBlock("Dendrite", PAS) + labelBlock("ApicalDendrite", PAS) +
    labelBlock("AIS", PAS) + labelBlock("Myelin", PAS),
);

/** TEST_HOC with every point moved by (dx, 0, dz). */
function shifted(dx: number, dz: number): string {
  return TEST_HOC.replace(
    /pt3dadd\(([^,]+),([^,]+),([^,]+),([^)]+)\)/g,
    (_, x, y, z, d) => `pt3dadd(${Number(x) + dx}, ${y.trim()}, ${Number(z) + dz}, ${d.trim()})`,
  );
}

/** Applies `{"scale_morphology": args}` from a param file in `dir`. */
async function apply(dir: string, args: string, paramText = WITH_AXON) {
  const cell = buildTestCell(paramText);
  const param = parseParam(`{"f": {"scale_morphology": ${args}}}`, `${dir}/cell.param`);
  await applyCellModifyFunctions(cell, param.f as ParamObject, {
    paramFile: `${dir}/cell.param`,
    keyPath: "neuron.cell_modify_functions",
  });
  return cell;
}

Deno.test("scale_morphology moves the points part of the way to the target, AIS and Myelin excepted", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/target.hoc`, shifted(100, -40));
    const before = buildTestCell(WITH_AXON);
    const cell = await apply(dir, '{"scale": 0.25, "target_morphology": "target.hoc"}');
    assert.equal(cell.sections.length, before.sections.length);
    for (const [i, s] of cell.sections.entries()) {
      const b = before.sections[i];
      const moved = s.label !== "AIS" && s.label !== "Myelin";
      assert.deepEqual(Array.from(s.x), Array.from(b.x, (v) => v + (moved ? 25 : 0)), `x of ${i}`);
      assert.deepEqual(Array.from(s.y), Array.from(b.y), `y of ${i}`);
      assert.deepEqual(Array.from(s.z), Array.from(b.z, (v) => v + (moved ? -10 : 0)), `z of ${i}`);
      // The simulated geometry stays (ISF changes only sec.pts).
      assert.equal(s.L, b.L);
      assert.deepEqual(s.relPts, b.relPts);
      assert.deepEqual(s.diam, b.diam);
    }
    assert.ok(cell.sections.some((s) => s.label === "AIS"), "the test cell has no AIS");
    // scale 0 keeps the cell, scale 1 gives the target.
    const same = await apply(dir, '{"scale": 0.0, "target_morphology": "target.hoc"}');
    assert.deepEqual(
      same.sections.map((s) => Array.from(s.x)),
      before.sections.map((s) => Array.from(s.x)),
    );
    const full = await apply(dir, '{"scale": 1.0, "target_morphology": "target.hoc"}');
    assert.deepEqual(Array.from(full.sections[3].z), [480, 1280]);
    // Recording sites are looked up by the moved points: with apical_2's tip bent down to
    // (300, 0, 10), a landmark there finds apical_2; on the cell as built, dend_1's tip is closest.
    await Deno.writeTextFile(
      `${dir}/bent.hoc`,
      TEST_HOC.replace("{pt3dadd(0, 0, 1320, 2)}", "{pt3dadd(300, 0, 10, 2)}"),
    );
    const bent = await apply(dir, '{"scale": 1.0, "target_morphology": "bent.hoc"}');
    const landmark = [{ x: 300, y: 0, z: 10 }];
    assert.equal(recordingSites(bent, landmark, "l")[0]!.section, 3);
    assert.equal(recordingSites(before, landmark, "l")[0]!.section, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("scale_morphology refuses a target with another point count, naming the key", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/short.hoc`, TEST_HOC.replace("{pt3dadd(0, 0, 270, 3)}\n", ""));
    await assert.rejects(
      () => apply(dir, '{"scale": 0.5,\n "target_morphology": "short.hoc"}'),
      (e: unknown) =>
        e instanceof InputValueError && e.line === 2 &&
        e.key === "neuron.cell_modify_functions.scale_morphology.target_morphology" &&
        /has 9 3-D points \(pt3dadd lines\), but the cell's sections without AIS and Myelin have 10/
          .test(e.message),
    );
    await assert.rejects(
      () => apply(dir, '{"scale": 0.5, "target_morphology": "missing.hoc"}'),
      /Cannot read target morphology \(\.hoc\) file .*missing\.hoc.*no such file/,
    );
    await assert.rejects(
      () => apply(dir, '{"scale": 0.5}'),
      /needs the argument "target_morphology"/,
    );
    await assert.rejects(
      () => apply(dir, '{"scale": 0.5, "target_morphology": "short.hoc", "home": 1}'),
      /unexpected keyword argument "home"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
