/**
 * Finds the files of an ISF result folder (spec/outputs.md §1, §5–§8), whichever program wrote
 * it: simrun `run`/`replay` (`seed<S>_pid<P>_…`), ISF's own output, ISF's older 2015 layout
 * (`<pid>_…` names, Python-literal `.param` copies, possibly no presynaptic files), or a SLURM
 * campaign's merged folder. Files are recognised by their name endings, not their prefixes.
 *
 * @module
 */
import { InputValueError } from "../io/mod.ts";

/** A recording-site trace file and where its site is (from the label, formats.md §6). */
export interface SiteTraceFile {
  /** Path of the `…_vm_dend_traces.csv` file. */
  readonly file: string;
  /** The site label, e.g. `apical_…_ID_000_sec_038_seg_032_x_0.929_somaDist_920.7`. */
  readonly label: string;
  /** Section index (hoc order) from `_sec_NNN_`, undefined when the label has none. */
  readonly section: number | undefined;
  /** Relative position on the section from `_x_0.929_`, undefined when the label has none. */
  readonly x: number | undefined;
  /** Soma distance [µm] from `_somaDist_920.7`, undefined when the label has none. */
  readonly somaDistUm: number | undefined;
}

/** One sweep's synapse-activation file. */
export interface SweepFile {
  /** Sweep number from the file name (`simulation_run0003_…` → 3). */
  readonly sweep: number;
  /** Path of `simulation_runNNNN_synapses.csv`. */
  readonly file: string;
}

/** The files of one result folder. */
export interface ResultFolder {
  /** The folder as given. */
  readonly dir: string;
  /** `…_vm_all_traces.csv` (soma). */
  readonly somaTraces: string;
  /** `…_vm_dend_traces.csv`, in name order. */
  readonly siteTraces: readonly SiteTraceFile[];
  /** `simulation_runNNNN_synapses.csv`, by sweep number. */
  readonly synapseFiles: readonly SweepFile[];
  /** `…neuron_model.param`. */
  readonly neuronParam: string;
  /** `…network_model.param` (or, in the 2015 layout, `…network_model.param.old`); may be absent. */
  readonly networkParam: string | undefined;
}

const SOMA = "vm_all_traces.csv";
const SITE = "_vm_dend_traces.csv";
const SYNAPSES = /^simulation_run(\d+)_synapses\.csv$/;

/**
 * The site's section, x and soma distance, parsed from a recording-site label.
 *
 * @param label the label (formats.md §6)
 * @returns section, x and soma distance where the label has them
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSiteLabel } from "./result_folder.ts";
 * assert.deepEqual(
 *   parseSiteLabel("apical_proximal_distal_rec_sites_ID_000_sec_038_seg_032_x_0.929_somaDist_920.7"),
 *   { section: 38, x: 0.929, somaDistUm: 920.7 },
 * );
 * ```
 */
export function parseSiteLabel(
  label: string,
): { section: number | undefined; x: number | undefined; somaDistUm: number | undefined } {
  const sec = /_sec_(\d+)_/.exec(label);
  const x = /_x_(\d+(?:\.\d+)?)/.exec(label);
  const d = /_somaDist_(\d+(?:\.\d+)?)/.exec(label);
  return {
    section: sec ? Number(sec[1]) : undefined,
    x: x ? Number(x[1]) : undefined,
    somaDistUm: d ? Number(d[1]) : undefined,
  };
}

function one(dir: string, names: string[], what: string): string | undefined {
  if (names.length > 1) {
    throw new InputValueError(
      { file: dir },
      `Found ${names.length} ${what} files (${names.join(", ")}): one result folder holds one job`,
    );
  }
  return names[0] === undefined ? undefined : `${dir}/${names[0]}`;
}

/**
 * Lists the result files of a folder.
 *
 * @param dir the result folder
 * @returns its trace, activation and param files
 * @throws {InputValueError} when the folder is missing, not a folder, or lacks the soma traces,
 *   the activation files or the neuron param, or holds the files of several jobs
 * @example A folder without results
 * ```ts
 * import assert from "node:assert/strict";
 * import { readResultFolder } from "./result_folder.ts";
 * const dir = await Deno.makeTempDir();
 * await assert.rejects(readResultFolder(dir), /no \*vm_all_traces\.csv/);
 * await Deno.remove(dir);
 * ```
 */
export async function readResultFolder(dir: string): Promise<ResultFolder> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) if (e.isFile) names.push(e.name);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "no such folder"
      : e instanceof Deno.errors.NotADirectory
      ? "not a folder (a .tar archive must be unpacked first)"
      : e instanceof Error
      ? e.message
      : String(e);
    throw new InputValueError({ file: dir }, `Cannot read the result folder: ${why}`);
  }
  names.sort();
  const somaTraces = one(dir, names.filter((n) => n.endsWith(SOMA)), `*${SOMA}`);
  if (somaTraces === undefined) {
    throw new InputValueError(
      { file: dir },
      `Not an ISF result folder: no *${SOMA} (soma traces); a running job's folder ends in _running`,
    );
  }
  const prefix = somaTraces.slice(dir.length + 1, -SOMA.length); // "seed1_pid2_" or "20240_"
  const siteTraces = names.filter((n) => n.endsWith(SITE)).map((n) => {
    const label = n.startsWith(prefix)
      ? n.slice(prefix.length, -SITE.length)
      : n.slice(0, -SITE.length);
    return { file: `${dir}/${n}`, label, ...parseSiteLabel(label) };
  });
  const synapseFiles = names.flatMap((n) => {
    const m = SYNAPSES.exec(n);
    return m ? [{ sweep: Number(m[1]), file: `${dir}/${n}` }] : [];
  }).sort((a, b) => a.sweep - b.sweep);
  if (synapseFiles.length === 0) {
    throw new InputValueError(
      { file: dir },
      "Not an ISF result folder: no simulation_runNNNN_synapses.csv (synapse activations)",
    );
  }
  const neuronParam = one(
    dir,
    names.filter((n) => n.endsWith("neuron_model.param")),
    "neuron param",
  );
  if (neuronParam === undefined) {
    throw new InputValueError(
      { file: dir },
      "Not an ISF result folder: no *neuron_model.param (the saved cell param names the morphology)",
    );
  }
  const networkParam =
    one(dir, names.filter((n) => n.endsWith("network_model.param")), "network param") ??
      one(dir, names.filter((n) => n.endsWith("network_model.param.old")), "network param");
  return { dir, somaTraces, siteTraces, synapseFiles, neuronParam, networkParam };
}
