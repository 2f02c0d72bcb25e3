/**
 * Reads the per-sweep synapse-activation files (spec/outputs.md §3) one at a time and keeps only
 * sums: activations per cell type in 1 ms bins, active synapses and activations per sweep and per
 * cell type; the rows of one chosen sweep are kept whole (raster and morphology figures). Memory
 * does not grow with the number of sweeps beyond one small record per sweep.
 *
 * @module
 */
import { parseSynapseActivationFile, readTextInput } from "../io/mod.ts";
import type { InputKind, InputRoles } from "./input_roles.ts";
import type { SweepFile } from "./result_folder.ts";

/** Width of a PSTH bin [ms]. */
export const PSTH_BIN_MS = 1;

/** A cell type (group of presynaptic types) and its kind. */
export interface InputGroup {
  /** Group name, e.g. `L5tt`. */
  readonly name: string;
  /** Excitatory, inhibitory or unknown. */
  readonly kind: InputKind;
}

/** One active synapse of the chosen sweep. */
export interface RasterRow {
  /** Presynaptic type, e.g. `L5tt_C2`. */
  readonly type: string;
  /** Its cell type (group). */
  readonly group: string;
  /** Its kind. */
  readonly kind: InputKind;
  /** Section index (hoc order). */
  readonly section: number;
  /** Index of the section's 3-D point the synapse sits on. */
  readonly ptId: number;
  /** Activation times [ms]. */
  readonly times: readonly number[];
}

/** Counts of one sweep. */
export interface SweepInputCounts {
  /** Sweep number. */
  readonly sweep: number;
  /** Rows of the activation file (synapses with ≥ 1 activation). */
  readonly activeSynapses: number;
  /** Activation times in the file. */
  readonly activations: number;
}

/** Totals of one group over all sweeps. */
export interface GroupTotals {
  /** Sum over sweeps of its active synapses. */
  activeSynapses: number;
  /** Sum over sweeps of its activations. */
  activations: number;
  /** Activations per 1 ms bin, summed over sweeps (bin k covers [k, k+1) ms). */
  readonly psth: Float64Array;
}

/** What the activation files hold. */
export interface ActivationScan {
  /** Groups in drawing order: excitatory, inhibitory, unknown; by name within each. */
  readonly groups: readonly InputGroup[];
  /** Totals per group name. */
  readonly totals: ReadonlyMap<string, GroupTotals>;
  /** Counts per sweep, in sweep order. */
  readonly sweeps: readonly SweepInputCounts[];
  /** Number of 1 ms bins (covering [0, bins) ms). */
  readonly bins: number;
  /** Activations at or after the last bin's end (left out of the PSTH). */
  readonly outOfRange: number;
  /** The chosen sweep's rows (raster, morphology), or undefined if that sweep has no file. */
  readonly detail: { readonly sweep: number; readonly rows: readonly RasterRow[] } | undefined;
}

/** Options of {@linkcode scanActivationFiles}. */
export interface ScanActivationOptions {
  /** Kinds and groups of the presynaptic types. */
  readonly roles: InputRoles;
  /** End of the PSTH [ms] (bins cover [0, endMs)). */
  readonly endMs: number;
  /** Sweep whose rows are kept whole (default: the first file's). */
  readonly detailSweep?: number;
  /** Called after each file with the number of files done. */
  readonly onFile?: (done: number, total: number) => void;
}

/** Running counts of one file. */
interface FileCounts {
  rows: number;
  activations: number;
  outOfRange: number;
}

function addTimes(
  tot: GroupTotals,
  times: readonly number[],
  bins: number,
  c: FileCounts,
): void {
  tot.activeSynapses++;
  tot.activations += times.length;
  c.rows++;
  c.activations += times.length;
  for (const t of times) {
    const b = Math.floor(t / PSTH_BIN_MS);
    if (b >= 0 && b < bins) tot.psth[b]++;
    else c.outOfRange++;
  }
}

/** Buffers reused by {@linkcode countFast} from file to file (grown as needed). */
interface FastScratch {
  /** Per row: start of the type, its first tab, index of its first time in `times`. */
  rows: Int32Array;
  /** Every activation time of the file. */
  times: Float64Array;
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13;
}

/**
 * Counts one file's rows and activation times without building rows (type and times are all the
 * sums need). Returns false, having added nothing, when a row is not plainly well-formed (wrong
 * number of fields, a time that is not a number); the caller then reads the file with io's
 * reader, which reports file and line.
 */
function countFast(
  text: string,
  bins: number,
  totalsOf: (type: string) => { totals: GroupTotals },
  c: FileCounts,
  scratch: FastScratch,
): boolean {
  const n = text.length;
  let pos = text.indexOf("\n") + 1;
  if (pos === 0) return true; // header only (or empty)
  let nRows = 0, nTimes = 0;
  // First pass: check every row and read its times, so that nothing is added to a failing file.
  while (pos < n) {
    let end = text.indexOf("\n", pos);
    if (end < 0) end = n;
    let q = pos;
    while (q < end && isBlank(text.charCodeAt(q))) q++;
    if (q < end) {
      const first = text.indexOf("\t", pos);
      if (first < 0 || first >= end) return false;
      let tabs = 1, last = first;
      for (
        let k = text.indexOf("\t", first + 1);
        k >= 0 && k < end;
        k = text.indexOf("\t", k + 1)
      ) {
        tabs++;
        last = k;
      }
      if (tabs !== 5 && tabs !== 6) return false;
      if (3 * nRows + 3 > scratch.rows.length) {
        const grown = new Int32Array(2 * scratch.rows.length + 3);
        grown.set(scratch.rows);
        scratch.rows = grown;
      }
      scratch.rows[3 * nRows] = pos;
      scratch.rows[3 * nRows + 1] = first;
      scratch.rows[3 * nRows + 2] = nTimes;
      nRows++;
      let start = last + 1;
      while (start < end) {
        let comma = text.indexOf(",", start);
        if (comma < 0 || comma > end) comma = end;
        if (comma > start) {
          const piece = text.slice(start, comma);
          const blankEdge = isBlank(piece.charCodeAt(0)) ||
            isBlank(piece.charCodeAt(piece.length - 1));
          if (!(blankEdge && piece.trim() === "")) {
            const v = Number(piece);
            if (v !== v) return false; // not a number (io's reader names file and line)
            if (nTimes === scratch.times.length) {
              const grown = new Float64Array(2 * scratch.times.length + 16);
              grown.set(scratch.times);
              scratch.times = grown;
            }
            scratch.times[nTimes++] = v;
          }
        }
        start = comma + 1;
      }
    }
    pos = end + 1;
  }
  // Second pass: add.
  const { rows, times } = scratch;
  for (let r = 0; r < nRows; r++) {
    const tot = totalsOf(text.slice(rows[3 * r], rows[3 * r + 1]).trim()).totals;
    const t0 = rows[3 * r + 2], t1 = r + 1 < nRows ? rows[3 * r + 5] : nTimes;
    tot.activeSynapses++;
    tot.activations += t1 - t0;
    c.rows++;
    c.activations += t1 - t0;
    for (let k = t0; k < t1; k++) {
      const b = Math.floor(times[k] / PSTH_BIN_MS);
      if (b >= 0 && b < bins) tot.psth[b]++;
      else c.outOfRange++;
    }
  }
  return true;
}

const KIND_ORDER: Record<InputKind, number> = { excitatory: 0, inhibitory: 1, unknown: 2 };

/**
 * Orders groups for drawing: excitatory first, then inhibitory, then unknown; by name within each.
 *
 * @param groups the groups
 * @returns a sorted copy
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sortGroups } from "./activation_scan.ts";
 * const g = sortGroups([{ name: "L1", kind: "inhibitory" }, { name: "VPM", kind: "excitatory" }]);
 * assert.deepEqual(g.map((x) => x.name), ["VPM", "L1"]);
 * ```
 */
export function sortGroups(groups: readonly InputGroup[]): InputGroup[] {
  return [...groups].sort((a, b) =>
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/**
 * Reads every activation file once, in sweep order.
 *
 * @param files the sweeps' `simulation_runNNNN_synapses.csv`
 * @param options roles, PSTH range, the sweep to keep whole, progress
 * @returns sums per group and sweep, and the chosen sweep's rows
 * @throws {InputSyntaxError} for a malformed row (file and line)
 * @throws {InputValueError} when a file cannot be read
 * @example One file
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputRoles } from "./input_roles.ts";
 * import { scanActivationFiles } from "./activation_scan.ts";
 * const f = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(f, "# header\nVPM_C2\t0\t0.0\t0\t1\tSoma\t2.5,3.5,\n");
 * const s = await scanActivationFiles([{ sweep: 0, file: f }], { roles: inputRoles(undefined), endMs: 10 });
 * assert.equal(s.sweeps[0].activations, 2);
 * assert.deepEqual([...s.totals.get("VPM")!.psth.slice(0, 4)], [0, 0, 1, 1]);
 * await Deno.remove(f);
 * ```
 */
export async function scanActivationFiles(
  files: readonly SweepFile[],
  options: ScanActivationOptions,
): Promise<ActivationScan> {
  const { roles } = options;
  const bins = Math.max(1, Math.ceil(options.endMs / PSTH_BIN_MS));
  const detailSweep = options.detailSweep ?? files[0]?.sweep;
  const totals = new Map<string, GroupTotals>();
  const groupKind = new Map<string, InputKind>();
  const typeCache = new Map<string, { group: string; kind: InputKind; totals: GroupTotals }>();
  const sweeps: SweepInputCounts[] = [];
  let outOfRange = 0;
  let detail: ActivationScan["detail"];
  const totalsOf = (type: string): { group: string; kind: InputKind; totals: GroupTotals } => {
    let info = typeCache.get(type);
    if (info === undefined) {
      const group = roles.groupOf(type), kind = roles.kindOf(type);
      let tot = totals.get(group);
      if (tot === undefined) {
        tot = { activeSynapses: 0, activations: 0, psth: new Float64Array(bins) };
        totals.set(group, tot);
        groupKind.set(group, kind);
      }
      info = { group, kind, totals: tot };
      typeCache.set(type, info);
    }
    return info;
  };
  const counts = { rows: 0, activations: 0, outOfRange: 0 };
  const scratch: FastScratch = { rows: new Int32Array(3 * 8192), times: new Float64Array(16384) };
  for (let i = 0; i < files.length; i++) {
    const { sweep, file } = files[i];
    const text = await readTextInput(file, { what: "synapse activation file" });
    const keep = sweep === detailSweep;
    counts.rows = 0, counts.activations = 0, counts.outOfRange = 0;
    if (keep || !countFast(text, bins, totalsOf, counts, scratch)) {
      // The full reader: keeps the rows, and names file and line of a malformed row (countFast
      // added nothing when it declined).
      const parsed = parseSynapseActivationFile(text, file);
      const rows: RasterRow[] = [];
      for (const r of parsed.rows) {
        const info = totalsOf(r.type);
        addTimes(info.totals, r.times, bins, counts);
        if (keep) {
          rows.push({
            type: r.type,
            group: info.group,
            kind: info.kind,
            section: r.section,
            ptId: r.ptId,
            times: r.times,
          });
        }
      }
      if (keep) detail = { sweep, rows };
    }
    outOfRange += counts.outOfRange;
    sweeps.push({ sweep, activeSynapses: counts.rows, activations: counts.activations });
    options.onFile?.(i + 1, files.length);
  }
  const groups = sortGroups([...groupKind].map(([name, kind]) => ({ name, kind })));
  return { groups, totals, sweeps, bins, outOfRange, detail };
}
