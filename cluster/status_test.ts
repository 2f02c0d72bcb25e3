import assert from "node:assert/strict";
import { appendSubmissions, taskPath } from "./campaign.ts";
import { campaignStatus, formatCampaignStatus } from "./status.ts";
import { runCampaignTask } from "./task.ts";
import { demoCampaign } from "./testdata/demo_campaign.ts";

/** Fakes task 1 at work: its _running folder with task.json and one sweep's files written. */
async function fakeRunning(dir: string, index: number, startedIso: string): Promise<void> {
  const running = taskPath(dir, index, "running");
  await Deno.mkdir(`${running}/results/20250101-0000_seed7_pid1`, { recursive: true });
  await Deno.writeTextFile(`${running}/task.json`, JSON.stringify({ started: startedIso }));
  await Deno.writeTextFile(
    `${running}/results/20250101-0000_seed7_pid1/simulation_run0002_synapses.csv`,
    "",
  );
}

Deno.test("campaignStatus() combines the folder with squeue: done, running, pending, failed, missing", async () => {
  using c = await demoCampaign({ nSweeps: 4 }); // 2 jobs x 2 tasks of 2 sweeps
  const dir = c.submitted.dir;
  await runCampaignTask(dir, 0, { progress: "quiet" });
  const started = new Date(Date.now() - 60_000).toISOString();
  await fakeRunning(dir, 1, started);
  await appendSubmissions(dir, [{
    jobId: "100",
    offset: 0,
    array: "0-2",
    tasks: [0, 1, 2],
    submitted: started,
  }]);
  c.slurm.states.set("100_0", "COMPLETED");
  c.slurm.states.set("100_1", "RUNNING");
  c.slurm.states.set("100_2", "CANCELLED"); // task 2; task 3 was never submitted
  const s = await campaignStatus(dir, { run: c.slurm.run });
  assert.deepEqual(s.tasks.map((t) => t.state), ["done", "running", "failed", "missing"]);
  assert.deepEqual(s.counts, { done: 1, running: 1, pending: 0, failed: 1, missing: 1 });
  assert.equal(s.sweepsDone, 3, "2 of task 0, 1 written by task 1");
  assert.equal(s.sweepsTotal, 8);
  assert.equal(s.tasks[1]!.element, "100_1");
  assert.equal(s.tasks[1]!.log, `${dir}/tasks/logs/100_1.out`);
  assert.match(s.tasks[2]!.detail!, /CANCELLED/);
  assert.equal(s.tasks[3]!.detail, "never submitted");
  assert.ok(s.etaSeconds !== undefined && s.etaSeconds > 0, "a rate after a minute with 3 sweeps");
  const text = formatCampaignStatus(s);
  assert.match(text, /tasks: 1 done, 1 running, 0 pending, 1 failed, 1 missing/);
  assert.match(text, /sweeps: 3 of 8 done/);
  assert.match(text, /ETA: /);
  assert.match(text, /failed: task 2 \(100_2\): SLURM state CANCELLED/);
  assert.match(text, /to run tasks 2, 3 again: simrun slurm resume/);
});

Deno.test("campaignStatus() reads a killed task: note from SIGTERM, or _running left behind", async () => {
  using c = await demoCampaign();
  const dir = c.submitted.dir;
  await fakeRunning(dir, 0, new Date().toISOString());
  await fakeRunning(dir, 1, new Date().toISOString());
  await Deno.writeTextFile(
    taskPath(dir, 1, "failed"),
    "killed by SIGTERM (scancel, time limit or node shutdown) on vm\n",
  );
  await appendSubmissions(dir, [{
    jobId: "100",
    offset: 0,
    array: "0-3",
    tasks: [0, 1, 2, 3],
    submitted: "",
  }]);
  c.slurm.states.set("100_2", "PENDING");
  c.slurm.states.set("100_3", "PENDING");
  // Elements 0 and 1 have left the queue.
  const s = await campaignStatus(dir, { run: c.slurm.run });
  assert.deepEqual(s.tasks.map((t) => t.state), ["failed", "failed", "pending", "pending"]);
  assert.match(s.tasks[0]!.detail!, /stopped before it finished/);
  assert.match(s.tasks[1]!.detail!, /killed by SIGTERM/);
});

Deno.test("campaignStatus() without an answering queue reads the folder, unconfirmed", async () => {
  using c = await demoCampaign();
  const dir = c.submitted.dir;
  await fakeRunning(dir, 0, new Date().toISOString());
  await appendSubmissions(dir, [{
    jobId: "100",
    offset: 0,
    array: "0-3",
    tasks: [0, 1, 2, 3],
    submitted: "",
  }]);
  c.slurm.queueUp = false;
  const s = await campaignStatus(dir, { run: c.slurm.run });
  assert.equal(s.queue.answered, false);
  assert.deepEqual(s.tasks.map((t) => [t.state, t.confirmed]), [
    ["running", false],
    ["pending", false],
    ["pending", false],
    ["pending", false],
  ]);
  assert.match(
    formatCampaignStatus(s),
    /queue: not reachable \(squeue: error: Unable to contact slurm controller\)/,
  );
});
