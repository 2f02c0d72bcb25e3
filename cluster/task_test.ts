import assert from "node:assert/strict";
import { InputValueError } from "../io/mod.ts";
import { taskPath } from "./campaign.ts";
import { verifyManifest } from "./manifest.ts";
import { runCampaignTask } from "./task.ts";
import { demoCampaign } from "./testdata/demo_campaign.ts";

Deno.test("runCampaignTask() writes tasks/<i>/ with a manifest, and a second run does nothing", async () => {
  using c = await demoCampaign();
  const dir = c.submitted.dir;
  const r = await runCampaignTask(dir, 1, { progress: "quiet" });
  assert.deepEqual(r, { folder: taskPath(dir, 1, "done"), alreadyDone: false });
  const m = await verifyManifest(r.folder, 1);
  const names = m.files.map((f) => f.path.split("/").at(-1)!);
  // Task 1 = job 0, sweep 2 only.
  assert.ok(names.includes("simulation_run0002_synapses.csv"));
  assert.ok(!names.some((n) => n.startsWith("simulation_run0000")));
  assert.ok(names.includes("task.json"));
  const before = (await Deno.stat(`${r.folder}/manifest.json`)).mtime;
  assert.deepEqual(await runCampaignTask(dir, 1, { progress: "quiet" }), {
    folder: r.folder,
    alreadyDone: true,
  });
  assert.deepEqual((await Deno.stat(`${r.folder}/manifest.json`)).mtime, before);
});

Deno.test("runCampaignTask() discards a leftover _running folder and redoes the task", async () => {
  using c = await demoCampaign();
  const dir = c.submitted.dir;
  const running = taskPath(dir, 0, "running");
  await Deno.mkdir(`${running}/results`, { recursive: true });
  await Deno.writeTextFile(`${running}/results/half_written.csv`, "x");
  await Deno.writeTextFile(taskPath(dir, 0, "failed"), "killed\n");
  const r = await runCampaignTask(dir, 0, { progress: "quiet" });
  const m = await verifyManifest(r.folder, 0);
  assert.ok(!m.files.some((f) => f.path.includes("half_written")));
  await assert.rejects(() => Deno.stat(running), Deno.errors.NotFound);
  await assert.rejects(() => Deno.stat(taskPath(dir, 0, "failed")), Deno.errors.NotFound);
});

Deno.test("runCampaignTask() refuses a param edited after submission, runs nothing and says why", async () => {
  using c = await demoCampaign();
  const dir = c.submitted.dir;
  await Deno.writeTextFile(c.network, (await Deno.readTextFile(c.network)) + "\n");
  await assert.rejects(
    () => runCampaignTask(dir, 2, { progress: "quiet" }),
    (e: unknown) => {
      assert.ok(e instanceof InputValueError);
      assert.equal(e.file, c.network);
      assert.match(
        e.message,
        /network param changed since the campaign was submitted .*task 2 not run/,
      );
      return true;
    },
  );
  assert.match(
    await Deno.readTextFile(taskPath(dir, 2, "failed")),
    /changed since the campaign was submitted/,
  );
  await assert.rejects(() => Deno.stat(taskPath(dir, 2, "running")), Deno.errors.NotFound);
  await assert.rejects(() => Deno.stat(taskPath(dir, 2, "done")), Deno.errors.NotFound);
});

Deno.test("runCampaignTask() refuses an index outside the task table", async () => {
  using c = await demoCampaign();
  await assert.rejects(() => runCampaignTask(c.submitted.dir, 4), InputValueError, "tasks 0-3");
});
