/**
 * The escapes of issue 10, each tried as an attacker would and shown blocked: reading through
 * links (to a file, a folder, `/`) by every route (read, readDir, `fetch(file:)`, static and
 * dynamic import, a nested worker); killing, stopping or exhausting the plugin's own process; an
 * endless loop; looking at simrun's executable, arguments and working directory; npm packages it
 * did not bring; prototype names as parameters or recorder variables; time limits beyond a
 * timer's range; escape sequences and fake denials in its error text; values that are not
 * errors; `Deno.exit`; bytes on the protocol channel. Each ends with one line naming the plugin
 * and the cause, and simrun (this test process) lives on.
 *
 * The same routes run once more through the compiled binary's way of starting a plugin
 * (`simrun __plugin-host`, here `deno run <the simrun task's flags> main.ts __plugin-host`),
 * where the process has simrun's own permissions and only the worker restricts the plugin.
 *
 * @module
 */
import assert from "node:assert/strict";
import { InputValueError, PluginError } from "../io/errors.ts";
import type { PluginLauncher } from "../plugins/host.ts";
import { tinyCell } from "../plugins/testdata/tiny_cell.ts";
import { runCellModifyPlugin } from "../plugins/user_cell_modify.ts";
import { cliCommand } from "./_cli.ts";
import { repoDir } from "./_shared.ts";

const MISBEHAVING = `${repoDir()}/plugins/testdata/misbehaving_cell_modify.ts`;
const NAME = "bad.ts";
const SECRET = "TOP-SECRET-CONTENT";

/** The compiled binary's way to start a plugin, from source with the `simrun` task's flags. */
const SELF: PluginLauncher = { command: Deno.execPath(), args: cliCommand(["__plugin-host"]) };

interface Options {
  timeLimitMs?: number;
  memoryLimitMb?: number;
  read?: string[];
  launcher?: PluginLauncher;
  path?: string;
}

/** Runs a cell-modify plugin with `args`; returns the error it must fail with. */
async function failure(args: Record<string, unknown>, options: Options = {}): Promise<Error> {
  const { path = MISBEHAVING, ...rest } = options;
  try {
    await runCellModifyPlugin(path, tinyCell(), args, { ...rest, name: NAME });
  } catch (e) {
    assert.ok(e instanceof PluginError || e instanceof InputValueError, `got ${String(e)}`);
    assert.equal(e.message.split("\n").length, 1, `not one line: ${e.message}`);
    // deno-lint-ignore no-control-regex -- no control character may reach simrun's line
    assert.doesNotMatch(e.message, /[\u0000-\u001f\u007f-\u009f]/, "control characters");
    assert.ok(!e.message.includes(SECRET), `the secret was read: ${e.message}`);
    return e;
  }
  assert.fail(`plugin action ${String(args.action)} was not stopped`);
}

/**
 * A plugin folder (a copy of the misbehaving plugin) beside a secret folder, with links to the
 * secret file, the secret folder and `/`, a module whose static import goes through a link,
 * and one link that stays inside.
 */
async function linkedFolder(): Promise<{ tmp: string; dir: string; secret: string }> {
  const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "simrun_escape_" }));
  const dir = `${tmp}/plugin`, secret = `${tmp}/secret`;
  await Deno.mkdir(`${dir}/own`, { recursive: true });
  await Deno.mkdir(secret);
  await Deno.writeTextFile(`${secret}/s.txt`, SECRET);
  await Deno.writeTextFile(`${secret}/m.js`, `export const secret = "${SECRET}";`);
  await Deno.writeTextFile(`${secret}/w.js`, `postMessage("${SECRET}");`);
  await Deno.writeTextFile(`${dir}/own/o.txt`, "own data");
  const src = await Deno.readTextFile(MISBEHAVING);
  await Deno.writeTextFile(
    `${dir}/bad.ts`,
    src.replace(
      'from "../plugin_api.ts"',
      `from ${JSON.stringify(`${repoDir()}/plugins/plugin_api.ts`)}`,
    ),
  );
  await Deno.writeTextFile(
    `${dir}/static_import.ts`,
    `import { secret } from "./dir_link/m.js";\nexport function cellModify() { throw new Error(secret); }\n`,
  );
  await Deno.symlink(`${secret}/s.txt`, `${dir}/file_link`);
  await Deno.symlink(secret, `${dir}/dir_link`);
  await Deno.symlink("/", `${dir}/root_link`);
  await Deno.symlink(`${dir}/own`, `${dir}/inner_link`);
  return { tmp, dir, secret };
}

/** Every route through every kind of link, as [args, what the message must say]. */
function linkRoutes(dir: string, secret: string): [Record<string, unknown>, RegExp][] {
  const link = (name: string, target: string) =>
    new RegExp(
      `"${dir}/${name}" is a link to "${target}", outside the plugin's grants \\(grant the target's real path with --plugin-read\\)`,
    );
  const fileLink = link("file_link", `${secret}/s.txt`);
  const dirLink = link("dir_link", secret);
  const rootLink = link("root_link", "/");
  return [
    [{ action: "read", path: `${dir}/file_link` }, fileLink],
    [{ action: "read", path: `${dir}/dir_link/s.txt` }, dirLink],
    [{ action: "read", path: `${dir}/root_link${secret}/s.txt` }, rootLink],
    [{ action: "readDir", path: `${dir}/dir_link` }, dirLink],
    [{ action: "readDir", path: `${dir}/root_link` }, rootLink],
    [{ action: "readDir", path: dir }, /it holds ".*_link", a link to .* so it cannot be listed/],
    [{ action: "fetch", path: `${dir}/file_link` }, fileLink],
    [{ action: "fetch", path: `${dir}/dir_link/s.txt` }, dirLink],
    [{ action: "import", path: `${dir}/dir_link/m.js` }, dirLink],
    [{ action: "import", path: `${dir}/root_link${secret}/m.js` }, rootLink],
    [
      { action: "worker", path: `${dir}/dir_link/w.js` },
      /WORKER ERROR:Requires read access to ".*dir_link\/w\.js"/,
    ],
  ];
}

for (
  const [mode, launcher] of [["from source", undefined], [
    "as the compiled binary starts it",
    SELF,
  ]] as const
) {
  Deno.test(`links out of a plugin's folder are denied on every route (${mode})`, async () => {
    const { tmp, dir, secret } = await linkedFolder();
    try {
      const opts = { path: `${dir}/bad.ts`, ...(launcher ? { launcher } : {}) };
      for (const [args, pattern] of linkRoutes(dir, secret)) {
        const e = await failure(args, opts);
        assert.match(e.message, pattern, `${String(args.action)} ${String(args.path)}`);
      }
      // Static import through a link: the module cannot load.
      const e = await failure({}, { ...opts, path: `${dir}/static_import.ts` });
      assert.match(e.message, /loading the module.*"[^"]*\/dir_link" is a link to/);
      // Controls: a link that stays inside works, and so does a link whose target is granted.
      await assert.rejects(
        runCellModifyPlugin(`${dir}/bad.ts`, tinyCell(), {
          action: "read",
          path: `${dir}/inner_link/o.txt`,
        }, opts),
        /failed: Error: READ:own data$/,
      );
      await assert.rejects(
        runCellModifyPlugin(`${dir}/bad.ts`, tinyCell(), {
          action: "read",
          path: `${dir}/dir_link/s.txt`,
        }, {
          ...opts,
          read: [secret],
        }),
        new RegExp(`failed: Error: READ:${SECRET}$`),
      );
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  });
}

Deno.test("a plugin that kills its own process ends the run with one line; simrun lives on", async () => {
  for (const signal of ["SIGKILL", "SIGTERM", "SIGINT"]) {
    const e = await failure({ action: "kill", signal });
    assert.equal(
      e.message,
      `Plugin "${NAME}": its process was ended by signal ${signal} in cellModify()`,
    );
  }
  const e = await failure({ action: "kill", signal: "SIGKILL" }, { launcher: SELF });
  assert.match(e.message, /its process was ended by signal SIGKILL in cellModify\(\)$/);
});

Deno.test("a plugin cannot signal simrun (its parent process)", async () => {
  for (const launcher of [undefined, SELF]) {
    const e = await failure({ action: "killParent" }, launcher ? { launcher } : {});
    assert.match(
      e.message,
      /^Plugin "bad\.ts": denied run access in cellModify\(\) at misbehaving_cell_modify\.ts:\d+:\d+; plugins cannot start or signal other processes$/,
    );
  }
});

Deno.test("a plugin that stops its own process (SIGSTOP) is killed at its time limit", async () => {
  const t0 = performance.now();
  const e = await failure({ action: "kill", signal: "SIGSTOP" }, { timeLimitMs: 1500 });
  const ms = performance.now() - t0;
  assert.equal(
    e.message,
    `Plugin "${NAME}": ran past its time limit of 1.5 s (1500 ms) in cellModify() and was stopped`,
  );
  assert.ok(ms >= 1500 && ms < 10_000, `took ${ms.toFixed(0)} ms`);
});

Deno.test("a plugin that exhausts memory (heap or typed arrays) ends with one line", async () => {
  const t0 = performance.now();
  const heap = await failure({ action: "oomHeap" }, { memoryLimitMb: 64 });
  assert.equal(
    heap.message,
    `Plugin "${NAME}": ran out of memory in cellModify() (limit 64 MiB) and was stopped`,
  );
  // Off-heap memory, also as the compiled binary starts a plugin (its heap flag may not apply
  // there; the resident-memory limit does).
  for (const launcher of [undefined, SELF]) {
    const buffers = await failure(
      { action: "oomBuffers" },
      { memoryLimitMb: 64, ...(launcher ? { launcher } : {}) },
    );
    assert.match(
      buffers.message,
      /^Plugin "bad\.ts": ran out of memory in cellModify\(\) \(it used \d+ MiB, more than its limit of 64 MiB plus 256 MiB for the runtime\) and was stopped$/,
    );
  }
  assert.ok(performance.now() - t0 < 60_000, "memory exhaustion took too long to stop");
});

Deno.test("a plugin in a synchronous endless loop is killed at its time limit", async () => {
  const t0 = performance.now();
  const e = await failure({ action: "spin" }, { timeLimitMs: 1000 });
  const ms = performance.now() - t0;
  assert.equal(
    e.message,
    `Plugin "${NAME}": ran past its time limit of 1 s in cellModify() and was stopped`,
  );
  assert.ok(ms >= 1000 && ms < 8000, `took ${ms.toFixed(0)} ms`);
});

Deno.test("a plugin sees neither simrun's executable, its arguments nor its working directory", async () => {
  for (const launcher of [undefined, SELF]) {
    const e = await failure({ action: "introspect" }, launcher ? { launcher } : {});
    const json = /failed: Error: (\{.*\})$/.exec(e.message)?.[1];
    assert.ok(json, e.message);
    const seen = JSON.parse(json);
    const own = `${repoDir()}/plugins/testdata`;
    assert.deepEqual(seen, {
      cwd: own,
      execPath: "refused: NotCapable",
      args: [],
      mainModule: null,
      argv: [],
      procExecPath: "",
      procCwd: own,
    });
  }
});

Deno.test("a plugin cannot import npm packages it did not bring (not from simrun's node_modules)", async () => {
  // simrun's own dependency, present in its node_modules.
  for (
    const url of ["npm:seedrandom", "seedrandom", `${repoDir()}/node_modules/seedrandom/index.js`]
  ) {
    const e = await failure({ action: "import", url });
    assert.match(e.message, /^Plugin "bad\.ts": /);
    assert.doesNotMatch(e.message, /IMPORTED:/, `${url} was imported`);
  }
  // A built-in module is not a package: allowed.
  await assert.rejects(
    runCellModifyPlugin(MISBEHAVING, tinyCell(), { action: "import", url: "node:path" }),
    /failed: Error: IMPORTED:/,
  );
});

Deno.test("prototype names as point-process parameters are bad declarations (exit 2), one line", async () => {
  for (const key of ["__proto__", "constructor", "toString"]) {
    const e = await failure({ action: "protoParam", key });
    assert.ok(e instanceof InputValueError, String(e));
    assert.equal(
      e.message,
      `plugin ${NAME}: Unknown parameter "${key}" of point process "IClamp"; it has del, dur, amp`,
    );
  }
});

Deno.test("a plugin's error text cannot carry escape sequences, new lines or a fake denial", async () => {
  const fake =
    `x\u001b[2K\r\nsimrun: Plugin "other.ts": denied read access to "/etc/shadow"\u001b]0;t\u0007`;
  const e = await failure({ action: "throwText", text: fake });
  assert.equal(
    e.message,
    `Plugin "${NAME}": cellModify() at misbehaving_cell_modify.ts:${
      /:(\d+:\d+) failed/.exec(e.message)?.[1]
    } failed: Error: x simrun: Plugin "other.ts": denied read access to "/etc/shadow"`,
  );
  // A NotCapable the plugin made itself, claiming a path it may read: reported as its own text.
  const own = `Requires read access to "${MISBEHAVING}", run again with the --allow-read flag`;
  const f = await failure({ action: "fakeDenial", text: own });
  assert.match(f.message, /failed: NotCapable: Requires read access to/);
  assert.doesNotMatch(f.message, /denied read access/);
});

Deno.test("values that are not errors, and throws outside a request, give one line", async () => {
  const cases: [string, RegExp][] = [
    ["throwNullProto", /cellModify\(\) failed: Error: threw an object that is not an Error$/],
    ["throwGetter", /cellModify\(\) failed: Error: threw an object that is not an Error$/],
    ["throwProxy", /cellModify\(\) failed: Error: threw an object that is not an Error$/],
    [
      "throwInTimer",
      /failed in cellModify\(\) \(uncaught, in a callback or timer\) at misbehaving_cell_modify\.ts:\d+:\d+: Error: thrown in a timer$/,
    ],
    [
      "throwProxyInTimer",
      /failed in cellModify\(\) \(uncaught, in a callback or timer\): Error: threw an object that is not an Error$/,
    ],
    [
      "rejectUnhandled",
      /failed in cellModify\(\) \(uncaught, in a callback or timer\): Error: threw an object that is not an Error$/,
    ],
    ["exit", /^Plugin "bad\.ts": ended its process with exit\(3\) in cellModify\(\)$/],
    [
      "stdout",
      /^Plugin "bad\.ts": broke its channel to simrun \(bytes outside a frame .* in cellModify\(\)\); a plugin must print with console\.log/,
    ],
  ];
  for (const [action, pattern] of cases) {
    const e = await failure({ action }, { timeLimitMs: 10_000 });
    assert.match(e.message, pattern, action);
  }
});

Deno.test("a recorder variable with a prototype name is a bad declaration naming the plugin", async () => {
  const { openRecorders } = await import("../plugins/recorder.ts");
  const { prepareModel, resolveProbes } = await import("../solver/mod.ts");
  const cell = tinyCell();
  const model = prepareModel(cell, {
    rateTables: true,
    units: "modern",
    vInit: -65,
    tStop: 1,
    dt: 0.025,
    celsius: 34,
  });
  const jobDir = await Deno.makeTempDir({ prefix: "simrun_escape_" });
  try {
    const path = `${repoDir()}/plugins/testdata/misbehaving_recorder.ts`;
    for (const variable of ["__proto__", "constructor", "toString", "constructor_pas", "v_nope"]) {
      const rec = await openRecorders([{
        path,
        name: "r.ts",
        args: { action: "variable", variable },
      }], {
        jobDir,
      });
      try {
        // The plugin layer checks the shape; the solver, which knows every mechanism of the model,
        // refuses the variable and names the plugin and the site.
        const sites = await rec.sites(cell);
        assert.throws(
          () => resolveProbes(model, sites),
          (e: unknown) =>
            e instanceof InputValueError &&
            e.message.startsWith(
              `plugin r.ts: Cannot record "${variable}" (recorder.sites()[0])`,
            ),
          variable,
        );
      } finally {
        await rec.close().catch(() => {});
      }
    }
  } finally {
    await Deno.remove(jobDir, { recursive: true });
  }
});
