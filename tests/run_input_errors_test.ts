/**
 * Bad inputs to `simrun run` exit with code 2 before the first sweep: one line naming the file
 * (and line and key where they apply), and no results folder.
 */
import assert from "node:assert/strict";
import { runCli } from "./_cli.ts";
import { editFile as edit, MODEL, MODEL_FILES as FILES } from "./_model.ts";

interface Case {
  readonly name: string;
  /** Changes the copied model; returns extra CLI args (default none). */
  readonly mutate?: (dir: string) => Promise<void> | void;
  readonly args?: readonly string[];
  /** Substrings the one-line message must contain. */
  readonly expect: readonly (string | RegExp)[];
}

const CASES: Case[] = [
  {
    name: "missing cell param",
    mutate: (d) => Deno.remove(`${d}/example_pyramid.param`),
    expect: ["example_pyramid.param"],
  },
  {
    name: "cell param syntax error",
    mutate: (d) => edit(`${d}/example_pyramid.param`, `"Vinit": -75.0,`, `"Vinit" -75.0,`),
    expect: [/example_pyramid\.param:\d+:\d+/],
  },
  {
    name: "morphology file missing",
    mutate: (d) => Deno.remove(`${d}/example_pyramid.hoc`),
    expect: ["example_pyramid.hoc", "filename"],
  },
  {
    name: "unknown mechanism",
    mutate: (d) => edit(`${d}/example_pyramid.param`, `"Im": {`, `"Imm": {`),
    expect: [/example_pyramid\.param:\d+/, "Imm"],
  },
  {
    name: "dt zero",
    mutate: (d) => edit(`${d}/example_pyramid.param`, `"dt": 0.025`, `"dt": 0.0`),
    expect: ["example_pyramid.param", "dt"],
  },
  {
    name: "dt not a number",
    mutate: (d) => edit(`${d}/example_pyramid.param`, `"dt": 0.025`, `"dt": "fast"`),
    expect: [/example_pyramid\.param:\d+/, "dt"],
  },
  {
    name: "recording-site file missing",
    mutate: (d) => Deno.remove(`${d}/example_pyramid_apical_site.landmarkAscii`),
    expect: ["example_pyramid_apical_site.landmarkAscii"],
  },
  {
    name: "landmark with a bad number",
    mutate: (d) => edit(`${d}/example_pyramid_apical_site.landmarkAscii`, /\n(-?\d)/, "\nx$1"),
    expect: [/example_pyramid_apical_site\.landmarkAscii:\d+/],
  },
  {
    name: "hoc with a bad pt3dadd",
    mutate: (d) => edit(`${d}/example_pyramid.hoc`, "{pt3dadd(0.000000,", "{pt3dadd(0.0.0,"),
    expect: [/example_pyramid\.hoc:\d+/],
  },
  {
    name: "network param syntax error",
    mutate: (d) => edit(`${d}/example_network.param`, `"cellNr": 60,`, `"cellNr" 60,`),
    expect: [/example_network\.param:\d+:\d+/],
  },
  {
    name: "synapse distribution file missing",
    mutate: (d) => Deno.remove(`${d}/example_pyramid.syn`),
    expect: ["example_pyramid.syn"],
  },
  {
    name: "unknown receptor",
    mutate: (d) => edit(`${d}/example_network.param`, `"gaba_syn": {`, `"gabaa_syn": {`),
    expect: [/example_network\.param:\d+/, "gabaa_syn"],
  },
  {
    name: "section id beyond the cell in .syn",
    mutate: (d) => edit(`${d}/example_pyramid.syn`, /\nVPM_C2\t\d+\t/, "\nVPM_C2\t999\t"),
    expect: [/example_pyramid\.syn:5\b/],
  },
  {
    name: "cell id beyond cellNr in .con",
    mutate: (d) => edit(`${d}/example_pyramid.con`, /\nVPM_C2\t\d+\t0\n/, "\nVPM_C2\t60\t0\n"),
    expect: [/example_pyramid\.con:5\b/],
  },
  {
    name: "cellNr not an integer",
    mutate: (d) => edit(`${d}/example_network.param`, `"cellNr": 60,`, `"cellNr": "sixty",`),
    expect: [/example_network\.param:\d+/, "cellNr"],
  },
  { name: "seed out of range", args: ["--seed", "4294967295"], expect: ["--seed", "4294967294"] },
  { name: "negative tStop", args: ["--tstop=-5"], expect: ["--tstop must be > 0"] },
  { name: "empty sweep range", args: ["--sweep-range", "5:3"], expect: ["--sweep-range"] },
  { name: "unknown option", args: ["--sweepz", "3"], expect: ["sweepz"] },
  { name: "bad path-map rule", args: ["--path-map", "no-equals-sign"], expect: ["no-equals-sign"] },
];

Deno.test({
  name: "simrun run exits 2 before the first sweep for each of 20 bad inputs",
  async fn(t) {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_errors_" });
    try {
      for (const [i, c] of CASES.entries()) {
        await t.step(c.name, async () => {
          const dir = `${tmp}/case${i}`;
          await Deno.mkdir(dir);
          for (const f of FILES) await Deno.copyFile(`${MODEL}/${f}`, `${dir}/${f}`);
          await c.mutate?.(dir);
          const r = await runCli([
            "run",
            `${dir}/example_pyramid.param`,
            `${dir}/example_network.param`,
            "--dir-prefix",
            dir,
            "--quiet",
            "--seed",
            "1",
            "--tstop",
            "1",
            ...(c.args ?? []),
          ], { cwd: dir });
          assert.equal(r.code, 2, `exit code ${r.code}; stderr:\n${r.stderr}`);
          const lines = r.stderr.trim().split("\n");
          assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
          for (const e of c.expect) {
            if (typeof e === "string") {
              assert.ok(lines[0]!.includes(e), `"${e}" missing in: ${lines[0]}`);
            } else assert.match(lines[0]!, e);
          }
          const results = await Deno.stat(`${dir}/results`).then(() => true, () => false);
          assert.equal(results, false, "a results folder was created before failing");
        });
      }
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
