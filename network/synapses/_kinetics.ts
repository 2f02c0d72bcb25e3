/**
 * Pieces shared by the synapse mechanisms (`gaba_syn`, `glutamate_syn`): the peak normalisation
 * of a difference of exponentials, the cnexp decay factor, and a parameter with its default.
 *
 * @module
 */
import type { PointMechanism } from "../../solver/mod.ts";

/**
 * Peak-normalisation factor of a difference of exponentials e^(−t/τd) − e^(−t/τr) (decay τd >
 * rise τr), in NMODL operation order: 1 / (−exp(−tp/τr) + exp(−tp/τd)) at the peak time tp.
 *
 * @param tauDecay decay time constant τd [ms]
 * @param tauRise rise time constant τr [ms]
 * @returns the factor that scales the peak to 1 [1]
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { peakFactor } from "./_kinetics.ts";
 * assert.ok(Math.abs(peakFactor(20, 1) - 1.2323999091818731) < 1e-15);
 * ```
 */
export function peakFactor(tauDecay: number, tauRise: number): number {
  const tp = (tauRise * tauDecay) / (tauDecay - tauRise) * Math.log(tauDecay / tauRise);
  const factor = -Math.exp(-tp / tauRise) + Math.exp(-tp / tauDecay);
  return 1 / factor;
}

/**
 * The cnexp factor 1 − exp(dt·(−1/τ)) of a state relaxing with time constant τ
 * (mechanisms.md §1.2: x ← x + factor·(x∞ − x)); constant per instance and dt.
 *
 * @param tau time constant [ms]
 * @param dt time step [ms]
 * @returns the factor [1]
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decayFactor } from "./_kinetics.ts";
 * assert.equal(decayFactor(10, 0.1), 1 - Math.exp(-0.01));
 * ```
 */
export function decayFactor(tau: number, dt: number): number {
  return 1 - Math.exp(dt * (-1.0 / tau));
}

/**
 * A parameter from a synapse's parameter record, or the mechanism's default when it is absent.
 *
 * @param mechanism the mechanism that defines `name`
 * @param params the synapse's parameters (network param `parameter` block)
 * @param name the parameter
 * @returns its value
 */
export function paramOrDefault(
  mechanism: PointMechanism,
  params: Readonly<Record<string, number>>,
  name: string,
): number {
  return params[name] ?? mechanism.parameters[name].default;
}
