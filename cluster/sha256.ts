/**
 * SHA-256 of a file, read in chunks (trace files of long campaigns reach hundreds of MB).
 *
 * @module
 */
/**
 * Hex SHA-256 and size of a file.
 *
 * @param path the file
 * @returns `{sha256, bytes}`
 * @example Hash of an empty file
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha256File } from "./sha256.ts";
 * const f = await Deno.makeTempFile();
 * const h = await sha256File(f);
 * assert.equal(h.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
 * assert.equal(h.bytes, 0);
 * await Deno.remove(f);
 * ```
 */
export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  // Imported on first use: loading node:crypto sets up Deno's whole Node layer (about 5 MiB and
  // 20–40 ms), which the commands that hash nothing should not pay.
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha256");
  let bytes = 0;
  using file = await Deno.open(path, { read: true });
  const buf = new Uint8Array(1 << 20);
  for (;;) {
    const n = await file.read(buf);
    if (n === null) break;
    hash.update(buf.subarray(0, n));
    bytes += n;
  }
  return { sha256: hash.digest("hex"), bytes };
}
