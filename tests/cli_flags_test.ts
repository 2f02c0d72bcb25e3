import assert from "node:assert/strict";
import { compileArgs, simrunTaskFlags } from "../scripts/compile.ts";
import { cliCommand } from "./_cli.ts";
import { repoDir } from "./_shared.ts";

const denoJson = () => Deno.readTextFileSync(`${repoDir()}/deno.json`);

function permissionFlags(args: readonly string[]): string[] {
  return args.filter((a) => /^--(allow|deny|unstable)-/.test(a) || a === "-A").sort();
}

Deno.test("compile uses exactly the permission and unstable flags of the simrun task", () => {
  const task = JSON.parse(denoJson()).tasks.simrun as string;
  const fromTask = permissionFlags(task.split(/\s+/));
  assert.ok(fromTask.length >= 3, `simrun task has too few flags: ${task}`);
  assert.deepEqual(permissionFlags(compileArgs(simrunTaskFlags(denoJson()))), fromTask);
  // The demo task runs through the simrun task (so it has its flags); the tests' CLI runner
  // uses the same flags.
  const demo = JSON.parse(denoJson()).tasks.demo as string;
  assert.equal(demo, "deno task simrun demo");
  assert.deepEqual(permissionFlags(cliCommand(["run"])), fromTask);
});

Deno.test("the compile task runs scripts/compile.ts and writes dist/simrun", () => {
  const tasks = JSON.parse(denoJson()).tasks as Record<string, string>;
  assert.match(tasks.compile!, /scripts\/compile\.ts$/);
  const args = compileArgs(["--allow-read"]);
  assert.deepEqual(args.slice(0, 2), ["compile", "--allow-read"]);
  assert.deepEqual(args.slice(-3), ["-o", "dist/simrun", "main.ts"]);
  assert.ok(args.includes("simrun/job_worker.ts"), "the worker module must be embedded");
});

Deno.test("simrunTaskFlags() rejects a simrun task of another shape", () => {
  assert.throws(() => simrunTaskFlags('{"tasks": {"simrun": "deno run main.ts extra"}}'));
});

Deno.test("every command answers --help with exit 0, naming ISF's parameters where it stands for ISF", async () => {
  const { runCli } = await import("./_cli.ts");
  for (const cmd of ["run", "replay", "network", "cell", "inspect", "demo"]) {
    const r = await runCli([cmd, "--help"]);
    assert.equal(r.code, 0, `${cmd}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`Usage: simrun ${cmd}`));
  }
  const run = (await runCli(["run", "--help"])).stdout;
  for (
    const isf of [
      "cellParamName",
      "evokedUpParamName",
      "dirPrefix",
      "nSweeps",
      "nprocs",
      "tStop",
      "tar",
    ]
  ) {
    assert.ok(run.includes(isf), `run --help does not mention ${isf}`);
  }
  const bad = await runCli(["frobnicate"]);
  assert.equal(bad.code, 2);
});

Deno.test("simrun cell --legacy-units and --exact change how the same cell is computed", async () => {
  const { runCli } = await import("./_cli.ts");
  const param = `${repoDir()}/examples/model/example_pyramid.param`;
  const csv = async (...extra: string[]) => {
    const r = await runCli(["cell", param, "--tstop", "20", ...extra]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  const modern = await csv();
  const legacy = await csv("--legacy-units");
  const exact = await csv("--exact");
  assert.equal(modern.split("\n").length, legacy.split("\n").length);
  assert.notEqual(modern, legacy, "legacy R/F change eca and hence V");
  // Rate tables agree with the exact rates far below the 0.05 mV fidelity bar.
  const last = (s: string) => Number(s.trimEnd().split("\n").at(-1)!.split(",")[1]);
  assert.ok(Math.abs(last(modern) - last(exact)) < 1e-3, `${last(modern)} vs ${last(exact)}`);
});

Deno.test("the binary may start plugin processes: --allow-run, the embedded worker, __plugin-host", async () => {
  const flags = simrunTaskFlags(denoJson());
  assert.ok(flags.includes("--allow-run"), "plugins run in processes simrun starts");
  assert.ok(
    compileArgs(flags).includes("plugins/plugin_worker.js"),
    "the plugin worker is embedded",
  );
  // The hidden command the compiled binary starts itself with: with stdin closed at once it
  // ends quietly (the protocol itself runs in tests/plugins_escape_test.ts).
  const r = await new Deno.Command(Deno.execPath(), {
    args: cliCommand(["__plugin-host"]),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
  assert.equal(r.stdout.length, 0);
});
