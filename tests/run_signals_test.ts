/**
 * A run stopped by a signal leaves only its `_running` folder and no simrun process, whether the
 * signal reaches simrun itself or only the `deno task` / `npx deno task` wrapper that started it
 * (those wrappers do not forward signals to simrun; simrun notices that they ended).
 */
import assert from "node:assert/strict";
import { cliCommand } from "./_cli.ts";
import { MODEL, names } from "./_model.ts";
import { repoDir } from "./_shared.ts";

/** Enough sweeps that the run is still busy when the signal comes (a sweep takes ~0.3 s). */
const SWEEPS = "60";

/** Waits until sweep 0's files are in the `_running` folder; returns its name. */
async function runningFolder(results: string): Promise<string> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const running = (await names(results)).find((n) => n.endsWith("_running"));
    if (
      running &&
      (await names(`${results}/${running}`)).includes("simulation_run0000_presynaptic_cells.csv")
    ) return running;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no _running folder with sweep 0 in ${results} within 90 s`);
}

/** True while process `pid` exists and is not a zombie (`ps`; a zombie has ended). */
async function alive(pid: number): Promise<boolean> {
  const r = await new Deno.Command("ps", { args: ["-o", "stat=", "-p", String(pid)] }).output();
  const stat = new TextDecoder().decode(r.stdout).trim();
  return stat !== "" && !stat.startsWith("Z");
}

/** Waits up to `ms` for process `pid` to end; returns whether it did. */
async function ended(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!(await alive(pid))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function hasCommand(name: string, args: string[]): Promise<boolean> {
  try {
    return (await new Deno.Command(name, { args, stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

interface Launch {
  /** Executable and arguments before `run …`. */
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * Starts `simrun run` through `launch`, waits for sweep 0, sends `signal` (to the launched
 * process, or to its whole process group as a terminal's Ctrl-C does), and checks the outcome.
 */
async function stopAndCheck(
  launch: Launch,
  signal: Deno.Signal,
  options: { group?: boolean; expectCode: number },
): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_signal_" });
  let simrunPid: number | undefined;
  try {
    const child = new Deno.Command(launch.command, {
      args: [
        ...launch.args,
        "run",
        `${MODEL}/example_pyramid.param`,
        `${MODEL}/example_network.param`,
        "--dir-prefix",
        tmp,
        "--sweeps",
        SWEEPS,
        "--seed",
        "9",
        "--quiet",
      ],
      cwd: repoDir(),
      env: { NO_COLOR: "1" },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const running = await runningFolder(`${tmp}/results`);
    simrunPid = Number(/_pid(\d+)_running$/.exec(running)![1]);
    Deno.kill(options.group ? -child.pid : child.pid, signal);
    const status = await child.status;
    const err = await stderr;
    assert.ok(
      status.code === options.expectCode || status.signal === signal,
      `launcher ended with code ${status.code}, signal ${status.signal}:\n${err}`,
    );
    assert.ok(await ended(simrunPid, 20_000), `simrun (pid ${simrunPid}) still runs 20 s later`);
    assert.deepEqual(await names(`${tmp}/results`), [running], "a final folder was written");
    const left = await names(`${tmp}/results/${running}`);
    assert.ok(
      !left.some((n) => n.endsWith("_traces.csv") || n.endsWith(".param")),
      left.join(", "),
    );
  } finally {
    if (simrunPid !== undefined && await alive(simrunPid)) Deno.kill(simrunPid, "SIGKILL");
    await Deno.remove(tmp, { recursive: true });
  }
}

const HAS_PS = await hasCommand("ps", ["-p", String(Deno.pid)]);
if (!HAS_PS) console.warn("SKIP: no ps to see whether simrun still runs; signal tests skipped");

Deno.test({
  name: "SIGTERM to simrun itself stops it with exit 143 and leaves only _running",
  ignore: !HAS_PS,
  async fn() {
    await stopAndCheck({ command: Deno.execPath(), args: cliCommand([]) }, "SIGTERM", {
      expectCode: 143,
    });
  },
});

Deno.test({
  name: "SIGTERM to `deno task simrun` stops simrun and leaves only _running",
  ignore: !HAS_PS,
  async fn() {
    await stopAndCheck({ command: Deno.execPath(), args: ["task", "simrun"] }, "SIGTERM", {
      expectCode: 143,
    });
  },
});

const HAS_NPX = HAS_PS && await hasCommand("npx", ["--version"]);
if (!HAS_NPX) console.warn("SKIP: npx is not on PATH; the npx wrapper is not tested");
const HAS_SETSID = HAS_PS && await hasCommand("setsid", ["--version"]);
if (!HAS_SETSID) console.warn("SKIP: no setsid to give the wrapper its own process group");

Deno.test({
  name: "SIGTERM to `npx deno task simrun` stops simrun and leaves only _running",
  ignore: !HAS_NPX,
  async fn() {
    await stopAndCheck({ command: "npx", args: ["deno", "task", "simrun"] }, "SIGTERM", {
      expectCode: 143,
    });
  },
});

Deno.test({
  name: "Ctrl-C (SIGINT to the process group) of `deno task simrun` leaves only _running",
  ignore: !HAS_SETSID,
  async fn() {
    await stopAndCheck(
      { command: "setsid", args: [Deno.execPath(), "task", "simrun"] },
      "SIGINT",
      { group: true, expectCode: 130 },
    );
  },
});
