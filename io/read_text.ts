/**
 * Reads an input text file, turning file-system failures into {@linkcode InputValueError}s that
 * name the file and what it was meant to be (a missing `.hoc` is bad input, not a crash).
 *
 * Only regular files are read: a FIFO, a device, a socket or a folder given as an input is refused
 * before it is opened (opening a FIFO would block until someone writes to it). A file larger than
 * {@linkcode MAX_TEXT_INPUT_BYTES} (or the caller's `maxBytes`) is refused unread.
 *
 * @module
 */
import { InputValueError } from "./errors.ts";

/**
 * Largest input text file read [bytes] (256 MiB): far beyond any real `.hoc`, `.syn`, `.con` or
 * activation file, and below JavaScript's largest string.
 */
export const MAX_TEXT_INPUT_BYTES = 256 * 1024 * 1024;

/** Options of {@linkcode readTextInput}. */
export interface ReadTextOptions {
  /** What the file is, for messages, e.g. `"morphology (.hoc) file"`. Default `"input file"`. */
  what?: string;
  /** The parameter key that referenced the file (dotted path), if any. */
  key?: string;
  /** The file that referenced this one (e.g. the `.param`), for messages. */
  referencedFrom?: string;
  /** Line in `referencedFrom` where the reference is. */
  line?: number;
  /** Largest size accepted [bytes] (default {@linkcode MAX_TEXT_INPUT_BYTES}). */
  maxBytes?: number;
}

/** Why `info` cannot be read as a text input, or undefined for a regular file of an accepted size. */
function refusal(info: Deno.FileInfo, options: ReadTextOptions): string | undefined {
  if (info.isDirectory) return "it is a directory";
  if (!info.isFile) {
    const kind = info.isFifo
      ? "a FIFO (named pipe)"
      : info.isCharDevice
      ? "a character device"
      : info.isBlockDevice
      ? "a block device"
      : info.isSocket
      ? "a socket"
      : "not a regular file";
    return `it is ${kind}, not a regular file`;
  }
  const max = options.maxBytes ?? MAX_TEXT_INPUT_BYTES;
  if (info.size > max) {
    return `it has ${info.size} bytes, more than the ${max} bytes (${
      Math.round(max / 1024 / 1024)
    } MiB) accepted`;
  }
  return undefined;
}

function reason(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "no such file";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.IsADirectory) return "it is a directory";
  if (e instanceof Deno.errors.NotADirectory) return "a part of the path is not a folder";
  return e instanceof Error ? e.message : String(e);
}

function fail(path: string, options: ReadTextOptions, why: string): never {
  const what = options.what ?? "input file";
  if (options.referencedFrom !== undefined) {
    const loc: { file: string; line?: number; key?: string } = { file: options.referencedFrom };
    if (options.line !== undefined) loc.line = options.line;
    if (options.key !== undefined) loc.key = options.key;
    const k = options.key !== undefined ? ` (key "${options.key}")` : "";
    throw new InputValueError(loc, `Cannot read ${what} "${path}"${k}: ${why}`);
  }
  const loc: { file: string; key?: string } = { file: path };
  if (options.key !== undefined) loc.key = options.key;
  throw new InputValueError(loc, `Cannot read ${what}: ${why}`);
}

/**
 * Reads a whole UTF-8 text file.
 *
 * @param path the file path
 * @param options what the file is and who referenced it, for messages
 * @returns the text
 * @throws {InputValueError} `x.hoc: Cannot read morphology (.hoc) file: no such file` (or, with
 *   `referencedFrom`, `cell.param:12: Cannot read … "x.hoc" (key "neuron.filename"): no such file`)
 * @example Missing file
 * ```ts
 * import assert from "node:assert/strict";
 * import { InputValueError } from "./errors.ts";
 * import { readTextInput } from "./read_text.ts";
 * await assert.rejects(readTextInput("/nonexistent/x.hoc", { what: "morphology file" }), InputValueError);
 * ```
 */
export async function readTextInput(path: string, options: ReadTextOptions = {}): Promise<string> {
  let bytes: Uint8Array;
  try {
    const why = refusal(await Deno.stat(path), options);
    if (why !== undefined) fail(path, options, why);
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (e instanceof InputValueError) throw e;
    fail(path, options, reason(e));
  }
  return decode(bytes, path, options);
}

/**
 * Synchronous {@linkcode readTextInput}.
 *
 * @param path the file path
 * @param options what the file is and who referenced it, for messages
 * @returns the text
 * @throws {InputValueError} if the file is missing, unreadable or not UTF-8
 * @example Missing file
 * ```ts
 * import assert from "node:assert/strict";
 * import { readTextInputSync } from "./read_text.ts";
 * assert.throws(() => readTextInputSync("/nonexistent/x.syn"), /no such file/);
 * ```
 */
export function readTextInputSync(path: string, options: ReadTextOptions = {}): string {
  let bytes: Uint8Array;
  try {
    const why = refusal(Deno.statSync(path), options);
    if (why !== undefined) fail(path, options, why);
    bytes = Deno.readFileSync(path);
  } catch (e) {
    if (e instanceof InputValueError) throw e;
    fail(path, options, reason(e));
  }
  return decode(bytes, path, options);
}

const DECODER = new TextDecoder("utf-8", { fatal: true });

function decode(bytes: Uint8Array, path: string, options: ReadTextOptions): string {
  try {
    return DECODER.decode(bytes);
  } catch {
    fail(path, options, "not UTF-8 text");
  }
}
