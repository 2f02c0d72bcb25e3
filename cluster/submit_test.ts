import assert from "node:assert/strict";
import { InputValueError, parsePathMap } from "../io/mod.ts";
import { CAMPAIGN_FILES, readCampaign } from "./campaign.ts";
import { CampaignError } from "./campaign_error.ts";
import { sha256File } from "./sha256.ts";
import { submitCampaign } from "./submit.ts";
import { demoCampaign, demoOptions } from "./testdata/demo_campaign.ts";
import { fakeSlurm } from "./testdata/fake_slurm.ts";

Deno.test("submitCampaign() --dry-run writes campaign.json, param copies, the script and tasks/", async () => {
  using c = await demoCampaign();
  const { dir, campaign } = c.submitted;
  assert.match(dir, /\/results\/\d{8}-\d{4}_campaign_seed7$/);
  assert.deepEqual(await readCampaign(dir), campaign, "campaign.json reads back as written");
  assert.equal(campaign.tasks.length, 4);
  assert.deepEqual(campaign.tasks.map((t) => [t.job, t.start, t.end]), [[0, 0, 2], [0, 2, 3], [
    1,
    0,
    2,
  ], [1, 2, 3]]);
  assert.equal(campaign.run.seeds[0], 7);
  // Inputs: both params and every file they name, each with its real checksum.
  const byName = new Map(campaign.inputs.map((i) => [i.path.split("/").at(-1)!, i]));
  assert.deepEqual([...byName.keys()].sort(), [
    "example_network.param",
    "example_pyramid.con",
    "example_pyramid.hoc",
    "example_pyramid.param",
    "example_pyramid.syn",
    "example_pyramid_apical_site.landmarkAscii",
  ]);
  for (const i of campaign.inputs) {
    assert.deepEqual(await sha256File(i.path), { sha256: i.sha256, bytes: i.bytes });
  }
  assert.equal(byName.get("example_pyramid.param")!.role, "cell param");
  assert.equal(byName.get("example_pyramid.hoc")!.role, "referenced file");
  for (const copy of campaign.copies) {
    const orig = copy.endsWith("network.param") ? c.network : c.cell;
    assert.equal(await Deno.readTextFile(`${dir}/${copy}`), await Deno.readTextFile(orig));
  }
  const script = await Deno.readTextFile(`${dir}/${CAMPAIGN_FILES.script}`);
  assert.match(script, /^#!\/bin\/bash\n/);
  assert.match(script, /\n#SBATCH --cpus-per-task=1\n/);
  assert.match(script, new RegExp(`\\n#SBATCH --output=${dir}/tasks/logs/%A_%a.out\\n`));
  assert.match(script, /\ntask=\$\(\( \$\{1:-0\} \+ SLURM_ARRAY_TASK_ID \)\)\n/);
  assert.ok(script.includes(`exec ${campaign.slurm.simrunCommand} slurm task ${dir} "$task"\n`));
  assert.ok((await Deno.stat(`${dir}/${CAMPAIGN_FILES.logs}`)).isDirectory);
  // Dry run: sbatch was never called, the command is returned.
  assert.equal(c.slurm.calls.filter((x) => x[0] === "sbatch").length, 0);
  assert.deepEqual(c.submitted.commands, [[
    "sbatch",
    "--parsable",
    "--array=0-3",
    `${dir}/simrun.sbatch`,
    "0",
  ]]);
  assert.equal(c.submitted.submitted.length, 0);
});

Deno.test("submitCampaign() splits into several arrays below MaxArraySize and records each", async () => {
  const slurm = fakeSlurm(3);
  using c = await demoCampaign({
    dryRun: false,
    run: slurm.run,
    maxParallel: 2,
    nSweeps: 4,
    sweepsPerTask: 1,
  });
  const sb = slurm.calls.filter((x) => x[0] === "sbatch");
  const script = `${c.submitted.dir}/simrun.sbatch`;
  assert.deepEqual(sb, [
    ["sbatch", "--parsable", "--array=0-2%2", script, "0"],
    ["sbatch", "--parsable", "--array=0-2%2", script, "3"],
    ["sbatch", "--parsable", "--array=0-1%2", script, "6"],
  ]);
  assert.deepEqual(c.submitted.submitted.map((s) => [s.jobId, s.offset, s.tasks]), [
    ["100", 0, [0, 1, 2]],
    ["101", 3, [3, 4, 5]],
    ["102", 6, [6, 7]],
  ]);
  const saved = JSON.parse(await Deno.readTextFile(`${c.submitted.dir}/submissions.json`));
  assert.deepEqual(saved.map((s: { jobId: string }) => s.jobId), ["100", "101", "102"]);
});

Deno.test("submitCampaign() puts SLURM options and --simrun-command into the script", async () => {
  using c = await demoCampaign({
    partition: "short",
    time: "0:10:00",
    mem: "2G",
    threads: 2,
    sbatchArgs: ["--account=lab", "--hold"],
    simrunCommand: "/opt/simrun/bin/simrun",
  });
  const script = await Deno.readTextFile(`${c.submitted.dir}/simrun.sbatch`);
  for (
    const line of [
      "#SBATCH --partition=short",
      "#SBATCH --time=0:10:00",
      "#SBATCH --mem=2G",
      "#SBATCH --cpus-per-task=2",
      "#SBATCH --account=lab",
      "#SBATCH --hold",
    ]
  ) assert.ok(script.includes(`\n${line}\n`), line);
  assert.ok(
    script.includes(`\nexec /opt/simrun/bin/simrun slurm task ${c.submitted.dir} "$task"\n`),
  );
});

Deno.test("submitCampaign() makes relative path-map targets absolute", async () => {
  using c = await demoCampaign({
    pathMap: parsePathMap(["*/example_data/=data/", "/gpfs/x/=/abs/"]),
  });
  assert.deepEqual(c.submitted.campaign.run.pathMap, [
    `*/example_data/=${Deno.cwd()}/data/`,
    "/gpfs/x/=/abs/",
  ]);
});

Deno.test("submitCampaign() refuses bad input before writing anything", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_campaign_bad_" });
  try {
    const slurm = fakeSlurm();
    await Deno.writeTextFile(`${tmp}/cell.param`, "{'neuron': {'filename': 'nowhere.hoc'}}");
    await assert.rejects(
      () => submitCampaign(`${tmp}/cell.param`, `${tmp}/cell.param`, demoOptions(tmp, slurm)),
      InputValueError,
    );
    await assert.rejects(
      () => submitCampaign(`${tmp}/missing.param`, `${tmp}/cell.param`, demoOptions(tmp, slurm)),
      InputValueError,
    );
    assert.deepEqual([...Deno.readDirSync(tmp)].map((e) => e.name), ["cell.param"]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("submitCampaign() without an answering scontrol fails unless --dry-run", async () => {
  const slurm = fakeSlurm(null);
  await assert.rejects(
    () => demoCampaign({ dryRun: false, run: slurm.run }),
    CampaignError,
    "--dry-run",
  );
  using c = await demoCampaign({ run: slurm.run });
  assert.deepEqual(c.submitted.maxArraySize, { value: 1001, fromCluster: false });
});
