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
