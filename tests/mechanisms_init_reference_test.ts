/**
 * Mechanism initialization against NEURON: for selected rows of
 * `reference/single_cell/cell_segments.csv` (values right after `finitialize(-75)` in NEURON
 * 8.2.2), set up one isolated node with the row's ion values and parameters, run each
 * mechanism's `init` and `current`, and compare every state, current and conductance column.
 *
 * @module
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DENSITY_MECHANISMS } from "../solver/mechanisms/mod.ts";
import { allocateInstances, type NodeArrays } from "../solver/mechanisms/_types.ts";
import { sharedDir, sharedPath } from "./_shared.ts";

/**
 * Relative tolerance 1e-9: the CSV holds NEURON's doubles in shortest round-trip form, and the
 * kernels follow the NMODL operation order, so the only differences come from V8's `Math.exp`
 * and `Math.pow` versus glibc's (≤ 1 ulp each, amplified at most ~10² by the rate formulas),
 * i.e. ~1e-14 (measured: 0, every value bit-identical on these rows). 1e-9 is the project's bar
 * and leaves a wide margin while still catching any transcription error (1e-4 or more).
 */
const REL_TOL = 1e-9;
/** Absolute floor for values that are exactly 0 in NEURON (e.g. K_Pst with gbar 0). */
const ABS_FLOOR = 1e-300;

/** Modern FARADAY (NEURON 8.2 default units, spec/mechanisms.md §1.4) [C/mol]. */
const FARADAY = 96485.33212331001;

type Row = Record<string, string>;

function readRows(): Row[] {
  const text = readFileSync(sharedPath("reference", "single_cell", "cell_segments.csv"), "utf8");
  const lines = text.trimEnd().split("\n");
  const header = lines[0].split(",");
  return lines.slice(1).map((line) => {
    const cells = line.split(",");
    assert.equal(cells.length, header.length, "CSV row has a different column count");
    const row: Row = {};
    header.forEach((h, j) => (row[h] = cells[j]));
    return row;
  });
}

function oneNode(row: Row): NodeArrays {
  const num = (k: string) => {
    const x = Number(row[k]);
    assert.ok(row[k] !== "" && Number.isFinite(x), `column ${k} is empty or not a number`);
    return new Float64Array([x]);
  };
  return {
    v: new Float64Array([-75]),
    i: new Float64Array(1),
    g: new Float64Array(1),
    area: num("seg_area_um2"),
    ena: num("ena"),
    ek: num("ek"),
    eca: num("eca"),
    cai: num("cai"),
    cao: num("cao"),
    ica: new Float64Array(1),
    vInterval: new Int32Array([-1]),
    vFrac: new Float64Array(1),
    dt: 0.025,
    t: 0,
    celsius: 34,
    faraday: FARADAY,
  };
}

interface Worst {
  rel: number;
  column: string;
  got: number;
  want: number;
}

/** Runs init + current of every mechanism present in `row`; returns the compared count. */
function checkRow(row: Row, mechanismsExpected: string[]): { compared: number; worst: Worst } {
  const n = oneNode(row);
  const worst: Worst = { rel: 0, column: "", got: 0, want: 0 };
  let compared = 0;
  const present: string[] = [];
  for (const mech of DENSITY_MECHANISMS) {
    const paramNames = Object.keys(mech.parameters);
    const col = (f: string) => `${f}_${mech.name}`;
    if (!paramNames.some((p) => row[col(p)] !== undefined && row[col(p)] !== "")) continue;
    present.push(mech.name);
    const s = allocateInstances(mech, new Int32Array([0]));
    for (const p of paramNames) {
      const text = row[col(p)];
      if (text !== undefined && text !== "") s.fields[p][0] = Number(text);
    }
    mech.prepare(s, {
      dt: n.dt,
      celsius: 34,
      faraday: FARADAY,
      area: n.area,
      rateTables: false,
      units: "modern",
    });
    mech.init(s, n);
    mech.current(s, n);
    for (const f of [...mech.states, ...mech.assigned]) {
      const text = row[col(f)];
      if (text === undefined) continue; // e.g. CaDynamics_E2's cai is reported as cai_ca_ion
      const want = Number(text);
      const got = s.fields[f][0];
      const rel = Math.abs(got - want) / Math.max(Math.abs(want), ABS_FLOOR);
      if (!(rel <= worst.rel)) Object.assign(worst, { rel, column: col(f), got, want });
      compared++;
    }
  }
  assert.deepEqual(present.sort(), [...mechanismsExpected].sort(), "mechanisms in the row");
  // Ion sums: NEURON's ica_ca_ion, ina_na_ion, ik_k_ion equal the sums of the channel currents.
  const ica = Number(row["ica_ca_ion"]);
  const relIca = Math.abs(n.ica[0] - ica) / Math.abs(ica);
  if (!(relIca <= worst.rel)) {
    Object.assign(worst, { rel: relIca, column: "ica_ca_ion", got: n.ica[0], want: ica });
  }
  compared++;
  return { compared, worst };
}

function pick(rows: Row[], where: (r: Row) => boolean, what: string): Row {
  const row = rows.find(where);
  assert.ok(row, `no ${what} row in cell_segments.csv`);
  return row;
}

const SOMA_MECHS = [
  "pas",
  "CaDynamics_E2",
  "Ca_HVA",
  "Ca_LVAst",
  "Ih",
  "K_Pst",
  "K_Tst",
  "NaTa_t",
  "Nap_Et2",
  "SK_E2",
  "SKv3_1",
];
const APICAL_MECHS = [
  "pas",
  "CaDynamics_E2",
  "Ca_HVA",
  "Ca_LVAst",
  "Ih",
  "Im",
  "NaTa_t",
  "SK_E2",
  "SKv3_1",
];

const CASES: { name: string; where: (r: Row) => boolean; mechs: string[]; min: number }[] = [
  { name: "soma", where: (r) => r.label === "Soma", mechs: SOMA_MECHS, min: 30 },
  { name: "AIS", where: (r) => r.label === "AIS", mechs: SOMA_MECHS, min: 30 },
  {
    name: "apical (Ca hot zone, Im, Ih gradient)",
    where: (r) =>
      r.label === "ApicalDendrite" && r.gImbar_Im !== "" && Number(r.somaDist) > 900 &&
      Number(r.somaDist) < 1100,
    mechs: APICAL_MECHS,
    min: 25,
  },
];

for (const c of CASES) {
  Deno.test({
    name: `DENSITY_MECHANISMS init + current match NEURON's finitialize(-75) on the ${c.name} row`,
    ignore: sharedDir() === undefined,
    fn() {
      const row = pick(readRows(), c.where, c.name);
      const { compared, worst } = checkRow(row, c.mechs);
      assert.ok(compared >= c.min, `only ${compared} values compared (expected ≥ ${c.min})`);
      assert.ok(
        worst.rel <= REL_TOL,
        `worst relative error ${worst.rel.toExponential(3)} > ${REL_TOL} at ${worst.column} ` +
          `(sec ${row.sec} seg ${row.seg}): got ${worst.got}, NEURON ${worst.want}`,
      );
    },
  });
}
