/**
 * The output folder of one job (outputs.md §1): `<dirPrefix>/results/<YYYYMMDD-HHMM>_<uniqueID>_running`
 * while the job runs, renamed to `<YYYYMMDD-HHMM>_<uniqueID>` (timestamp taken again) at the end, or
 * archived to `<final>.tar` with `--tar` (written as `<final>.tar.running`, verified, then linked
 * to its final name).
 *
 * A job owns its folder exclusively: the `_running` folder is created with one `mkdir` that fails
 * when the name exists, and the final name is claimed the same way (an exclusive `mkdir` replaced
 * by the rename, or a hard link that fails when the archive exists). Nothing is adopted or
 * overwritten. When a name is taken (a killed run's `_running` folder, a finished run, or a
 * concurrent job with the same seed and pid: same pid is normal across containers and nodes), the
 * job takes the next free name `<YYYYMMDD-HHMM>_<uniqueID>_<k>`, k = 2, 3, …
 *
 * @module
 */
import { verifyTarAgainstDir, writeTarFromDir } from "./tar.ts";

/** Most names tried per minute and unique ID before giving up (k = 2 … MAX_NAME_ATTEMPTS). */
export const MAX_NAME_ATTEMPTS = 1000;

/**
 * Python's `time.strftime('%Y%m%d-%H%M')` in local time.
 *
 * @param d the moment
 * @returns e.g. `20250101-0930`
 * @example Format
 * ```ts
 * import assert from "node:assert/strict";
 * import { timestamp } from "./output_dir.ts";
 * assert.equal(timestamp(new Date(2025, 0, 2, 3, 4)), "20250102-0304");
 * ```
 */
export function timestamp(d: Date): string {
  const p = (v: number, n = 2) => String(v).padStart(n, "0");
  return `${p(d.getFullYear(), 4)}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${
    p(d.getMinutes())
  }`;
}

/** `os.path.join(dirPrefix, "results")`: an empty prefix means `results` in the working directory. */
export function resultsDir(dirPrefix: string): string {
  if (dirPrefix === "") return "results";
  return dirPrefix.endsWith("/") ? `${dirPrefix}results` : `${dirPrefix}/results`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/**
 * The k-th name of a job folder: `<stamp>_<uniqueId>` for k = 1, then `<stamp>_<uniqueId>_<k>`.
 *
 * @param stamp `YYYYMMDD-HHMM`
 * @param uniqueId `seed<S>_pid<P>`
 * @param k 1, 2, …
 * @returns the folder name without `_running`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { folderName } from "./output_dir.ts";
 * assert.equal(folderName("20250101-0930", "seed5_pid7", 1), "20250101-0930_seed5_pid7");
 * assert.equal(folderName("20250101-0930", "seed5_pid7", 2), "20250101-0930_seed5_pid7_2");
 * ```
 */
export function folderName(stamp: string, uniqueId: string, k: number): string {
  return k === 1 ? `${stamp}_${uniqueId}` : `${stamp}_${uniqueId}_${k}`;
}

/** True when any form of a finished result of that name exists (folder, archive, archive being written). */
async function resultExists(final: string): Promise<boolean> {
  for (const p of [final, `${final}.tar`, `${final}.tar.running`]) {
    if (await exists(p)) return true;
  }
  return false;
}

function noFreeName(results: string, base: string): never {
  throw new Deno.errors.AlreadyExists(
    `${results}/${base}: ${MAX_NAME_ATTEMPTS} folders of this name exist; simrun never overwrites results`,
  );
}

/** Options of {@link JobFolder.create}. */
export interface JobFolderOptions {
  /** Host name for the `hostname_<host>` marker (default `Deno.hostname()`). */
  readonly hostname?: string;
  /** Clock (default `() => new Date()`); injected by tests. */
  readonly now?: () => Date;
}

/** Options of {@link JobFolder.finish}. */
export interface FinishOptions {
  /** Archive into `<final>.tar` instead of renaming the folder. */
  readonly tar?: boolean;
}

/**
 * One job's output folder: created `_running` (exclusively), filled by the job, then renamed or
 * archived under a name no other job holds.
 *
 * @example Create, fill, finish
 * ```ts
 * import assert from "node:assert/strict";
 * import { JobFolder } from "./output_dir.ts";
 * const tmp = await Deno.makeTempDir();
 * const f = await JobFolder.create(tmp, "seed1_pid2", { hostname: "h" });
 * await Deno.writeTextFile(f.file("x.csv"), "1\n");
 * const final = await f.finish();
 * assert.ok(final.endsWith("_seed1_pid2"));
 * await Deno.remove(tmp, { recursive: true });
 * ```
 */
export class JobFolder {
  readonly #results: string;
  readonly #uniqueId: string;
  readonly #now: () => Date;
  /** The `_running` folder. */
  readonly path: string;

  private constructor(results: string, uniqueId: string, path: string, now: () => Date) {
    this.#results = results;
    this.#uniqueId = uniqueId;
    this.path = path;
    this.#now = now;
  }

  /**
   * Creates `<dirPrefix>/results/<ts>_<uniqueId>_running` (the results folder with its parents
   * included) with one exclusive `mkdir`, and the empty `hostname_<host>` marker. An existing
   * `_running` folder is never reused: the next free name `<ts>_<uniqueId>_<k>_running` is taken.
   *
   * @param dirPrefix ISF `dirPrefix` ("" = working directory)
   * @param uniqueId `seed<S>_pid<P>`
   * @param options host name and clock
   * @returns the folder
   * @throws Deno.errors.AlreadyExists when all {@link MAX_NAME_ATTEMPTS} names are taken
   */
  static async create(
    dirPrefix: string,
    uniqueId: string,
    options: JobFolderOptions = {},
  ): Promise<JobFolder> {
    const now = options.now ?? (() => new Date());
    const results = resultsDir(dirPrefix);
    await Deno.mkdir(results, { recursive: true });
    const stamp = timestamp(now());
    for (let k = 1; k <= MAX_NAME_ATTEMPTS; k++) {
      const path = `${results}/${folderName(stamp, uniqueId, k)}_running`;
      try {
        await Deno.mkdir(path); // not recursive: fails when the folder exists
      } catch (e) {
        if (e instanceof Deno.errors.AlreadyExists) continue;
        throw e;
      }
      await Deno.writeFile(
        `${path}/hostname_${options.hostname ?? Deno.hostname()}`,
        new Uint8Array(0),
        { createNew: true },
      );
      return new JobFolder(results, uniqueId, path, now);
    }
    noFreeName(results, `${stamp}_${uniqueId}`);
  }

  /**
   * Path of a file inside the `_running` folder.
   *
   * @param name file name
   * @returns `<running>/<name>`
   */
  file(name: string): string {
    return `${this.path}/${name}`;
  }

  /**
   * Renames the folder to its final name (timestamp taken again; the next free
   * `<ts>_<uniqueId>_<k>` when that name is taken), or with `tar` writes `<final>.tar.running`,
   * verifies it, links it to `<final>.tar` and removes the folder. When writing fails (a full
   * disk), the partial archive is removed and the `_running` folder stays.
   *
   * @param options `tar`
   * @returns the final folder or archive path
   * @throws the file system's error when writing or renaming fails (the `_running` folder stays)
   */
  async finish(options: FinishOptions = {}): Promise<string> {
    const stamp = timestamp(this.#now());
    return options.tar ? await this.#archive(stamp) : await this.#rename(stamp);
  }

  async #rename(stamp: string): Promise<string> {
    for (let k = 1; k <= MAX_NAME_ATTEMPTS; k++) {
      const final = `${this.#results}/${folderName(stamp, this.#uniqueId, k)}`;
      if (await resultExists(final)) continue;
      // Claim the name with an exclusive mkdir; the rename then replaces this empty folder.
      try {
        await Deno.mkdir(final);
      } catch (e) {
        if (e instanceof Deno.errors.AlreadyExists) continue;
        throw e;
      }
      // A job archiving under this name meanwhile keeps it (it checks for the folder only
      // before linking its archive): give the name back.
      if (await exists(`${final}.tar`) || await exists(`${final}.tar.running`)) {
        await Deno.remove(final);
        continue;
      }
      try {
        await Deno.rename(this.path, final);
      } catch (e) {
        await Deno.remove(final).catch(() => {});
        throw e;
      }
      return final;
    }
    noFreeName(this.#results, `${stamp}_${this.#uniqueId}`);
  }

  async #archive(stamp: string): Promise<string> {
    for (let k = 1; k <= MAX_NAME_ATTEMPTS; k++) {
      const final = `${this.#results}/${folderName(stamp, this.#uniqueId, k)}`;
      if (await resultExists(final)) continue;
      const partial = `${final}.tar.running`;
      try {
        await writeTarFromDir(this.path, partial); // createNew: fails when another job writes it
      } catch (e) {
        if (e instanceof Deno.errors.AlreadyExists) continue;
        await Deno.remove(partial).catch(() => {});
        throw e;
      }
      try {
        await verifyTarAgainstDir(partial, this.path);
        const archive = await this.#linkArchive(partial, stamp, k);
        await Deno.remove(partial).catch((e) => {
          if (!(e instanceof Deno.errors.NotFound)) throw e; // renamed instead of linked
        });
        await Deno.remove(this.path, { recursive: true });
        return archive;
      } catch (e) {
        await Deno.remove(partial).catch(() => {});
        throw e;
      }
    }
    noFreeName(this.#results, `${stamp}_${this.#uniqueId}`);
  }

  /** Gives the verified archive its final name with a hard link, which never replaces a file. */
  async #linkArchive(partial: string, stamp: string, from: number): Promise<string> {
    for (let k = from; k <= MAX_NAME_ATTEMPTS; k++) {
      const final = `${this.#results}/${folderName(stamp, this.#uniqueId, k)}`;
      if (k !== from && await resultExists(final)) continue;
      if (await exists(final)) continue;
      try {
        await Deno.link(partial, `${final}.tar`);
      } catch (e) {
        if (e instanceof Deno.errors.AlreadyExists) continue;
        // A file system without hard links: rename, after checking the name is free.
        if (await exists(`${final}.tar`)) continue;
        await Deno.rename(partial, `${final}.tar`);
        return `${final}.tar`;
      }
      // A job that claimed the folder name meanwhile keeps it: give the name back.
      if (await exists(final)) {
        await Deno.remove(`${final}.tar`);
        continue;
      }
      return `${final}.tar`;
    }
    noFreeName(this.#results, `${stamp}_${this.#uniqueId}`);
  }
}
