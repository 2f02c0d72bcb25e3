/**
 * The bootstrap of a plugin worker (started by `host.ts` with the plugin's permissions). It
 * imports the plugin module named in the `load` request, checks its export, then serves the
 * host's requests one at a time and replies with the value or the error the plugin raised.
 * Messages: `_plugin_protocol.ts`.
 *
 * Why JavaScript: `deno test` type-checks a TypeScript worker script every time a worker starts
 * (about 0.7 s on the 2-core build machine, more than the plugin's own work); a plain JS file
 * starts in about 20 ms. Every line runs in tests/plugins_sandbox_test.ts.
 * Why no imports: the worker may read only the plugin's folder and granted paths.
 *
 * @module
 */

/** @typedef {{ id: number, op: string, url?: string, kind?: string, cell?: unknown, args?: unknown, data?: unknown, context?: unknown }} PluginRequest (see _plugin_protocol.ts) */
/** @typedef {{ name: string, message: string, stack: string }} PluginFault */

/** @type {Record<string, unknown> | undefined} the loaded plugin module */
let plugin;
/** @type {Promise<void>} requests are served one after another */
let chain = Promise.resolve();

self.onmessage = (/** @type {MessageEvent} */ e) => {
  const req = /** @type {PluginRequest} */ (e.data);
  chain = chain.then(() => serve(req));
};

/** Handles one request and posts the reply (typed arrays in the value are moved, not copied). */
async function serve(/** @type {PluginRequest} */ req) {
  let reply;
  let transfer = [];
  try {
    const value = await handle(req);
    transfer = buffersOf(value);
    reply = { id: req.id, ok: true, value };
  } catch (err) {
    reply = { id: req.id, ok: false, fault: toFault(err) };
  }
  try {
    self.postMessage(reply, transfer);
  } catch (err) {
    // The value could not be cloned (a function, a class instance with private state, …).
    const fault = toFault(err);
    self.postMessage({
      id: req.id,
      ok: false,
      fault: { ...fault, message: `returned a value that cannot be sent back: ${fault.message}` },
    }, []);
  }
}

/** Runs the plugin function a request asks for and returns its value. */
async function handle(/** @type {PluginRequest} */ req) {
  switch (req.op) {
    case "load": {
      const mod = await import(req.url);
      if (req.kind === "cellModify") {
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
      return await loaded().cellModify(req.cell, req.args);
    case "sites": {
      const sites = await loaded().recorder.sites(req.cell, req.context);
      if (!Array.isArray(sites)) throw new TypeError("recorder.sites() must return an array");
      return sites;
    }
    case "sweep":
      await loaded().recorder.sweep(req.data, req.context);
      return undefined;
    case "finish": {
      const r = loaded().recorder;
      if (r.finish) await r.finish(req.context);
      return undefined;
    }
    default:
      throw new Error(`unknown request ${String(/** @type {{op: unknown}} */ (req).op)}`);
  }
}

/** The loaded module (its exports were checked by `load`). */
function loaded() {
  if (plugin === undefined) throw new Error("plugin module is not loaded");
  return /** @type {any} */ (plugin);
}

/** @returns {PluginFault} what survives structured cloning of a thrown value */
function toFault(/** @type {unknown} */ err) {
  if (typeof err === "object" && err !== null) {
    const e = /** @type {{ name?: unknown, message?: unknown, stack?: unknown }} */ (err);
    return {
      name: typeof e.name === "string" ? e.name : "Error",
      message: typeof e.message === "string" ? e.message : String(err),
      stack: typeof e.stack === "string" ? e.stack : "",
    };
  }
  return { name: "Error", message: `threw a non-error value: ${String(err)}`, stack: "" };
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
    for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, depth + 1);
  };
  visit(value, 0);
  return [...seen];
}
