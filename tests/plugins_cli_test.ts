/**
 * Plugins through the real CLI (`deno run <the simrun task's flags> main.ts`) on the small example
 * model: a recorder given with `--plugin` writes into its own folder `plugins/<name>/` of the
 * final job folder of `run` and `replay` without changing the simulation (also with `--tar`); a
 * `cell_modify_functions` key that is a path runs that user plugin (with `--plugin-read` grants;
 * a link out of its folder is denied); a hostile recorder (overwriting simrun's files, changing
 * modes, killing itself, throwing what cannot be printed, declaring a prototype name as a
 * variable) fails the run with exit code 1 (2 for a bad declaration) and one line naming the
 * plugin and the cause, leaving only `_running` and simrun's files as simrun wrote them.
 *
 * @module
 */
import assert from "node:assert/strict";
import { runCli } from "./_cli.ts";
import { repoDir } from "./_shared.ts";

const MODEL = `${repoDir()}/examples/model`;
const RECORDER = `${repoDir()}/examples/plugins/cai_hot_zone_recorder.ts`;

async function listDir(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

/** The only entry under `<prefix>/results`. */
async function resultOf(prefix: string): Promise<string> {
  const names = await listDir(`${prefix}/results`);
  assert.equal(names.length, 1, `expected one result, got ${names.join(", ")}`);
  return `${prefix}/results/${names[0]}`;
}

/** File name without the job-specific `seed<S>_pid<P>_` prefix. */
function generic(name: string): string {
  return name.replace(/^seed\d+_pid\d+_/, "");
}

/** `simrun run <cell> <network> --dir-prefix prefix --quiet …args` in `prefix`. */
async function run(
  prefix: string,
  cellParam: string,
  args: string[],
): Promise<{ code: number; stderr: string }> {
  await Deno.mkdir(prefix, { recursive: true });
  return await runCli([
    "run",
    cellParam,
    `${MODEL}/example_network.param`,
    "--dir-prefix",
    prefix,
    "--quiet",
    ...args,
  ], { cwd: prefix });
}

/** Comma-separated numbers with a header row. */
function readCsv(text: string, sep = ","): { header: string[]; rows: number[][] } {
  const lines = text.trimEnd().split("\n");
  return {
    header: lines[0]!.split(sep),
    rows: lines.slice(1).map((l) => l.split(sep).map(Number)),
  };
}

/** The `*_vm_all_traces.csv` of a job folder. */
async function somaTraces(dir: string): Promise<{ header: string[]; rows: number[][] }> {
  const name = (await listDir(dir)).find((n) => n.endsWith("_vm_all_traces.csv"));
  assert.ok(name, `no vm_all_traces.csv in ${dir}`);
  return readCsv(await Deno.readTextFile(`${dir}/${name}`), "\t");
}

/** Checks one sweep's recorder CSV against the job's soma trace times; returns the cai columns. */
function checkCaiCsv(text: string, t: readonly number[]): number[][] {
  const csv = readCsv(text);
  assert.equal(csv.header[0], "t");
  assert.ok(csv.header.length > 1, "no hot-zone site");
  assert.ok(csv.header.slice(1).every((h) => h.startsWith("cai_sec_")), csv.header.join(","));
  assert.equal(csv.rows.length, t.length, "one row per sample of the job's traces");
  csv.rows.forEach((r, k) => assert.equal(r[0], t[k], `t at sample ${k}`));
  const columns = csv.header.slice(1).map((_, j) => csv.rows.map((r) => r[j + 1]!));
  for (const c of columns) {
    // cai starts at CaDynamics_E2's minCai (5e-5 mM) and rises with calcium influx.
    assert.equal(c[0], 5e-5, "cai(0) = minCai");
    assert.ok(c.every((v) => v >= 5e-5 && v < 1e-2), "cai outside a plausible range [mM]");
    assert.ok(c.some((v) => v !== c[0]), "cai never changed: the recording would be vacuous");
  }
  return columns;
}

Deno.test("simrun run --plugin: the recorder writes its files into the final job folder", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_plugin_cli_" });
  try {
    const cell = `${MODEL}/example_pyramid.param`;
    const common = ["--sweeps", "2", "--tstop", "50", "--seed", "3"];
    const r = await run(`${tmp}/rec`, cell, [...common, "--plugin", RECORDER]);
    assert.equal(r.code, 0, r.stderr);
    await run(`${tmp}/plain`, cell, common);
    const dir = await resultOf(`${tmp}/rec`);
    const plain = await resultOf(`${tmp}/plain`);
    assert.doesNotMatch(dir, /_running$/);
    const own = `${dir}/plugins/cai_hot_zone_recorder`;
    assert.deepEqual(await listDir(`${dir}/plugins`), ["cai_hot_zone_recorder"]);
    assert.deepEqual(await listDir(own), [
      "cai_hot_zone_run0000.csv",
      "cai_hot_zone_run0001.csv",
      "cai_hot_zone_summary.json",
    ]);
    // The recorder adds its folder and changes nothing else: every other file equals a plain run's.
    await assertSameFiles(dir, plain);
    // One CSV per sweep on the job's time grid; the summary's peaks are the CSVs' maxima.
    const t = (await somaTraces(dir)).rows.map((row) => row[0]!);
    const summary = JSON.parse(await Deno.readTextFile(`${own}/cai_hot_zone_summary.json`));
    assert.deepEqual(summary.sweeps.map((s: { sweep: number }) => s.sweep), [0, 1]);
    for (const sweep of [0, 1]) {
      const cols = checkCaiCsv(
        await Deno.readTextFile(`${own}/cai_hot_zone_run000${sweep}.csv`),
        t,
      );
      assert.equal(summary.sites.length, cols.length);
      assert.deepEqual(summary.sweeps[sweep].peakCaiMm, cols.map((c) => Math.max(...c)));
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

/** Every file of job folder `dir` except `plugins/` equals the same-named file of `plain`. */
async function assertSameFiles(dir: string, plain: string): Promise<void> {
  const names = (await listDir(dir)).filter((n) => n !== "plugins");
  const plainNames = await listDir(plain);
  assert.deepEqual(names.map(generic), plainNames.map(generic));
  for (const n of names) {
    const m = plainNames.find((p) => generic(p) === generic(n))!;
    assert.equal(
      await Deno.readTextFile(`${dir}/${n}`),
      await Deno.readTextFile(`${plain}/${m}`),
      `${generic(n)} differs from the run without recorder`,
    );
  }
}

Deno.test("simrun run --tar --plugin: the archive holds the recorder's folder", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_plugin_cli_" });
  try {
    const r = await run(`${tmp}/out`, `${MODEL}/example_pyramid.param`, [
      "--tstop",
      "20",
      "--seed",
      "5",
      "--tar",
      "--plugin",
      RECORDER,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const tar = await resultOf(`${tmp}/out`);
    assert.match(tar, /\.tar$/);
    const listing = await new Deno.Command("tar", { args: ["-tf", tar], stdout: "piped" }).output();
    const members = new TextDecoder().decode(listing.stdout).split("\n");
    for (const m of ["cai_hot_zone_run0000.csv", "cai_hot_zone_summary.json"]) {
      assert.ok(
        members.includes(`./plugins/cai_hot_zone_recorder/${m}`),
        `${m} not archived: ${members.join(", ")}`,
      );
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("simrun replay --plugin: the recorder gets the replayed sweeps", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_plugin_cli_" });
  try {
    const cell = `${MODEL}/example_pyramid.param`;
    const r0 = await run(`${tmp}/run`, cell, ["--tstop", "30", "--seed", "9"]);
    assert.equal(r0.code, 0, r0.stderr);
    const synapses = `${await resultOf(`${tmp}/run`)}/simulation_run0000_synapses.csv`;
    await Deno.mkdir(`${tmp}/replay`);
    const r = await runCli([
      "replay",
      cell,
      `${MODEL}/example_network.param`,
      synapses,
      "--tstop",
      "30",
      "--dir-prefix",
      `${tmp}/replay`,
      "--quiet",
      "--plugin",
      RECORDER,
    ], { cwd: `${tmp}/replay` });
    assert.equal(r.code, 0, r.stderr);
    const dir = await resultOf(`${tmp}/replay`);
    assert.match(dir, /_seed00000_pid\d+$/);
    const t = (await somaTraces(dir)).rows.map((row) => row[0]!);
    const own = `${dir}/plugins/cai_hot_zone_recorder`;
    checkCaiCsv(await Deno.readTextFile(`${own}/cai_hot_zone_run0000.csv`), t);
    assert.ok((await listDir(own)).includes("cai_hot_zone_summary.json"));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

/** A cell-modify plugin: an IClamp at soma(0.5) whose amplitude it reads from `args.ampFile`. */
const ICLAMP_PLUGIN = `
export function cellModify(_cell: unknown, args: Record<string, unknown>) {
  const { amp } = JSON.parse(Deno.readTextFileSync(String(args.ampFile)));
  return {
    pointProcesses: [
      { mechanism: "IClamp", section: 0, x: 0.5, params: { amp, del: 10, dur: 30 } },
    ],
  };
}
`;

/** IClamp onset of ICLAMP_PLUGIN [ms]. */
const CLAMP_DEL_MS = 10;

Deno.test("a cell_modify_functions key naming a plugin path runs it, with --plugin-read grants", async () => {
  const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "simrun_plugin_cli_" }));
  try {
    // The example model in a folder of its own, with the plugin beside the param file and its
    // data file elsewhere (readable only when granted).
    await Deno.mkdir(`${tmp}/model/my_plugins`, { recursive: true });
    for (const n of await listDir(MODEL)) {
      await Deno.copyFile(`${MODEL}/${n}`, `${tmp}/model/${n}`);
    }
    await Deno.writeTextFile(`${tmp}/model/my_plugins/add_iclamp.ts`, ICLAMP_PLUGIN);
    await Deno.mkdir(`${tmp}/data`);
    await Deno.writeTextFile(`${tmp}/data/amp.json`, '{"amp": 1.5}');
    // The plugin reads its data through a link in its own folder that leads outside it.
    await Deno.symlink(`${tmp}/data`, `${tmp}/model/my_plugins/data_link`);
    const cell = `${tmp}/model/example_pyramid.param`;
    const text = await Deno.readTextFile(cell);
    const anchor = '"filename": "example_pyramid.hoc",';
    assert.ok(text.includes(anchor));
    await Deno.writeTextFile(
      cell,
      text.replace(
        anchor,
        `${anchor}\n    "cell_modify_functions": {"my_plugins/add_iclamp.ts": {"ampFile": ${
          JSON.stringify(`${tmp}/model/my_plugins/data_link/amp.json`)
        }}},`,
      ),
    );
    const common = ["--tstop", "40", "--seed", "4"];

    // Without the grant the plugin may not read its data: exit 1 before any folder exists.
    const denied = await run(`${tmp}/denied`, cell, common);
    assert.equal(denied.code, 1, denied.stderr);
    const line = denied.stderr.trim();
    assert.equal(line.split("\n").length, 1, `one line expected:\n${denied.stderr}`);
    assert.match(line, /^simrun: Plugin "my_plugins\/add_iclamp\.ts": denied read access to /);
    assert.match(
      line,
      /data_link\/amp\.json" in cellModify\(\) at add_iclamp\.ts:\d+:\d+: ".*data_link" is a link to ".*\/data", outside the plugin's grants \(grant the target's real path with --plugin-read\)$/,
    );
    assert.deepEqual(await listDir(`${tmp}/denied`), []);

    const r = await run(`${tmp}/clamp`, cell, [...common, "--plugin-read", `${tmp}/data`]);
    assert.equal(r.code, 0, r.stderr);
    await run(`${tmp}/plain`, `${MODEL}/example_pyramid.param`, common);
    const clamp = (await somaTraces(await resultOf(`${tmp}/clamp`))).rows;
    const plain = (await somaTraces(await resultOf(`${tmp}/plain`))).rows;
    assert.equal(clamp.length, plain.length);
    // Same seed, same network: identical until the clamp starts, depolarized while it is on.
    let sumClamp = 0, sumPlain = 0;
    for (let k = 0; k < clamp.length; k++) {
      const [t, v] = clamp[k]!;
      if (t! < CLAMP_DEL_MS) assert.equal(v, plain[k]![1], `before the clamp, t=${t}`);
      else if (t! > CLAMP_DEL_MS) (sumClamp += v!), (sumPlain += plain[k]![1]!);
    }
    assert.ok(sumClamp > sumPlain, "a 1.5 nA clamp did not depolarize the soma");
    // The saved param keeps the plugin entry as given.
    const dir = await resultOf(`${tmp}/clamp`);
    const saved = (await listDir(dir)).find((n) => n.endsWith("_neuron_model.param"))!;
    assert.match(await Deno.readTextFile(`${dir}/${saved}`), /my_plugins\/add_iclamp\.ts/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

/** A recorder that records soma v and does `body` in its first sweep. */
function recorderThat(body: string, sites = "[{ section: 0, x: 0.5 }]"): string {
  return `export const recorder = {
  sites() { return ${sites}; },
  async sweep(data, ctx) { ${body} },
};
`;
}

/**
 * Recorders that break the sandbox or try to take the run down: [file, source, exit code, what
 * the one line says, extra options].
 */
function hostileRecorders(outside: string): [string, string, number, RegExp, string[]?][] {
  const job = "`${ctx.outDir}/../..`";
  return [
    [
      "escape.ts",
      recorderThat(`await Deno.writeTextFile(${JSON.stringify(outside)}, "escaped\\n");`),
      1,
      /denied write access to ".*escaped\.txt" in recorder\.sweep\(\)/,
    ],
    [
      "env.ts",
      recorderThat("", `[{ section: 0, x: 0.5, variable: Deno.env.get("HOME") ? "v" : "v" }]`),
      1,
      /denied env access to "HOME" in recorder\.sites\(\)/,
    ],
    [
      "overwrite.ts",
      recorderThat(
        `await Deno.writeTextFile(${job} + "/simulation_run0000_synapses.csv", "written by a plugin");`,
      ),
      1,
      /denied write access to ".*\/simulation_run0000_synapses\.csv" in recorder\.sweep\(\) at overwrite\.ts:\d+:\d+; a plugin may write only into its own folder of the job folder/,
    ],
    [
      "chmod.ts",
      recorderThat(`await Deno.chmod(${job}, 0o000);`),
      1,
      /denied write access to ".*_running" in recorder\.sweep\(\)/,
    ],
    [
      "kill.ts",
      recorderThat(`Deno.kill(Deno.pid, "SIGKILL");`),
      1,
      /: its process was ended by signal SIGKILL in recorder\.sweep\(\)$/,
    ],
    [
      "stop.ts",
      recorderThat(`Deno.kill(Deno.pid, "SIGSTOP");`),
      1,
      /: ran past its time limit of 2 s in recorder\.sweep\(\) and was stopped$/,
      ["--plugin-time-limit", "2"],
    ],
    [
      "proxy.ts",
      recorderThat(
        `setTimeout(() => { throw new Proxy({}, { get() { throw 1; }, getPrototypeOf() { throw 1; } }); }, 0);
  await new Promise(() => {});`,
      ),
      1,
      /: failed in recorder\.sweep\(\) \(uncaught, in a callback or timer\): Error: threw an object that is not an Error$/,
    ],
    [
      "ansi.ts",
      recorderThat(`throw new Error("\\u001b[2K\\rsimrun: done\\nsecond line");`),
      1,
      /recorder\.sweep\(\) at ansi\.ts:\d+:\d+ failed: Error: simrun: done second line$/,
    ],
    [
      "variable.ts",
      recorderThat("", `[{ section: 0, x: 0.5, variable: "__proto__" }]`),
      2,
      /^simrun: plugin .*variable\.ts: Cannot record "__proto__" \(recorder\.sites\(\)\[0\]\): expected one of v, /,
    ],
  ];
}

Deno.test("a hostile recorder fails the run with one line, leaving _running and simrun's files", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_plugin_cli_" });
  try {
    const outside = `${tmp}/escaped.txt`;
    await Deno.mkdir(`${tmp}/plugins`);
    for (const [file, source, code, pattern, extra = []] of hostileRecorders(outside)) {
      const plugin = `${tmp}/plugins/${file}`;
      await Deno.writeTextFile(plugin, source);
      const prefix = `${tmp}/out_${file}`;
      const r = await run(prefix, `${MODEL}/example_pyramid.param`, [
        "--tstop",
        "20",
        "--seed",
        "1",
        "--plugin",
        plugin,
        ...extra,
      ]);
      assert.equal(r.code, code, `${file}: ${r.stderr}`);
      const line = r.stderr.trim();
      assert.equal(line.split("\n").length, 1, `${file}: one line expected:\n${r.stderr}`);
      // deno-lint-ignore no-control-regex -- no escape sequence may reach simrun's line
      assert.doesNotMatch(line, /\u001b/, `${file}: escape sequence in ${line}`);
      assert.ok(
        line.startsWith(code === 1 ? `simrun: Plugin "${plugin}": ` : `simrun: plugin ${plugin}: `),
        line,
      );
      assert.match(line, pattern, file);
      await assert.rejects(Deno.stat(outside), Deno.errors.NotFound);
      if (code === 2) {
        // A bad declaration is an input error: found before the first sweep, it leaves no folder.
        await assert.rejects(Deno.stat(`${prefix}/results`), Deno.errors.NotFound, file);
        continue;
      }
      const results = await listDir(`${prefix}/results`);
      assert.equal(results.length, 1, results.join(", "));
      assert.match(results[0]!, /_seed1_pid\d+_running$/);
      // simrun's own files are as simrun wrote them, and the folder keeps its mode.
      const dir = `${prefix}/results/${results[0]}`;
      assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o755, `${file}: job folder mode`);
      for (const n of await listDir(dir)) {
        if (n === "plugins") continue;
        assert.doesNotMatch(await Deno.readTextFile(`${dir}/${n}`), /written by a plugin/, n);
      }
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("a recorder writing after finish() from a timer is gone before the folder is renamed", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_plugin_cli_" });
  try {
    const plugin = `${tmp}/late.ts`;
    await Deno.writeTextFile(
      plugin,
      `export const recorder = {
  sites() { return [{ section: 0, x: 0.5 }]; },
  sweep() {},
  finish(ctx) {
    Deno.writeTextFileSync(ctx.outDir + "/late.txt", "finished");
    setInterval(() => {
      for (const f of ["vm_all_traces.csv", "late.txt"]) {
        try { Deno.writeTextFileSync(ctx.outDir + "/../../" + f, "late"); } catch { /* denied */ }
      }
      Deno.writeTextFileSync(ctx.outDir + "/late.txt", String(Date.now()));
    }, 1);
  },
};
`,
    );
    const common = ["--tstop", "20", "--seed", "2", "--sweeps", "2"];
    const r = await run(`${tmp}/rec`, `${MODEL}/example_pyramid.param`, [
      ...common,
      "--plugin",
      plugin,
    ]);
    assert.equal(r.code, 0, r.stderr);
    await run(`${tmp}/plain`, `${MODEL}/example_pyramid.param`, common);
    const dir = await resultOf(`${tmp}/rec`);
    await assertSameFiles(dir, await resultOf(`${tmp}/plain`));
    // Its own folder has what it wrote, and nothing changes any more: its process is gone.
    const late = `${dir}/plugins/late/late.txt`;
    const before = await Deno.readTextFile(late);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await Deno.readTextFile(late), before);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("--plugin-time-limit S stops a recorder that takes longer", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_plugin_cli_" });
  try {
    // A synchronous endless loop: its process is killed at the limit.
    const plugin = `${tmp}/slow.ts`;
    await Deno.writeTextFile(
      plugin,
      `export const recorder = {
  sites() { for (;;) {} },
  sweep() {},
};
`,
    );
    const started = performance.now();
    const r = await run(`${tmp}/out`, `${MODEL}/example_pyramid.param`, [
      "--tstop",
      "10",
      "--seed",
      "1",
      "--plugin",
      plugin,
      "--plugin-time-limit",
      "2",
    ]);
    // Far below the default 30 s limit: the option reached the recorder's host. (2 s, not less:
    // loading the module alone may take a few hundred ms on a busy machine.)
    assert.ok(performance.now() - started < 20_000, "the 2 s limit was not applied");
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr.trim(),
      /^simrun: Plugin ".*slow\.ts": ran past its time limit of 2 s in recorder\.sites\(\)/,
    );
    const bad = await runCli([
      "inspect",
      "x.param",
      "--sections",
      "s.csv",
      "--segments",
      "g.csv",
      "--plugin-time-limit",
      "0",
    ], { cwd: tmp });
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /--plugin-time-limit must be > 0 seconds/);
    // Beyond a timer's 24.8 days (2^31 ms) the limit must not fire at once: 35 days.
    const long = await run(`${tmp}/long`, `${MODEL}/example_pyramid.param`, [
      "--tstop",
      "10",
      "--seed",
      "1",
      "--plugin",
      RECORDER,
      "--plugin-time-limit",
      "3024000",
    ]);
    assert.equal(long.code, 0, long.stderr);
    // Beyond 10 000 years: a usage error, one line.
    const huge = await run(`${tmp}/huge`, `${MODEL}/example_pyramid.param`, [
      "--tstop",
      "10",
      "--plugin",
      RECORDER,
      "--plugin-time-limit",
      "1e300",
    ]);
    assert.equal(huge.code, 2, huge.stderr);
    assert.match(
      huge.stderr.trim(),
      /^simrun: --plugin-time-limit expects a number <= 315000000000, got "1e300" \(see simrun run --help\)$/,
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
