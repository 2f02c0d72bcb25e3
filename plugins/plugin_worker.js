/**
 * The bootstrap of a plugin's sandboxed worker, inside the plugin's own process
 * (`plugin_process.ts` starts it with the plugin's permissions). It hides what a plugin has no
 * business seeing (simrun's executable, arguments and working directory), sends `console.*`
 * output to simrun instead of the process's stdout (which carries the protocol), imports the
 * plugin module named in the `load` request, checks its export, then serves the requests one at
 * a time and replies with the value or the plugin's error, reduced to text. Messages:
 * `_plugin_protocol.ts` (`CallMessage` in, `ReplyMessage` / `NoticeMessage` out).
 *
 * Everything here is best effort for the plugin author's sake (clear messages, usable console):
 * the isolation itself is the process and the worker's permissions. A plugin that defeats this
 * file (overwrites `postMessage`, writes to stdout through `node:fs`) only breaks its own
 * channel, and simrun then fails it with one line.
 *
 * Why JavaScript: a plain JS worker starts without a TypeScript transpile. Why no imports: the
 * worker may read only the plugin's folder and granted paths.
 *
 * @module
 */

/** @typedef {{ type: "init", cwd: string } | { type: "call", id: number, op: string, payload: any }} WorkerRequest */
/** @typedef {{ name: string, message: string, stack: string, denial: boolean }} PluginFault */

const post = globalThis.postMessage.bind(globalThis);
/** Longest console message forwarded [characters]. */
const MAX_LOG = 4000;

/** @type {Record<string, any> | undefined} the loaded plugin module */
let plugin;
/** @type {Promise<void>} requests are served one after another */
let chain = Promise.resolve();
/** The plugin's own folder: what `Deno.cwd()` answers. */
let ownCwd = "/";

hideHost();
redirectOutput();
catchStrayErrors();

self.onmessage = (/** @type {MessageEvent} */ e) => {
  const req = /** @type {WorkerRequest} */ (e.data);
  if (req.type === "init") {
    ownCwd = req.cwd;
    return;
  }
  chain = chain.then(() => serve(req));
};

/** Handles one request and posts the reply (typed arrays in the value are moved, not copied). */
async function serve(/** @type {any} */ req) {
  let reply;
  let transfer = [];
  try {
    const value = await handle(req);
    transfer = buffersOf(value);
    reply = { type: "reply", id: req.id, ok: true, value };
  } catch (err) {
    reply = { type: "reply", id: req.id, ok: false, fault: toFault(err) };
  }
  try {
    post(reply, transfer);
  } catch (err) {
    // The value could not be cloned (a function, a class instance with private state, …).
    const fault = toFault(err);
    post({
      type: "reply",
      id: req.id,
      ok: false,
      fault: { ...fault, message: `returned a value that cannot be sent back: ${fault.message}` },
    });
  }
}

/** Runs the plugin function a request asks for and returns its value. */
async function handle(/** @type {any} */ req) {
  const p = req.payload;
  switch (req.op) {
    case "load": {
      const mod = await import(p.url);
      if (p.kind === "cellModify") {
        if (typeof mod.cellModify !== "function") {
          throw new TypeError(
            "a cell-modify plugin must export a function `cellModify(cell, args)`",
          );
        }
      } else {
        const r = mod.recorder;
        if (
          typeof r !== "object" || r === null || typeof r.sites !== "function" ||
          typeof r.sweep !== "function" ||
          (r.finish !== undefined && typeof r.finish !== "function")
        ) {
          throw new TypeError(
            "a recorder plugin must export `recorder = { sites(cell, ctx), sweep(data, ctx), finish?(ctx) }`",
          );
        }
      }
      plugin = mod;
      return undefined;
    }
    case "cellModify":
      return await loaded().cellModify(p.cell, p.args);
    case "sites": {
      const sites = await loaded().recorder.sites(p.cell, p.context);
      if (!Array.isArray(sites)) throw new TypeError("recorder.sites() must return an array");
      return sites;
    }
    case "sweep":
      await loaded().recorder.sweep(p.data, p.context);
      return undefined;
    case "finish": {
      const r = loaded().recorder;
      if (r.finish) await r.finish(p.context);
      return undefined;
    }
    default:
      throw new Error(`unknown request ${String(req.op)}`);
  }
}

/** The loaded module (its exports were checked by `load`). */
function loaded() {
  if (plugin === undefined) throw new Error("plugin module is not loaded");
  return /** @type {any} */ (plugin);
}

/** A string property of a value the plugin threw, or undefined (getters and traps may throw). */
function textOf(/** @type {any} */ v, /** @type {string} */ key) {
  try {
    const x = v[key];
    return typeof x === "string" ? x : undefined;
  } catch {
    return undefined;
  }
}

/** @returns {PluginFault} what the host needs from a thrown value, whatever it is */
function toFault(/** @type {unknown} */ err) {
  let denial = false;
  try {
    denial = err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied;
  } catch {
    // A Proxy whose getPrototypeOf trap throws.
  }
  if ((typeof err === "object" && err !== null) || typeof err === "function") {
    const message = textOf(err, "message");
    return {
      name: textOf(err, "name") ?? "Error",
      message: message ?? "threw an object that is not an Error",
      stack: textOf(err, "stack") ?? "",
      denial,
    };
  }
  let text;
  try {
    text = String(err);
  } catch {
    text = typeof err;
  }
  return { name: "Error", message: `threw a non-error value: ${text}`, stack: "", denial: false };
}

/** @returns {ArrayBuffer[]} the distinct buffers of the typed arrays in a returned value */
function buffersOf(/** @type {unknown} */ value) {
  /** @type {Set<ArrayBuffer>} */
  const seen = new Set();
  const visit = (/** @type {unknown} */ v, /** @type {number} */ depth) => {
    if (typeof v !== "object" || v === null || depth > 4) return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) seen.add(v.buffer);
      return;
    }
    try {
      for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, depth + 1);
    } catch {
      // Getters that throw: the reply's cloning reports the value.
    }
  };
  visit(value, 0);
  return [...seen];
}

/**
 * Hides simrun's executable path, arguments and working directory: `Deno.execPath()` is
 * refused, `Deno.args` and `process.argv` are empty, `Deno.cwd()` is the plugin's own folder,
 * and `Deno.exit()` / `process.exit()` end the plugin with a clear message instead of silently.
 */
function hideHost() {
  const proc = globalThis.process; // node:process reads Deno.execPath() once, when first touched
  const refuse = (/** @type {string} */ what) => () => {
    throw new Deno.errors.NotCapable(`plugins cannot see ${what}`);
  };
  const define = (/** @type {object} */ o, /** @type {string} */ k, /** @type {unknown} */ v) => {
    try {
      Object.defineProperty(o, k, { value: v, writable: false, configurable: false });
    } catch {
      // Not configurable (node:process's execPath is an accessor with a setter): assign.
      try {
        /** @type {any} */ (o)[k] = v;
      } catch {
        // Left as is.
      }
    }
  };
  const exit = (/** @type {unknown} */ code) => {
    const n = Number(code ?? 0);
    post({
      type: "fault",
      exit: Number.isFinite(n) ? n : 0,
      fault: {
        name: "Exit",
        message: `called exit(${n})`,
        stack: new Error().stack ?? "",
        denial: false,
      },
    });
    globalThis.close();
    throw new Error("exited");
  };
  define(Deno, "execPath", refuse("simrun's executable"));
  define(Deno, "args", Object.freeze([]));
  define(Deno, "mainModule", undefined);
  define(Deno, "cwd", () => ownCwd);
  define(Deno, "exit", exit);
  if (proc) {
    define(proc, "argv", []);
    define(proc, "argv0", "");
    define(proc, "execArgv", []);
    define(proc, "execPath", "");
    define(proc, "cwd", () => ownCwd);
    define(proc, "exit", exit);
  }
}

/** `console.*`, `Deno.stdout`/`Deno.stderr` and `process.stdout`/`stderr` go to simrun. */
function redirectOutput() {
  const send = (/** @type {unknown[]} */ args) => {
    let text = args.map((a) => {
      if (typeof a === "string") return a;
      try {
        return Deno.inspect(a, { colors: false, depth: 4 });
      } catch {
        return "[uninspectable value]";
      }
    }).join(" ");
    if (text.length > MAX_LOG) text = text.slice(0, MAX_LOG) + "…";
    post({ type: "log", text });
  };
  const counts = new Map();
  const timers = new Map();
  const c = {
    log: (/** @type {unknown[]} */ ...a) => send(a),
    info: (/** @type {unknown[]} */ ...a) => send(a),
    debug: (/** @type {unknown[]} */ ...a) => send(a),
    warn: (/** @type {unknown[]} */ ...a) => send(a),
    error: (/** @type {unknown[]} */ ...a) => send(a),
    trace: (/** @type {unknown[]} */ ...a) => send(a),
    dir: (/** @type {unknown} */ a) => send([a]),
    dirxml: (/** @type {unknown[]} */ ...a) => send(a),
    table: (/** @type {unknown} */ a) => send([a]),
    assert: (/** @type {unknown} */ cond, /** @type {unknown[]} */ ...a) => {
      if (!cond) send(["Assertion failed:", ...a]);
    },
    count: (label = "default") => {
      counts.set(label, (counts.get(label) ?? 0) + 1);
      send([`${label}: ${counts.get(label)}`]);
    },
    countReset: (label = "default") => counts.delete(label),
    time: (label = "default") => timers.set(label, performance.now()),
    timeLog: (label = "default", /** @type {unknown[]} */ ...a) =>
      send([`${label}: ${(performance.now() - (timers.get(label) ?? 0)).toFixed(3)}ms`, ...a]),
    timeEnd: (label = "default") => {
      send([`${label}: ${(performance.now() - (timers.get(label) ?? 0)).toFixed(3)}ms`]);
      timers.delete(label);
    },
    group: (/** @type {unknown[]} */ ...a) => a.length > 0 && send(a),
    groupCollapsed: (/** @type {unknown[]} */ ...a) => a.length > 0 && send(a),
    groupEnd: () => {},
    clear: () => {},
  };
  try {
    Object.defineProperty(globalThis, "console", {
      value: c,
      writable: false,
      configurable: false,
    });
  } catch {
    // Left as is.
  }
  const dec = new TextDecoder();
  const sink = {
    write: (
      /** @type {Uint8Array} */ b,
    ) => (send([dec.decode(b).replace(/\n$/, "")]), Promise.resolve(b.length)),
    writeSync: (
      /** @type {Uint8Array} */ b,
    ) => (send([dec.decode(b).replace(/\n$/, "")]), b.length),
    writable: new WritableStream({ write: (b) => send([dec.decode(b).replace(/\n$/, "")]) }),
    isTerminal: () => false,
    close: () => {},
  };
  // stdin carries simrun's requests to this process: the plugin reads an empty stream instead.
  const empty = {
    read: () => Promise.resolve(null),
    readSync: () => null,
    readable: new ReadableStream({ start: (ctl) => ctl.close() }),
    isTerminal: () => false,
    setRaw: () => {},
    close: () => {},
  };
  for (const [k, v] of [["stdout", sink], ["stderr", sink], ["stdin", empty]]) {
    try {
      Object.defineProperty(Deno, k, { value: v, writable: false, configurable: false });
    } catch {
      // Left as is.
    }
  }
  const proc = globalThis.process;
  if (proc) {
    const nodeSink = {
      write: (/** @type {unknown} */ s, /** @type {unknown[]} */ ..._rest) => {
        send([typeof s === "string" ? s.replace(/\n$/, "") : dec.decode(/** @type {any} */ (s))]);
        return true;
      },
      isTTY: false,
    };
    for (const k of ["stdout", "stderr"]) {
      try {
        Object.defineProperty(proc, k, { value: nodeSink, writable: false, configurable: false });
      } catch {
        // Left as is.
      }
    }
  }
}

/**
 * Errors the plugin does not catch (a throw in a timer, an unhandled rejection) are reported to
 * simrun as one fault; timer callbacks are wrapped so that even a value Deno cannot format (a
 * Proxy with throwing traps) is reported instead of ending the process with a trace.
 */
function catchStrayErrors() {
  const report = (/** @type {unknown} */ err) => post({ type: "fault", fault: toFault(err) });
  self.addEventListener("error", (e) => {
    e.preventDefault();
    report(e.error !== undefined ? e.error : { name: "Error", message: textOf(e, "message") });
  });
  self.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    report(e.reason);
  });
  const wrap = (/** @type {unknown} */ fn) =>
    typeof fn !== "function" ? fn : function (/** @type {unknown[]} */ ...args) {
      try {
        return fn.apply(this, args);
      } catch (err) {
        report(err);
      }
    };
  const st = globalThis.setTimeout, si = globalThis.setInterval, qm = globalThis.queueMicrotask;
  globalThis.setTimeout = (fn, ms, ...args) => st(wrap(fn), ms, ...args);
  globalThis.setInterval = (fn, ms, ...args) => si(wrap(fn), ms, ...args);
  globalThis.queueMicrotask = (fn) => qm(wrap(fn));
}
