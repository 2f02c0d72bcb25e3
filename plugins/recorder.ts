/**
 * Recorder plugins for a job: each runs sandboxed in its own worker for the whole job, may write
 * only into the job folder, says once what to record (`sites`), and receives the traces once
 * per sweep (`deliver`): the solver records into typed arrays, and the host moves (transfers)
 * them to the worker after the sweep, so a recorder costs nothing per time step.
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
import { resolve } from "node:path";
import { PluginError } from "../io/mod.ts";
import type { Cell } from "../solver/mod.ts";
import { describeCell } from "./cell_description.ts";
import { PluginWorker } from "./host.ts";
import type { PluginArgs, RecorderContext, RecordSite } from "./plugin_api.ts";

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
  /** The job output folder: recorders may write here and nowhere else. */
  readonly jobDir: string;
  /** Extra files or folders recorders may read (`--plugin-read`). */
  readonly read?: readonly string[];
  /** Time limit of one call (load, sites, one sweep, finish) [ms] (default 30 s). */
  readonly timeLimitMs?: number;
}

/** Options of {@linkcode RecorderSession.deliver}. */
export interface DeliverOptions {
  /**
   * Move the trace buffers into the workers (default true: the caller's arrays become empty).
   * With false they are copied.
   */
  readonly transfer?: boolean;
}

/** The open recorders of one job. */
export interface RecorderSession {
  /** Number of recorders. */
  readonly count: number;
  /**
   * Asks every recorder what to record on this cell (once per job).
   * @returns all sites, recorder after recorder; pass them to `simulate({ record })`
   */
  sites(cell: Readonly<Cell>): Promise<RecordSite[]>;
  /**
   * Hands one sweep's traces to the recorders. The recorders work on them in their threads while
   * the caller simulates the next sweep: the returned promise resolves once the traces are
   * handed over and the *previous* sweep's processing has finished (at most one sweep in flight).
   * A recorder's failure in sweep n is thrown by the next `deliver()` or by `close()`.
   * @param sweep sweep index
   * @param t sample times [ms] (copied, never moved)
   * @param traces the traces of the sites from `sites()`, same order
   */
  deliver(
    sweep: number,
    t: Float64Array,
    traces: readonly Float64Array[],
    options?: DeliverOptions,
  ): Promise<void>;
  /** Waits until every delivered sweep is processed; throws a recorder's failure. */
  flush(): Promise<void>;
  /** Waits for delivered sweeps, calls every recorder's `finish()` and stops the workers. */
  close(): Promise<void>;
  /** Stops the workers without `finish()` (after another error). */
  abort(): void;
}

/**
 * Starts the recorder plugins of a job, each in its own sandbox.
 *
 * @param specs recorder modules with their arguments
 * @param options job folder (the only writable place), read grants, time limit [ms]
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
  const outDir = resolve(options.jobDir);
  const started = await Promise.allSettled(specs.map((s) =>
    PluginWorker.start(s.path, {
      kind: "recorder",
      name: s.name ?? s.path,
      read: [outDir, ...(options.read ?? [])],
      write: [outDir],
      ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
    })
  ));
  const workers: PluginWorker[] = [];
  let firstError: unknown;
  for (const r of started) {
    if (r.status === "fulfilled") workers.push(r.value);
    else firstError ??= r.reason;
  }
  if (firstError !== undefined) {
    for (const w of workers) w.close();
    throw firstError;
  }
  const contexts: RecorderContext[] = specs.map((s) => ({
    args: s.args ?? {},
    outDir,
    name: s.name ?? s.path,
  }));
  return new Session(workers, contexts);
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
 * @throws PluginError if a recorder cannot load or its sites are invalid (all are stopped)
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
  #workers: PluginWorker[];
  #contexts: RecorderContext[];
  /** Sites per recorder, after `sites()`. */
  #sites: RecordSite[][] | undefined;
  /** The last delivered sweep's processing (never rejects; failures go to #error). */
  #inflight: Promise<void> = Promise.resolve();
  #error: unknown;

  constructor(workers: PluginWorker[], contexts: RecorderContext[]) {
    this.#workers = workers;
    this.#contexts = contexts;
    this.count = workers.length;
  }

  async sites(cell: Readonly<Cell>): Promise<RecordSite[]> {
    const desc = describeCell(cell);
    const lists = await this.#all((w, k) =>
      w.call({ op: "sites", cell: desc, args: this.#contexts[k].args, context: this.#contexts[k] })
    );
    this.#sites = lists.map((v, k) => checkSites(this.#workers[k].name, v, cell));
    return this.#sites.flat();
  }

  async deliver(
    sweep: number,
    t: Float64Array,
    traces: readonly Float64Array[],
    options: DeliverOptions = {},
  ): Promise<void> {
    const sites = this.#sites;
    if (sites === undefined) {
      throw new PluginError(this.#workers[0]?.name ?? "recorder", "deliver() before sites()");
    }
    if (this.#error !== undefined) throw this.#error;
    const total = sites.reduce((n, s) => n + s.length, 0);
    if (traces.length !== total) {
      throw new PluginError(
        this.#workers[0].name,
        `deliver(): expected ${total} traces (one per site from sites()), got ${traces.length}`,
      );
    }
    const transfer = options.transfer ?? true;
    const movable = transfer ? ownedBuffers(traces) : new Set<ArrayBuffer>();
    let offset = 0;
    const calls = sites.map((list) => {
      const values: Float64Array[] = [];
      const buffers: ArrayBuffer[] = [];
      for (let i = 0; i < list.length; i++) {
        const a = traces[offset + i];
        const move = movable.has(a.buffer as ArrayBuffer);
        if (move) buffers.push(a.buffer as ArrayBuffer);
        values.push(move ? a : a.slice());
      }
      offset += list.length;
      return { data: { sweep, t, sites: list, values }, buffers };
    });
    // Posting happens now (synchronously, inside call()); the copies above are taken before
    // anything is moved, so one recorder's transfer cannot empty another's data.
    const done = this.#all((w, k) =>
      w.call({ op: "sweep", data: calls[k].data, context: this.#contexts[k] }, calls[k].buffers)
    ).then(() => {}, (e) => {
      this.#error ??= e;
    });
    const previous = this.#inflight;
    this.#inflight = done;
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
      await this.#all((w, k) => w.call({ op: "finish", context: this.#contexts[k] }));
    } finally {
      this.abort();
    }
  }

  abort(): void {
    for (const w of this.#workers) w.close();
  }

  /** Runs one call per recorder concurrently; the first failure (in recorder order) is thrown. */
  async #all(f: (w: PluginWorker, k: number) => Promise<unknown>): Promise<unknown[]> {
    const results = await Promise.allSettled(this.#workers.map((w, k) => f(w, k)));
    const values: unknown[] = [];
    for (const r of results) {
      if (r.status === "rejected") throw r.reason;
      values.push(r.value);
    }
    return values;
  }
}

/** Buffers that exactly one trace covers completely (safe to move). */
function ownedBuffers(traces: readonly Float64Array[]): Set<ArrayBuffer> {
  const uses = new Map<ArrayBufferLike, number>();
  for (const a of traces) uses.set(a.buffer, (uses.get(a.buffer) ?? 0) + 1);
  const out = new Set<ArrayBuffer>();
  for (const a of traces) {
    if (
      a.buffer instanceof ArrayBuffer && uses.get(a.buffer) === 1 && a.byteOffset === 0 &&
      a.byteLength === a.buffer.byteLength
    ) out.add(a.buffer);
  }
  return out;
}

/** Validates a recorder's sites against the cell. */
function checkSites(name: string, value: unknown, cell: Readonly<Cell>): RecordSite[] {
  if (!Array.isArray(value)) throw new PluginError(name, "recorder.sites() must return an array");
  const nsec = cell.sections.length;
  return value.map((s: unknown, i) => {
    const site = s as { section?: unknown; x?: unknown; variable?: unknown };
    if (
      typeof site !== "object" || site === null || typeof site.section !== "number" ||
      !Number.isInteger(site.section) || site.section < 0 || site.section >= nsec
    ) {
      throw new PluginError(
        name,
        `recorder.sites()[${i}]: section must be a section index 0..${nsec - 1}, got ${
          String(site?.section)
        }`,
      );
    }
    if (typeof site.x !== "number" || !(site.x >= 0 && site.x <= 1)) {
      throw new PluginError(
        name,
        `recorder.sites()[${i}]: x must be in [0, 1], got ${String(site.x)}`,
      );
    }
    if (site.variable !== undefined && typeof site.variable !== "string") {
      throw new PluginError(name, `recorder.sites()[${i}]: variable must be a string`);
    }
    return site.variable === undefined
      ? { section: site.section, x: site.x }
      : { section: site.section, x: site.x, variable: site.variable };
  });
}
