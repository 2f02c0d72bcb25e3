/**
 * Locates `../shared` (the spec, ISF example data and NEURON references) beside the repository.
 * Tests that need it use `ignore: sharedDir() === undefined`; a missing folder is reported once.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { fromFileUrl } from "./_url.ts";

let warned = false;

/** Absolute path of `../shared` next to the repository root, or undefined (with one warning). */
export function sharedDir(): string | undefined {
  const dir = fromFileUrl(new URL("../../shared", import.meta.url));
  if (existsSync(dir)) return dir;
  if (!warned) {
    warned = true;
    console.warn(
      `SKIP: ${dir} is absent; tests that compare with ISF/NEURON references are skipped`,
    );
  }
  return undefined;
}

/** Path inside `../shared`; throws if it is absent (call only from tests not ignored). */
export function sharedPath(...parts: string[]): string {
  const dir = sharedDir();
  if (dir === undefined) throw new Error("../shared is absent");
  return [dir, ...parts].join("/");
}

/** Path map that turns the ISF example's foreign prefixes into `../shared/data/isf_example/`. */
export function isfPathMap(): string[] {
  const data = sharedPath("data", "isf_example") + "/";
  return [`*/getting_started/example_data/=${data}`];
}

/**
 * The ISF example job as ISF's stored run B was made: cell and network param, the path map, ISF's
 * random numbers and seed 20250101 (arguments of `simrun run`, `slurm submit`, `network`).
 */
export function isfExampleArgs(): string[] {
  const data = sharedPath("data", "isf_example");
  return [
    `${data}/biophysical_constraints/86_C2_center.param`,
    `${data}/functional_constraints/network.param`,
    "--path-map",
    isfPathMap()[0]!,
    "--rng",
    "isf",
    "--seed",
    "20250101",
  ];
}

/** Root of the repository. */
export function repoDir(): string {
  return fromFileUrl(new URL("..", import.meta.url)).replace(/\/$/, "");
}
