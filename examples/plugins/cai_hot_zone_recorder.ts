/**
 * Example recorder plugin: intracellular calcium (`cai`, mM) in the calcium "hot zone" of a
 * layer-5 pyramidal cell, every apical segment whose node lies 900–1100 µm (NEURON path
 * distance) from soma(0). Per sweep it writes `cai_hot_zone_run%04d.csv` into its own folder of
 * the job, `plugins/cai_hot_zone_recorder/` (column `t` [ms], then one column per segment, values
 * with full double precision); at the end `cai_hot_zone_summary.json` with the sites and each
 * sweep's peak cai per site.
 *
 * Arguments (all optional): `minUm` (900), `maxUm` (1100), `prefix` ("cai_hot_zone").
 *
 * @module
 */
import type {
  CellDescription,
  RecorderContext,
  RecorderPlugin,
  RecordSite,
  SweepData,
} from "../../plugins/plugin_api.ts";

/** Site labels (column names), filled by `sites()`. */
let labels: string[] = [];
/** Peak cai per sweep and site [mM]. */
const peaks: { sweep: number; peakCaiMm: number[] }[] = [];

function numberArg(ctx: RecorderContext, key: string, fallback: number): number {
  const v = ctx.args[key];
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new TypeError(`argument "${key}" must be a number, got ${JSON.stringify(v)}`);
  }
  return v;
}

function prefix(ctx: RecorderContext): string {
  const p = ctx.args.prefix ?? "cai_hot_zone";
  if (typeof p !== "string" || !/^[\w.-]+$/.test(p)) {
    throw new TypeError(`argument "prefix" must be a plain file name, got ${JSON.stringify(p)}`);
  }
  return p;
}

function peak(v: Float64Array): number {
  let m = -Infinity;
  for (let k = 0; k < v.length; k++) if (v[k] > m) m = v[k];
  return m;
}

/** The recorder: hot-zone sites, one CSV per sweep, a JSON summary at the end. */
export const recorder: RecorderPlugin = {
  sites(cell: CellDescription, ctx: RecorderContext): RecordSite[] {
    const lo = numberArg(ctx, "minUm", 900);
    const hi = numberArg(ctx, "maxUm", 1100);
    const sites: RecordSite[] = [];
    labels = [];
    for (const sec of cell.sections) {
      if (sec.label !== "ApicalDendrite") continue;
      for (let i = 0; i < sec.nseg; i++) {
        const d = sec.segmentSomaDistance[i];
        if (d < lo || d > hi) continue;
        sites.push({ section: sec.index, x: sec.segmentX[i], variable: "cai" });
        labels.push(`cai_sec_${sec.index}_seg_${i}_somaDist_${d.toFixed(1)}`);
      }
    }
    if (sites.length === 0) {
      throw new RangeError(`no apical segment lies ${lo}–${hi} µm from the soma`);
    }
    return sites;
  },

  async sweep(data: SweepData, ctx: RecorderContext): Promise<void> {
    const { t, values } = data;
    const rows: string[] = [["t", ...labels].join(",")];
    const row: string[] = new Array(values.length + 1);
    for (let k = 0; k < t.length; k++) {
      row[0] = String(t[k]);
      for (let j = 0; j < values.length; j++) row[j + 1] = String(values[j][k]);
      rows.push(row.join(","));
    }
    const name = `${prefix(ctx)}_run${String(data.sweep).padStart(4, "0")}.csv`;
    await Deno.writeTextFile(`${ctx.outDir}/${name}`, rows.join("\n") + "\n");
    peaks.push({ sweep: data.sweep, peakCaiMm: values.map(peak) });
  },

  async finish(ctx: RecorderContext): Promise<void> {
    const summary = { sites: labels, sweeps: peaks };
    await Deno.writeTextFile(
      `${ctx.outDir}/${prefix(ctx)}_summary.json`,
      JSON.stringify(summary, null, 1) + "\n",
    );
  },
};
