/**
 * A job's own mechanisms: the `.mod` files of the folders named in the cell (and network) param's
 * `NMODL_mechanisms` and on the command line (`--mechanisms DIR`, repeatable), read and compiled
 * once per job (and once per sweep worker), merged with the built-ins (solver's
 * `buildMechanismCatalogue`).
 *
 * Folders. ISF loads each `NMODL_mechanisms` folder with NEURON's `load_mechanisms(folder)`,
 * which looks only in the folder itself (for its compiled library) and prints a note when there
 * is none; the example names `/`. simrun reads the `.mod` files of each folder itself, never its
 * sub-folders: a folder without `.mod` files adds nothing, a param folder that does not exist
 * here is skipped with a warning (map it with `--path-map`), while a `--mechanisms` folder that
 * does not exist, and any folder or file that cannot be read, is an input error. A folder named
 * twice is read once. Files of a later folder replace files of an earlier one that define the
 * same mechanism (the command line comes last); two files of one folder that define the same
 * mechanism make it unusable.
 *
 * @module
 */
import {
  dirname,
  type InputLocation,
  InputValueError,
  join,
  type Located,
  mapPath,
  type ParamObject,
  type PathMap,
  readNmodlMechanisms,
  relative,
  resolve,
} from "../io/mod.ts";
import { SYNAPSE_MECHANISMS, synapseCatalogue } from "../network/mod.ts";
import {
  buildMechanismCatalogue,
  type Cell,
  type MechanismCatalogue,
  type ModSource,
  type PointMechanism,
} from "../solver/mod.ts";
import { warn } from "./warnings.ts";

/** Largest `.mod` file read (the compiler refuses larger ones with one line anyway). */
const MAX_MOD_BYTES = 1_000_000;

/** A folder of `.mod` files and where it is named. */
export interface MechanismFolder {
  /** The folder as named (a param's value after path mapping, or the `--mechanisms` value). */
  readonly path: string;
  /** Where it is named: a param key, or `--mechanisms`. */
  readonly where: InputLocation;
  /** True for a param's folder: a missing one is skipped with a warning (ISF only notes it). */
  readonly optional: boolean;
}

/** The mechanisms of a job: the `.mod` files as read, and what they compile to. */
export interface JobMechanisms {
  /** The files, folder after folder (what sweep workers and campaigns carry). */
  readonly sources: readonly ModSource[];
  /** Built-ins plus compiled files, in NEURON's registration order. */
  readonly catalogue: MechanismCatalogue;
  /** The network's receptor catalogue: built-in synapses (or the user's of that name), then compiled point processes. */
  readonly synapses: readonly PointMechanism[];
}

/**
 * The mechanism folders of a param (`NMODL_mechanisms`): each resolved like the param's other
 * paths (relative to the param's folder, then the path map); a folder found nowhere is kept as
 * written (and skipped, with a warning, when read).
 *
 * @param param the parsed cell or network param
 * @param paramPath its path
 * @param pathMap the job's path map
 * @returns the folders in key order
 */
export function paramMechanismFolders(
  param: ParamObject,
  paramPath: string,
  pathMap: PathMap,
): MechanismFolder[] {
  return readNmodlMechanisms(param, paramPath).map((f: Located<string>) => ({
    path: resolveFolder(f.value, paramPath, pathMap),
    where: f.where,
    optional: true,
  }));
}

function isDir(p: string): boolean {
  try {
    return Deno.statSync(p).isDirectory;
  } catch {
    return false;
  }
}

/** The path as written (relative to the param's folder), else the first path-map rewrite that exists. */
function resolveFolder(path: string, paramPath: string, pathMap: PathMap): string {
  const first = path.startsWith("/") ? path : join(paramPath, "..", path);
  if (isDir(first)) return first;
  for (const cand of mapPath(path, pathMap)) if (isDir(cand)) return cand;
  return first;
}

/**
 * The `--mechanisms` folders, as given.
 *
 * @param folders the option's values
 * @returns the folders (missing ones are errors when read)
 */
export function optionMechanismFolders(folders: readonly string[]): MechanismFolder[] {
  return folders.map((path) => ({
    path,
    where: { file: "--mechanisms", key: path },
    optional: false,
  }));
}

function problem(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "it does not exist";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.NotADirectory) return "it is not a folder";
  return e instanceof Error ? e.message : String(e);
}

/**
 * Reads the `.mod` files of the folders: each folder itself, not its sub-folders, files in name
 * order; a folder named twice is read once.
 *
 * @param folders the folders in load order
 * @returns the files
 * @throws InputValueError naming the folder (or file) that cannot be read, or a `--mechanisms`
 *   folder that does not exist
 */
export async function readModFolders(folders: readonly MechanismFolder[]): Promise<ModSource[]> {
  const seen = new Set<string>();
  const out: ModSource[] = [];
  for (const f of folders) {
    let real: string;
    try {
      real = await Deno.realPath(f.path);
      const st = await Deno.stat(real);
      if (!st.isDirectory) throw new Deno.errors.NotADirectory();
    } catch (e) {
      const why = problem(e);
      if (f.optional && e instanceof Deno.errors.NotFound) {
        warn(
          `${f.where.file}${
            f.where.line ? `:${f.where.line}` : ""
          }: mechanism folder "${f.path}" ` +
            `(key "${f.where.key}") does not exist here: skipped (map it with --path-map, or pass --mechanisms DIR)`,
        );
        continue;
      }
      throw new InputValueError(f.where, `Cannot read the mechanism folder "${f.path}": ${why}`);
    }
    if (seen.has(real)) continue;
    seen.add(real);
    const names: string[] = [];
    try {
      for await (const e of Deno.readDir(real)) {
        if (e.name.endsWith(".mod") && !e.isDirectory) names.push(e.name);
      }
    } catch (e) {
      throw new InputValueError(
        f.where,
        `Cannot read the mechanism folder "${f.path}": ${problem(e)}`,
      );
    }
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      const path = join(f.path, name);
      let text: string;
      try {
        const st = await Deno.stat(path);
        if (!st.isFile) continue; // a dangling link or a special file named *.mod
        if (st.size > MAX_MOD_BYTES) {
          // Let the compiler refuse it with its one line, without reading it all.
          text = " ".repeat(MAX_MOD_BYTES + 1);
        } else text = await Deno.readTextFile(path);
      } catch (e) {
        throw new InputValueError({ file: path }, `Cannot read the mechanism file: ${problem(e)}`);
      }
      out.push({ path: displayPath(path), text });
    }
  }
  return out;
}

/** A path as shown in messages: relative to the working directory when that is shorter. */
function displayPath(path: string): string {
  try {
    const rel = relative(Deno.cwd(), resolve(path));
    return rel.length < path.length && !rel.startsWith("../../") ? rel : path;
  } catch {
    return path;
  }
}

/** Compiled catalogues of this thread, by the files' contents: a job compiles once. */
const compiledCache = new Map<string, JobMechanisms>();

function cacheKey(sources: readonly ModSource[]): string {
  // FNV-1a over paths and texts: enough to tell jobs of one process apart.
  let h = 0x811c9dc5;
  for (const s of sources) {
    for (const str of [s.path, "\u0000", s.text, "\u0001"]) {
      for (let i = 0; i < str.length; i++) {
        h ^= str.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
      }
    }
  }
  return `${sources.length}:${h}:${sources.map((s) => s.text.length).join(",")}`;
}

/**
 * The job's mechanisms from files already read (a sweep worker gets them with the job's setup):
 * compiled once per thread and set of files.
 *
 * @param sources the `.mod` files
 * @returns the files, the catalogue and the receptor catalogue
 */
export function mechanismsFromSources(sources: readonly ModSource[]): JobMechanisms {
  const key = cacheKey(sources);
  const hit = compiledCache.get(key);
  if (hit !== undefined) return hit;
  const catalogue = buildMechanismCatalogue(sources, {
    builtinPointNames: SYNAPSE_MECHANISMS.map((m) => m.name),
  });
  const m: JobMechanisms = {
    sources,
    catalogue,
    synapses: synapseCatalogue(catalogue.compiledPoint),
  };
  compiledCache.set(key, m);
  return m;
}

/** The built-in mechanisms only (no `.mod` files). */
export const BUILTIN_JOB_MECHANISMS: JobMechanisms = mechanismsFromSources([]);

/**
 * Reads and compiles the folders' `.mod` files and says on stderr (once) which built-in
 * mechanisms the user's files replace.
 *
 * @param folders the folders in load order (param folders, then `--mechanisms`)
 * @returns the job's mechanisms
 * @throws InputValueError for a folder or file that cannot be read
 */
export async function loadJobMechanisms(
  folders: readonly MechanismFolder[],
): Promise<JobMechanisms> {
  if (folders.length === 0) return BUILTIN_JOB_MECHANISMS;
  const m = mechanismsFromSources(await readModFolders(folders));
  // One line: the built-ins replaced, by folder (NEURON would run the user's files).
  const byFolder = new Map<string, string[]>();
  for (const [name, file] of Object.entries(m.catalogue.replaced)) {
    const folder = dirname(file);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), name]);
  }
  if (byFolder.size > 0) {
    warn(
      [...byFolder].map(([folder, names]) =>
        `the .mod files in ${folder}/ replace the built-in ${names.join(", ")}`
      ).join("; "),
    );
  }
  return m;
}

/**
 * One warning line for every `.mod` file that could not be compiled and that nothing uses (a
 * used one is an error where it is used).
 *
 * @param m the job's mechanisms
 * @param used the mechanism names the cell and network use
 */
export function warnUnusedFailures(m: JobMechanisms, used: ReadonlySet<string>): void {
  for (const [name, u] of Object.entries(m.catalogue.unavailable)) {
    if (used.has(name)) continue;
    warn(`${u.error.message.replace(/\s*\n\s*/g, " ")} (mechanism "${name}" is not used: ignored)`);
  }
}

/**
 * The mechanism names a cell (and network) uses: inserted density mechanisms, point processes,
 * `mech_globals` entries and receptors.
 *
 * @param cell the built cell
 * @param receptors receptor names of the network
 * @returns the names
 */
export function usedMechanisms(cell: Cell, receptors: Iterable<string> = []): Set<string> {
  const used = new Set<string>(receptors);
  for (const s of cell.sections) for (const m of s.mechanisms) used.add(m.name);
  for (const p of cell.pointProcesses) used.add(p.mechanism);
  for (const name of Object.keys(cell.mechGlobals)) used.add(name);
  return used;
}
