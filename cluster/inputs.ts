/**
 * The input files of a campaign and their checksums: the two params, every file a param names
 * (morphology, `.syn`/`.con`, landmark files, cell-modify plugins; found as the run finds them,
 * relative to the param, then through the path map), the recorder plugins and the `.mod` files
 * of the mechanism folders (the params' `NMODL_mechanisms` and `--mechanisms`). A task verifies
 * them before it runs, so a param or mechanism edited (or added) after submission cannot mix
 * into a campaign.
 *
 * @module
 */
import {
  InputValueError,
  type ParamValue,
  type PathMap,
  readParamFile,
  resolveInputPath,
} from "../io/mod.ts";
import {
  type MechanismFolder,
  optionMechanismFolders,
  paramMechanismFolders,
  readModFolders,
} from "../simrun/mod.ts";
import type { CampaignInput } from "./campaign.ts";
import { sha256File } from "./sha256.ts";

/** Every string of a param tree that may name a file: string values and object keys. */
function strings(v: ParamValue, out: Set<string>): void {
  if (typeof v === "string") out.add(v);
  else if (Array.isArray(v)) { for (const x of v) strings(x, out); }
  else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      strings(x, out);
    }
  }
}

/** The regular file `text` names from `paramFile`, or undefined. */
function namedFile(text: string, paramFile: string, map: PathMap): string | undefined {
  if (text === "" || !/[./]/.test(text) || text.includes("\n")) return undefined;
  let path: string;
  try {
    path = resolveInputPath(text, { map, file: paramFile });
  } catch {
    return undefined; // not a path, or one the run reports itself
  }
  try {
    return Deno.statSync(path).isFile ? Deno.realPathSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/** Options of {@link collectInputs}. */
export interface CollectInputsOptions {
  /** Path map of the run. */
  readonly pathMap: PathMap;
  /** Recorder plugin modules. */
  readonly plugins?: readonly string[];
  /** `--mechanisms` folders. */
  readonly mechanismFolders?: readonly string[];
}

/**
 * The `.mod` files a run compiles: those of the cell and network params' `NMODL_mechanisms`
 * folders and of the `--mechanisms` folders (each folder itself, as the run reads them).
 *
 * @param cellParam the cell param
 * @param networkParam the network param
 * @param options path map and `--mechanisms` folders
 * @returns the files' real paths, in load order
 */
export async function mechanismFiles(
  cellParam: string,
  networkParam: string,
  options: Pick<CollectInputsOptions, "pathMap" | "mechanismFolders">,
): Promise<string[]> {
  const folders: MechanismFolder[] = [];
  for (const param of [cellParam, networkParam]) {
    folders.push(...paramMechanismFolders(await readParamFile(param), param, options.pathMap));
  }
  folders.push(...optionMechanismFolders(options.mechanismFolders ?? []));
  const out: string[] = [];
  for (const s of await readModFolders(folders)) {
    const real = Deno.realPathSync(s.path);
    if (!out.includes(real)) out.push(real);
  }
  return out;
}

/**
 * Finds the inputs of a run and hashes them.
 *
 * @param cellParam the cell param (absolute)
 * @param networkParam the network param (absolute)
 * @param options path map and recorder plugins
 * @returns the inputs, params first, each file once
 */
export async function collectInputs(
  cellParam: string,
  networkParam: string,
  options: CollectInputsOptions,
): Promise<CampaignInput[]> {
  const found = new Map<string, CampaignInput["role"]>();
  found.set(Deno.realPathSync(cellParam), "cell param");
  found.set(Deno.realPathSync(networkParam), "network param");
  for (const p of options.plugins ?? []) {
    const real = Deno.realPathSync(p);
    if (!found.has(real)) found.set(real, "recorder plugin");
  }
  for (const param of [cellParam, networkParam]) {
    const texts = new Set<string>();
    strings(await readParamFile(param), texts);
    for (const t of texts) {
      const f = namedFile(t, param, options.pathMap);
      if (f !== undefined && !found.has(f)) found.set(f, "referenced file");
    }
  }
  for (const f of await mechanismFiles(cellParam, networkParam, options)) {
    if (!found.has(f)) found.set(f, "mechanism file");
  }
  const out: CampaignInput[] = [];
  for (const [path, role] of found) out.push({ path, role, ...await sha256File(path) });
  return out;
}

/**
 * Checks that every input is still what was submitted.
 *
 * @param inputs the inputs of campaign.json
 * @param what who checks, for the message (e.g. `task 3`)
 * @throws InputValueError naming the first file that is gone or changed
 */
export async function verifyInputs(inputs: readonly CampaignInput[], what: string): Promise<void> {
  for (const input of inputs) {
    let got: { sha256: string; bytes: number };
    try {
      got = await sha256File(input.path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      throw new InputValueError(
        { file: input.path },
        `${input.role} of the campaign is gone since submission; ${what} not run`,
      );
    }
    if (got.sha256 !== input.sha256) {
      throw new InputValueError(
        { file: input.path, key: "sha256" },
        `${input.role} changed since the campaign was submitted (sha256 ${
          got.sha256.slice(0, 12)
        }…, campaign.json has ${
          input.sha256.slice(0, 12)
        }…); ${what} not run: submit a new campaign`,
      );
    }
  }
}
