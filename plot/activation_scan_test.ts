import assert from "node:assert/strict";
import { parseParam } from "../io/mod.ts";
import { scanActivationFiles } from "./activation_scan.ts";
import { inputRoles } from "./input_roles.ts";

const H =
  "# synapse type\tsynapse ID\tsoma distance\tsection ID\tsection pt ID\tdendrite label\tactivation times\n";

Deno.test("scanActivationFiles() sums activations per cell type in 1 ms bins and counts per sweep", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/s0.csv`,
      H + "INH_C2\t0\t1.0\t1\t2\tDendrite\t0.5,0.7,\nVPM_C2\t3\t5.0\t2\t4\tApicalDendrite\t2.5,\n",
    );
    // Python-2 formatting and the 6-column variant without synapse ID are read too.
    await Deno.writeTextFile(`${dir}/s1.csv`, H + "VPM_C3\t5.0\t2\t4\tApicalDendrite\t2.9,12.0,\n");
    const roles = inputRoles(parseParam(
      `{"network": {"INH_C2": {"synapses": {"receptors": {"gaba_syn": {}}}},
                    "VPM_C2": {"synapses": {"receptors": {"glutamate_syn": {}}}}}}`,
      "n.param",
    ));
    const s = await scanActivationFiles(
      [{ sweep: 0, file: `${dir}/s0.csv` }, { sweep: 1, file: `${dir}/s1.csv` }],
      { roles, endMs: 10, detailSweep: 1 },
    );
    // Excitatory, then inhibitory, then unknown (VPM_C3 is not in the network param).
    assert.deepEqual(s.groups.map((g) => [g.name, g.kind]), [
      ["VPM", "excitatory"],
      ["INH", "inhibitory"],
      ["VPM (?)", "unknown"],
    ]);
    assert.deepEqual(s.sweeps, [
      { sweep: 0, activeSynapses: 2, activations: 3 },
      { sweep: 1, activeSynapses: 1, activations: 2 },
    ]);
    assert.deepEqual([...s.totals.get("INH")!.psth.slice(0, 3)], [2, 0, 0]);
    assert.equal(s.totals.get("VPM")!.psth[2], 1);
    assert.equal(s.outOfRange, 1, "12.0 ms is after the 10 ms range");
    assert.equal(s.detail?.sweep, 1);
    assert.deepEqual(s.detail?.rows.map((r) => r.times), [[2.9, 12]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("scanActivationFiles() counts the same with and without keeping rows, and names the line of a bad time", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rows = [
      "L1_C2\t0\t1.0\t1\t2\tDendrite\t0.5,0.7,\r",
      "  ",
      "VPM_C2\t3\t5.0\t2\t4\tApicalDendrite\t2.5, 3.25 ,9.99,",
      "VPM_C2\t4\t5.0\t2\t4\tApicalDendrite\t",
      "L1_C3\t5.0\t2\t4\tSoma\t1e1,",
    ];
    await Deno.writeTextFile(`${dir}/a.csv`, H + rows.join("\n") + "\n");
    const roles = inputRoles(undefined);
    const files = [{ sweep: 0, file: `${dir}/a.csv` }];
    const fast = await scanActivationFiles(files, { roles, endMs: 20, detailSweep: 99 });
    const full = await scanActivationFiles(files, { roles, endMs: 20, detailSweep: 0 });
    assert.equal(fast.detail, undefined);
    assert.equal(full.detail?.rows.length, 4);
    assert.deepEqual(fast.sweeps, full.sweeps);
    assert.deepEqual(fast.sweeps[0], { sweep: 0, activeSynapses: 4, activations: 6 });
    for (const g of ["L1", "VPM"]) {
      assert.deepEqual([...fast.totals.get(g)!.psth], [...full.totals.get(g)!.psth], g);
    }
    assert.equal(fast.totals.get("L1")!.psth[10], 1, "1e1 ms");
    await Deno.writeTextFile(
      `${dir}/b.csv`,
      H + rows[0] + "\nVPM_C2\t3\t5.0\t2\t4\tApicalDendrite\t2.5,x,\n",
    );
    await assert.rejects(
      scanActivationFiles([{ sweep: 1, file: `${dir}/b.csv` }], {
        roles,
        endMs: 20,
        detailSweep: 99,
      }),
      /b\.csv:3: Cannot read an activation time: expected a number, got "x"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
