/**
 * The output folder of one job (outputs.md §1): `<dirPrefix>/results/<YYYYMMDD-HHMM>_<uniqueID>_running`
 * while the job runs, renamed to `<YYYYMMDD-HHMM>_<uniqueID>` (timestamp taken again) at the end, or
 * archived to `<final>.tar` with `--tar`. A final folder or archive that exists is never overwritten.
 *
 * @module
 */
import { verifyTarAgainstDir, writeTarFromDir } from "./tar.ts";

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
 * One job's output folder: created `_running`, filled by the job, then renamed or archived.
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
   * Creates `<dirPrefix>/results/<ts>_<uniqueId>_running` (parents included; an existing one is
   * reused as ISF does) and the empty `hostname_<host>` marker.
   *
   * @param dirPrefix ISF `dirPrefix` ("" = working directory)
   * @param uniqueId `seed<S>_pid<P>`
   * @param options host name and clock
   * @returns the folder
   * @throws Deno.errors.AlreadyExists when the final folder of this minute already exists
   */
  static async create(
    dirPrefix: string,
    uniqueId: string,
    options: JobFolderOptions = {},
  ): Promise<JobFolder> {
    const now = options.now ?? (() => new Date());
    const results = resultsDir(dirPrefix);
    const final = `${results}/${timestamp(now())}_${uniqueId}`;
    await refuseExisting(final);
    const path = `${final}_running`;
    await Deno.mkdir(path, { recursive: true });
    await Deno.writeFile(
      `${path}/hostname_${options.hostname ?? Deno.hostname()}`,
      new Uint8Array(0),
    );
    return new JobFolder(results, uniqueId, path, now);
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
   * Renames the folder to its final name (timestamp taken again), or with `tar` writes
   * `<final>.tar.running`, verifies it, renames it to `<final>.tar` and removes the folder.
   *
   * @param options `tar`
   * @returns the final folder or archive path
   * @throws Deno.errors.AlreadyExists when the final folder or archive exists (the `_running` folder stays)
   */
  async finish(options: FinishOptions = {}): Promise<string> {
    const final = `${this.#results}/${timestamp(this.#now())}_${this.#uniqueId}`;
    await refuseExisting(final);
    if (!options.tar) {
      await Deno.rename(this.path, final);
      return final;
    }
    const running = `${final}.tar.running`;
    await Deno.remove(running).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
    await writeTarFromDir(this.path, running);
    await verifyTarAgainstDir(running, this.path);
    await Deno.rename(running, `${final}.tar`);
    await Deno.remove(this.path, { recursive: true });
    return `${final}.tar`;
  }
}

async function refuseExisting(final: string): Promise<void> {
  for (const p of [final, `${final}.tar`]) {
    if (await exists(p)) {
      throw new Deno.errors.AlreadyExists(`${p} already exists; simrun never overwrites results`);
    }
  }
}
