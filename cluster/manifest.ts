/**
 * The manifest of a finished task (`tasks/<i>/manifest.json`): every file of the task folder with
 * its size and sha256, written last before the folder gets its final name, and verified by
 * `merge` before anything is copied.
 *
 * @module
 */
import { CampaignError } from "./campaign_error.ts";
import { sha256File } from "./sha256.ts";

/** `format` of manifest.json. */
export const MANIFEST_FORMAT = "simrun-task-manifest/1";
/** The manifest's file name. */
export const MANIFEST_FILE = "manifest.json";

/** One file of a task folder. */
export interface ManifestEntry {
  /** Path relative to the task folder, `/`-separated. */
  readonly path: string;
  /** Size [bytes]. */
  readonly bytes: number;
  /** Hex sha256. */
  readonly sha256: string;
}

/** Content of manifest.json. */
export interface Manifest {
  /** {@link MANIFEST_FORMAT}. */
  readonly format: string;
  /** Task index. */
  readonly task: number;
  /** Every file except the manifest, sorted by path. */
  readonly files: readonly ManifestEntry[];
}

/** Relative paths of every file under `dir`, sorted. */
async function listFiles(dir: string, sub = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(sub === "" ? dir : `${dir}/${sub}`)) {
    const rel = sub === "" ? e.name : `${sub}/${e.name}`;
    if (e.isDirectory) out.push(...await listFiles(dir, rel));
    else if (e.isFile) out.push(rel);
    else throw new CampaignError(`${dir}/${rel}: not a regular file or folder`);
  }
  return out.sort();
}

/**
 * Hashes every file of a task folder and writes manifest.json into it.
 *
 * @param dir the task folder
 * @param task the task index
 * @returns the manifest
 */
export async function writeManifest(dir: string, task: number): Promise<Manifest> {
  const files: ManifestEntry[] = [];
  for (const path of await listFiles(dir)) {
    if (path === MANIFEST_FILE) continue;
    files.push({ path, ...await sha256File(`${dir}/${path}`) });
  }
  const manifest: Manifest = { format: MANIFEST_FORMAT, task, files };
  await Deno.writeTextFile(`${dir}/${MANIFEST_FILE}`, JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

/**
 * Reads a task folder's manifest and checks every file against it: present, same size, same
 * sha256, and no file that it does not list.
 *
 * @param dir the task folder
 * @param task the expected task index
 * @returns the manifest
 * @throws CampaignError naming the first file that differs
 * @example Round trip
 * ```ts
 * import assert from "node:assert/strict";
 * import { verifyManifest, writeManifest } from "./manifest.ts";
 * const d = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${d}/a.csv`, "1\n");
 * await writeManifest(d, 0);
 * assert.equal((await verifyManifest(d, 0)).files.length, 1);
 * await Deno.writeTextFile(`${d}/a.csv`, "2\n");
 * await assert.rejects(() => verifyManifest(d, 0), /a\.csv/);
 * await Deno.remove(d, { recursive: true });
 * ```
 */
export async function verifyManifest(dir: string, task: number): Promise<Manifest> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await Deno.readTextFile(`${dir}/${MANIFEST_FILE}`)) as Manifest;
  } catch (e) {
    throw new CampaignError(
      `task ${task}: ${dir}/${MANIFEST_FILE} cannot be read (${(e as Error).message}); ` +
        `remove the folder and resume`,
      { tasks: [task] },
    );
  }
  if (
    manifest.format !== MANIFEST_FORMAT || manifest.task !== task || !Array.isArray(manifest.files)
  ) {
    throw new CampaignError(`task ${task}: ${dir}/${MANIFEST_FILE} is not this task's manifest`, {
      tasks: [task],
    });
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const path of await listFiles(dir)) {
    if (path !== MANIFEST_FILE && !listed.has(path)) {
      throw new CampaignError(`task ${task}: ${dir}/${path} is not in the manifest`, {
        tasks: [task],
      });
    }
  }
  for (const f of manifest.files) {
    let got: { sha256: string; bytes: number };
    try {
      got = await sha256File(`${dir}/${f.path}`);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      throw new CampaignError(`task ${task}: ${dir}/${f.path} is missing`, { tasks: [task] });
    }
    if (got.sha256 !== f.sha256 || got.bytes !== f.bytes) {
      throw new CampaignError(
        `task ${task}: ${dir}/${f.path} changed after the task finished (sha256 ${
          got.sha256.slice(0, 12)
        }…, manifest has ${f.sha256.slice(0, 12)}…)`,
        { tasks: [task] },
      );
    }
  }
  return manifest;
}
