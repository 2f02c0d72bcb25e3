/**
 * The sandbox of a plugin worker: which Deno permissions it gets (read: its own module folder
 * plus granted paths; write: the job folder or nothing; no network, environment, subprocesses,
 * FFI, system information or remote imports), and how a denied permission is explained.
 *
 * @module
 */
import { dirname, resolve } from "node:path";

/** What a plugin may touch besides its own module folder. */
export interface PluginGrants {
  /** Extra files or folders the plugin may read (CLI `--plugin-read PATH`). */
  readonly read?: readonly string[];
  /** Folders the plugin may write into (a recorder: the job folder); none by default. */
  readonly write?: readonly string[];
}

/**
 * Worker permissions for a plugin module: read its own folder and `grants.read`, write only
 * `grants.write` (or nothing), everything else denied.
 *
 * @param modulePath path of the plugin module
 * @param grants extra read and write paths
 * @returns the `deno.permissions` option of `new Worker()` (needs `--unstable-worker-options`)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pluginPermissions } from "./permissions.ts";
 * const p = pluginPermissions("/plugins/cai.ts", { write: ["/runs/job1"] });
 * assert.deepEqual(p.read, ["/plugins"]);
 * assert.deepEqual(p.write, ["/runs/job1"]);
 * assert.equal(p.net, false);
 * assert.equal(p.env, false);
 * ```
 */
export function pluginPermissions(
  modulePath: string,
  grants: PluginGrants = {},
): Deno.PermissionOptionsObject {
  const read = [dirname(resolve(modulePath)), ...(grants.read ?? []).map((p) => resolve(p))];
  const write = (grants.write ?? []).map((p) => resolve(p));
  return {
    read,
    write: write.length > 0 ? write : false,
    net: false,
    env: false,
    run: false,
    ffi: false,
    sys: false,
    import: false,
  };
}

/** Hints per permission kind: what a plugin may do instead. */
const HINTS: Readonly<Record<string, string>> = {
  read: "a plugin may read only its own folder and the paths granted with --plugin-read",
  write: "a plugin may write only into the job output folder, and only a recorder may write",
  net: "plugins have no network access",
  env: "plugins cannot read environment variables, pass values as plugin arguments",
  run: "plugins cannot start processes",
  ffi: "plugins cannot load native libraries",
  sys: "plugins cannot query system information",
  import: "plugins cannot import remote modules, keep dependencies in the plugin's folder",
};

/**
 * Explains a permission error raised inside a plugin (`NotCapable` / `PermissionDenied`,
 * message `Requires read access to "/etc/x", run again with the --allow-read flag`), without
 * Deno's advice to rerun with a flag, which does not apply to plugins.
 *
 * @param name the error's class name
 * @param message the error's message
 * @param where where it happened, inserted before the hint (e.g. ` in cellModify()`)
 * @returns e.g. `denied read access to "/etc/x"; a plugin may read only …`, or undefined when
 *   the error is not a permission error
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { explainDenial } from "./permissions.ts";
 * assert.equal(
 *   explainDenial("NotCapable", 'Requires env access to "HOME", run again with the --allow-env flag'),
 *   'denied env access to "HOME"; plugins cannot read environment variables, pass values as plugin arguments',
 * );
 * assert.equal(explainDenial("TypeError", "x is undefined"), undefined);
 * ```
 */
export function explainDenial(name: string, message: string, where = ""): string | undefined {
  if (name !== "NotCapable" && name !== "PermissionDenied") return undefined;
  const m = /Requires (\w+) access(?: to (.*?))?(?:, run again| \(|$)/.exec(message);
  if (m === null) return `denied${where}: ${message}`;
  const kind = m[1];
  const target = m[2] ? ` to ${m[2]}` : "";
  const hint = HINTS[kind];
  return `denied ${kind} access${target}${where}${hint ? `; ${hint}` : ""}`;
}
