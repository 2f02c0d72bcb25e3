/**
 * The example model (examples/model) for CLI tests: its files, a fresh copy to change, text edits
 * that must hit, and folder listings.
 *
 * @module
 */
import { repoDir } from "./_shared.ts";

/** The example model's folder. */
export const MODEL = `${repoDir()}/examples/model`;

/** Every file of the example model that a run reads. */
export const MODEL_FILES: readonly string[] = [
  "example_pyramid.hoc",
  "example_pyramid.param",
  "example_network.param",
  "example_pyramid.syn",
  "example_pyramid.con",
  "example_pyramid_apical_site.landmarkAscii",
];

/**
 * Copies the example model into `dir` (created; default a new temp folder).
 *
 * @param dir the folder to create (must not exist), or undefined for a new temp folder
 * @returns the folder
 */
export async function copyModel(dir?: string): Promise<string> {
  const out = dir ?? await Deno.makeTempDir({ prefix: "simrun_model_" });
  if (dir !== undefined) await Deno.mkdir(dir);
  for (const f of MODEL_FILES) await Deno.copyFile(`${MODEL}/${f}`, `${out}/${f}`);
  return out;
}

/**
 * Replaces `from` by `to` in a file; a test-setup error when `from` is not there.
 *
 * @param path the file
 * @param from text or pattern to replace
 * @param to the replacement
 */
export async function editFile(path: string, from: string | RegExp, to: string): Promise<void> {
  const text = await Deno.readTextFile(path);
  const next = text.replace(from, to);
  if (next === text) throw new Error(`test setup: ${from} not found in ${path}`);
  await Deno.writeTextFile(path, next);
}

/**
 * The names in a folder, sorted; none when it does not exist.
 *
 * @param dir the folder
 * @returns its entries' names
 */
export async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) out.push(e.name);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort();
}
