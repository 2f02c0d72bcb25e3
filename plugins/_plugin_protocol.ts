/**
 * Messages between the plugin host (`host.ts`) and the plugin worker (`plugin_worker.js`).
 * Types only: `host.ts` uses them; the worker (plain JS) mirrors them in JSDoc.
 *
 * @module
 */

/** What kind of module a worker loads, and so which export it requires. */
export type PluginKind = "cellModify" | "recorder";

/** Host → worker: one request; `id` pairs it with its reply. */
export type PluginRequest =
  | { readonly id: number; readonly op: "load"; readonly url: string; readonly kind: PluginKind }
  | {
    readonly id: number;
    readonly op: "cellModify" | "sites";
    readonly cell: unknown;
    readonly args: unknown;
    readonly context?: unknown;
  }
  | { readonly id: number; readonly op: "sweep"; readonly data: unknown; readonly context: unknown }
  | { readonly id: number; readonly op: "finish"; readonly context: unknown };

/** A plugin's error, reduced to what survives structured cloning. */
export interface PluginFault {
  /** Error class name (`NotCapable` for a denied permission, `TypeError`, …). */
  readonly name: string;
  readonly message: string;
  readonly stack: string;
}

/** Worker → host: the reply to request `id`. */
export type PluginReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly fault: PluginFault };
