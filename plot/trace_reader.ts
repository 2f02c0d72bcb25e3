/**
 * Streams a voltage-trace file (spec/outputs.md §5: header `t\tVm run 00…`, one row per time
 * step, one column per sweep) once, without holding it: it finds the soma spikes of every sweep
 * and keeps, for the sweeps to be drawn, a min/max envelope of a fixed number of time bins (which
 * keeps every spike peak). Memory is O(sweeps × bins), whatever the file's length; a 1,000-sweep
 * file of 13,802 rows (~260 MB) is read in one pass.
 *
 * Spikes are upward crossings of 0 mV; the spike time is that of the first sample ≥ 0 mV whose
 * predecessor is < 0 mV (shared/reference/README.md). Values written as `nan` are skipped.
 *
 * @module
 */
import { InputSyntaxError, InputValueError } from "../io/mod.ts";

/** Threshold of a soma spike [mV] (upward crossing). */
export const SPIKE_THRESHOLD_MV = 0;

/** A downsampled trace: points in time order. */
export interface TraceEnvelope {
  /** Sweep number (from the column header). */
  readonly sweep: number;
  /** [ms] */
  readonly t: Float64Array;
  /** [mV] */
  readonly v: Float64Array;
}

/** Spikes of one sweep. */
export interface SweepSpikes {
  /** Sweep number (from the column header). */
  readonly sweep: number;
  /** Times of the first samples ≥ 0 mV after a sample < 0 mV [ms]. */
  readonly times: readonly number[];
  /** The voltage of those samples [mV]. */
  readonly values: readonly number[];
}

/** What one pass over a trace file found. */
export interface TraceScan {
  /** The file. */
  readonly file: string;
  /** Sweep numbers of the columns, in column order. */
  readonly sweeps: readonly number[];
  /** Time of the first row [ms]. */
  readonly t0: number;
  /** Time of the last row [ms]. */
  readonly t1: number;
  /** Number of data rows. */
  readonly rows: number;
  /** Spikes of every column (empty when not asked for). */
  readonly spikes: readonly SweepSpikes[];
  /** Envelopes of the selected sweeps, in column order. */
  readonly envelopes: readonly TraceEnvelope[];
}

/** Options of {@linkcode scanTraceFile}. */
export interface ScanTraceOptions {
  /** Whether a sweep's envelope is kept (default: none). */
  readonly select?: (sweep: number) => boolean;
  /** Time bins of an envelope (default 500); each bin gives at most two points. */
  readonly bins?: number;
  /** Find spikes in every column (default true). */
  readonly spikes?: boolean;
}

const DECODER_OPTIONS = { fatal: false } as const;

/** The first two lines (header and first row) and the last non-empty line of a file. */
async function headAndTail(path: string): Promise<{ head: string[]; last: string }> {
  using f = await Deno.open(path);
  const size = (await f.stat()).size;
  const dec = new TextDecoder("utf-8", DECODER_OPTIONS);
  let head = "";
  const buf = new Uint8Array(1 << 16);
  let pos = 0;
  while (head.split("\n").length < 3 && pos < size) {
    const n = await f.read(buf);
    if (n === null) break;
    head += dec.decode(buf.subarray(0, n), { stream: true });
    pos += n;
  }
  let n = 1 << 16;
  let last = "";
  for (;;) {
    const start = Math.max(0, size - n);
    await f.seek(start, Deno.SeekMode.Start);
    const chunk = new Uint8Array(size - start);
    let got = 0;
    while (got < chunk.length) {
      const r = await f.read(chunk.subarray(got));
      if (r === null) break;
      got += r;
    }
    const text = new TextDecoder().decode(chunk.subarray(0, got)).replace(/\s+$/, "");
    const nl = text.lastIndexOf("\n");
    if (nl >= 0 || start === 0) {
      last = text.slice(nl + 1);
      break;
    }
    n *= 4;
  }
  return { head: head.split("\n").slice(0, 2).map((l) => l.replace(/\r$/, "")), last };
}

function number(s: string, file: string, line: number, column: number): number {
  const v = Number(s);
  if ((Number.isNaN(v) && s.trim().toLowerCase() !== "nan") || s.trim() === "") {
    throw new InputSyntaxError(
      { file, line, key: `column ${column + 1}` },
      `Cannot read a trace value: expected a number, got ${JSON.stringify(s.trim())}`,
    );
  }
  return v;
}

/** Per-sweep envelope state: min and max of each bin, with the times they occurred. */
class EnvelopeBins {
  readonly minV: Float64Array;
  readonly minT: Float64Array;
  readonly maxV: Float64Array;
  readonly maxT: Float64Array;
  constructor(readonly sweep: number, bins: number) {
    this.minV = new Float64Array(bins).fill(Infinity);
    this.minT = new Float64Array(bins);
    this.maxV = new Float64Array(bins).fill(-Infinity);
    this.maxT = new Float64Array(bins);
  }
  add(bin: number, t: number, v: number): void {
    if (v < this.minV[bin]) {
      this.minV[bin] = v;
      this.minT[bin] = t;
    }
    if (v > this.maxV[bin]) {
      this.maxV[bin] = v;
      this.maxT[bin] = t;
    }
  }
  points(): TraceEnvelope {
    const t: number[] = [], v: number[] = [];
    for (let b = 0; b < this.minV.length; b++) {
      if (this.minV[b] === Infinity) continue;
      const lo = { t: this.minT[b], v: this.minV[b] }, hi = { t: this.maxT[b], v: this.maxV[b] };
      const [a, c] = lo.t <= hi.t ? [lo, hi] : [hi, lo];
      t.push(a.t);
      v.push(a.v);
      if (c.t !== a.t) {
        t.push(c.t);
        v.push(c.v);
      }
    }
    return { sweep: this.sweep, t: Float64Array.from(t), v: Float64Array.from(v) };
  }
}

/**
 * Reads a trace file in one streaming pass.
 *
 * @param file path of a `…_vm_all_traces.csv` or `…_vm_dend_traces.csv`
 * @param options which sweeps to keep an envelope of, how many bins, whether to find spikes
 * @returns sweeps, time range, spikes and envelopes
 * @throws {InputSyntaxError} for a bad header, a row with the wrong number of fields or a value
 *   that is not a number (naming file and line)
 * @throws {InputValueError} when the file cannot be read or has no data rows
 * @example Spikes are upward 0 mV crossings
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanTraceFile } from "./trace_reader.ts";
 * const f = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(f, "t\tVm run 00\n0.0\t-70.0\n0.025\t5.0\n0.05\t-10.0\n0.075\t0.0\n");
 * const s = await scanTraceFile(f, { select: () => true, bins: 2 });
 * assert.deepEqual(s.spikes[0].times, [0.025, 0.075]);
 * assert.equal(s.envelopes[0].t.length, 4);
 * await Deno.remove(f);
 * ```
 */
export async function scanTraceFile(
  file: string,
  options: ScanTraceOptions = {},
): Promise<TraceScan> {
  const nBins = options.bins ?? 500;
  const wantSpikes = options.spikes ?? true;
  let ht: { head: string[]; last: string };
  try {
    ht = await headAndTail(file);
  } catch (e) {
    throw new InputValueError(
      { file },
      `Cannot read the trace file: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const header = (ht.head[0] ?? "").split("\t");
  if (header[0]?.trim() !== "t" || header.length < 2) {
    throw new InputSyntaxError(
      { file, line: 1 },
      `Expected a header "t<TAB>Vm run 00…", got ${
        JSON.stringify((ht.head[0] ?? "").slice(0, 40))
      }`,
    );
  }
  const sweeps = header.slice(1).map((h, c) => {
    const m = /(\d+)\s*$/.exec(h);
    if (!m) {
      throw new InputSyntaxError(
        { file, line: 1, key: `column ${c + 2}` },
        `Expected a column header "Vm run NN", got ${JSON.stringify(h)}`,
      );
    }
    return Number(m[1]);
  });
  const first = ht.head[1];
  if (first === undefined || first.trim() === "") {
    throw new InputValueError({ file, line: 2 }, "The trace file has no data rows");
  }
  const t0 = Number(first.split("\t")[0]);
  const t1 = Number(ht.last.split("\t")[0]);
  const span = t1 > t0 ? t1 - t0 : 1;
  const nCol = sweeps.length;
  const select = options.select ?? (() => false);
  const envCols: number[] = [];
  const env: EnvelopeBins[] = [];
  for (let c = 0; c < nCol; c++) {
    if (select(sweeps[c])) {
      envCols.push(c);
      env.push(new EnvelopeBins(sweeps[c], nBins));
    }
  }
  const prev = new Float64Array(nCol).fill(NaN);
  const spikeT: number[][] = sweeps.map(() => []);
  const spikeV: number[][] = sweeps.map(() => []);
  let rows = 0;
  let lineNo = 1;
  let rest = "";
  const dec = new TextDecoder("utf-8", DECODER_OPTIONS);
  const handle = (line: string): void => {
    lineNo++;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line === "") return;
    const f = line.split("\t");
    if (f.length !== nCol + 1) {
      throw new InputSyntaxError(
        { file, line: lineNo },
        `Expected ${nCol + 1} tab-separated fields (t and ${nCol} sweeps), got ${f.length}`,
      );
    }
    const t = number(f[0], file, lineNo, 0);
    rows++;
    if (wantSpikes) {
      for (let c = 0; c < nCol; c++) {
        const v = number(f[c + 1], file, lineNo, c + 1);
        if (v !== v) continue; // `nan`: skipped, the sample before it stays the predecessor
        if (prev[c] < SPIKE_THRESHOLD_MV && v >= SPIKE_THRESHOLD_MV) {
          spikeT[c].push(t);
          spikeV[c].push(v);
        }
        prev[c] = v;
      }
    }
    let bin = Math.floor(((t - t0) / span) * nBins);
    if (bin >= nBins) bin = nBins - 1;
    if (bin < 0) bin = 0;
    for (let k = 0; k < envCols.length; k++) {
      const v = number(f[envCols[k] + 1], file, lineNo, envCols[k] + 1);
      if (v === v) env[k].add(bin, t, v); // NaN (`nan`) is skipped
    }
  };
  let headerSeen = false;
  try {
    const f = await Deno.open(file); // its stream closes it
    for await (const chunk of f.readable) {
      const text = rest + dec.decode(chunk, { stream: true });
      let start = 0;
      for (;;) {
        const nl = text.indexOf("\n", start);
        if (nl < 0) break;
        const line = text.slice(start, nl);
        start = nl + 1;
        if (!headerSeen) {
          headerSeen = true;
          continue;
        }
        handle(line);
      }
      rest = text.slice(start);
    }
  } catch (e) {
    if (e instanceof InputSyntaxError) throw e;
    throw new InputValueError(
      { file },
      `Cannot read the trace file: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  rest += dec.decode();
  if (rest !== "" && headerSeen) handle(rest);
  return {
    file,
    sweeps,
    t0,
    t1,
    rows,
    spikes: wantSpikes
      ? sweeps.map((sweep, c) => ({ sweep, times: spikeT[c], values: spikeV[c] }))
      : [],
    envelopes: env.map((e) => e.points()),
  };
}
