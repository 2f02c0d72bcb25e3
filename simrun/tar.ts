/**
 * `--tar` (algorithm.md §3 step 11): the files of a finished job folder become the members
 * `./<path>` of one archive (a recorder's `plugins/<name>/` files included), written with the npm library `modern-tar` (POSIX ustar, with a pax
 * `path` record for names longer than ustar allows) and then read back and compared byte for byte
 * with the folder. Files are streamed, so the archive size is not limited by memory.
 *
 * @module
 */
import { createTarDecoder, createTarPacker } from "modern-tar";
import { withPath } from "./_file_errors.ts";

/**
 * The regular files of `dir` and its sub-folders (a recorder plugin's `plugins/<name>/`), as
 * paths relative to `dir`, sorted (the member order).
 */
async function memberFiles(dir: string, prefix = ""): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(prefix === "" ? dir : `${dir}/${prefix}`)) {
    const rel = prefix === "" ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory) names.push(...await memberFiles(dir, rel));
    else if (e.isFile) names.push(rel);
    else {
      throw new Deno.errors.NotSupported(
        `--tar archives regular files only, and "${dir}/${rel}" is not one`,
      );
    }
  }
  return prefix === "" ? names.sort() : names;
}

/**
 * Streams the regular files of `dir` and its sub-folders (sorted by path) as a tar archive of
 * members `./<path>`
 * into `sink`. A failing sink (a full disk) rejects with the sink's error.
 *
 * @param dir folder whose files are archived
 * @param sink where the archive bytes go (closed at the end, aborted on failure)
 * @returns the member names in archive order
 * @example Into memory
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeTar } from "./tar.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.csv`, "1\n");
 * const chunks: Uint8Array[] = [];
 * const names = await writeTar(dir, new WritableStream({ write: (c) => void chunks.push(c) }));
 * assert.deepEqual(names, ["./a.csv"]);
 * assert.equal(chunks.reduce((n, c) => n + c.length, 0) % 512, 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeTar(dir: string, sink: WritableStream<Uint8Array>): Promise<string[]> {
  const names = await memberFiles(dir);
  const { readable, controller } = createTarPacker();
  const piped = readable.pipeTo(sink);
  // Entries are added one after another; a sink failure stops the loop at the next write.
  const fill = async () => {
    for (const n of names) {
      using src = await Deno.open(`${dir}/${n}`, { read: true });
      const st = await src.stat();
      const entry = controller.add({
        name: `./${n}`,
        size: st.size,
        type: "file",
        mode: 0o644,
        mtime: st.mtime ?? new Date(0),
      });
      await src.readable.pipeTo(entry, { preventClose: false });
    }
    controller.finalize();
  };
  const filled = fill().catch((e) => {
    controller.error(e);
    throw e;
  });
  // The sink's error (ENOSPC) is the one to report; the packer's follows from it.
  const [p, f] = await Promise.allSettled([piped, filled]);
  if (p.status === "rejected") throw p.reason;
  if (f.status === "rejected") throw f.reason;
  return names.map((n) => `./${n}`);
}

/**
 * Writes the regular files of `dir` and its sub-folders (sorted by path) into the new file
 * `tarPath` as members `./<path>`.
 *
 * @param dir folder whose files are archived
 * @param tarPath the archive to create (must not exist)
 * @returns the member names in archive order
 * @throws Deno.errors.AlreadyExists when `tarPath` exists; the file system's error (e.g. ENOSPC)
 *   when writing fails (the partial file is left for the caller to remove)
 */
export async function writeTarFromDir(dir: string, tarPath: string): Promise<string[]> {
  using out = await Deno.open(tarPath, { write: true, createNew: true });
  try {
    return await writeTar(dir, fileSink(out));
  } catch (e) {
    throw withPath(e, tarPath);
  }
}

/**
 * A sink that writes every byte to `file` or rejects. (Deno's own `FsFile.writable` drops the
 * rest of a chunk after a short write, so a disk that fills would go unnoticed.)
 */
function fileSink(file: Deno.FsFile): WritableStream<Uint8Array> {
  return new WritableStream({
    async write(chunk) {
      for (let off = 0; off < chunk.length;) {
        const n = await file.write(chunk.subarray(off));
        if (n === 0) throw new Deno.errors.WriteZero("write returned 0 bytes");
        off += n;
      }
    },
  });
}

/** Reads exactly `n` bytes from `reader` (fewer only at its end). */
async function readBytes(
  reader: ReadableStreamBYOBReader,
  n: number,
): Promise<Uint8Array> {
  let buf = new Uint8Array(n);
  let off = 0;
  while (off < n) {
    const { value, done } = await reader.read(buf.subarray(off));
    if (done || value === undefined) break;
    off += value.length;
    buf = new Uint8Array(value.buffer, 0, n);
  }
  return buf.subarray(0, off);
}

/**
 * Reads `tarPath` back member by member and checks that it holds exactly the files of `dir`, in
 * order, byte for byte.
 *
 * @param tarPath the archive
 * @param dir the folder it was made from
 * @throws Deno.errors.InvalidData on any difference (naming the archive and the difference)
 * @example A changed file is detected
 * ```ts
 * import assert from "node:assert/strict";
 * import { verifyTarAgainstDir, writeTarFromDir } from "./tar.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/job`);
 * await Deno.writeTextFile(`${dir}/job/a.csv`, "1\n");
 * await writeTarFromDir(`${dir}/job`, `${dir}/job.tar`);
 * await verifyTarAgainstDir(`${dir}/job.tar`, `${dir}/job`);
 * await Deno.writeTextFile(`${dir}/job/a.csv`, "2\n");
 * await assert.rejects(verifyTarAgainstDir(`${dir}/job.tar`, `${dir}/job`));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function verifyTarAgainstDir(tarPath: string, dir: string): Promise<void> {
  const names = await memberFiles(dir);
  using tar = await Deno.open(tarPath, { read: true });
  const decoder = createTarDecoder({ strict: true });
  const differs = (what: string) =>
    new Deno.errors.InvalidData(
      `The archive read back differs from its folder: ${what}: ${tarPath}`,
    );
  let k = 0;
  try {
    for await (const entry of tar.readable.pipeThrough(decoder)) {
      const want = names[k];
      if (want === undefined || entry.header.name !== `./${want}`) {
        await entry.body.cancel();
        throw differs(
          `member ${k} is "${entry.header.name}", expected ${
            want === undefined ? "no more members" : `"./${want}"`
          }`,
        );
      }
      const why = await compareWithFile(entry.body, entry.header.size, `${dir}/${want}`);
      if (why !== undefined) throw differs(why);
      k++;
    }
  } catch (e) {
    if (e instanceof Deno.errors.InvalidData) throw e;
    throw differs(e instanceof Error ? e.message.replace(/\.$/, "") : String(e)); // the decoder's
  }
  if (k !== names.length) throw differs(`${k} members, ${names.length} files`);
}

/** Compares one member's body with a file; returns how they differ, or undefined. */
async function compareWithFile(
  body: ReadableStream<Uint8Array>,
  size: number,
  path: string,
): Promise<string | undefined> {
  using src = await Deno.open(path, { read: true });
  if ((await src.stat()).size !== size) {
    await body.cancel();
    return `the member for "${path}" has another size`;
  }
  const file = src.readable.getReader({ mode: "byob" });
  let done = 0;
  try {
    for await (const chunk of body) {
      const b = await readBytes(file, chunk.length);
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i] !== b[i]) return `the member for "${path}" differs at byte ${done + i}`;
      }
      done += chunk.length;
    }
  } finally {
    file.releaseLock();
  }
  return done !== size ? `the member for "${path}" is truncated` : undefined;
}
