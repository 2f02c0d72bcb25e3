import assert from "node:assert/strict";
import { appendSubmissions, readSubmissions, taskPath } from "./campaign.ts";
import { CampaignError } from "./campaign_error.ts";
import { resumeCampaign } from "./resume.ts";
import { runCampaignTask } from "./task.ts";
import { demoCampaign } from "./testdata/demo_campaign.ts";

Deno.test("resumeCampaign() submits a --dry-run campaign whole, within MaxArraySize", async () => {
  using c = await demoCampaign({ nSweeps: 6 }); // 6 tasks, MaxArraySize 4
  const dir = c.submitted.dir;
  const r = await resumeCampaign(dir, { run: c.slurm.run });
  assert.deepEqual(r.tasks, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(
    c.slurm.calls.filter((x) => x[0] === "sbatch").map((x) => [x[2], x[4]]),
    [["--array=0-3", "0"], ["--array=0-1", "4"]],
  );
  assert.deepEqual((await readSubmissions(dir)).map((s) => [s.jobId, s.tasks]), [
    ["100", [0, 1, 2, 3]],
    ["101", [4, 5]],
  ]);
});

Deno.test("resumeCampaign() submits only failed and missing tasks and clears their notes", async () => {
  using c = await demoCampaign({ nSweeps: 6 }); // tasks 0-5
  const dir = c.submitted.dir;
  await runCampaignTask(dir, 0, { progress: "quiet" });
  await appendSubmissions(dir, [
    { jobId: "100", offset: 0, array: "0-3", tasks: [0, 1, 2, 3], submitted: "" },
    { jobId: "101", offset: 4, array: "0-1", tasks: [4, 5], submitted: "" },
  ]);
  c.slurm.states.set("100_1", "RUNNING");
  c.slurm.states.set("100_2", "FAILED");
  c.slurm.states.set("101_0", "PENDING");
  await Deno.writeTextFile(taskPath(dir, 2, "failed"), "boom\n");
  // task 3 (100_3) and task 5 (101_1) left the queue without a trace: missing.
  const dry = await resumeCampaign(dir, { run: c.slurm.run, dryRun: true });
  assert.deepEqual(dry.tasks, [2, 3, 5]);
  assert.equal(c.slurm.calls.filter((x) => x[0] === "sbatch").length, 0);
  const r = await resumeCampaign(dir, { run: c.slurm.run });
  assert.deepEqual(r.tasks, [2, 3, 5]);
  assert.deepEqual(
    c.slurm.calls.filter((x) => x[0] === "sbatch").map((x) => [x[2], x[4]]),
    [["--array=2-3", "0"], ["--array=1", "4"]],
  );
  await assert.rejects(() => Deno.stat(taskPath(dir, 2, "failed")), Deno.errors.NotFound);
  assert.match(await Deno.readTextFile(`${dir}/tasks/logs/failures.log`), /task 2: boom/);
  const subs = await readSubmissions(dir);
  assert.deepEqual(subs.slice(2).map((s) => s.tasks), [[2, 3], [5]]);
});

Deno.test("resumeCampaign() refuses when squeue does not answer, and does nothing when all is well", async () => {
  using c = await demoCampaign();
  c.slurm.queueUp = false;
  await assert.rejects(
    () => resumeCampaign(c.submitted.dir, { run: c.slurm.run }),
    CampaignError,
    "squeue",
  );
  c.slurm.queueUp = true;
  await appendSubmissions(c.submitted.dir, [{
    jobId: "100",
    offset: 0,
    array: "0-3",
    tasks: [0, 1, 2, 3],
    submitted: "",
  }]);
  for (const k of [0, 1, 2, 3]) c.slurm.states.set(`100_${k}`, "PENDING");
  const r = await resumeCampaign(c.submitted.dir, { run: c.slurm.run });
  assert.deepEqual(r.tasks, []);
  assert.equal(c.slurm.calls.filter((x) => x[0] === "sbatch").length, 0);
});
