import assert from "node:assert/strict";
import { InputValueError, parsePathMap } from "../io/mod.ts";
import { labelBlock, TEST_HOC } from "../solver/_test_cell.ts";
import { prepareModel } from "../solver/mod.ts";
import { createCell, modelSettings } from "./create_cell.ts";

async function withParam(sim: string, fn: (p: string) => Promise<void>, extra = ""): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "simrun_cc_" });
  try {
    await Deno.writeTextFile(`${dir}/m.hoc`, TEST_HOC);
    await Deno.writeTextFile(`${dir}/lm.landmarkAscii`, "@1\n0 0 100\n");
    const p = `${dir}/c.param`;
    await Deno.writeTextFile(
      p,
      `{\n"neuron": {"filename": "/foreign/prefix/m.hoc", ${extra}\n${
        labelBlock("Soma", '"pas": {"spatial": "uniform", "g": 0.0001}')
      }},\n"sim": ${sim}\n}`,
    );
    await fn(p);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("createCell: resolves paths through the path map, applies cell-modify functions, reads sim", async () => {
  await withParam(
    '{"Vinit": -75.0, "tStop": 250.0, "dt": 0.025, "T": 34.0, "recordingSites": ["/foreign/prefix/lm.landmarkAscii"]}',
    async (p) => {
      const dir = p.slice(0, p.lastIndexOf("/") + 1);
      const r = await createCell(p, { pathMap: parsePathMap([`/foreign/prefix/=${dir}`]) });
      assert.equal(r.cell.sections.length, 4);
      const { where, ...values } = r.sim;
      assert.deepEqual(values, {
        vInit: -75,
        tStop: 250,
        dt: 0.025,
        celsius: 34,
        recordingSites: [`${dir}lm.landmarkAscii`],
      });
      assert.equal(where.dt.key, "sim.dt");
      assert.equal(where.recordingSites[0].key, "sim.recordingSites.0");
      assert.equal(r.cell.pointProcesses.length, 1);
      assert.equal((r.param.sim as Record<string, unknown>).dt, 0.025);
    },
    '"cell_modify_functions": {"soma_current_injection": {"amplitude": 0.5, "delay": 1, "duration": 2}},',
  );
});

Deno.test("createCell: bad sim values and a missing hoc are InputValueErrors with file:line:key", async () => {
  const solver = { rateTables: true, units: "modern" } as const;
  for (
    const [sim, key] of [
      ['{"Vinit": -75.0, "tStop": 250.0, "dt": 0.0, "T": 34.0}', "sim.dt"],
      ['{"Vinit": 1e300, "tStop": 250.0, "dt": 0.025, "T": 34.0}', "sim.Vinit"],
      ['{"Vinit": -75.0, "tStop": 250.0, "dt": 0.025, "T": 1e300}', "sim.T"],
      ['{"Vinit": -75.0, "tStop": 250.0, "dt": 1e-300, "T": 34.0}', "sim.dt"],
      ['{"Vinit": -75.0, "tStop": 1e20, "dt": 0.025, "T": 34.0}', "sim.tStop"],
    ]
  ) {
    await withParam(sim, async (p) => {
      const dir = p.slice(0, p.lastIndexOf("/") + 1);
      const created = await createCell(p, { pathMap: parsePathMap([`/foreign/prefix/=${dir}`]) });
      // The one rule for the protocol is checked when the model is prepared, before any run.
      assert.throws(() => prepareModel(created.cell, modelSettings(created, solver)), (e) => {
        assert.ok(e instanceof InputValueError, String(e));
        assert.equal(e.file, p);
        assert.equal(e.key, key);
        assert.ok(e.line > 0);
        return true;
      });
    });
  }
  await withParam('{"Vinit": -75.0, "tStop": 250.0, "dt": 0.025, "T": 34.0}', async (p) => {
    await assert.rejects(createCell(p, { pathMap: parsePathMap([]) }), /Cannot find morphology/);
  });
  await withParam('{"Vinit": -75.0, "dt": 0.1, "T": 34.0}', async (p) => {
    const dir = p.slice(0, p.lastIndexOf("/") + 1);
    await assert.rejects(
      createCell(p, { pathMap: parsePathMap([`/foreign/prefix/=${dir}`]) }),
      /Missing key "tStop"/,
    );
  });
});

Deno.test("createCell() with resolveRecordingSites false returns landmark paths as written", async () => {
  await withParam(
    '{"Vinit": -75.0, "tStop": 250.0, "dt": 0.025, "T": 34.0, "recordingSites": ["/nowhere/sites.landmarkAscii"]}',
    async (p) => {
      const dir = p.slice(0, p.lastIndexOf("/") + 1);
      const pathMap = parsePathMap([`/foreign/prefix/=${dir}`]);
      await assert.rejects(createCell(p, { pathMap }), /recording-site/);
      const r = await createCell(p, { pathMap, resolveRecordingSites: false });
      assert.deepEqual(r.sim.recordingSites, ["/nowhere/sites.landmarkAscii"]);
    },
  );
});
