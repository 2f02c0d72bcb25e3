import assert from "node:assert/strict";
import { InputValueError } from "../io/mod.ts";
import { readResultFolder } from "./result_folder.ts";

async function folder(names: string[], fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "simrun_plot_folder_" });
  try {
    for (const n of names) await Deno.writeTextFile(`${dir}/${n}`, "");
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const SITE = "apical_proximal_distal_rec_sites_ID_000_sec_038_seg_032_x_0.929_somaDist_920.7";

Deno.test("readResultFolder() reads ISF's 2015 layout: pid-only names, .param.old, no presynaptic files", async () => {
  await folder([
    "20240_vm_all_traces.csv",
    `20240_${SITE}_vm_dend_traces.csv`,
    "20240_neuron_model.param",
    "20240_network_model.param.old",
    "simulation_run0001_synapses.csv",
    "simulation_run0000_synapses.csv",
  ], async (dir) => {
    const f = await readResultFolder(dir);
    assert.equal(f.somaTraces, `${dir}/20240_vm_all_traces.csv`);
    assert.equal(f.siteTraces.length, 1);
    assert.equal(f.siteTraces[0].label, SITE);
    assert.equal(f.siteTraces[0].section, 38);
    assert.equal(f.siteTraces[0].x, 0.929);
    assert.deepEqual(f.synapseFiles.map((s) => s.sweep), [0, 1]);
    assert.equal(f.networkParam, `${dir}/20240_network_model.param.old`);
  });
});

Deno.test("readResultFolder() reads simrun's replay layout (7-digit sweep numbers)", async () => {
  await folder([
    "seed00000_pid7_vm_all_traces.csv",
    "seed00000_pid7_neuron_model.param",
    "seed00000_pid7_network_model.param",
    "simulation_run0000012_synapses.csv",
    "simulation_run0000012_presynaptic_cells.csv",
    "synapse_file_paths.csv",
  ], async (dir) => {
    const f = await readResultFolder(dir);
    assert.deepEqual(f.synapseFiles.map((s) => s.sweep), [12]);
    assert.equal(f.networkParam, `${dir}/seed00000_pid7_network_model.param`);
  });
});

Deno.test("readResultFolder() rejects a folder with two jobs' traces and one without activation files", async () => {
  await folder(["a_vm_all_traces.csv", "b_vm_all_traces.csv"], async (dir) => {
    await assert.rejects(readResultFolder(dir), /Found 2 \*vm_all_traces\.csv files/);
  });
  await folder(["a_vm_all_traces.csv", "a_neuron_model.param"], async (dir) => {
    await assert.rejects(readResultFolder(dir), InputValueError);
  });
  await assert.rejects(readResultFolder("/nonexistent/results"), /no such folder/);
});
