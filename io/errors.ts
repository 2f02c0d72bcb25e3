/**
 * Typed errors for bad input and broken invariants (house style §5.4).
 *
 * `InputSyntaxError` is text that cannot be parsed; `InputValueError` is a parsed value that is
 * wrong (out of range, unknown key, missing referenced file). Both carry the file, line (1-based,
 * 0 when unknown), column (1-based, 0 when unknown) and, where one applies, the parameter key.
 * main.ts prints them as one line without a stack and exits with code 2.
 *
 * @module
 */

/** Where in an input file a problem is. */
export interface InputLocation {
  /** The file as the user named it (or as referenced from another file). */
  readonly file: string;
  /** 1-based line, 0 when not known. */
  readonly line?: number;
  /** 1-based column, 0 when not known. */
  readonly column?: number;
  /** The parameter key (dotted path such as `neuron.Soma.properties.Ra`), if any. */
  readonly key?: string;
}

function prefix(loc: InputLocation): string {
  let s = loc.file;
  if (loc.line) s += `:${loc.line}`;
  if (loc.line && loc.column) s += `:${loc.column}`;
  return s;
}

/** Text that cannot be parsed: names file, line and column. */
export class InputSyntaxError extends SyntaxError {
  /** The file as the user named it (or as referenced from another file). */
  readonly file: string;
  /** 1-based line of the problem; 0 when unknown. */
  readonly line: number;
  /** 1-based column of the problem; 0 when unknown. */
  readonly column: number;
  /** The parameter key (dotted path such as `neuron.Soma.properties.Ra`), if any. */
  readonly key: string | undefined;
  /**
   * Creates the error; its message is prefixed with `file:line:column`.
   *
   * @param loc where the problem is
   * @param message what was expected and what was found, e.g. `Expected ":" after key, got "}"`
   */
  constructor(loc: InputLocation, message: string) {
    super(`${prefix(loc)}: ${message}`);
    this.name = "InputSyntaxError";
    this.file = loc.file;
    this.line = loc.line ?? 0;
    this.column = loc.column ?? 0;
    this.key = loc.key;
  }
}

/** A parsed value that is wrong, or a referenced file that is missing. */
export class InputValueError extends RangeError {
  /** The file as the user named it (or as referenced from another file). */
  readonly file: string;
  /** 1-based line of the problem; 0 when unknown. */
  readonly line: number;
  /** 1-based column of the problem; 0 when unknown. */
  readonly column: number;
  /** The parameter key (dotted path such as `neuron.Soma.properties.Ra`), if any. */
  readonly key: string | undefined;
  /**
   * Creates the error; its message is prefixed with `file:line:column` (as far as known).
   *
   * @param loc where the value is
   * @param message what is wrong, e.g. `Cannot read "Ra" in "Soma": expected a number, got "x"`
   */
  constructor(loc: InputLocation, message: string) {
    super(`${prefix(loc)}: ${message}`);
    this.name = "InputValueError";
    this.file = loc.file;
    this.line = loc.line ?? 0;
    this.column = loc.column ?? 0;
    this.key = loc.key;
  }
}

/** A user plugin failed: threw, exceeded its permissions, or ran past its time limit. */
export class PluginError extends Error {
  /** The plugin's name as shown in messages (by default its module path or specifier). */
  readonly plugin: string;
  /**
   * Creates the error; its message reads `Plugin "<plugin>": <message>`.
   *
   * @param plugin the plugin's name or path
   * @param message what happened
   */
  constructor(plugin: string, message: string) {
    super(`Plugin "${plugin}": ${message}`);
    this.name = "PluginError";
    this.plugin = plugin;
  }
}

/** Options of {@link SimulationError}. */
export interface SimulationErrorOptions {
  /** Simulated time of the failure [ms]. */
  readonly timeMs: number;
  /** The sweep, where the simulation is one sweep of a job. */
  readonly sweep?: number;
}

/**
 * A simulation that went numerically wrong (a non-finite membrane potential or recorded value):
 * the model or its input is outside what the integrator can handle. main.ts prints it as one
 * line with exit code 1; nothing of the failed run is written as data.
 */
export class SimulationError extends Error {
  /** Simulated time of the failure [ms]. */
  readonly timeMs: number;
  /** The sweep, if the simulation is one sweep of a job. */
  readonly sweep: number | undefined;
  /**
   * Creates the error; its message reads `Sweep <s>: <message>` when the sweep is known.
   *
   * @param message what went wrong and when, e.g. `the soma's membrane potential is NaN at t = 12.5 ms`
   * @param options time [ms] and sweep
   */
  constructor(message: string, options: SimulationErrorOptions) {
    super(options.sweep !== undefined ? `Sweep ${options.sweep}: ${message}` : message);
    this.name = "SimulationError";
    this.timeMs = options.timeMs;
    this.sweep = options.sweep;
  }
}

/** A broken invariant: a bug in simrun, never the user's input. */
export class InternalError extends Error {
  /**
   * Creates the error; its message says that this is a bug in simrun.
   *
   * @param message the invariant that broke
   */
  constructor(message: string) {
    super(`Internal error (a bug in simrun): ${message}`);
    this.name = "InternalError";
  }
}

/** True for the errors that main.ts reports as one line with exit code 2 (bad input). */
export function isInputError(e: unknown): e is InputSyntaxError | InputValueError {
  return e instanceof InputSyntaxError || e instanceof InputValueError;
}
