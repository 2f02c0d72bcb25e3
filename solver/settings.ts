/**
 * The settings of a simulation, and their one rule. {@link SolverSettings} (fast or exact mode,
 * unit system) are the numerical choices made on the command line; they travel unchanged from
 * the CLI through the job to `prepareModel`. {@link ModelSettings} add the protocol of the cell
 * param's `sim` block (vInit, dt, temperature) and the stop time. {@link checkModelSettings} is
 * the only place where these values are validated.
 *
 * @module
 */
import { type InputLocation, InputValueError } from "../io/mod.ts";

/** NEURON ≥ 8 constants (`modern`) or NEURON ≤ 7 constants (`legacy`; spec/mechanisms.md §1.4). */
export type UnitSystem = "modern" | "legacy";

/** Physical constants of one unit system (spec/mechanisms.md §1.4). */
export interface UnitConstants {
  /** Gas constant in the Nernst equation [J/(mol·K)]. */
  readonly gasConstant: number;
  /** Faraday constant in the Nernst equation [C/mol]. */
  readonly faradayNernst: number;
  /** FARADAY inside mechanisms (CaDynamics_E2) [C/mol]. */
  readonly faraday: number;
}

/** NEURON ≥ 8 constants (default) and NEURON ≤ 7 constants. */
export const UNITS: Readonly<Record<UnitSystem, UnitConstants>> = {
  modern: {
    gasConstant: 8.31446261815324,
    faradayNernst: 96485.33212331001,
    faraday: 96485.33212331001,
  },
  legacy: { gasConstant: 8.3134, faradayNernst: 96485.309, faraday: 96485.3 },
};

/**
 * The numerical choices of a run, chosen once (CLI `--exact`, `--legacy-units`) and passed
 * unchanged to the solver.
 */
export interface SolverSettings {
  /**
   * Fast mode (default true): the channels' gate updates from cubic rate tables, SK_E2's z∞ and
   * the calcium Nernst potential from concentration tables, the Mg block of glutamate_syn from
   * a table, and the scheduled Hines variant (one division per node): within
   * {@link FAST_MODE_MAX_DV_MV} (1e-4 mV) of NEURON, about 4× faster. `false` (`--exact`) runs
   * NEURON's formulas in NEURON's operation order: within 1e-6 mV of NEURON.
   */
  readonly rateTables: boolean;
  /** Physical constants (default `modern`). */
  readonly units: UnitSystem;
  /**
   * Which engine steps the sweeps (default `auto`): the WebAssembly engine (solver/wasm) with
   * SIMD where the runtime has it (`simd`), scalar WebAssembly (`scalar`), or the engine's
   * instructions as JavaScript (`js`), all giving the same bits per sweep; `reference` is the
   * plain JavaScript step loop with the mechanisms' own kernels (solver/run_sweep.ts), kept as
   * the reference of the engine.
   */
  readonly engine?: EngineChoice;
}

/** The engine choices of {@link SolverSettings.engine}. */
export type EngineChoice = "auto" | "simd" | "scalar" | "js" | "reference";

/** The accepted values of {@link SolverSettings.engine}, for option parsing. */
export const ENGINE_CHOICES: readonly EngineChoice[] = [
  "auto",
  "simd",
  "scalar",
  "js",
  "reference",
];

/** Fast mode with modern units: what `simrun` runs unless told otherwise. */
export const DEFAULT_SOLVER_SETTINGS: SolverSettings = { rateTables: true, units: "modern" };

/**
 * The error bound of fast mode (rate tables), the one statement of it: max |ΔV| ≤ 1e-4 mV against
 * NEURON at every recorded site of the reference protocols, with spikes at NEURON's samples.
 * Measured: 7.5e-6 mV on A2_step_1p0 (400 ms, 6 spikes; the worst sample on a spike upstroke),
 * ≤ 1e-10 mV at rest and below threshold (A1_rest, A2_step_m0p2), and 5.6e-8 mV on the
 * mech_globals protocol. Enforced by tests/single_cell_reference_test.ts and
 * tests/mech_globals_reference_test.ts. (Exact mode: within 1e-6 mV of NEURON.)
 */
export const FAST_MODE_MAX_DV_MV = 1e-4;

/** Where each setting comes from, for messages (a param file key, or a command-line option). */
export interface SettingSources {
  /** Source of vInit (e.g. the param's `sim.Vinit`). */
  readonly vInit?: InputLocation;
  /** Source of tStop (`sim.tStop`, or `--tstop`). */
  readonly tStop?: InputLocation;
  /** Source of dt (`sim.dt`, or `--dt`). */
  readonly dt?: InputLocation;
  /** Source of the temperature (`sim.T`). */
  readonly celsius?: InputLocation;
}

/** Everything `prepareModel` needs besides the cell: the protocol plus the solver settings. */
export interface ModelSettings extends SolverSettings {
  /** Initial membrane potential [mV]. */
  readonly vInit: number;
  /** Stop time [ms]: steps are taken while t < tStop (hoc tolerance). */
  readonly tStop: number;
  /** Time step [ms]. */
  readonly dt: number;
  /** Temperature [°C]. */
  readonly celsius: number;
  /** Where the values come from, for messages (default: "simulation settings"). */
  readonly where?: SettingSources;
}

/** Largest number of time steps per sweep accepted (guards against a tStop/dt typo). */
export const MAX_STEPS = 50_000_000;

/** Accepted initial membrane potentials [mV]: beyond ±1000 mV nothing is physiological. */
export const VINIT_RANGE_MV: readonly [number, number] = [-1000, 1000];

/** Accepted temperatures [°C]: above absolute zero, at most that of boiling water. */
export const CELSIUS_RANGE: readonly [number, number] = [-273.15, 100];

/**
 * hoc's comparison tolerance `float_epsilon` (1e-11): `while (t < tstop)` steps while
 * t < tStop − 1e-11. It reproduces every reference sample count (345/0.025 → 13,802,
 * 300/0.025 → 12,002, 400/0.025 → 16,002, 100/0.1 → 1,001).
 */
export const HOC_EPSILON = 1e-11;

const DEFAULT_WHERE: InputLocation = { file: "simulation settings" };

/**
 * Number of steps NEURON takes: t is accumulated by two half-steps per step and the loop runs
 * while t < tStop − 1e-11 (spec/algorithm.md §8.4). More than {@link MAX_STEPS} is refused
 * before counting (beyond ~1e14 ms, t + dt/2 == t and the count would never end).
 *
 * @param tStop stop time [ms]
 * @param dt time step [ms]
 * @param where where tStop comes from, for the message (default "simulation settings")
 * @returns the number of steps (samples = steps + 1)
 * @throws InputValueError for dt ≤ 0, a non-finite value, or more than MAX_STEPS steps
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stepCount } from "./settings.ts";
 * assert.equal(stepCount(345, 0.025), 13801);
 * assert.equal(stepCount(100, 0.1), 1000);
 * assert.throws(() => stepCount(1e20, 0.025), /at most 50000000/);
 * ```
 */
export function stepCount(tStop: number, dt: number, where: InputLocation = DEFAULT_WHERE): number {
  if (!(dt > 0) || !Number.isFinite(dt) || !Number.isFinite(tStop)) {
    throw new InputValueError(
      where,
      `Expected dt > 0 and a finite tStop, got dt ${dt} ms, tStop ${tStop} ms`,
    );
  }
  // The count is about tStop/dt; checking that first bounds the loop below.
  const estimate = tStop / dt;
  if (estimate > MAX_STEPS + 1) {
    throw new InputValueError(
      where,
      `tStop ${tStop} ms with dt ${dt} ms needs about ${
        estimate.toPrecision(3)
      } steps per sweep (at most ${MAX_STEPS})`,
    );
  }
  let t = 0;
  let n = 0;
  const half = 0.5 * dt;
  while (t < tStop - HOC_EPSILON) {
    t += half;
    t += half;
    n++;
  }
  if (n > MAX_STEPS) {
    throw new InputValueError(
      where,
      `tStop ${tStop} ms with dt ${dt} ms needs ${n} steps per sweep (at most ${MAX_STEPS})`,
    );
  }
  return n;
}

/**
 * Validates the settings of a model (the one rule for vInit, tStop, dt and temperature) and
 * returns the number of steps per sweep. tStop and dt must be finite and > 0 with at most
 * {@link MAX_STEPS} steps; vInit within {@link VINIT_RANGE_MV}; the temperature within
 * {@link CELSIUS_RANGE} (above absolute zero). Too many steps are reported at dt's source unless
 * tStop exceeds 1e7 ms (about 3 hours), then at tStop's.
 *
 * @param s the settings
 * @returns steps per sweep
 * @throws InputValueError naming the setting's source (`s.where`)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkModelSettings } from "./settings.ts";
 * const s = { vInit: -75, tStop: 10, dt: 0.025, celsius: 34, rateTables: true, units: "modern" as const };
 * assert.equal(checkModelSettings(s), 400);
 * assert.throws(() => checkModelSettings({ ...s, dt: 1e-300 }), /steps per sweep/);
 * assert.throws(() => checkModelSettings({ ...s, celsius: 1e300 }), /temperature/);
 * ```
 */
export function checkModelSettings(s: ModelSettings): number {
  const at = (k: keyof SettingSources): InputLocation =>
    s.where?.[k] ?? { ...DEFAULT_WHERE, key: k };
  // The name the user wrote (`sim.dt` → "dt", `sim.T` → "T"), as far as the source tells.
  const name = (k: keyof SettingSources): string => at(k).key?.split(".").pop() ?? k;
  if (!(s.dt > 0) || !Number.isFinite(s.dt)) {
    throw new InputValueError(
      at("dt"),
      `"${name("dt")}" (the time step) must be a finite number > 0 ms, got ${s.dt}`,
    );
  }
  if (!(s.tStop > 0) || !Number.isFinite(s.tStop)) {
    throw new InputValueError(
      at("tStop"),
      `"${name("tStop")}" (the stop time) must be a finite number > 0 ms, got ${s.tStop}`,
    );
  }
  const [vLo, vHi] = VINIT_RANGE_MV;
  if (!(s.vInit >= vLo && s.vInit <= vHi)) {
    throw new InputValueError(
      at("vInit"),
      `"${
        name("vInit")
      }" (the initial membrane potential) must be a number in [${vLo}, ${vHi}] mV, got ${s.vInit}`,
    );
  }
  const [tLo, tHi] = CELSIUS_RANGE;
  if (!(s.celsius > tLo && s.celsius <= tHi)) {
    throw new InputValueError(
      at("celsius"),
      `"${
        name("celsius")
      }" (the temperature) must be a number in (${tLo}, ${tHi}] °C, got ${s.celsius}`,
    );
  }
  // Too many steps: blame the time step unless the stop time itself is beyond ~3 hours.
  return stepCount(s.tStop, s.dt, s.tStop <= 1e7 ? at("dt") : at("tStop"));
}
