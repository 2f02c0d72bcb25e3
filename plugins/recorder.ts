/**
 * Recorder plugins for a job: each runs sandboxed in its own process for the whole job
 * (`host.ts`), may write only into its own folder `<job>/plugins/<name>/` (its `ctx.outDir`),
 * says once what to record (`sites`), and receives the traces once per sweep (`deliver`): the
 * solver records into typed arrays, and after the sweep the host sends them to the plugin's
 * process, which works on them while the next sweep runs, so a recorder costs nothing per time
 * step. `close()` ends every recorder's process before it returns: nothing a plugin started can
 * still write when the job folder gets its final name.
 *
 * The job engine's side (see docs/plugins.md):
 * ```ts ignore
 * const rec = await openRecorders([{ path: "cai_hot_zone.ts" }], { jobDir });
 * const extra = await rec.sites(cell);                       // once, after createCell
 * for (const sweep of sweeps) {
 *   const r = simulate(cell, { ...sim, record: [...ownSites, ...extra] });
 *   await rec.deliver(sweep, r.t, r.traces.slice(ownSites.length)); // recorder works meanwhile
 * }
 * await rec.close();                // waits for the last sweep, finish(); before renaming jobDir
 * // on any other error: rec.abort()
 * ```
 *
 * @module
 */
import { basename, extname, PluginError, resolve } from "../io/mod.ts";
import type { Cell } from "../solver/mod.ts";
import { checkSites } from "./_record_sites.ts";
import { describeCell } from "./cell_description.ts";
import { type PluginLauncher, PluginProcess } from "./host.ts";
import type { PluginArgs, RecorderContext, RecordSite as PluginRecordSite } from "./plugin_api.ts";
import type { RecordSite } from "../solver/mod.ts";

/** One recorder plugin of a job. */
export interface RecorderSpec {
  /** Path of the module (exports `recorder`). */
  readonly path: string;
  /** Keyword arguments handed to every call as `context.args` (default `{}`). */
  readonly args?: PluginArgs;
  /** Name in messages and `context.name` (default: `path`). */
  readonly name?: string;
}

/** Options of {@linkcode openRecorders}. */
export interface OpenRecordersOptions {
  /** The job output folder: each recorder may write into its own folder `plugins/<name>/` there. */
  readonly jobDir: string;
  /** Extra files or folders recorders may read (`--plugin-read`). */
  readonly read?: readonly string[];
  /** Time limit of one call (load, sites, one sweep, finish) [ms] (default 30 s). */
  readonly timeLimitMs?: number;
  /** Memory limit of each recorder's process [MiB] (default 2048). */
  readonly memoryLimitMb?: number;
  /** How to start a plugin's process (see `PluginProcessOptions.launcher`; tests). */
  readonly launcher?: PluginLauncher;
}

/** The open recorders of one job. */
export interface RecorderSession {
  /** Number of recorders. */
  readonly count: number;
  /** Each recorder's own folder (its `ctx.outDir`), in the order of the specs. */
  readonly folders: readonly string[];
  /** Each recorder's process id, in the order of the specs (for tests and diagnostics). */
  readonly pids: readonly number[];
  /**
   * Asks every recorder what to record on this cell (once per job).
   * @returns all sites, recorder after recorder; pass them to `simulate({ record })`
   * @throws InputValueError (source `plugin <name>`) for a site that cannot be recorded
   */
  sites(cell: Readonly<Cell>): Promise<RecordSite[]>;
  /**
   * Hands one sweep's traces to the recorders (the caller's arrays stay intact and are free
   * once this returns). The
   * recorders work on them in their processes while the caller simulates the next sweep: the
   * returned promise resolves once the traces are on their way and the *previous* sweep's
   * processing has finished (at most one sweep in flight). A recorder's failure in sweep n is
   * thrown by the next `deliver()` or by `close()`.
   * @param sweep sweep index
   * @param t sample times [ms]
   * @param traces the traces of the sites from `sites()`, same order
   */
  deliver(sweep: number, t: Float64Array, traces: readonly Float64Array[]): Promise<void>;
  /** Waits until every delivered sweep is processed; throws a recorder's failure. */
  flush(): Promise<void>;
  /**
   * Waits for delivered sweeps, calls every recorder's `finish()`, ends their processes and waits
   * until they are gone (also after a failure, which it then throws).
   */
  close(): Promise<void>;
  /** Ends the recorders' processes without `finish()` and without waiting (after another error). */
  abort(): void;
}

/**
 * Starts the recorder plugins of a job, each in its own sandboxed process with its own output
 * folder `<jobDir>/plugins/<name>/` (`name`: the module's file name without extension, made
 * unique).
 *
 * @param specs recorder modules with their arguments
 * @param options job folder, read grants, time limit [ms], memory limit [MiB]
 * @returns the session
 * @throws PluginError if a module cannot be loaded (the others are stopped)
 * @example
 * ```ts ignore
 * const rec = await openRecorders([{ path: "examples/plugins/cai_hot_zone_recorder.ts" }], {
 *   jobDir: "results/job1",
 * });
 * ```
 */
export async function openRecorders(
  specs: readonly RecorderSpec[],
  options: OpenRecordersOptions,
): Promise<RecorderSession> {
  const jobDir = resolve(options.jobDir);
  const folders = specs.length > 0 ? await makeFolders(jobDir, specs) : [];
  const started = await Promise.allSettled(specs.map((s, k) =>
    PluginProcess.start(s.path, {
      kind: "recorder",
      name: s.name ?? s.path,
      read: options.read ?? [],
      write: [folders[k]],
      ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
      ...(options.memoryLimitMb !== undefined ? { memoryLimitMb: options.memoryLimitMb } : {}),
      ...(options.launcher !== undefined ? { launcher: options.launcher } : {}),
    })
  ));
  const plugins: PluginProcess[] = [];
  let firstError: unknown;
  for (const r of started) {
    if (r.status === "fulfilled") plugins.push(r.value);
    else firstError ??= r.reason;
  }
  if (firstError !== undefined) {
    await Promise.all(plugins.map((p) => p.close()));
    await Promise.all(folders.map(removeIfEmpty));
    await removeIfEmpty(`${jobDir}/plugins`);
    throw firstError;
  }
  const contexts: RecorderContext[] = specs.map((s, k) => ({
    args: s.args ?? {},
    outDir: plugins[k].sandbox.write[0],
    name: s.name ?? s.path,
  }));
  return new Session(plugins, contexts, folders);
}

/** Creates `<jobDir>/plugins/<name>/` for each recorder (names unique within the job). */
async function makeFolders(jobDir: string, specs: readonly RecorderSpec[]): Promise<string[]> {
  const root = `${jobDir}/plugins`;
  await Deno.mkdir(root, { recursive: true });
  const out: string[] = [];
  for (const s of specs) {
    const base = basename(s.path, extname(s.path)).replace(/[^\w.-]/g, "_").replace(/^\.+/, "") ||
      "plugin";
    for (let k = 1;; k++) {
      const dir = `${root}/${k === 1 ? base : `${base}_${k}`}`;
      try {
        await Deno.mkdir(dir);
        out.push(dir);
        break;
      } catch (e) {
        if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      }
    }
  }
  return out;
}

/** The recorders of one job as simrun's job engine calls them (`JobHooks.openRecorders`). */
export interface RecorderHook {
  /** The recorders' sites, asked once when the hook was opened. */
  sites(): readonly RecordSite[];
  /** See {@linkcode RecorderSession.deliver}. */
  deliver(sweep: number, t: Float64Array, values: Float64Array[]): Promise<void>;
  /** See {@linkcode RecorderSession.close}. */
  close(): Promise<void>;
  /** See {@linkcode RecorderSession.abort}. */
  abort(): void;
}

/** Options of {@linkcode openRecorderHook}: those of `openRecorders` plus the cell. */
export interface OpenRecorderHookOptions extends OpenRecordersOptions {
  /** The job's built cell (after cell-modify functions). */
  readonly cell: Readonly<Cell>;
}

/**
 * Opens the recorders of a job and asks for their sites right away, so that `sites()` is
 * synchronous: the adapter for the job engine's recorder hook.
 *
 * @param specs recorder modules with their arguments (`--plugin PATH`)
 * @param options job folder, cell, read grants (`--plugin-read`), time limit [ms]
 * @returns the hook; call `close()` after the last sweep, `abort()` after any other error
 * @throws PluginError if a recorder cannot load or fails in `sites()` (all are stopped)
 * @throws InputValueError (source `plugin <name>`) for a site that cannot be recorded
 * @example
 * ```ts ignore
 * const hook = await openRecorderHook(plugins.map((path) => ({ path })), { jobDir, cell });
 * ```
 */
export async function openRecorderHook(
  specs: readonly RecorderSpec[],
  options: OpenRecorderHookOptions,
): Promise<RecorderHook> {
  const session = await openRecorders(specs, options);
  let sites: RecordSite[];
  try {
    sites = await session.sites(options.cell);
  } catch (e) {
    session.abort();
    await session.close().catch(() => {}); // the processes are gone before the error goes up
    throw e;
  }
  return {
    sites: () => sites,
    deliver: (sweep, t, values) => session.deliver(sweep, t, values),
    close: () => session.close(),
    abort: () => session.abort(),
  };
}

class Session implements RecorderSession {
  readonly count: number;
  readonly folders: readonly string[];
  readonly pids: readonly number[];
  #plugins: PluginProcess[];
  #contexts: RecorderContext[];
  /** Sites per recorder, after `sites()`. */
  #sites: PluginRecordSite[][] | undefined;
  /** The last delivered sweep's processing (never rejects; failures go to #error). */
  #inflight: Promise<void> = Promise.resolve();
  #error: unknown;

  constructor(plugins: PluginProcess[], contexts: RecorderContext[], folders: string[]) {
    this.#plugins = plugins;
    this.#contexts = contexts;
    this.count = plugins.length;
    this.folders = folders;
    this.pids = plugins.map((p) => p.pid);
  }

  async sites(cell: Readonly<Cell>): Promise<RecordSite[]> {
    const desc = describeCell(cell);
    const lists = await this.#all((p, k) =>
      p.call({ op: "sites", cell: desc, args: this.#contexts[k].args, context: this.#contexts[k] })
    );
    const checked = lists.map((v, k) => checkSites(this.#plugins[k].name, v, cell));
    // Each plugin gets its sites back as it declared them, without simrun's message locations.
    this.#sites = checked.map((list) => list.map(({ where: _, ...site }) => site));
    return checked.flat();
  }

  async deliver(sweep: number, t: Float64Array, traces: readonly Float64Array[]): Promise<void> {
    const sites = this.#sites;
    if (sites === undefined) {
      throw new PluginError(this.#plugins[0]?.name ?? "recorder", "deliver() before sites()");
    }
    if (this.#error !== undefined) throw this.#error;
    const total = sites.reduce((n, s) => n + s.length, 0);
    if (traces.length !== total) {
      throw new PluginError(
        this.#plugins[0].name,
        `deliver(): expected ${total} traces (one per site from sites()), got ${traces.length}`,
      );
    }
    let offset = 0;
    const data = sites.map((list) => {
      const values = traces.slice(offset, offset + list.length);
      offset += list.length;
      return { sweep, t, sites: list, values };
    });
    const done = this.#all((p, k) =>
      p.call({ op: "sweep", data: data[k], context: this.#contexts[k] })
    ).then(() => {}, (e) => {
      this.#error ??= e;
    });
    const previous = this.#inflight;
    this.#inflight = done;
    // The traces must be in the pipes before the caller simulates the next sweep (which blocks
    // the event loop): only then do the recorders work on them meanwhile; and they are written
    // from the caller's arrays, which it may reuse once this returns.
    await Promise.all(this.#plugins.map((p) => p.written()));
    await previous;
    if (this.#error !== undefined) throw this.#error;
  }

  async flush(): Promise<void> {
    await this.#inflight;
    if (this.#error !== undefined) throw this.#error;
  }

  async close(): Promise<void> {
    try {
      await this.flush();
      await this.#all((p, k) => p.call({ op: "finish", context: this.#contexts[k] }));
    } finally {
      await Promise.all(this.#plugins.map((p) => p.close()));
      await Promise.all(this.folders.map(tidyFolder));
      if (this.folders.length > 0) await removeIfEmpty(resolve(this.folders[0], ".."));
    }
  }

  abort(): void {
    for (const p of this.#plugins) p.abort();
  }

  /** Runs one call per recorder concurrently; the first failure (in recorder order) is thrown. */
  async #all(f: (p: PluginProcess, k: number) => Promise<unknown>): Promise<unknown[]> {
    const results = await Promise.allSettled(this.#plugins.map((p, k) => f(p, k)));
    const values: unknown[] = [];
    for (const r of results) {
      if (r.status === "rejected") throw r.reason;
      values.push(r.value);
    }
    return values;
  }
}

/**
 * After a recorder's process is gone: its folder and everything in it get ordinary modes (a
 * plugin may have `chmod`ed them, which would break `--tar` and the user's clean-up), and an
 * empty folder is removed.
 */
async function tidyFolder(dir: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  const walk = async (d: string): Promise<void> => {
    await Deno.chmod(d, 0o755);
    for await (const e of Deno.readDir(d)) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (e.isFile) await Deno.chmod(p, 0o644);
    }
  };
  try {
    await walk(dir);
    await removeIfEmpty(dir);
  } catch {
    // Removed by the plugin itself, or not ours to fix: the folder stays as it is.
  }
}

async function removeIfEmpty(dir: string): Promise<void> {
  try {
    for await (const _ of Deno.readDir(dir)) return;
    await Deno.remove(dir);
  } catch {
    // Gone already.
  }
}
