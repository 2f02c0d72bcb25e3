/**
 * Warnings about inputs that simrun accepts but a user should know about (sections skipped in a
 * morphology, a `.syn` made for another cell, …): one line each on stderr, `simrun: warning: …`,
 * printed whatever the progress mode (`--quiet` silences progress, not warnings), and each text
 * only once per run: a job worker hands its warnings to the main thread, which prints them once
 * however many jobs find the same thing.
 *
 * @module
 */

let sink: ((message: string) => void) | undefined;
const printed = new Set<string>();

/**
 * Reports a warning: prints `simrun: warning: <message>` on stderr, once per text, or hands it to
 * the sink set with {@linkcode setWarningSink} (a worker's channel to the main thread).
 *
 * @param message one line, naming the file (and line) it is about
 * @example
 * ```ts
 * import { warn } from "./warnings.ts";
 * warn("cell.hoc: skipped 2 sections whose names carry no known label");
 * ```
 */
export function warn(message: string): void {
  if (sink !== undefined) {
    sink(message);
    return;
  }
  if (printed.has(message)) return;
  printed.add(message);
  console.error(`simrun: warning: ${message.replace(/\s*\n\s*/g, " ")}`);
}

/**
 * Sends this thread's warnings to `to` instead of stderr (job workers post them to the main
 * thread, which calls {@linkcode warn}).
 *
 * @param to the receiver, or undefined to print again
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { setWarningSink, warn } from "./warnings.ts";
 * const got: string[] = [];
 * setWarningSink((m) => got.push(m));
 * warn("x.syn: made for another cell");
 * setWarningSink(undefined);
 * assert.deepEqual(got, ["x.syn: made for another cell"]);
 * ```
 */
export function setWarningSink(to: ((message: string) => void) | undefined): void {
  sink = to;
}
