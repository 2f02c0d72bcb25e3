/**
 * Recorder plugins end to end on the ISF example cell: the example calcium hot-zone recorder
 * (examples/plugins/cai_hot_zone_recorder.ts) picks its sites, receives the solver's traces once
 * per sweep in its own process, and writes into its own folder of the job exactly the values an
 * in-process `simulate()` records.
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { parsePathMap } from "../io/path_map.ts";
import { openRecorders } from "../plugins/recorder.ts";
import { createCell } from "../simrun/create_cell.ts";
import { segmentSomaDistances } from "../solver/distances.ts";
import { simulate } from "../solver/simulation.ts";
import { isfPathMap, sharedDir, sharedPath } from "./_shared.ts";

/** Short sweeps keep the test fast; 5 ms at dt 0.025 ms is 201 samples (plus rounding). */
const T_STOP_MS = 5;

const RECORDER = fileURLToPath(
  new URL("../examples/plugins/cai_hot_zone_recorder.ts", import.meta.url),
);

function parseCsv(text: string): { header: string[]; rows: number[][] } {
  const lines = text.trimEnd().split("\n");
  return {
    header: lines[0].split(","),
    rows: lines.slice(1).map((l) => l.split(",").map(Number)),
  };
}

Deno.test({
  name: "the cai hot-zone recorder writes the solver's cai traces into the job folder",
  ignore: sharedDir() === undefined,
  async fn() {
    const jobDir = await Deno.makeTempDir({ prefix: "simrun_recorder_" });
    const { cell, sim } = await createCell(
      sharedPath("data", "isf_example", "biophysical_constraints", "86_C2_center.param"),
      { pathMap: parsePathMap(isfPathMap()) },
    );
    const rec = await openRecorders([{ path: RECORDER }], { jobDir });
    try {
      const sites = await rec.sites(cell);
      // Sites: apical segment nodes 900–1100 µm from soma(0), recording cai.
      const dist = segmentSomaDistances(cell);
      assert.ok(sites.length > 0, "no hot-zone sites");
      for (const s of sites) {
        const sec = cell.sections[s.section];
        assert.equal(sec.label, "ApicalDendrite");
        assert.equal(s.variable, "cai");
        const i = Math.floor(s.x * sec.nseg);
        assert.ok(Math.abs(s.x - (i + 0.5) / sec.nseg) < 1e-12, `x ${s.x} is not a segment centre`);
        assert.ok(dist[s.section][i] >= 900 && dist[s.section][i] <= 1100);
      }
      const options = {
        vInit: sim.vInit,
        tStop: T_STOP_MS,
        dt: sim.dt,
        celsius: sim.celsius,
        record: sites,
      };
      // Two sweeps through the recorder (copied into its process; the caller's arrays stay) …
      for (const sweep of [0, 1]) {
        const run = simulate(cell, options);
        const first = run.traces[0][run.traces[0].length - 1];
        await rec.deliver(sweep, run.t, run.traces);
        assert.equal(run.traces[0][run.traces[0].length - 1], first);
      }
      await rec.close();
      // … must equal an in-process recording of the same variable, value for value (the CSV
      // holds shortest round-trip decimals, so parsing gives back the same doubles).
      const expected = simulate(cell, options);
      const changed = expected.traces.some((tr) => tr.some((v) => v !== tr[0]));
      assert.ok(changed, "cai never changed: the comparison would be vacuous");
      for (const sweep of [0, 1]) {
        const csv = parseCsv(
          await Deno.readTextFile(`${rec.folders[0]}/cai_hot_zone_run000${sweep}.csv`),
        );
        assert.equal(csv.header.length, sites.length + 1);
        assert.equal(csv.header[0], "t");
        assert.equal(csv.rows.length, expected.t.length, "sample count");
        for (let k = 0; k < expected.t.length; k++) {
          assert.equal(csv.rows[k][0], expected.t[k], `t at sample ${k}`);
          for (let j = 0; j < sites.length; j++) {
            assert.equal(
              csv.rows[k][j + 1],
              expected.traces[j][k],
              `sweep ${sweep}, ${csv.header[j + 1]}, sample ${k}`,
            );
          }
        }
      }
      const summary = JSON.parse(
        await Deno.readTextFile(`${rec.folders[0]}/cai_hot_zone_summary.json`),
      );
      assert.equal(summary.sites.length, sites.length);
      assert.deepEqual(summary.sweeps.map((s: { sweep: number }) => s.sweep), [0, 1]);
      assert.equal(summary.sweeps[0].peakCaiMm[0], Math.max(...expected.traces[0]));
    } finally {
      rec.abort();
      await Deno.remove(jobDir, { recursive: true });
    }
  },
});
