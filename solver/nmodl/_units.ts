/**
 * Named unit constants of NMODL UNITS blocks (`FARADAY = (faraday) (coulombs)`), with the value
 * Debian's nocmodl 8.2.2 writes into the generated C for each unit system: modern (NEURON ≥ 8,
 * 2019 SI constants: F = 96485.33212331001, R = k·N_A = 8.31446261815324) and legacy (NEURON ≤ 7;
 * `_nrnunit_use_legacy_`). The modern FARADAY equals simrun's `UNITS.modern.faraday` and the
 * legacy one `UNITS.legacy.faraday` (spec/mechanisms.md §1.4); note that nocmodl's legacy gas
 * constant in a UNITS block is 8.3145 (or 8.31446 as `(R)`), not the 8.3134 of the ion Nernst
 * code. Only the conversions listed here are accepted; anything else is refused with its line.
 *
 * @module
 */

/** Value of one named constant in both unit systems. */
export interface UnitConstant {
  /** NEURON ≥ 8 value. */
  readonly modern: number;
  /** NEURON ≤ 7 value. */
  readonly legacy: number;
}

const FARADAY = 96485.33212331001;
const GAS = 8.31446261815324;

/** `from|to` (units text without spaces) → value, as measured from nocmodl 8.2.2 output. */
const CONVERSIONS: ReadonlyMap<string, UnitConstant> = new Map([
  ...["coulomb", "coulombs", "C", "coul"].map((to) =>
    [`faraday|${to}`, { modern: FARADAY, legacy: 96485.3 }] as const
  ),
  ...["kilocoulomb", "kilocoulombs"].map((to) =>
    [`faraday|${to}`, { modern: FARADAY / 1000, legacy: 96.4853 }] as const
  ),
  ...["joule/degC", "joule/kelvin"].map((to) =>
    [`k-mole|${to}`, { modern: GAS, legacy: 8.3145 }] as const
  ),
  ["k-mole|millijoule/degC", { modern: 8314.462618153239, legacy: 8314.5 }],
  ["R|joule/degC", { modern: GAS, legacy: 8.31446 }],
  ["mole|1", { modern: 6.02214076e23, legacy: 6.02217e23 }],
  ["k|joule/degC", { modern: 1.380649e-23, legacy: 1.38065e-23 }],
  ["e|coulomb", { modern: 1.602176634e-19, legacy: 1.60219e-19 }],
  ["e|coulombs", { modern: 1.602176634e-19, legacy: 1.60219e-19 }],
  ["pi|1", { modern: Math.PI, legacy: 3.14159 }],
]);

/**
 * The value of the UNITS-block constant `(from) (to)`.
 *
 * @param from the physical constant's unit name (`faraday`, `k-mole`, …)
 * @param to the target units (`coulombs`, `joule/degC`, …)
 * @returns both values, or undefined for a conversion that is not supported
 */
export function unitConstant(from: string, to: string): UnitConstant | undefined {
  return CONVERSIONS.get(`${from}|${to}`);
}

/** The supported conversions as `(from) (to)` strings, for messages and docs. */
export function supportedUnitConstants(): string[] {
  return [...CONVERSIONS.keys()].map((k) => {
    const [f, t] = k.split("|");
    return `(${f}) (${t})`;
  });
}
