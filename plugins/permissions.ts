/**
 * The sandbox of one plugin: what its process and its worker may touch, and how a denied
 * permission is explained.
 *
 * - **read**: the *real* (link-resolved) folder of the plugin module, the real paths granted
 *   with `--plugin-read`, and its own output folder. Deno checks a path by its name and does not
 *   follow links, so every granted folder is searched for links whose real target lies outside
 *   the grants (or does not exist); those links are denied on every route (read, readDir,
 *   `fetch(file:)`, static and dynamic import, nested workers), because the worker is granted
 *   the folders as a cover that leaves them out, and the process (from source) also gets them
 *   as `--deny-read`. A plugin cannot make new links: `Deno.symlink` needs unscoped read and
 *   write permission, and `..` cannot walk out of a link (Deno resolves `..` by name before it
 *   opens a path).
 * - **write**: its own output folder (`<job>/plugins/<name>/`, recorders) or nothing.
 * - **net, env, run, ffi, sys, remote imports**: nothing.
 *
 * @module
 */
import { dirname, InputValueError, isAbsolute, resolve, SEPARATOR } from "../io/mod.ts";

/** What a plugin may touch besides its own module folder. */
export interface PluginGrants {
  /** Extra files or folders the plugin may read (CLI `--plugin-read PATH`). */
  readonly read?: readonly string[];
  /** Folders the plugin may write into (a recorder: its own output folder); none by default. */
  readonly write?: readonly string[];
}

/** A link inside a granted folder whose real target lies outside the grants. */
export interface EscapingLink {
  /** The link's path (absolute, inside a granted folder). */
  readonly path: string;
  /** Where it leads (real path), or the raw link text when the target does not exist. */
  readonly target: string;
}

/** The resolved sandbox of one plugin module. */
export interface PluginSandbox {
  /** Real path of the module. */
  readonly modulePath: string;
  /** Real folder of the module (the plugin's working directory). */
  readonly moduleDir: string;
  /** Real granted roots: the module folder, `read` grants and write folders. */
  readonly read: readonly string[];
  /** Real writable folders. */
  readonly write: readonly string[];
  /** Links in the granted folders that lead outside them: denied. */
  readonly links: readonly EscapingLink[];
  /**
   * The worker's read permission: the granted roots, each folder that holds an escaping link
   * replaced by its entries (recursively), leaving the links out.
   */
  readonly cover: readonly string[];
}

/** True when `path` is `root` or lies below it (both absolute and normalized). */
export function isWithin(path: string, root: string): boolean {
  if (path === root) return true;
  const prefix = root.endsWith(SEPARATOR) ? root : root + SEPARATOR;
  return path.startsWith(prefix);
}

/**
 * Resolves a plugin's sandbox: real paths of the module folder and the grants, the links that
 * lead out of them, and the worker's read cover.
 *
 * @param modulePath path of the plugin module
 * @param grants extra read paths and write folders
 * @returns the sandbox
 * @throws InputValueError when a granted path does not exist (`--plugin-read`)
 * @throws Deno.errors.NotFound when the module does not exist
 * @example
 * ```ts ignore
 * const box = await resolveSandbox("examples/plugins/cai_hot_zone_recorder.ts", { read: ["data"] });
 * ```
 */
export async function resolveSandbox(
  modulePath: string,
  grants: PluginGrants = {},
): Promise<PluginSandbox> {
  const real = await Deno.realPath(modulePath);
  const moduleDir = dirname(real);
  const readRoots = [moduleDir];
  for (const p of grants.read ?? []) {
    try {
      readRoots.push(await Deno.realPath(p));
    } catch {
      throw new InputValueError(
        { file: "--plugin-read", key: p },
        `Cannot grant "${p}" to plugins: no such file or folder`,
      );
    }
  }
  const write: string[] = [];
  for (const p of grants.write ?? []) write.push(await Deno.realPath(p));
  const read = minimalRoots([...readRoots, ...write]);
  const links: EscapingLink[] = [];
  for (const root of read) await findEscapingLinks(root, read, links);
  const denied = new Set(links.map((l) => l.path));
  const cover: string[] = [];
  for (const root of read) await coverOf(root, denied, links, cover);
  return { modulePath: real, moduleDir, read, write: minimalRoots(write), links, cover };
}

/** Removes roots that lie inside another root; keeps the order of first appearance. */
function minimalRoots(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (paths.some((q) => q !== p && isWithin(p, q))) continue;
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

/** Collects the links under `dir` (not followed) whose real target is outside every root. */
async function findEscapingLinks(
  dir: string,
  roots: readonly string[],
  out: EscapingLink[],
): Promise<void> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch {
    return; // a file, or a folder simrun cannot list (then the plugin cannot either)
  }
  for (const e of entries) {
    const p = `${dir}${dir.endsWith(SEPARATOR) ? "" : SEPARATOR}${e.name}`;
    if (e.isSymlink) {
      let target: string;
      try {
        target = await Deno.realPath(p);
      } catch {
        // Dangling: its target could appear later, anywhere.
        let raw = "";
        try {
          raw = await Deno.readLink(p);
        } catch { /* unreadable link text */ }
        out.push({ path: p, target: isAbsolute(raw) ? raw : resolve(dir, raw) });
        continue;
      }
      if (!roots.some((r) => isWithin(target, r))) out.push({ path: p, target });
    } else if (e.isDirectory) {
      await findEscapingLinks(p, roots, out);
    }
  }
}

/** Appends to `out` the paths that cover `root` except the denied links. */
async function coverOf(
  root: string,
  denied: ReadonlySet<string>,
  links: readonly EscapingLink[],
  out: string[],
): Promise<void> {
  if (!links.some((l) => isWithin(l.path, root))) {
    out.push(root);
    return;
  }
  for await (const e of Deno.readDir(root)) {
    const p = `${root}${root.endsWith(SEPARATOR) ? "" : SEPARATOR}${e.name}`;
    if (denied.has(p)) continue;
    if (e.isDirectory && !e.isSymlink) await coverOf(p, denied, links, out);
    else out.push(p);
  }
}

/**
 * The `deno run` permission flags of a plugin's process started from source: read the worker
 * bootstrap and the sandbox's roots, deny the escaping links, write the output folder, nothing
 * else.
 *
 * @param box the resolved sandbox
 * @param bootstrap path of `plugin_worker.js` (the process loads it for the worker)
 * @returns the flags
 * @throws RangeError for a path that contains a comma (Deno's flag lists cannot carry one)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { processFlags } from "./permissions.ts";
 * const flags = processFlags(
 *   { modulePath: "/p/x.ts", moduleDir: "/p", read: ["/p"], write: [], cover: ["/p"],
 *     links: [{ path: "/p/l", target: "/etc" }] },
 *   "/simrun/plugins/plugin_worker.js",
 * );
 * assert.deepEqual(flags, [
 *   "--allow-read=/simrun/plugins/plugin_worker.js,/p",
 *   "--deny-read=/p/l",
 * ]);
 * ```
 */
export function processFlags(box: PluginSandbox, bootstrap: string): string[] {
  const list = (paths: readonly string[]): string => {
    for (const p of paths) {
      if (p.includes(",")) {
        throw new RangeError(
          `cannot sandbox a path that contains a comma: "${p}" (rename or move it)`,
        );
      }
    }
    return paths.join(",");
  };
  const flags = [`--allow-read=${list([bootstrap, ...box.read])}`];
  if (box.links.length > 0) flags.push(`--deny-read=${list(box.links.map((l) => l.path))}`);
  if (box.write.length > 0) flags.push(`--allow-write=${list(box.write)}`);
  return flags;
}

/** Hints per permission kind: what a plugin may do instead. */
const HINTS: Readonly<Record<string, string>> = {
  read: "a plugin may read only its own folder and the paths granted with --plugin-read",
  write:
    "a plugin may write only into its own folder of the job folder, and only a recorder may write",
  net: "plugins have no network access",
  env: "plugins cannot read environment variables, pass values as plugin arguments",
  run: "plugins cannot start or signal other processes",
  ffi: "plugins cannot load native libraries",
  sys: "plugins cannot query system information",
  import: "plugins cannot import remote modules, keep dependencies in the plugin's folder",
};

/**
 * Explains a permission error raised inside a plugin (`NotCapable` / `PermissionDenied`,
 * message `Requires read access to "/etc/x", run again with the --allow-read flag`), without
 * Deno's advice to rerun with a flag, which does not apply to plugins. With a sandbox, a claimed
 * denial is checked against it: a read or write "denied" on a path the plugin may use is not a
 * denial but the plugin's own text (undefined is returned), and a read through an escaping link
 * names the link.
 *
 * @param name the error's class name
 * @param message the error's message
 * @param where where it happened, inserted before the hint (e.g. ` in cellModify()`)
 * @param box the plugin's sandbox, to check the claim against
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
export function explainDenial(
  name: string,
  message: string,
  where = "",
  box?: PluginSandbox,
): string | undefined {
  if (name !== "NotCapable" && name !== "PermissionDenied") return undefined;
  const m = /^Requires (\w+) access(?: to "(.*?)")?(?:, run again| \(|$)/.exec(message);
  if (m === null) return box === undefined ? `denied${where}: ${message}` : undefined;
  const kind = m[1];
  const target = m[2];
  const hint = HINTS[kind];
  if (hint === undefined) return undefined;
  if (box !== undefined && target !== undefined && (kind === "read" || kind === "write")) {
    const path = resolve(box.moduleDir, target);
    const link = box.links.find((l) => isWithin(path, l.path));
    if (kind === "read" && link !== undefined) {
      return `denied read access to "${target}"${where}: "${link.path}" is a link to "${link.target}", outside the plugin's grants (grant the target's real path with --plugin-read)`;
    }
    const inner = box.links.find((l) => isWithin(l.path, path));
    if (kind === "read" && inner !== undefined && !box.cover.some((c) => isWithin(path, c))) {
      return `denied read access to "${target}"${where}: it holds "${inner.path}", a link to "${inner.target}" outside the plugin's grants, so it cannot be listed`;
    }
    const allowed = kind === "read" ? box.read : box.write;
    if (allowed.some((r) => isWithin(path, r))) return undefined; // not a real denial
  }
  return `denied ${kind} access${target !== undefined ? ` to "${target}"` : ""}${where}; ${hint}`;
}
