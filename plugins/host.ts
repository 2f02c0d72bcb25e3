/**
 * The plugin sandbox: each user plugin runs in its own Deno Worker whose permissions allow
 * reading its own module folder and granted paths, writing only into granted folders (the job
 * folder for recorders), and nothing else (no network, environment, subprocesses, FFI, system
 * information, remote imports). Every request has a time limit. Whatever goes wrong — a denied
 * permission, a throw, a missing export, the time limit — comes back as a `PluginError` that
 * names the plugin and the cause.
 *
 * Known limit (Deno 2.9): `Worker.terminate()` cannot stop a worker stuck in a synchronous
 * loop (denoland/deno#35657); the host gives up waiting, fails the plugin and terminates the
 * worker, but its thread keeps a CPU busy until the process exits. simrun's CLI exits after a
 * plugin failure, so this only matters to library users, who should end the process too.
 *
 * @module
 */
import { PluginError } from "../io/mod.ts";
import { pathToFileURL } from "node:url";
import type { PluginFault, PluginKind, PluginReply, PluginRequest } from "./_plugin_protocol.ts";
import { explainDenial, type PluginGrants, pluginPermissions } from "./permissions.ts";

export type { PluginKind } from "./_plugin_protocol.ts";

/** Default time limit of one plugin request (load, cellModify, sites, sweep, finish) [ms]. */
export const DEFAULT_PLUGIN_TIME_LIMIT_MS = 30_000;

/** Options of {@linkcode PluginWorker.start}. */
export interface PluginWorkerOptions extends PluginGrants {
  /** Which export the module must have: `cellModify` or `recorder`. */
  readonly kind: PluginKind;
  /** Name in messages (default: the path as given). */
  readonly name?: string;
  /** Time limit per request [ms] (default {@linkcode DEFAULT_PLUGIN_TIME_LIMIT_MS}). */
  readonly timeLimitMs?: number;
}

/** The requests a host sends after loading (the `load` request is sent by `start`). */
export type PluginCall =
  | {
    readonly op: "cellModify" | "sites";
    readonly cell: unknown;
    readonly args: unknown;
    readonly context?: unknown;
  }
  | { readonly op: "sweep"; readonly data: unknown; readonly context: unknown }
  | { readonly op: "finish"; readonly context: unknown };

interface Pending {
  readonly op: string;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: PluginError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** Operation names as a plugin author knows them, for messages. */
const OP_LABEL: Readonly<Record<string, string>> = {
  load: "loading the module",
  cellModify: "cellModify()",
  sites: "recorder.sites()",
  sweep: "recorder.sweep()",
  finish: "recorder.finish()",
};

/** One sandboxed plugin module in its own worker (a thing with a lifecycle: start, call, close). */
export class PluginWorker {
  /** The plugin's name in messages. */
  readonly name: string;
  /** The module's file URL. */
  readonly url: string;
  #worker: Worker;
  #timeLimitMs: number;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #failure: PluginError | undefined;
  #closed = false;

  private constructor(name: string, url: string, worker: Worker, timeLimitMs: number) {
    this.name = name;
    this.url = url;
    this.#worker = worker;
    this.#timeLimitMs = timeLimitMs;
    worker.onmessage = (e: MessageEvent) => this.#onReply(e.data as PluginReply);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault(); // keep the plugin's error from propagating into the host
      this.#fail(new PluginError(this.name, uncaughtMessage(e.message)));
    };
    worker.onmessageerror = () => {
      this.#fail(new PluginError(this.name, "sent a message that cannot be deserialised"));
    };
  }

  /**
   * Starts a worker with the plugin's permissions and loads the module into it.
   *
   * @param path path of the plugin module (`.ts`/`.js`)
   * @param options kind, name, read/write grants, time limit [ms]
   * @returns the loaded plugin
   * @throws PluginError if the sandbox cannot start, or the module fails to load, lacks the
   *   export of its kind, or takes longer than the time limit
   * @example
   * ```ts ignore
   * const p = await PluginWorker.start("plugins/my_fn.ts", { kind: "cellModify" });
   * const mod = await p.call({ op: "cellModify", cell: describeCell(cell), args: {} });
   * p.close();
   * ```
   */
  static async start(path: string, options: PluginWorkerOptions): Promise<PluginWorker> {
    const name = options.name ?? path;
    const url = pathToFileURL(path).href;
    const limit = options.timeLimitMs ?? DEFAULT_PLUGIN_TIME_LIMIT_MS;
    if (!(limit > 0)) throw new PluginError(name, `time limit must be positive, got ${limit} ms`);
    let worker: Worker;
    try {
      worker = new Worker(new URL("./plugin_worker.js", import.meta.url), {
        type: "module",
        name: `simrun plugin ${name}`,
        deno: { permissions: pluginPermissions(path, options) },
      });
    } catch (err) {
      throw new PluginError(
        name,
        `cannot start its sandbox: ${
          (err as Error).message
        } (simrun needs --unstable-worker-options` +
          ` and read access to the plugin's folder)`,
      );
    }
    const plugin = new PluginWorker(name, url, worker, limit);
    try {
      await plugin.#request({ id: 0, op: "load", url, kind: options.kind }, []);
    } catch (err) {
      plugin.close();
      throw err;
    }
    return plugin;
  }

  /**
   * Sends one request and waits for the plugin's reply.
   *
   * @param call the request (its payload is structured-cloned)
   * @param transfer buffers to move into the worker instead of copying
   * @returns the plugin's return value
   * @throws PluginError naming the plugin and the denied permission, the thrown error, or the
   *   time limit; after one failure every later call fails the same way
   * @example
   * ```ts ignore
   * await recorder.call({ op: "sweep", data, context }, [data.values[0].buffer]);
   * ```
   */
  call(call: PluginCall, transfer: Transferable[] = []): Promise<unknown> {
    return this.#request({ ...call, id: this.#nextId++ } as PluginRequest, transfer);
  }

  /** Terminates the worker; pending requests fail. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#worker.terminate();
    const err = this.#failure ?? new PluginError(this.name, "was closed before it replied");
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.#pending.clear();
  }

  #request(req: PluginRequest, transfer: Transferable[]): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new PluginError(this.name, "is closed"));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#fail(
          new PluginError(
            this.name,
            `ran past its time limit of ${formatSeconds(this.#timeLimitMs)} in ${
              OP_LABEL[req.op]
            } and was stopped`,
          ),
        );
      }, this.#timeLimitMs);
      this.#pending.set(req.id, { op: req.op, resolve, reject, timer });
      try {
        this.#worker.postMessage(req, transfer);
      } catch (err) {
        this.#pending.delete(req.id);
        clearTimeout(timer);
        reject(new PluginError(this.name, `cannot send ${req.op} data: ${(err as Error).message}`));
      }
    });
  }

  #onReply(reply: PluginReply): void {
    const p = this.#pending.get(reply.id);
    if (p === undefined) return;
    this.#pending.delete(reply.id);
    clearTimeout(p.timer);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new PluginError(this.name, this.#describeFault(p.op, reply.fault)));
  }

  #describeFault(op: string, fault: PluginFault): string {
    const where = `${OP_LABEL[op] ?? op}${this.#location(fault.stack)}`;
    const denial = explainDenial(fault.name, fault.message, ` in ${where}`);
    if (denial !== undefined) return denial;
    return `${where} failed: ${fault.name}: ${fault.message}`;
  }

  /** ` at file.ts:3:9` from the first stack frame inside the plugin's own folder. */
  #location(stack: string): string {
    const folder = this.url.slice(0, this.url.lastIndexOf("/") + 1);
    for (const line of stack.split("\n")) {
      const i = line.indexOf(folder);
      if (i < 0) continue;
      const m = /^([^\s)]+):(\d+):(\d+)/.exec(line.slice(i + folder.length));
      if (m) return ` at ${m[1]}:${m[2]}:${m[3]}`;
    }
    return "";
  }

  /** The first failure ends the plugin: pending and later requests fail with it. */
  #fail(err: PluginError): void {
    this.#failure ??= err;
    this.close();
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms / 1000} s (${ms} ms)`;
}

/** The message of an uncaught worker error, with permission errors explained. */
function uncaughtMessage(message: string): string {
  const m = /(NotCapable|PermissionDenied): (.*)$/s.exec(message);
  if (m) {
    const d = explainDenial(m[1], m[2], " outside a request (uncaught)");
    if (d !== undefined) return d;
  }
  return `failed outside a request: ${message}`;
}
