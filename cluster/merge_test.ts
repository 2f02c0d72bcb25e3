import assert from "node:assert/strict";
import { runJobs } from "../simrun/mod.ts";
import { parsePathMap } from "../io/mod.ts";
import { taskPath } from "./campaign.ts";
import { CampaignError } from "./campaign_error.ts";
import { mergeCampaign } from "./merge.ts";
import { runCampaignTask } from "./task.ts";
import { demoCampaign } from "./testdata/demo_campaign.ts";
import { jobFolders } from "./testdata/job_folders.ts";

Deno.test("mergeCampaign() gives byte for byte the folders of runJobs with the same seeds", async () => {
  using c = await demoCampaign();
  const { dir, campaign } = c.submitted;
  for (const t of campaign.tasks) await runCampaignTask(dir, t.index, { progress: "quiet" });
  const r = await mergeCampaign(dir, { pid: 4242 });
  assert.equal(r.alreadyMerged, false);
  assert.deepEqual(r.jobs.map((j) => j.seed), campaign.run.seeds);
  for (const j of r.jobs) {
    assert.match(j.output, new RegExp(`/results/\\d{8}-\\d{4}_seed${j.seed}_pid4242$`));
  }
  // The reference: each seed alone in this thread (the same files as --nprocs 2, which
  // tests/run_workflow_test.ts checks; job workers take seconds to start under deno test).
  for (const seed of campaign.run.seeds) {
    await runJobs({
      cellParam: c.cell,
      networkParam: c.network,
      dirPrefix: `${c.tmp}/ref`,
      nSweeps: 3,
      seeds: [seed],
      tStop: 20,
      tStopIsFloat: false,
      rng: "simrun",
      tar: false,
      pathMap: parsePathMap([]),
      plugins: [],
      progress: "quiet",
    });
  }
  const merged = await jobFolders(`${c.tmp}/results`);
  const ref = await jobFolders(`${c.tmp}/ref/results`);
  assert.equal(merged.size, 2);
  assert.deepEqual([...merged.keys()].sort(), [...ref.keys()].sort());
  for (const [seed, files] of ref) {
    assert.deepEqual([...merged.get(seed)!.keys()].sort(), [...files.keys()].sort());
    assert.ok(files.has("vm_all_traces.csv") && files.has("simulation_run0002_synapses.csv"));
    for (const [name, text] of files) {
      assert.equal(merged.get(seed)!.get(name), text, `seed ${seed}: ${name}`);
    }
  }
  // A second merge writes nothing and names the same folders.
  const again = await mergeCampaign(dir, { pid: 1 });
  assert.equal(again.alreadyMerged, true);
  assert.deepEqual(again.jobs, r.jobs);
});

Deno.test("mergeCampaign() refuses an incomplete campaign, naming every task not done", async () => {
  using c = await demoCampaign();
  const dir = c.submitted.dir;
  await runCampaignTask(dir, 0, { progress: "quiet" });
  await runCampaignTask(dir, 2, { progress: "quiet" });
  await assert.rejects(() => mergeCampaign(dir), (e: unknown) => {
    assert.ok(e instanceof CampaignError);
    assert.deepEqual(e.tasks, [1, 3]);
    assert.match(e.message, /task\(s\) 1, 3 of 4 not done/);
    return true;
  });
  const results = [...Deno.readDirSync(`${c.tmp}/results`)].map((e) => e.name);
  assert.equal(results.length, 1, `only the campaign folder: ${results}`);
});

Deno.test("mergeCampaign() refuses a task file that changed after the task finished", async () => {
  using c = await demoCampaign({ nprocs: 1 });
  const dir = c.submitted.dir;
  for (const t of c.submitted.campaign.tasks) {
    await runCampaignTask(dir, t.index, { progress: "quiet" });
  }
  const done = taskPath(dir, 1, "done");
  const job = [...Deno.readDirSync(`${done}/results`)][0]!.name;
  const f = `${done}/results/${job}/simulation_run0002_synapses.csv`;
  const text = await Deno.readTextFile(f);
  await Deno.writeTextFile(f, text.slice(0, -2) + (text.at(-2) === "1" ? "2" : "1") + "\n"); // same size
  await assert.rejects(
    () => mergeCampaign(dir),
    CampaignError,
    "simulation_run0002_synapses.csv changed",
  );
  const results = [...Deno.readDirSync(`${c.tmp}/results`)].map((e) => e.name);
  assert.equal(results.length, 1, `nothing merged: ${results}`);
});
