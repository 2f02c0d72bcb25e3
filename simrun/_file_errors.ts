/**
 * File-system errors that name their file: a write through a file handle or a stream fails
 * with the cause only (`No space left on device (os error 28)`), while simrun's one line for
 * an I/O failure names the file, as `Deno.writeTextFile`'s errors do.
 *
 * @module
 */

/**
 * The same error, naming `path` (`No space left on device (os error 28): write '<path>'`);
 * other values, and errors that name it already, unchanged.
 *
 * @param e what was thrown
 * @param path the file being written
 * @returns the error to throw
 */
export function withPath(e: unknown, path: string): unknown {
  const code = (e as { code?: unknown })?.code;
  if (!(e instanceof Error) || typeof code !== "string" || e.message.includes(path)) return e;
  const out = new (e.constructor as new (message: string) => Error)(
    `${e.message}: write '${path}'`,
  );
  Object.defineProperty(out, "code", { value: code });
  return out;
}
