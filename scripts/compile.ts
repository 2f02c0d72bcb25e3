/**
 * Builds the single binary `dist/simrun` with `deno compile`, using exactly the permission and
 * unstable flags of the `simrun` task in deno.json (the one place they are defined).
 *
 * Offline hosts: `deno compile` needs the runtime base binary (`denort`) for the target; it
 * downloads it unless the environment variable `DENORT_BIN` names a local copy.
 *
 * @module
 */

/** Files loaded at run time that `deno compile` must embed (worker modules, demo model). */
export const COMPILE_INCLUDES: readonly string[] = [
  "simrun/job_worker.ts",
  "simrun/sweep_worker.ts",
  "plugins/plugin_worker.js",
  "plot/png_worker.ts",
  "examples/model",
];

/**
 * Toolchain packages in node_modules that must not be embedded: the npm `deno` package carries the
 * 95 MB Deno executable itself (the binary would grow from ~4 MB of code to ~100 MB).
 */
export const COMPILE_EXCLUDES: readonly string[] = [
  "node_modules/deno",
  "node_modules/@deno",
  "node_modules/@types",
];

/**
 * The flags of the `simrun` task: everything between `deno run` and `main.ts`.
 *
 * @param denoJson text of deno.json
 * @returns the flags in order
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { simrunTaskFlags } from "./compile.ts";
 * assert.deepEqual(simrunTaskFlags('{"tasks": {"simrun": "deno run --allow-read main.ts"}}'), ["--allow-read"]);
 * ```
 */
export function simrunTaskFlags(denoJson: string): string[] {
  const task = (JSON.parse(denoJson) as { tasks?: Record<string, string> }).tasks?.simrun;
  const m = task === undefined ? null : /^deno run (.*) main\.ts$/.exec(task.trim());
  if (m === null) {
    throw new Error(
      `deno.json: the "simrun" task must read "deno run <flags> main.ts", got ${task}`,
    );
  }
  return m[1]!.split(/\s+/).filter((s) => s !== "");
}

/**
 * Arguments of `deno compile` for the binary.
 *
 * @param flags the `simrun` task's flags
 * @param output the binary path
 * @returns arguments after the deno executable
 */
export function compileArgs(flags: readonly string[], output = "dist/simrun"): string[] {
  return [
    "compile",
    ...flags,
    ...COMPILE_INCLUDES.flatMap((p) => ["--include", p]),
    ...COMPILE_EXCLUDES.flatMap((p) => ["--exclude", p]),
    "-o",
    output,
    "main.ts",
  ];
}

if (import.meta.main) {
  const root = new URL("..", import.meta.url).pathname;
  const flags = simrunTaskFlags(await Deno.readTextFile(`${root}deno.json`));
  const denort = Deno.env.get("DENORT_BIN");
  if (denort !== undefined) {
    try {
      await Deno.stat(denort);
    } catch {
      console.error(`compile: DENORT_BIN=${denort} does not exist`);
      Deno.exit(1);
    }
  }
  const args = compileArgs(flags);
  console.error(`deno ${args.join(" ")}`);
  const r = await new Deno.Command(Deno.execPath(), { args, cwd: root, stderr: "piped" }).output();
  const err = new TextDecoder().decode(r.stderr);
  Deno.stderr.writeSync(r.stderr);
  if (!r.success) {
    if (denort === undefined && /denort|dl\.deno\.land/i.test(err)) {
      console.error(
        "compile: the Deno runtime base binary (denort) could not be obtained: this host cannot download it.\n" +
          "Provide it: download denort for this platform and Deno version (e.g. " +
          `https://dl.deno.land/release/v${Deno.version.deno}/denort-x86_64-unknown-linux-gnu.zip) on a ` +
          "connected machine, unzip it here, and run: DENORT_BIN=/path/to/denort npx deno task compile",
      );
    }
    Deno.exit(1);
  }
  console.error(`compile: wrote ${root}dist/simrun`);
}
