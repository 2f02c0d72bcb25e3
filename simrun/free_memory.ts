/**
 * Gives the C heap's free pages back to the system between sweep groups (glibc's
 * `malloc_trim(0)`, through Deno's FFI). V8 frees a finished group's typed-array buffers and
 * compiler memory with `free`, but glibc keeps most of those pages: a job of 8 ISF sweeps held
 * 1–19 MiB more at each group boundary, and its peak resident memory was 3–8 MiB higher without
 * this (issue 13: RSS ≤ 150 MB per job). Needs `--allow-ffi` (never prompts for it) and glibc;
 * elsewhere it does nothing.
 *
 * @module
 */

/** The bound `malloc_trim`, `null` where it is not available, undefined before the first call. */
let trim: (() => number) | null | undefined;

function bind(): (() => number) | null {
  if (Deno.build.os !== "linux") return null;
  try {
    if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return null;
    const lib = Deno.dlopen("libc.so.6", {
      malloc_trim: { parameters: ["usize"], result: "i32" },
    });
    return () => lib.symbols.malloc_trim(0n);
  } catch {
    return null; // not glibc (musl has no libc.so.6), or no such symbol
  }
}

/**
 * Returns the C heap's free pages to the system, where glibc and `--allow-ffi` allow it.
 *
 * @returns true when pages were given back; false when none were, or where it is not available
 * @example
 * ```ts
 * import { returnFreeMemory } from "./free_memory.ts";
 * returnFreeMemory(); // between two sweep groups
 * ```
 */
export function returnFreeMemory(): boolean {
  if (trim === undefined) trim = bind();
  return trim !== null && trim() === 1;
}
