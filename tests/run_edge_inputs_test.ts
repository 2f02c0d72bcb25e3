/**
 * Edges of `simrun` seen at the command line (issue 9): inputs that are not regular files,
 * option values far beyond their limits, morphologies with impossible numbers, a 100 MB param,
 * non-finite replay times, file-system failures while writing (full disk, read-only file system,
 * a file where a folder should be), and accepted-but-suspect inputs that must be warned about.
 * Every failure is one line with the documented exit code (2 input, 1 I/O) and no stack; bad
 * input leaves no results folder; a write failure leaves only the `_running` folder.
 */
import assert from "node:assert/strict";
import { cliCommand } from "./_cli.ts";
import { copyModel, editFile as edit, names } from "./_model.ts";

/** Longest a refused input may take (a FIFO read would block forever). */
const TIMEOUT_MS = 60_000;

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `simrun <args>` (optionally inside `wrap`: a command that execs the rest). */
async function cli(
  args: readonly string[],
  cwd: string,
  wrap: readonly string[] = [],
): Promise<Result> {
  const cmd = [...wrap, Deno.execPath(), ...cliCommand(args)];
  const r = await new Deno.Command(cmd[0]!, {
    args: cmd.slice(1),
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

/** A fresh copy of the example model in a temp folder. */

/** `simrun run` of the copied model (1 sweep of 20 ms unless `extra` says otherwise). */
function runArgs(dir: string, extra: readonly string[] = []): string[] {
  return [
    "run",
    `${dir}/example_pyramid.param`,
    `${dir}/example_network.param`,
    "--dir-prefix",
    dir,
    "--quiet",
    "--seed",
    "1",
    "--tstop",
    "20",
    ...extra,
  ];
}

/** Asserts exit `code`, exactly one stderr line matching every pattern, and no stack. */
function oneLine(r: Result, code: number, ...patterns: (string | RegExp)[]): string {
  assert.equal(r.code, code, `exit code ${r.code}; stderr:\n${r.stderr}`);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
  const line = lines[0]!;
  assert.ok(line.startsWith("simrun: "), line);
  assert.ok(!/\n\s+at /.test(r.stderr), `a stack trace:\n${r.stderr}`);
  for (const p of patterns) {
    if (typeof p === "string") assert.ok(line.includes(p), `"${p}" missing in: ${line}`);
    else assert.match(line, p);
  }
  return line;
}

async function hasCommand(name: string, args: string[]): Promise<boolean> {
  try {
    return (await new Deno.Command(name, { args, stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

const HAS_MKFIFO = await hasCommand("mkfifo", ["--version"]);
if (!HAS_MKFIFO) console.warn("SKIP: no mkfifo; FIFO inputs are not tested");

/** `unshare -m` with a tmpfs mounted on the folder given as $1 (root only); `[]` when impossible. */
async function tmpfsWrap(options: string): Promise<string[]> {
  const wrap = [
    "unshare",
    "-m",
    "sh",
    "-c",
    `mount -t tmpfs -o ${options} tmpfs "$1" && shift && exec "$@"`,
    "sh",
  ];
  const dir = await Deno.makeTempDir();
  try {
    const ok = await hasCommand(wrap[0]!, [...wrap.slice(1), dir, "true"]);
    return ok ? wrap : [];
  } finally {
    await Deno.remove(dir);
  }
}
const TMPFS = await tmpfsWrap("size=64k");
if (TMPFS.length === 0) {
  console.warn(
    "SKIP: cannot mount a private tmpfs (needs root and unshare); full-disk and read-only runs are not tested",
  );
}

Deno.test({
  name: "a FIFO given as param, hoc, .syn, .con or activation file is refused at once",
  ignore: !HAS_MKFIFO,
  async fn(t) {
    const fifo = async (path: string) => {
      await Deno.remove(path).catch(() => {});
      const r = await new Deno.Command("mkfifo", { args: [path] }).output();
      assert.ok(r.success, `mkfifo ${path}`);
    };
    for (
      const [name, file] of [
        ["cell param", "example_pyramid.param"],
        ["network param", "example_network.param"],
        ["morphology", "example_pyramid.hoc"],
        ["synapse distribution", "example_pyramid.syn"],
        ["connectivity", "example_pyramid.con"],
        ["recording-site landmarks", "example_pyramid_apical_site.landmarkAscii"],
      ] as const
    ) {
      await t.step(name, async () => {
        const dir = await copyModel();
        try {
          await fifo(`${dir}/${file}`);
          const r = await cli(runArgs(dir), dir);
          oneLine(r, 2, file, "FIFO (named pipe), not a regular file");
          assert.deepEqual(await names(`${dir}/results`), []);
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      });
    }
    await t.step("synapse activation file of a replay", async () => {
      const dir = await copyModel();
      try {
        await fifo(`${dir}/act.csv`);
        const r = await cli(
          [
            "replay",
            `${dir}/example_pyramid.param`,
            `${dir}/example_network.param`,
            `${dir}/act.csv`,
            "--dir-prefix",
            dir,
            "--quiet",
          ],
          dir,
        );
        oneLine(r, 2, "act.csv", "FIFO");
        assert.deepEqual(await names(`${dir}/results`), []);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  },
});

Deno.test("a device or a folder given as an input file is refused with one line", async () => {
  const dir = await copyModel();
  try {
    const dev = await cli(
      runArgs(dir).map((a) => a.endsWith("network.param") ? "/dev/zero" : a),
      dir,
    );
    oneLine(dev, 2, "/dev/zero", "character device, not a regular file");
    const folder = await cli(runArgs(dir).map((a) => a.endsWith("pyramid.param") ? dir : a), dir);
    oneLine(folder, 2, "it is a directory");
    assert.deepEqual(await names(`${dir}/results`), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("option values far beyond their limits are one line with exit 2", async (t) => {
  const dir = await copyModel();
  try {
    for (
      const [args, expect] of [
        [["--sweeps", "99999999999999"], "--sweeps expects an integer in [1, 1000000]"],
        [["--nprocs", "99999999999"], "--nprocs expects an integer in [1, 1024]"],
        [["--sweep-range", "0:99999999999999"], "--sweep-range expects A:B"],
        [["--threads", "999999999999"], "--threads expects an integer in [1, 1024]"],
        [["--plugin-time-limit", "1e12"], "--plugin-time-limit expects a number <= 315000000000"],
      ] as const
    ) {
      await t.step(args.join(" "), async () => {
        oneLine(await cli(runArgs(dir, args), dir), 2, expect);
      });
    }
    await t.step("replay --nprocs", async () => {
      const r = await cli(
        [
          "replay",
          `${dir}/example_pyramid.param`,
          `${dir}/example_network.param`,
          `${dir}/x.csv`,
          "--nprocs",
          "1e9",
        ],
        dir,
      );
      oneLine(r, 2, "--nprocs expects an integer in [1, 1024]");
    });
    assert.deepEqual(await names(`${dir}/results`), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("impossible hoc numbers are refused with the hoc file and line", async (t) => {
  /** Rewrites the pt3dadd lines of dend_1_0 (lines 22…) with `f(x, y, z, d)`. */
  const cases: [string, (v: string[], k: number) => string[], RegExp][] = [
    [
      "all diameters 0",
      (v) => [v[0]!, v[1]!, v[2]!, "0"],
      /:17: Section "dend_1_0" has diameter 0 at all/,
    ],
    [
      "all diameters negative",
      (v) => [v[0]!, v[1]!, v[2]!, `-${v[3]}`],
      /:22:\d+: Diameter -1\.6 µm .* is negative/,
    ],
    [
      "a coordinate of 1e308",
      (v, k) => k === 1 ? ["1e308", v[1]!, v[2]!, v[3]!] : v,
      /:23:\d+: Coordinate x = 1e\+308 µm/,
    ],
    [
      "a diameter of 1e-50",
      (v, k) => k === 1 ? [v[0]!, v[1]!, v[2]!, "1e-50"] : v,
      /:23:\d+: Diameter 1e-50 µm .*becomes 0/,
    ],
    [
      "a diameter of 1e300",
      (v, k) => k === 1 ? [v[0]!, v[1]!, v[2]!, "1e300"] : v,
      /:23:\d+: Diameter 1e\+300 µm .*becomes infinite/,
    ],
  ];
  for (const [name, f, expect] of cases) {
    await t.step(name, async () => {
      const dir = await copyModel();
      try {
        const hoc = `${dir}/example_pyramid.hoc`;
        const lines = (await Deno.readTextFile(hoc)).split("\n");
        assert.equal(lines[16], "{create dend_1_0}", "test setup: the example hoc changed");
        for (let i = 21, k = 0; lines[i]!.startsWith("{pt3dadd("); i++, k++) {
          const v = lines[i]!.slice(9, -2).split(",");
          lines[i] = `{pt3dadd(${f(v, k).join(",")})}`;
        }
        await Deno.writeTextFile(hoc, lines.join("\n"));
        for (
          const args of [runArgs(dir), ["cell", `${dir}/example_pyramid.param`, "--tstop", "1"]]
        ) {
          const line = oneLine(await cli(args, dir), 2, expect);
          assert.ok(line.includes("example_pyramid.hoc"), line);
        }
        assert.deepEqual(await names(`${dir}/results`), []);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
});

Deno.test("a 100 MB valid param file is refused with one line", async () => {
  const dir = await copyModel();
  try {
    const big = `${dir}/big.param`;
    using f = await Deno.open(big, { write: true, create: true });
    const enc = new TextEncoder();
    await f.write(enc.encode('{"neuron": {"filename": "example_pyramid.hoc"}, "sim": {"xs": ['));
    const chunk = enc.encode("1.0, ".repeat(200_000)); // 1 MB
    for (let k = 0; k < 100; k++) await f.write(chunk);
    await f.write(enc.encode("1.0]}}\n"));
    f.close();
    const r = await cli(runArgs(dir).map((a) => a.endsWith("pyramid.param") ? big : a), dir);
    oneLine(r, 2, "big.param", "more than the 33554432 bytes (32 MiB) accepted");
    assert.deepEqual(await names(`${dir}/results`), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("nan and inf activation times in a replay are an input error with no folder", async (t) => {
  const dir = await copyModel();
  try {
    const run = await cli(runArgs(dir), dir);
    assert.equal(run.code, 0, run.stderr);
    const [folder] = await names(`${dir}/results`);
    const synapses = `${dir}/results/${folder}/simulation_run0000_synapses.csv`;
    const text = await Deno.readTextFile(synapses);
    const lines = text.split("\n");
    for (const bad of ["nan", "inf", "-Infinity"]) {
      await t.step(bad, async () => {
        const out = `${dir}/out_${bad}`;
        const file = `${dir}/act_${bad}.csv`;
        await Deno.writeTextFile(
          file,
          [...lines.slice(0, 2), lines[2]!.replace(/\t([^\t]*)$/, `\t${bad},$1`), ...lines.slice(3)]
            .join("\n"),
        );
        const r = await cli(
          [
            "replay",
            `${dir}/example_pyramid.param`,
            `${dir}/example_network.param`,
            synapses,
            file,
            "--dir-prefix",
            out,
            "--quiet",
            "--tstop",
            "20",
          ],
          dir,
        );
        oneLine(r, 2, `act_${bad}.csv:3: Activation time "${bad}"`, "is not a finite number");
        assert.deepEqual(await names(out), [], "bad input left a folder");
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a missing .syn names the network param's line and key", async () => {
  const dir = await copyModel();
  try {
    await edit(`${dir}/example_network.param`, /"example_pyramid\.syn"/, '"moved.syn"');
    const r = await cli(runArgs(dir), dir);
    oneLine(
      r,
      2,
      /example_network\.param:\d+: Cannot find anatomical realization file "moved\.syn" \(key "network\.\w+\.synapses\.distributionFile"\)/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hoc connect must name the section created last", async () => {
  const dir = await copyModel();
  try {
    await edit(
      `${dir}/example_pyramid.hoc`,
      "{connect dend_1_0(0), soma(0.5)}",
      "{connect nonexistent_xyz(0), soma(0.5)}",
    );
    const r = await cli(runArgs(dir), dir);
    oneLine(
      r,
      2,
      /example_pyramid\.hoc:18:10: "connect" names "nonexistent_xyz" as the child, but the section created last is "dend_1_0"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sections without a known label are skipped as ISF does, with one warning even for 2 jobs", async () => {
  const dir = await copyModel();
  try {
    const contours = Array.from(
      { length: 248 },
      (_, i) =>
        `\n{create closed_Delta_${i}}\n{access closed_Delta_${i}}\n{nseg = 1}\n{pt3dclear()}\n` +
        `{pt3dadd(${i}, 1, 1, 0)}\n{pt3dadd(${i}, 2, 2, 0)}\n`,
    ).join("");
    await Deno.writeTextFile(
      `${dir}/example_pyramid.hoc`,
      (await Deno.readTextFile(`${dir}/example_pyramid.hoc`)) + contours,
    );
    const r = await cli(runArgs(dir, ["--nprocs", "2"]), dir);
    assert.equal(r.code, 0, r.stderr);
    const warnings = r.stderr.trim().split("\n");
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(
      warnings[0]!,
      /^simrun: warning: .*example_pyramid\.hoc: skipped 248 sections whose names carry no known label .*"closed_Delta_0" \(line \d+\)/,
    );
    assert.equal((await names(`${dir}/results`)).length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a .syn made for another cell, and a replay on another morphology, are warned about", async () => {
  const dir = await copyModel();
  try {
    await edit(
      `${dir}/example_pyramid.syn`,
      "corresponding to cell: example_pyramid",
      "corresponding to cell: 86_C2_center",
    );
    const r = await cli(runArgs(dir), dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr.trim(),
      /^simrun: warning: .*example_pyramid\.syn:2: made for cell "86_C2_center", but the morphology is .*example_pyramid\.hoc: its \d+ synapse positions/,
    );
    // Replay the sweep on a morphology whose basal and apical sections swapped names.
    const [folder] = await names(`${dir}/results`);
    const synapses = `${dir}/results/${folder}/simulation_run0000_synapses.csv`;
    const rows = (await Deno.readTextFile(synapses)).trim().split("\n").slice(1);
    const moved = rows.filter((l) => l.split("\t")[5] !== "Soma").length;
    assert.ok(moved > 0, "no dendritic synapse in the sweep");
    await Deno.writeTextFile(
      `${dir}/example_pyramid.hoc`,
      (await Deno.readTextFile(`${dir}/example_pyramid.hoc`)).replaceAll("apical", "TMP")
        .replaceAll("dend", "apical").replaceAll("TMP", "dend"),
    );
    const rep = await cli(
      [
        "replay",
        `${dir}/example_pyramid.param`,
        `${dir}/example_network.param`,
        synapses,
        "--dir-prefix",
        `${dir}/replay`,
        "--quiet",
        "--tstop",
        "20",
      ],
      dir,
    );
    assert.equal(rep.code, 0, rep.stderr);
    const lines = rep.stderr.trim().split("\n").filter((l) => l.includes("dendrite label"));
    assert.equal(lines.length, 1, rep.stderr);
    assert.ok(
      lines[0]!.includes(`simulation_run0000_synapses.csv: ${moved} of ${rows.length} synapses`),
      lines[0],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a file where a folder should be, or a folder where a file should be: one line, exit 1", async () => {
  const dir = await copyModel();
  try {
    await Deno.writeTextFile(`${dir}/plain_file`, "x");
    oneLine(
      await cli(runArgs(dir).map((a) => a === dir ? `${dir}/plain_file` : a), dir),
      1,
      "Not a directory",
      "plain_file",
    );
    await Deno.mkdir(`${dir}/a_folder`);
    oneLine(
      await cli([
        "cell",
        `${dir}/example_pyramid.param`,
        "--tstop",
        "1",
        "--out",
        `${dir}/a_folder`,
      ], dir),
      1,
      "Is a directory",
      "a_folder",
    );
    oneLine(
      await cli([
        "inspect",
        `${dir}/example_pyramid.param`,
        "--sections",
        `${dir}/plain_file/s.csv`,
        "--segments",
        `${dir}/g.csv`,
      ], dir),
      1,
      "Not a directory",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * Runs the command on a private tmpfs mounted on `disk` (size and options in `mountOptions`),
 * then lists `disk/results` on stderr after its output (the mount vanishes with the command).
 */
function onTmpfs(mountOptions: string, disk: string): string[] {
  return [
    "unshare",
    "-m",
    "sh",
    "-c",
    `mount -t tmpfs -o ${mountOptions} tmpfs "$0" && "$@"; c=$?; echo "--- listing" >&2; ` +
    `ls "$0/results" >&2 2>/dev/null; exit $c`,
    disk,
  ];
}

/** The simrun lines of stderr and the listing of the results folder after them. */
function split(stderr: string): { lines: string[]; listing: string[] } {
  const all = stderr.trim().split("\n");
  const at = all.indexOf("--- listing");
  return { lines: all.slice(0, at), listing: all.slice(at + 1).filter((l) => l !== "") };
}

Deno.test({
  name: "a run on a full disk or a read-only file system ends in one line, leaving only _running",
  ignore: TMPFS.length === 0,
  async fn(t) {
    const cases: [string, string, string[], RegExp][] = [
      // ~56 kB: the sweep's files fit, the traces do not.
      [
        "disk fills while the job writes its files",
        "size=64k",
        [],
        /No space left on device .*_running\//,
      ],
      // Room for the folder (~104 kB in 4 kB pages) but not for the archive as well.
      [
        "disk fills while --tar writes the archive",
        "size=160k",
        ["--tar"],
        /No space left on device .*\.tar\.running'$/,
      ],
      ["read-only file system", "ro,size=64k", [], /Read-only file system .*results/],
      // `cell --out` on a 4 kB disk (a 20 ms trace is ~20 kB).
      ["disk full under cell --out", "size=4k", ["cell"], /No space left on device .*v\.csv'$/],
    ];
    for (const [name, options, extra, expect] of cases) {
      await t.step(name, async () => {
        const dir = await copyModel();
        try {
          const disk = `${dir}/disk`;
          await Deno.mkdir(disk);
          const args = extra[0] === "cell"
            ? ["cell", `${dir}/example_pyramid.param`, "--tstop", "20", "--out", `${disk}/v.csv`]
            : runArgs(dir, ["--dir-prefix", disk, ...extra]);
          const r = await cli(args, dir, onTmpfs(options, disk));
          const { lines, listing } = split(r.stderr);
          assert.equal(r.code, 1, r.stderr);
          assert.equal(lines.length, 1, r.stderr);
          assert.match(lines[0]!, /^simrun: /);
          assert.match(lines[0]!, expect);
          if (options.startsWith("ro") || extra[0] === "cell") assert.deepEqual(listing, []);
          else {
            assert.equal(listing.length, 1, `more than the job folder is left:\n${r.stderr}`);
            assert.match(listing[0]!, /^\d{8}-\d{4}_seed1_pid\d+_running$/);
          }
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      });
    }
  },
});
