/**
 * Path remapping for the file references inside `.param` files (spec/formats.md §0).
 *
 * ISF's example files hold absolute paths from the authors' cluster (`/gpfs/…/in_silico_framework/
 * getting_started/example_data/…`) or the placeholder `[IN_SILICO_FRAMEWORK_DIR]/…`. A user maps
 * them to local folders with rules `FROM=TO`, given as repeated `--path-map FROM=TO` options
 * and/or in the environment variable `SIMRUN_PATH_MAP` (rules separated by `;` or newlines).
 *
 * Rule semantics:
 * - `FROM` is a literal prefix: `/gpfs/x/=/data/` maps `/gpfs/x/a.hoc` to `/data/a.hoc`.
 * - A `FROM` starting with `*` matches any prefix ending with the rest (first occurrence):
 *   `*\/example_data/=../shared/data/isf_example/` maps both `/gpfs/…/example_data/a.hoc` and
 *   `[IN_SILICO_FRAMEWORK_DIR]/getting_started/example_data/a.hoc`.
 * - The text is spliced verbatim (`TO` + the rest), so end both sides with `/` or neither.
 *   A relative `TO` is relative to the working directory.
 * - The rule is split at the first `=`.
 *
 * Resolution order ({@linkcode resolveInputPath}): the path as written (a relative path is taken
 * relative to the folder of the file that references it), then every matching rule in order
 * (command-line rules before environment rules when the caller concatenates them so). The first
 * candidate that exists wins.
 *
 * @module
 */
import { InputValueError } from "./errors.ts";
import { dirname, isAbsolute, join } from "./posix_path.ts";

/** One `FROM=TO` rule. */
export interface PathMapRule {
  /** The prefix to replace (without the leading `*` for suffix rules). */
  readonly from: string;
  /** The replacement. */
  readonly to: string;
  /** True for `*rest` rules: match any prefix ending with `from`. */
  readonly anyPrefix: boolean;
  /** The rule as written, for messages. */
  readonly text: string;
}

/** An ordered list of rules. */
export interface PathMap {
  /** The rules, tried in this order. */
  readonly rules: readonly PathMapRule[];
}

/** Name of the environment variable holding path-map rules. */
export const PATH_MAP_ENV = "SIMRUN_PATH_MAP";

/** Options of {@linkcode parsePathMap}. */
export interface ParsePathMapOptions {
  /** Where the rules come from, for messages (default `"--path-map"`). */
  source?: string;
}

/**
 * Parses `FROM=TO` rules.
 *
 * @param rules the rules, in priority order
 * @param options where the rules come from, for messages
 * @returns the path map
 * @throws {InputValueError} for a rule without `=` or with an empty `FROM`
 * @example A suffix rule
 * ```ts
 * import assert from "node:assert/strict";
 * import { mapPath, parsePathMap } from "./path_map.ts";
 * const map = parsePathMap(["*\/example_data/=data/"]);
 * assert.deepEqual(mapPath("/gpfs/isf/example_data/a.hoc", map), ["data/a.hoc"]);
 * ```
 */
export function parsePathMap(rules: readonly string[], options: ParsePathMapOptions = {}): PathMap {
  const source = options.source ?? "--path-map";
  const out: PathMapRule[] = [];
  for (const text of rules) {
    const eq = text.indexOf("=");
    if (eq < 0) {
      throw new InputValueError(
        { file: source },
        `Bad path-map rule ${JSON.stringify(text)}: expected FROM=TO`,
      );
    }
    let from = text.slice(0, eq);
    const to = text.slice(eq + 1);
    const anyPrefix = from.startsWith("*");
    if (anyPrefix) from = from.slice(1);
    if (from === "") {
      throw new InputValueError(
        { file: source },
        `Bad path-map rule ${JSON.stringify(text)}: FROM is empty (it would match every path)`,
      );
    }
    out.push({ from, to, anyPrefix, text });
  }
  return { rules: out };
}

/**
 * Splits the value of `SIMRUN_PATH_MAP` into rules: separated by `;` or newlines, blank ones
 * dropped.
 *
 * @param value the variable's value (undefined → no rules)
 * @returns the rules
 * @example Two rules
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitPathMapEnv } from "./path_map.ts";
 * assert.deepEqual(splitPathMapEnv("/a/=/b/; /c/=/d/\n"), ["/a/=/b/", "/c/=/d/"]);
 * ```
 */
export function splitPathMapEnv(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split(/[;\n\r]/).map((s) => s.trim()).filter((s) => s !== "");
}

/**
 * Builds the path map from command-line rules followed by the rules of `SIMRUN_PATH_MAP`
 * (read from the environment; needs `--allow-env=SIMRUN_PATH_MAP`, absent permission = no rules).
 *
 * @param cliRules rules from repeated `--path-map` options (tried first)
 * @returns the combined map
 * @throws {InputValueError} for a malformed rule (naming `--path-map` or `SIMRUN_PATH_MAP`)
 * @example One rule from the command line, then any from the environment
 * ```ts ignore
 * const map = pathMapFromArgsAndEnv(["/gpfs/x/=/data/"]);
 * ```
 */
export function pathMapFromArgsAndEnv(cliRules: readonly string[]): PathMap {
  let env: string | undefined;
  try {
    env = Deno.env.get(PATH_MAP_ENV);
  } catch {
    env = undefined; // no --allow-env for it: treat as unset
  }
  const a = parsePathMap(cliRules, { source: "--path-map" });
  const b = parsePathMap(splitPathMapEnv(env), { source: PATH_MAP_ENV });
  return { rules: [...a.rules, ...b.rules] };
}

/**
 * Every rewrite of `path` by the matching rules, in rule order (no file-system access).
 *
 * @param path the path as written in the file
 * @param map the rules
 * @returns the candidates (empty when no rule matches)
 * @example Literal prefix
 * ```ts
 * import assert from "node:assert/strict";
 * import { mapPath, parsePathMap } from "./path_map.ts";
 * assert.deepEqual(mapPath("/gpfs/x/a.syn", parsePathMap(["/gpfs/x/=/data/"])), ["/data/a.syn"]);
 * ```
 */
export function mapPath(path: string, map: PathMap): string[] {
  const out: string[] = [];
  for (const r of map.rules) {
    if (r.anyPrefix) {
      const at = path.indexOf(r.from);
      if (at >= 0) out.push(r.to + path.slice(at + r.from.length));
    } else if (path.startsWith(r.from)) {
      out.push(r.to + path.slice(r.from.length));
    }
  }
  return out;
}

/** Options of {@linkcode resolveInputPath}. */
export interface ResolveInputPathOptions {
  /** The rules (none when absent). */
  map?: PathMap;
  /** The parameter key holding the path (dotted), for messages. */
  key?: string;
  /** The file holding the reference; relative paths resolve against its folder. */
  file?: string;
  /** Line of the reference in `file`. */
  line?: number;
  /** What the file is, for messages (default `"file"`), e.g. `"morphology (.hoc) file"`. */
  what?: string;
}

/**
 * Whether `p` exists (file or folder; false also when it cannot be examined, e.g. no read
 * permission). A missing candidate costs about 20 µs (the failed stat builds an error), and a
 * network param has two candidates per cell type; `node:fs`'s `existsSync` would avoid that but
 * loading Node's file-system module costs every process about 30 ms and 6 MB.
 */
function exists(p: string): boolean {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the local file a `.param` reference points to: the path as written (relative to the
 * referencing file's folder), then each path-map rewrite in rule order; the first that exists.
 *
 * @param path the path as written in the file
 * @param options the rules and where the reference is (for relative paths and messages)
 * @returns the first existing candidate
 * @throws {InputValueError} `cell.param:12: Cannot find morphology (.hoc) file "…" (key
 *   "neuron.filename"); tried: "…", "…"` plus a hint about `--path-map`
 * @example The example data through a suffix rule
 * ```ts ignore
 * const hoc = resolveInputPath("/gpfs/…/getting_started/example_data/a.hoc", {
 *   map: parsePathMap(["*\/getting_started/example_data/=../shared/data/isf_example/"]),
 *   key: "neuron.filename", file: "cell.param", line: 22,
 * });
 * ```
 */
export function resolveInputPath(path: string, options: ResolveInputPathOptions = {}): string {
  const tried: string[] = [];
  const first = !isAbsolute(path) && options.file !== undefined
    ? join(dirname(options.file), path)
    : path;
  tried.push(first);
  if (path !== "" && exists(first)) return first;
  // A relative TO is relative to the working directory: the rewrites are used as they are.
  for (const cand of options.map ? mapPath(path, options.map) : []) {
    if (tried.includes(cand)) continue;
    tried.push(cand);
    if (exists(cand)) return cand;
  }
  const what = options.what ?? "file";
  const k = options.key !== undefined ? ` (key "${options.key}")` : "";
  const rules = options.map?.rules.length ?? 0;
  const hint = rules === 0
    ? `; no path-map rule is set: map foreign prefixes with --path-map FROM=TO or ${PATH_MAP_ENV}`
    : tried.length === 1
    ? `; none of the ${rules} path-map rule(s) matches it`
    : "";
  const loc: { file: string; line?: number; key?: string } = { file: options.file ?? path };
  if (options.line !== undefined) loc.line = options.line;
  if (options.key !== undefined) loc.key = options.key;
  throw new InputValueError(
    loc,
    `Cannot find ${what} ${JSON.stringify(path)}${k}; tried: ${
      tried.map((t) => JSON.stringify(t)).join(", ")
    }${hint}`,
  );
}
