import assert from "node:assert/strict";
import { InputSyntaxError, InputValueError } from "../io/mod.ts";
import { plotResultFolder } from "./plot_folder.ts";

/** A tiny result folder: a two-section cell, two sweeps, one activation file per sweep. */
async function tinyFolder(dir: string, synapses0: string): Promise<string> {
  const model = `${dir}/model`, job = `${dir}/job`;
  await Deno.mkdir(model);
  await Deno.mkdir(job);
  await Deno.writeTextFile(
    `${model}/cell.hoc`,
    "{create soma}\n{pt3dadd(0,0,0,10)}\n{pt3dadd(0,10,0,10)}\n\n" +
      "{create apical_1}\n{connect apical_1(0), soma(1)}\n{pt3dadd(0,10,0,2)}\n{pt3dadd(0,200,0,1)}\n",
  );
  await Deno.writeTextFile(
    `${job}/seed1_pid2_neuron_model.param`,
    JSON.stringify({ neuron: { filename: "cell.hoc" }, sim: { tStop: 20 } }),
  );
  await Deno.writeTextFile(
    `${job}/seed1_pid2_network_model.param`,
    JSON.stringify({
      network: { X_C2: { celltype: "spiketrain", synapses: { receptors: { glutamate_syn: {} } } } },
    }),
  );
  const rows = ["t\tVm run 00\tVm run 01"];
  for (let k = 0; k <= 800; k++) {
    const t = k * 0.025;
    rows.push(`${t}\t${k % 200 === 100 ? 20 : -70}\t-70.0`);
  }
  await Deno.writeTextFile(`${job}/seed1_pid2_vm_all_traces.csv`, rows.join("\n") + "\n");
  await Deno.writeTextFile(
    `${job}/seed1_pid2_x_ID_000_sec_001_seg_000_x_0.500_somaDist_100.0_vm_dend_traces.csv`,
    rows.join("\n") + "\n",
  );
  const h =
    "# synapse type\tsynapse ID\tsoma distance\tsection ID\tsection pt ID\tdendrite label\tactivation times\n";
  await Deno.writeTextFile(`${job}/simulation_run0000_synapses.csv`, h + synapses0);
  await Deno.writeTextFile(
    `${job}/simulation_run0001_synapses.csv`,
    h + "X_C2\t1\t5.0\t1\t0\tApicalDendrite\t3.0,\n",
  );
  return job;
}

Deno.test("plotResultFolder() writes five figures, their specs, summary.json and index.html, and never overwrites", async () => {
  const dir = await Deno.makeTempDir({ prefix: "simrun_plot_unit_" });
  try {
    const job = await tinyFolder(dir, "X_C2\t0\t5.0\t1\t1\tApicalDendrite\t1.5,7.25,\n");
    const r = await plotResultFolder(job, { paramDir: `${dir}/model` });
    assert.equal(r.out, `${job}/plots`);
    assert.deepEqual(r.figures, ["vm", "input_raster", "input_psth", "output", "morphology"]);
    const names = [...Deno.readDirSync(r.out)].map((e) => e.name).sort();
    assert.equal(names.length, 5 * 3 + 2);
    assert.ok(names.includes("index.html") && names.includes("summary.json"));
    assert.deepEqual(r.numbers.perSweep.map((s) => [s.sweep, s.spikes, s.activations]), [
      [0, 4, 2],
      [1, 0, 1],
    ]);
    assert.equal(r.numbers.stimulusMs, null, "a spiketrain has no onset");
    await assert.rejects(
      plotResultFolder(job, { paramDir: `${dir}/model` }),
      Deno.errors.AlreadyExists,
    );
    await assert.rejects(
      plotResultFolder(job, {
        paramDir: `${dir}/model`,
        out: `${dir}/x`,
        sweeps: { start: 5, end: 9 },
      }),
      (e: unknown) => e instanceof InputValueError && /--sweeps 5:9 selects none/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plotResultFolder() writes nothing when an activation file is malformed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "simrun_plot_unit_" });
  try {
    const job = await tinyFolder(dir, "X_C2\t0\t5.0\tone\t1\tApicalDendrite\t1.5,\n");
    await assert.rejects(
      plotResultFolder(job, { paramDir: `${dir}/model` }),
      (e: unknown) => e instanceof InputSyntaxError && e.line === 2 && /section ID/.test(e.message),
    );
    assert.deepEqual(
      [...Deno.readDirSync(job)].filter((e) => e.name.startsWith("plots")),
      [],
      "no plots/ and no plots_running/",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
