/**
 * Binds the C library's `log` and `exp` (the functions NumPy calls) through Deno's FFI, so that
 * `--rng isf` reproduces ISF's spike times to the last digit (network/rng/elementary_functions.ts).
 * Needs `--allow-ffi`; where the library cannot be opened, callers fall back to JavaScript's Math.
 *
 * @module
 */
import type { ElementaryFunctions } from "../network/mod.ts";

/** The C math library of each platform, as NumPy links it. */
const LIBM_BY_OS: Readonly<Record<string, string>> = {
  linux: "libm.so.6",
  darwin: "libSystem.B.dylib",
  windows: "ucrtbase.dll",
};

/** Result of `loadSystemLibm()`: the functions, or why they are not available. */
export type SystemLibm =
  | { readonly ok: true; readonly math: ElementaryFunctions }
  | { readonly ok: false; readonly reason: string };

let cached: SystemLibm | undefined;

/**
 * Opens the platform's C math library once per process (worker).
 *
 * @returns `{ok: true, math}` or `{ok: false, reason}` (no permission, no such library)
 * @example
 * ```ts ignore
 * const libm = loadSystemLibm();
 * if (libm.ok) console.log(libm.math.log(2));
 * ```
 */
export function loadSystemLibm(): SystemLibm {
  if (cached !== undefined) return cached;
  const name = LIBM_BY_OS[Deno.build.os];
  if (name === undefined) {
    cached = { ok: false, reason: `no known C math library on ${Deno.build.os}` };
    return cached;
  }
  try {
    const lib = Deno.dlopen(name, {
      log: { parameters: ["f64"], result: "f64" },
      exp: { parameters: ["f64"], result: "f64" },
    });
    cached = { ok: true, math: { source: name, log: lib.symbols.log, exp: lib.symbols.exp } };
  } catch (e) {
    cached = { ok: false, reason: `cannot open ${name}: ${(e as Error).message}` };
  }
  return cached;
}
