/**
 * The plugin sandbox, simrun's side: every user plugin runs in its own OS process
 * (`plugin_process.ts`), in a worker whose Deno permissions allow reading only its real folder and
 * the real paths granted to it (links that lead out of them are denied), writing only into its
 * own output folder (recorders), and nothing else: no network, environment, subprocesses, FFI,
 * system information or remote and npm imports. Its JavaScript heap is capped (V8
 * `--max-old-space-size`) and its resident memory watched (by the process's own main thread,
 * where no plugin code runs); a crash, an out-of-memory abort, a
 * signal (even one it sends itself) or an endless loop ends only that process. Every request has a
 * time limit, after which the process is killed (a stopped process too).
 *
 * Whatever goes wrong comes back as one `PluginError` that names the plugin and the cause, with
 * the plugin's own text stripped of control characters and escape sequences.
 *
 * How the process starts: from source, `deno run <the plugin's permission flags>
 * plugins/plugin_process.ts`; in the compiled binary (`Deno.build.standalone`), simrun itself as
 * `simrun __plugin-host`, whose worker carries the same permissions (see docs/plugins.md for
 * what differs there).
 *
 * @module
 */
import { fileUrlToPath, InputValueError, pathToFileUrl, PluginError } from "../io/mod.ts";
import {
  type ChildMessage,
  encodeFrameParts,
  FrameReader,
  type PluginFault,
  type PluginKind,
  ProtocolError,
} from "./_plugin_protocol.ts";
import { oneLine } from "./_sanitize.ts";
import {
  explainDenial,
  type PluginGrants,
  type PluginSandbox,
  processFlags,
  resolveSandbox,
} from "./permissions.ts";

export type { PluginKind } from "./_plugin_protocol.ts";

/** Default time limit of one plugin request (load, cellModify, sites, sweep, finish) [ms]. */
export const DEFAULT_PLUGIN_TIME_LIMIT_MS = 30_000;
/** Default memory limit of a plugin's process (JavaScript heap and resident memory) [MiB]. */
export const DEFAULT_PLUGIN_MEMORY_LIMIT_MB = 2048;
/** Longest time limit [ms]: about 10 000 years, far beyond any run, and still a finite number. */
export const MAX_PLUGIN_TIME_LIMIT_MS = 3.15e14;
/** Longest delay one `setTimeout` can wait [ms] (2³¹ − 1, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Time simrun's own start of a plugin process may take, before the plugin's code runs [ms]. */
const STARTUP_LIMIT_MS = 60_000;
/** Largest reply accepted from a plugin [bytes]. */
const MAX_REPLY_BYTES = 256 * 2 ** 20;
/** Console lines forwarded per plugin; later ones are counted and dropped. */
const MAX_LOG_LINES = 1000;
/** Console messages after which a plugin is stopped (each costs simrun a decode). */
const MAX_LOG_MESSAGES = 100_000;
/** Resident memory allowed above the heap limit (runtime, typed arrays) [MiB]. */
const RSS_SLACK_MB = 256;
/** Bytes of the process's stderr kept to diagnose its end. */
const STDERR_TAIL = 16_384;

/** How to start simrun's hidden `__plugin-host` command (the compiled binary starts itself). */
export interface PluginLauncher {
  /** The executable. */
  readonly command: string;
  /** Its arguments, ending with `__plugin-host`. */
  readonly args: readonly string[];
}

/** Options of {@linkcode PluginProcess.start}. */
export interface PluginProcessOptions extends PluginGrants {
  /** Which export the module must have: `cellModify` or `recorder`. */
  readonly kind: PluginKind;
  /** Name in messages (default: the path as given). */
  readonly name?: string;
  /** Time limit per request [ms] (default {@linkcode DEFAULT_PLUGIN_TIME_LIMIT_MS}). */
  readonly timeLimitMs?: number;
  /** Memory limit of the process [MiB] (default {@linkcode DEFAULT_PLUGIN_MEMORY_LIMIT_MB}). */
  readonly memoryLimitMb?: number;
  /**
   * Start the process as simrun's `__plugin-host` command with this command line instead of
   * `deno run <flags> plugin_process.ts` (default: only in the compiled binary, where it is
   * `[Deno.execPath(), "__plugin-host"]`). Tests use it to run the compiled binary's path.
   */
  readonly launcher?: PluginLauncher;
  /** Receives each line the plugin prints (default: simrun's stderr, prefixed with the name). */
  readonly onLog?: (line: string) => void;
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
  readonly cancelTimer: () => void;
}

/** Operation names as a plugin author knows them, for messages. */
const OP_LABEL: Readonly<Record<string, string>> = {
  start: "starting its process",
  load: "loading the module",
  cellModify: "cellModify()",
  sites: "recorder.sites()",
  sweep: "recorder.sweep()",
  finish: "recorder.finish()",
};

/** Why simrun ended the process, when it did. */
type KillReason = "time" | "memory" | "close" | "failure";

/** One sandboxed plugin module in its own process (a thing with a lifecycle: start, call, close). */
export class PluginProcess {
  /** The plugin's name in messages. */
  readonly name: string;
  /** The module's real file URL. */
  readonly url: string;
  /** The resolved sandbox (real grants, denied links). */
  readonly sandbox: PluginSandbox;
  /** The process id of the plugin's process. */
  readonly pid: number;
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #writing: Promise<void> = Promise.resolve();
  #timeLimitMs: number;
  #memoryLimitMb: number;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #failure: PluginError | undefined;
  #killed: KillReason | undefined;
  #closed = false;
  #ready: { resolve: () => void; reject: (e: PluginError) => void } | undefined;
  #stderrTail = "";
  #logLines = 0;
  #onLog: (line: string) => void;
  /** Resolves when the process has ended and its pipes are drained (never rejects). */
  readonly exited: Promise<void>;

  private constructor(
    name: string,
    sandbox: PluginSandbox,
    child: Deno.ChildProcess,
    options: PluginProcessOptions,
  ) {
    this.name = name;
    this.sandbox = sandbox;
    this.url = pathToFileUrl(sandbox.modulePath).href;
    this.#child = child;
    this.pid = child.pid;
    this.#writer = child.stdin.getWriter();
    this.#timeLimitMs = options.timeLimitMs ?? DEFAULT_PLUGIN_TIME_LIMIT_MS;
    this.#memoryLimitMb = options.memoryLimitMb ?? DEFAULT_PLUGIN_MEMORY_LIMIT_MB;
    this.#onLog = options.onLog ??
      ((line) => console.error(`[plugin ${oneLine(name, 80)}] ${line}`));
    const stdout = this.#readStdout();
    const stderr = this.#readStderr();
    this.exited = Promise.all([child.status, stdout, stderr]).then(
      ([status]) => this.#ended(status),
      () => this.#ended({ success: false, code: 1, signal: null }),
    );
  }

  /**
   * Starts the plugin's process with its sandbox and loads the module into it.
   *
   * @param path path of the plugin module (`.ts`/`.js`)
   * @param options kind, name, read/write grants, time limit [ms], memory limit [MiB]
   * @returns the loaded plugin
   * @throws PluginError if the sandbox cannot start, or the module fails to load, lacks the
   *   export of its kind, or takes longer than the time limit
   * @throws InputValueError for a time limit outside (0, 10 000 years], a memory limit below
   *   16 MiB, or a `read` grant that does not exist
   * @example
   * ```ts ignore
   * const p = await PluginProcess.start("plugins/my_fn.ts", { kind: "cellModify" });
   * const mod = await p.call({ op: "cellModify", cell: describeCell(cell), args: {} });
   * await p.close();
   * ```
   */
  static async start(path: string, options: PluginProcessOptions): Promise<PluginProcess> {
    const name = options.name ?? path;
    const limit = options.timeLimitMs ?? DEFAULT_PLUGIN_TIME_LIMIT_MS;
    if (!(limit > 0 && limit <= MAX_PLUGIN_TIME_LIMIT_MS)) {
      throw new InputValueError(
        { file: "--plugin-time-limit", key: "timeLimitMs" },
        `Time limit must be more than 0 and at most ${
          MAX_PLUGIN_TIME_LIMIT_MS / 1000
        } s (10 000 years), got ${limit / 1000} s`,
      );
    }
    const memory = options.memoryLimitMb ?? DEFAULT_PLUGIN_MEMORY_LIMIT_MB;
    if (!(Number.isInteger(memory) && memory >= 16)) {
      throw new InputValueError(
        { file: "plugin options", key: "memoryLimitMb" },
        `Memory limit must be an integer of at least 16 MiB, got ${memory}`,
      );
    }
    let sandbox: PluginSandbox;
    try {
      sandbox = await resolveSandbox(path, options);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) {
        throw new PluginError(name, `cannot load the module: no such file "${path}"`);
      }
      throw err;
    }
    const [command, commandOptions] = commandLine(sandbox, options, memory);
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(command, commandOptions).spawn();
    } catch (err) {
      throw new PluginError(
        name,
        `cannot start its process: ${oneLine((err as Error).message)} (simrun needs --allow-run)`,
      );
    }
    const plugin = new PluginProcess(name, sandbox, child, options);
    try {
      await plugin.#start(options.kind);
    } catch (err) {
      await plugin.close();
      throw err;
    }
    return plugin;
  }

  /**
   * Sends one request and waits for the plugin's reply.
   *
   * @param call the request (its typed arrays are written from their own memory: do not change
   *   them until {@linkcode PluginProcess.written} resolves)
   * @returns the plugin's return value
   * @throws PluginError naming the plugin and the denied permission, the thrown error, the end
   *   of its process, or the time limit; after one failure every later call fails the same way
   * @example
   * ```ts ignore
   * await recorder.call({ op: "sweep", data, context });
   * ```
   */
  call(call: PluginCall): Promise<unknown> {
    const { op, ...payload } = call;
    return this.#request(op, payload);
  }

  /**
   * Resolves when every request sent so far is written into the process's stdin (its main
   * thread reads while the plugin works). Await it before a long synchronous computation, or
   * the pipe stalls until the event loop runs again.
   *
   * @returns a promise that never rejects (a failed write means the process ended; the pending
   *   request reports why)
   */
  written(): Promise<void> {
    return this.#writing;
  }

  /**
   * Ends the process (SIGKILL) and waits until it is gone; pending requests fail. Safe to call
   * twice and after a failure.
   */
  async close(): Promise<void> {
    this.abort();
    await this.exited;
  }

  /** Ends the process (SIGKILL) without waiting; pending requests fail. Safe to call twice. */
  abort(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#kill("close");
    const err = this.#failure ?? new PluginError(this.name, "was closed before it replied");
    this.#rejectAll(err);
  }

  async #start(kind: PluginKind): Promise<void> {
    const ready = new Promise<void>((resolve, reject) => {
      this.#ready = { resolve, reject };
    });
    const cancel = startTimer(STARTUP_LIMIT_MS, () => {
      this.#fail(
        new PluginError(this.name, `its process did not start within ${STARTUP_LIMIT_MS / 1000} s`),
        "time",
      );
    });
    this.#send({
      type: "start",
      url: this.url,
      kind,
      read: this.sandbox.cover,
      write: this.sandbox.write,
      cwd: this.sandbox.moduleDir,
      rssLimitMb: this.#memoryLimitMb + RSS_SLACK_MB,
    });
    try {
      await ready;
    } finally {
      cancel();
      this.#ready = undefined;
    }
    await this.#request("load", { url: this.url, kind });
  }

  #request(op: string, payload: unknown): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new PluginError(this.name, "is closed"));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const cancelTimer = startTimer(this.#timeLimitMs, () => this.#timeUp(op));
      this.#pending.set(id, { op, resolve, reject, cancelTimer });
      let frame: Uint8Array[];
      try {
        frame = encodeFrameParts({ type: "call", id, op, payload });
      } catch (err) {
        this.#pending.delete(id);
        cancelTimer();
        reject(new PluginError(this.name, `cannot send ${op} data: ${(err as Error).message}`));
        return;
      }
      this.#write(frame);
    });
  }

  #send(message: unknown): void {
    this.#write(encodeFrameParts(message));
  }

  /** Queues a frame's parts (typed arrays are written from their own memory, not copied). */
  #write(parts: readonly Uint8Array[]): void {
    // Failures mean the process has ended; #ended reports why.
    this.#writing = this.#writing.then(async () => {
      for (const p of parts) await this.#writer.write(p);
    }).catch(() => {});
  }

  #timeUp(op: string): void {
    if (this.#failure !== undefined || this.#closed) return;
    this.#fail(
      new PluginError(
        this.name,
        `ran past its time limit of ${formatSeconds(this.#timeLimitMs)} in ${
          OP_LABEL[op] ?? op
        } and was stopped`,
      ),
      "time",
    );
  }

  async #readStdout(): Promise<void> {
    const reader = new FrameReader(MAX_REPLY_BYTES);
    try {
      for await (const chunk of this.#child.stdout) {
        if (this.#killed !== undefined) continue; // drain
        let messages: unknown[];
        try {
          messages = reader.push(chunk);
        } catch (err) {
          this.#fail(new PluginError(this.name, this.#protocolMessage(err)), "failure");
          continue;
        }
        for (const m of messages) this.#onMessage(m);
      }
    } catch {
      // The pipe broke: the process has ended; #ended reports why.
    }
  }

  async #readStderr(): Promise<void> {
    const dec = new TextDecoder();
    try {
      for await (const chunk of this.#child.stderr) {
        this.#stderrTail = (this.#stderrTail + dec.decode(chunk, { stream: true })).slice(
          -STDERR_TAIL,
        );
      }
    } catch {
      // Ended.
    }
  }

  #protocolMessage(err: unknown): string {
    const what = oneLine(err instanceof ProtocolError ? err.message : String(err), 200);
    return `broke its channel to simrun (${what}${this.#opNow()}); a plugin must print with console.log, never write to the process's standard output`;
  }

  /** ` in <op>` for the request in progress, or "". */
  #opNow(): string {
    const first = this.#pending.values().next().value;
    return first === undefined ? "" : ` in ${OP_LABEL[first.op] ?? first.op}`;
  }

  #onMessage(raw: unknown): void {
    if (typeof raw !== "object" || raw === null) {
      this.#fail(
        new PluginError(this.name, this.#protocolMessage("a message that is not an object")),
        "failure",
      );
      return;
    }
    const m = raw as ChildMessage;
    switch (m.type) {
      case "ready":
        this.#ready?.resolve();
        return;
      case "log":
        this.#log(m.text);
        return;
      case "memory":
        this.#fail(
          new PluginError(
            this.name,
            `ran out of memory${this.#opNow()} (it used ${
              Number(m.rssMb) || 0
            } MiB, more than its limit of ${this.#memoryLimitMb} MiB plus ${RSS_SLACK_MB} MiB for the runtime) and was stopped`,
          ),
          "memory",
        );
        return;
      case "fault": {
        const fault = faultOf(m.fault);
        const inOp = this.#opNow();
        let text: string;
        if (fault.name === "Exit") {
          text = `ended its process with exit(${Number(m.exit) || 0})${inOp}`;
        } else {
          const denial = looksDenied(fault)
            ? explainDenial(
              "NotCapable",
              oneLine(fault.message),
              `${inOp} (uncaught)`,
              this.sandbox,
            )
            : undefined;
          text = denial ??
            `failed${inOp || " outside a request"} (uncaught, in a callback or timer)${
              this.#location(fault.stack)
            }: ${describeFault(fault)}`;
        }
        this.#fail(new PluginError(this.name, text), "failure");
        return;
      }
      case "reply": {
        const id = (m as { id?: unknown }).id;
        const p = typeof id === "number" ? this.#pending.get(id) : undefined;
        if (p === undefined) return; // a late or forged reply: ignore it
        this.#pending.delete(id as number);
        p.cancelTimer();
        if (m.ok === true) p.resolve(m.value);
        else p.reject(new PluginError(this.name, this.#describeFault(p.op, faultOf(m.fault))));
        return;
      }
      default:
        this.#fail(
          new PluginError(this.name, this.#protocolMessage("an unknown message")),
          "failure",
        );
    }
  }

  #log(text: unknown): void {
    this.#logLines++;
    if (this.#logLines > MAX_LOG_MESSAGES) {
      this.#fail(
        new PluginError(
          this.name,
          `printed more than ${MAX_LOG_MESSAGES} messages${this.#opNow()}`,
        ),
        "failure",
      );
      return;
    }
    if (this.#logLines > MAX_LOG_LINES + 1) return;
    if (this.#logLines === MAX_LOG_LINES + 1) {
      this.#onLog(
        `(more output dropped: simrun shows at most ${MAX_LOG_LINES} messages per plugin)`,
      );
      return;
    }
    for (const line of String(text).split("\n").slice(0, 50)) this.#onLog(oneLine(line, 500));
  }

  #describeFault(op: string, fault: PluginFault): string {
    const where = `${OP_LABEL[op] ?? op}${this.#location(fault.stack)}`;
    const denial = looksDenied(fault)
      ? explainDenial("NotCapable", oneLine(fault.message), ` in ${where}`, this.sandbox)
      : undefined;
    if (denial !== undefined) return oneLine(denial, 600);
    return `${where} failed: ${describeFault(fault)}`;
  }

  /** ` at file.ts:3:9` from the first stack frame inside the plugin's own folder. */
  #location(stack: string): string {
    const folder = this.url.slice(0, this.url.lastIndexOf("/") + 1);
    for (const line of stack.split("\n").slice(0, 50)) {
      const i = line.indexOf(folder);
      if (i < 0) continue;
      const m = /^([\w.\-/]{1,200}):(\d{1,7}):(\d{1,7})/.exec(line.slice(i + folder.length));
      if (m) return ` at ${m[1]}:${m[2]}:${m[3]}`;
    }
    return "";
  }

  /** The first failure ends the plugin: its process is killed, pending and later requests fail. */
  #fail(err: PluginError, reason: KillReason): void {
    this.#failure ??= err;
    this.#kill(reason);
    this.#rejectAll(this.#failure);
    this.#ready?.reject(this.#failure);
  }

  #rejectAll(err: PluginError): void {
    for (const p of this.#pending.values()) {
      p.cancelTimer();
      p.reject(err);
    }
    this.#pending.clear();
  }

  #kill(reason: KillReason): void {
    if (this.#killed !== undefined) return;
    this.#killed = reason;
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }

  /** The process has ended: if nobody asked for it, that is the plugin's failure. */
  #ended(status: Deno.CommandStatus): void {
    this.#writer.abort().catch(() => {}); // closes stdin; writes still queued are dropped
    if (this.#killed === "close" || this.#failure !== undefined) {
      this.#rejectAll(this.#failure ?? new PluginError(this.name, "was closed before it replied"));
      return;
    }
    this.#fail(new PluginError(this.name, this.#endMessage(status)), "failure");
  }

  #endMessage(status: Deno.CommandStatus): string {
    const inOp = this.#opNow() || (this.#ready ? " while starting" : " between requests");
    const tail = this.#stderrTail;
    if (/out of memory|heap limit|Allocation failed/i.test(tail)) {
      return `ran out of memory${inOp} (limit ${this.#memoryLimitMb} MiB) and was stopped`;
    }
    if (status.signal !== null) {
      return `its process was ended by signal ${status.signal}${inOp}`;
    }
    const line = lastErrorLine(tail);
    return `its process exited with code ${status.code}${inOp}${line ? `: ${line}` : ""}`;
  }
}

/** The command line of a plugin's process. */
function commandLine(
  box: PluginSandbox,
  options: PluginProcessOptions,
  memoryMb: number,
): [string, Deno.CommandOptions] {
  const v8 = `--max-old-space-size=${memoryMb}`;
  const common: Deno.CommandOptions = {
    cwd: box.moduleDir,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", DENO_V8_FLAGS: v8 },
  };
  const launcher = options.launcher ??
    (Deno.build.standalone ? { command: Deno.execPath(), args: ["__plugin-host"] } : undefined);
  if (launcher !== undefined) return [launcher.command, { ...common, args: [...launcher.args] }];
  const entry = fileUrlToPath(new URL("./plugin_process.ts", import.meta.url));
  const bootstrap = fileUrlToPath(new URL("./plugin_worker.js", import.meta.url));
  let flags: string[];
  try {
    flags = processFlags(box, bootstrap);
  } catch (err) {
    throw new PluginError(options.name ?? box.modulePath, oneLine((err as Error).message));
  }
  return [Deno.execPath(), {
    ...common,
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      "--no-config",
      "--no-lock",
      "--no-npm",
      "--no-remote",
      ...flags,
      "--unstable-worker-options",
      `--v8-flags=${v8}`,
      entry,
    ],
  }];
}

/** A plugin's fault with every field checked (the child's data is the plugin's). */
function faultOf(raw: unknown): PluginFault {
  const f = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    name: typeof f.name === "string" ? f.name : "Error",
    message: typeof f.message === "string" ? f.message : "",
    stack: typeof f.stack === "string" ? f.stack : "",
    denial: f.denial === true,
  };
}

/**
 * True for Deno's permission errors: a `NotCapable` thrown by an API, or the `TypeError` with
 * which module loading (static and dynamic imports, workers) reports a denied path. Whether
 * the denial is real is then checked against the sandbox (`explainDenial`).
 */
function looksDenied(fault: PluginFault): boolean {
  return fault.denial || (fault.name === "TypeError" && /^Requires \w+ access/.test(fault.message));
}

/** `Name: message`, one line, control characters and escape sequences removed. */
function describeFault(fault: PluginFault): string {
  const name = /^[A-Za-z_$][\w$]{0,60}$/.test(fault.name) ? fault.name : "Error";
  return `${name}: ${oneLine(fault.message, 400)}`;
}

/** The last line of Deno's stderr that reads like an error, sanitized. */
function lastErrorLine(tail: string): string {
  const lines = tail.split("\n").map((l) => oneLine(l, 300)).filter((l) => l !== "");
  const err = lines.find((l) => /^error: /.test(l));
  return err ?? "";
}

/**
 * `setTimeout` for any delay: longer delays than a timer can hold (2³¹ − 1 ms, about 24.8 days;
 * longer ones would fire at once) are waited in steps.
 *
 * @returns a function that cancels the timer
 */
function startTimer(ms: number, fn: () => void): () => void {
  let timer: ReturnType<typeof setTimeout>;
  const due = performance.now() + ms;
  const arm = () => {
    const left = due - performance.now();
    timer = setTimeout(left > MAX_TIMER_MS ? arm : fn, Math.min(Math.max(left, 0), MAX_TIMER_MS));
  };
  arm();
  return () => clearTimeout(timer);
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms / 1000} s (${ms} ms)`;
}
