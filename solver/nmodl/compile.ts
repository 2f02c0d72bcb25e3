/**
 * The compiler's front door: `.mod` text → IR → JavaScript kernels, or a structured error. A
 * file that cannot be compiled is not fatal here: the caller decides (phase B: an error only if a
 * cell or network uses the mechanism).
 *
 * @module
 */
import { InputSyntaxError, InputValueError } from "../../io/mod.ts";
import { analyze } from "./_analyze.ts";
import { optimize } from "./_optimize.ts";
import { parseNmodl } from "./_parser.ts";
import { quietEligible } from "./_quiet.ts";
import type { MechanismIR } from "./ir.ts";
import { type GeneratedMechanism, generateJs } from "./js_backend.ts";

/** Options of {@link compileNmodl}. */
export interface CompileOptions {
  /** File name for messages (as the user named it). */
  readonly file: string;
  /**
   * Conductance of the current kernel: `analytic` (default) uses dI/dV in closed form where the
   * currents are affine in v, else NEURON's difference quotient; `numeric` always the quotient.
   */
  readonly conductance?: "analytic" | "numeric";
}

/** A compiled mechanism: its IR and its JavaScript kernels. */
export interface CompiledMechanism {
  /** SUFFIX or POINT_PROCESS name. */
  readonly name: string;
  /** Density or point process. */
  readonly kind: "density" | "point";
  /** The file it came from. */
  readonly file: string;
  /** The IR (after optimisation), input of every backend. */
  readonly ir: MechanismIR;
  /** Kernels of the JavaScript backend. */
  readonly kernels: GeneratedMechanism;
  /** Notes for the user (nocmodl-compatible fallbacks, ignored declarations). */
  readonly warnings: readonly string[];
}

/** The outcome of a compilation. */
export type CompileResult =
  | { readonly ok: true; readonly mechanism: CompiledMechanism }
  | { readonly ok: false; readonly error: InputSyntaxError | InputValueError };

/**
 * Compiles one `.mod` file.
 *
 * @param text the file's contents
 * @param options file name and conductance mode
 * @returns the compiled mechanism, or the error (one line: file, line, column, construct)
 * @example A passive leak as a density mechanism
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileNmodl } from "./compile.ts";
 * const r = compileNmodl(`
 *   NEURON { SUFFIX leak NONSPECIFIC_CURRENT i RANGE g, e }
 *   PARAMETER { g = 0.001 (S/cm2) e = -70 (mV) }
 *   ASSIGNED { v (mV) i (mA/cm2) }
 *   BREAKPOINT { i = g*(v - e) }`, { file: "leak.mod" });
 * assert.ok(r.ok);
 * assert.equal(r.mechanism.name, "leak");
 * ```
 */
export function compileNmodl(text: string, options: CompileOptions): CompileResult {
  try {
    const ir = optimize(analyze(parseNmodl(text, options.file)));
    return { ok: true, mechanism: compileIr(ir, options) };
  } catch (e) {
    if (e instanceof InputSyntaxError || e instanceof InputValueError) {
      return { ok: false, error: e };
    }
    if (e instanceof RangeError && /Maximum call stack/.test(e.message)) {
      return {
        ok: false,
        error: new InputValueError(
          { file: options.file, key: "nesting" },
          "The file nests too deeply to be compiled",
        ),
      };
    }
    throw e;
  }
}

/**
 * The back half of {@link compileNmodl}: the JavaScript kernels of an IR that the front half
 * (parse, analyse, optimise) made earlier, e.g. the stored IR of a built-in mechanism.
 *
 * @param ir the optimised IR, as {@link compileNmodl} returns it
 * @param options the conductance mode (the file name comes from the IR)
 * @returns the compiled mechanism, as {@link compileNmodl} would return it for the same text
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileIr, compileNmodl } from "./compile.ts";
 * const r = compileNmodl(`NEURON { SUFFIX leak NONSPECIFIC_CURRENT i RANGE g }
 *   PARAMETER { g = 0.001 (S/cm2) }  BREAKPOINT { i = g*(v + 70) }`, { file: "leak.mod" });
 * assert.ok(r.ok);
 * assert.equal(compileIr(r.mechanism.ir, {}).name, "leak");
 * ```
 */
export function compileIr(
  ir: MechanismIR,
  options: Pick<CompileOptions, "conductance">,
): CompiledMechanism {
  const kernels = generateJs(ir, {
    ...(options.conductance === undefined ? {} : { conductance: options.conductance }),
    quiet: quietEligible(ir),
  });
  return { name: ir.name, kind: ir.kind, file: ir.file, ir, kernels, warnings: ir.warnings };
}
