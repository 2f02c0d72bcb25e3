/**
 * POSIX path operations with the results of Node's `node:path` (`path.posix`), for the run path.
 *
 * Why not `node:path` itself: Deno sets up its whole Node compatibility layer on the first call
 * into a `node:` module, which costs every simrun process about 5 MiB of resident memory and
 * 20–40 ms of start-up (measured on the ISF job, issue 13). simrun runs on POSIX systems and
 * needs only these few functions; tests/posix_path_test.ts checks them against `node:path.posix`
 * on thousands of generated paths.
 *
 * @module
 */

/** The path separator. */
export const SEPARATOR = "/";

/**
 * Whether a path is absolute.
 *
 * @param path a path
 * @returns true when it starts with `/`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isAbsolute } from "./posix_path.ts";
 * assert.equal(isAbsolute("/a"), true);
 * assert.equal(isAbsolute("a/b"), false);
 * ```
 */
export function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

/** The segments of `path` with `.` and `..` resolved; `..` above the start kept when allowed. */
function normalSegments(path: string, aboveRoot: boolean): string[] {
  const out: string[] = [];
  for (const s of path.split("/")) {
    if (s === "" || s === ".") continue;
    if (s === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (aboveRoot) out.push("..");
    } else out.push(s);
  }
  return out;
}

/**
 * The path with repeated separators, `.` and resolvable `..` segments removed (a trailing `/`
 * kept), as `path.posix.normalize`.
 *
 * @param path a path
 * @returns the normal form; `.` for an empty path
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalize } from "./posix_path.ts";
 * assert.equal(normalize("/a//b/../c/."), "/a/c");
 * assert.equal(normalize("../x/"), "../x/");
 * ```
 */
export function normalize(path: string): string {
  if (path === "") return ".";
  const absolute = isAbsolute(path);
  let s = normalSegments(path, !absolute).join("/");
  if (s === "" && !absolute) s = ".";
  if (s !== "" && path.endsWith("/")) s += "/";
  return absolute ? `/${s}` : s;
}

/**
 * The parts joined with `/` and normalized, as `path.posix.join`.
 *
 * @param parts path parts (empty ones are skipped)
 * @returns the joined path; `.` when all parts are empty
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "./posix_path.ts";
 * assert.equal(join("a/b", "../c", "d"), "a/c/d");
 * ```
 */
export function join(...parts: string[]): string {
  const kept = parts.filter((p) => p !== "");
  return kept.length === 0 ? "." : normalize(kept.join("/"));
}

/**
 * The absolute path of the parts, resolved from right to left until one is absolute, else from
 * the current directory, as `path.posix.resolve`.
 *
 * @param parts path parts (empty ones are skipped)
 * @returns an absolute, normalized path without a trailing `/` (except `/` itself)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolve } from "./posix_path.ts";
 * assert.equal(resolve("/a/b", "../c"), "/a/c");
 * assert.equal(resolve("/a", "/b", "c"), "/b/c");
 * ```
 */
export function resolve(...parts: string[]): string {
  let path = "";
  for (let i = parts.length - 1; i >= 0 && !isAbsolute(path); i--) {
    if (parts[i] !== "") path = path === "" ? parts[i]! : `${parts[i]}/${path}`;
  }
  if (!isAbsolute(path)) path = path === "" ? Deno.cwd() : `${Deno.cwd()}/${path}`;
  return `/${normalSegments(path, false).join("/")}`;
}

/**
 * The folder part of a path (trailing separators ignored), as `path.posix.dirname`.
 *
 * @param path a path
 * @returns everything before the last segment; `.` or `/` when there is none
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dirname } from "./posix_path.ts";
 * assert.equal(dirname("/a/b/c.param"), "/a/b");
 * assert.equal(dirname("c.param"), ".");
 * ```
 */
export function dirname(path: string): string {
  if (path === "") return ".";
  let end = -1;
  let inSegment = false;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] === "/") {
      if (inSegment) {
        end = i;
        break;
      }
    } else inSegment = true;
  }
  if (end === -1) return isAbsolute(path) ? "/" : ".";
  if (isAbsolute(path) && end === 1) return "//";
  return path.slice(0, end);
}

/** The last segment of a path, trailing separators ignored. */
function lastSegment(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--;
  return path.slice(path.lastIndexOf("/", end - 1) + 1, end);
}

/**
 * The last segment of a path, without `suffix` when it ends with it, as `path.posix.basename`.
 *
 * @param path a path
 * @param suffix an ending to remove (not when it is the whole segment)
 * @returns the last segment
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { basename } from "./posix_path.ts";
 * assert.equal(basename("/a/b/rec.ts"), "rec.ts");
 * assert.equal(basename("/a/b/rec.ts", ".ts"), "rec");
 * ```
 */
export function basename(path: string, suffix?: string): string {
  const name = lastSegment(path);
  if (suffix === undefined || suffix === "" || suffix.length > path.length) return name;
  // Node's two special cases with a suffix: the whole path equal to it, a path of separators.
  if (path === suffix) return "";
  if (name === "") return path;
  return name !== suffix && name.endsWith(suffix)
    ? name.slice(0, name.length - suffix.length)
    : name;
}

/**
 * The extension of a path's last segment from its last `.`, as `path.posix.extname`.
 *
 * @param path a path
 * @returns the extension with its dot; empty without one, for dot files and for `..`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { extname } from "./posix_path.ts";
 * assert.equal(extname("rec.cell.ts"), ".ts");
 * assert.equal(extname(".hidden"), "");
 * ```
 */
export function extname(path: string): string {
  const name = lastSegment(path);
  const dot = name.lastIndexOf(".");
  return dot <= 0 || name === ".." ? "" : name.slice(dot);
}

/**
 * The path from `from` to `to` (both resolved first), as `path.posix.relative`.
 *
 * @param from the start
 * @param to the target
 * @returns a relative path; empty when both are the same
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { relative } from "./posix_path.ts";
 * assert.equal(relative("/a/b/c", "/a/d"), "../../d");
 * ```
 */
export function relative(from: string, to: string): string {
  const a = normalSegments(resolve(from), false);
  const b = normalSegments(resolve(to), false);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => ".."), ...b.slice(common)].join("/");
}

/**
 * The path of a `file:` URL, percent-decoded, as `url.fileURLToPath` on POSIX.
 *
 * @param url a `file:` URL without a host
 * @returns the absolute path
 * @throws TypeError for another scheme, a host, or an encoded `/`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileUrlToPath } from "./posix_path.ts";
 * assert.equal(fileUrlToPath("file:///data/my%20cell.param"), "/data/my cell.param");
 * ```
 */
export function fileUrlToPath(url: string | URL): string {
  const u = typeof url === "string" ? new URL(url) : url;
  if (u.protocol !== "file:") throw new TypeError(`not a file URL: ${u.href}`);
  if (u.hostname !== "") throw new TypeError(`a file URL with a host: ${u.href}`);
  if (/%2f/i.test(u.pathname)) throw new TypeError(`a file URL with an encoded '/': ${u.href}`);
  return decodeURIComponent(u.pathname);
}

/**
 * The `file:` URL of a path (resolved first), every character that a URL would read otherwise
 * percent-encoded, as `url.pathToFileURL` on POSIX.
 *
 * @param path a path
 * @returns the URL
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pathToFileUrl } from "./posix_path.ts";
 * assert.equal(pathToFileUrl("/data/a #1%.ts").href, "file:///data/a%20%231%25.ts");
 * ```
 */
export function pathToFileUrl(path: string): URL {
  let absolute = resolve(path);
  if (path.endsWith("/") && absolute !== "/") absolute += "/";
  const url = new URL("file://");
  // What the URL parser would drop or read as separators, and what Node encodes beyond the
  // pathname setter; the setter encodes the rest.
  url.pathname = absolute.replace(/[%\\\n\r\t[\]^|~]/g, (c) => {
    return `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
  });
  return url;
}
