import assert from "node:assert/strict";
import { InputValueError } from "../io/mod.ts";
import { checkCampaign, readCampaign } from "./campaign.ts";
import { demoCampaign } from "./testdata/demo_campaign.ts";

Deno.test("readCampaign() names the key of a damaged campaign.json", async () => {
  using c = await demoCampaign();
  const file = `${c.submitted.dir}/campaign.json`;
  // deno-lint-ignore no-explicit-any -- the test damages arbitrary fields of parsed JSON
  type Json = any;
  const good = JSON.parse(await Deno.readTextFile(file));
  const cases: [string, (v: Json) => void, RegExp][] = [
    ["format", (v) => (v.format = "x"), /"format"/],
    ["run.seeds.1", (v) => (v.run.seeds[1] = -1), /"run\.seeds\.1"/],
    ["run.rng", (v) => (v.run.rng = "numpy"), /"run\.rng"/],
    ["tasks.2", (v) => (v.tasks[2].end = 99), /"tasks\.2"/],
    ["inputs.0.sha256", (v) => delete v.inputs[0].sha256, /"inputs\.0\.sha256"/],
    ["slurm.cpusPerTask", (v) => (v.slurm.cpusPerTask = 0), /"slurm\.cpusPerTask"/],
  ];
  for (const [key, damage, msg] of cases) {
    const v = structuredClone(good);
    damage(v);
    assert.throws(() => checkCampaign(v, file), (e: unknown) => {
      assert.ok(e instanceof InputValueError, key);
      assert.equal(e.key, key);
      assert.match(e.message, msg);
      return true;
    });
  }
  await Deno.writeTextFile(file, "{");
  await assert.rejects(() => readCampaign(c.submitted.dir), InputValueError, "Not valid JSON");
  await assert.rejects(() => readCampaign(c.tmp), InputValueError, "Not a campaign folder");
});
