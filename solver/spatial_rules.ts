/**
 * ISF's spatial rules for range-mechanism parameters (`CellParser.insert_range_mechanisms`,
 * spec/formats.md §2.3): every rule, both distance notions (d_org from the current NEURON
 * distance origin, d_soma0 from soma(0)), maxDist, and ISF's origin quirk (the origin is only
 * reset when the label has a section attached to the soma, so `Myelin` reuses the previous one).
 *
 * Values are per segment, evaluated at the segment centres x = (i+½)/nseg.
 *
 * @module
 */
import type { InputLocation } from "../io/mod.ts";
import { InputValueError, SPATIAL_RULE_KEYS } from "../io/mod.ts";
import type { Section } from "./cell.ts";
import { pathDistance, type PathTable } from "./distances.ts";

export { SPATIAL_RULE_KEYS };

/** A NEURON distance origin: a position on a section (mapped to its node). */
export interface DistanceOrigin {
  readonly section: number;
  readonly x: number;
}

/** The NEURON distance origin, which ISF's rules set and (quirk) sometimes leave alone. */
export interface OriginState {
  origin: DistanceOrigin;
}

/** One rule application: a mechanism on all sections of one label. */
export interface SpatialRuleInput {
  /** All sections of the cell (section 0 is the soma). */
  readonly sections: readonly Section[];
  /** Path table of the cell (distances.ts). */
  readonly table: PathTable;
  /** The structure label. */
  readonly label: string;
  /** The rule name (`spatial`). */
  readonly spatial: string;
  /** Control values of the rule, already validated (numbers; `distance` as string). */
  readonly control: Readonly<Record<string, number | string | readonly number[]>>;
  /** Parameters to set: name (without suffix) → file value. For linear_capped: `param_name` → 0. */
  readonly params: readonly (readonly [string, number])[];
  /** The current distance origin; updated as ISF/NEURON would. */
  readonly state: OriginState;
  /** Where the mechanism block is (for errors). */
  readonly where: InputLocation;
}

/** Per section index (of the label): parameter name → one value per segment. */
export type SpatialValues = Map<number, Record<string, Float64Array>>;

function soma(sections: readonly Section[]): number {
  for (let i = 0; i < sections.length; i++) if (sections[i].parent < 0) return i;
  return 0;
}

/** ISF's "first section of this label whose parent is the soma", or -1. */
export function firstSomaRoot(sections: readonly Section[], label: string): number {
  const s = soma(sections);
  for (let i = 0; i < sections.length; i++) {
    const sec = sections[i];
    if (sec.label === label && sec.parent === s) return i;
  }
  return -1;
}

/** ISF sets the origin "at 0 of the first branch with this label" (Soma: soma(0)). */
function resetOrigin(sections: readonly Section[], label: string, state: OriginState): void {
  if (label === "Soma") {
    state.origin = { section: soma(sections), x: 0 };
    return;
  }
  const r = firstSomaRoot(sections, label);
  if (r >= 0) state.origin = { section: r, x: 0 };
}

/**
 * ISF's `Cell.max_distance(label)`: Soma → L_soma; otherwise (origin set as for d_org) the
 * maximum distance of the 1-end of the terminal sections of the label's soma-attached subtrees.
 * Returns undefined when the label has no soma-attached section (ISF raises a KeyError).
 *
 * @param sections the cell's sections
 * @param table path table
 * @param label structure label
 * @param state the origin state (reset as ISF does)
 * @returns maxDist [µm], or undefined
 */
export function maxDistance(
  sections: readonly Section[],
  table: PathTable,
  label: string,
  state: OriginState,
): number | undefined {
  const s = soma(sections);
  if (label === "Soma") return sections[s].L;
  resetOrigin(sections, label, state);
  const cell = { sections };
  let maxDist = 0;
  let any = false;
  for (let r = 0; r < sections.length; r++) {
    const root = sections[r];
    if (root.label !== label || root.parent !== s) continue;
    any = true;
    const stack = [r];
    while (stack.length > 0) {
      const k = stack.pop()!;
      const sec = sections[k];
      if (sec.children.length === 0) {
        const d = pathDistance(cell, state.origin.section, state.origin.x, k, 1, table);
        if (d > maxDist) maxDist = d;
      }
      for (const c of sec.children) stack.push(c);
    }
  }
  return any ? maxDist : undefined;
}

/**
 * numpy's `interp(x, xp, fp)` for increasing (possibly repeated) xp, including its NaN fallbacks.
 *
 * @param x query
 * @param xp sample positions (non-decreasing)
 * @param fp sample values
 * @returns the interpolated value
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { npInterp } from "./spatial_rules.ts";
 * assert.equal(npInterp(0.25, [0, 0.5, 1], [0, 10, 30]), 5);
 * assert.equal(npInterp(2, [0, 1], [0, 10]), 10);
 * ```
 */
export function npInterp(x: number, xp: ArrayLike<number>, fp: ArrayLike<number>): number {
  const n = xp.length;
  if (x < xp[0]) return fp[0];
  if (x > xp[n - 1]) return fp[n - 1];
  if (x === xp[n - 1]) return fp[n - 1];
  // last j with xp[j] <= x
  let lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xp[mid] <= x) lo = mid;
    else hi = mid;
  }
  const j = lo;
  const slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
  let r = slope * (x - xp[j]) + fp[j];
  if (Number.isNaN(r)) {
    r = slope * (x - xp[j + 1]) + fp[j + 1];
    if (Number.isNaN(r) && fp[j] === fp[j + 1]) r = fp[j];
  }
  return r;
}

function num(control: SpatialRuleInput["control"], key: string): number {
  return control[key] as number;
}

/**
 * Evaluates one spatial rule for one mechanism on every section of a label.
 *
 * @param input sections, label, rule, its control values, the parameters to set, origin state
 * @returns per section index: parameter → per-segment values
 * @throws InputValueError for an unknown rule, or a relative distance on a label with no
 *   soma-attached section (ISF fails there too)
 */
export function evaluateSpatialRule(input: SpatialRuleInput): SpatialValues {
  const { sections, table, label, spatial, control, params, state, where } = input;
  const out: SpatialValues = new Map();
  const labelled: number[] = [];
  for (let i = 0; i < sections.length; i++) if (sections[i].label === label) labelled.push(i);
  const somaIdx = soma(sections);
  const cell = { sections };
  const alloc = (k: number): Record<string, Float64Array> => {
    const rec: Record<string, Float64Array> = {};
    for (const [p] of params) rec[p] = new Float64Array(sections[k].nseg);
    out.set(k, rec);
    return rec;
  };
  const segX = (sec: Section, i: number) => (i + 0.5) / sec.nseg;
  const dSoma0 = (k: number, x: number) => pathDistance(cell, somaIdx, 0, k, x, table);
  const dOrg = (k: number, x: number) =>
    pathDistance(cell, state.origin.section, state.origin.x, k, x, table);
  const relative = control.distance === "relative";
  // Set by the rules that can use a relative distance, before their first needMax().
  let maxDist: number | undefined;
  const needMax = (): number => {
    if (maxDist === undefined) {
      throw new InputValueError(
        where,
        `Spatial rule "${spatial}" with relative distance needs a section labelled "${label}" attached to the soma (maxDist is undefined)`,
      );
    }
    return maxDist;
  };

  switch (spatial) {
    case "uniform": {
      for (const k of labelled) {
        const rec = alloc(k);
        for (const [p, v] of params) rec[p].fill(v);
      }
      return out;
    }
    case "linear":
    case "linear_capped": {
      maxDist = maxDistance(sections, table, label, state);
      resetOrigin(sections, label, state);
      for (const k of labelled) {
        const sec = sections[k];
        const rec = alloc(k);
        for (let i = 0; i < sec.nseg; i++) {
          let d = dSoma0(k, segX(sec, i));
          if (relative) d = d / needMax();
          if (spatial === "linear") {
            const slope = num(control, "slope"), offset = num(control, "offset");
            for (const [p, v] of params) rec[p][i] = Math.max(v * (d * slope + 1), v * offset);
          } else {
            const prox = num(control, "prox_value"), dist = num(control, "dist_value");
            const dd = num(control, "dist_value_distance");
            const value = d >= dd ? dist : prox + (dist - prox) / dd * d;
            for (const [p] of params) rec[p][i] = value;
          }
        }
        // ISF's distance_to_soma sets the origin to soma(0) on every call.
        if (sec.nseg > 0 && (spatial === "linear_capped" || params.length > 0)) {
          state.origin = { section: somaIdx, x: 0 };
        }
      }
      return out;
    }
    case "exponential":
    case "exponential_by_z_dist":
    case "capped_exponential":
    case "sigmoid": {
      maxDist = maxDistance(sections, table, label, state);
      resetOrigin(sections, label, state);
      const offset = num(control, "offset"), linScale = num(control, "linScale");
      const xOffset = num(control, "xOffset");
      const somaSec = sections[somaIdx];
      const zSomaMid = somaSec.z[Math.floor(somaSec.z.length / 2)];
      for (const k of labelled) {
        const sec = sections[k];
        const rec = alloc(k);
        let zd: Float64Array | undefined;
        if (spatial === "exponential_by_z_dist" && label === "ApicalDendrite") {
          zd = new Float64Array(sec.relPts.length);
          for (let q = 0; q < zd.length; q++) zd[q] = sec.z[q] - zSomaMid;
        }
        for (let i = 0; i < sec.nseg; i++) {
          const x = segX(sec, i);
          let d = zd !== undefined ? npInterp(x, sec.relPts, zd) : dOrg(k, x);
          if (relative) d = d / needMax();
          if (spatial === "exponential_by_z_dist" && !relative) d = d / 1000;
          for (const [p, v] of params) {
            let value: number;
            if (spatial === "sigmoid") {
              value = v *
                (offset + linScale / (1 + Math.exp((d - xOffset) / num(control, "width"))));
            } else {
              value = v * (offset + linScale * Math.exp(num(control, "_lambda") * (d - xOffset)));
              if (spatial === "capped_exponential") {
                const maxG = num(control, "max_g");
                if (!(value < maxG)) value = maxG;
              }
            }
            rec[p][i] = value;
          }
        }
      }
      return out;
    }
    case "uniform_range": {
      resetOrigin(sections, label, state);
      const begin = num(control, "begin"), end = num(control, "end");
      const outside = num(control, "outsidescale");
      const outsideSecs = (control.outsidescale_sections as readonly number[] | undefined) ?? [];
      for (const k of labelled) {
        const sec = sections[k];
        const rec = alloc(k);
        const forced = outsideSecs.includes(sec.index);
        for (let i = 0; i < sec.nseg; i++) {
          const d = dOrg(k, segX(sec, i));
          for (const [p, v] of params) {
            rec[p][i] = forced ? v * outside : (begin <= d && d <= end) ? v : v * outside;
          }
        }
      }
      return out;
    }
    default:
      throw new InputValueError(
        where,
        `Unknown spatial rule "${spatial}"; expected one of ${
          Object.keys(SPATIAL_RULE_KEYS).join(", ")
        }`,
      );
  }
}
