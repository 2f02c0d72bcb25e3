/**
 * A small POSIX ustar writer and reader for `--tar` (algorithm.md §3 step 11): the files of a
 * finished job folder become members `./<file>`; names longer than ustar allows get a pax `path`
 * record. Files are streamed in chunks, so the archive size is not limited by memory.
 *
 * @module
 */
import { InternalError } from "../io/mod.ts";

const BLOCK = 512;
const CHUNK = 1 << 20;
const enc = new TextEncoder();
const dec = new TextDecoder();

function putString(h: Uint8Array, off: number, len: number, s: string): void {
  const b = enc.encode(s);
  if (b.length > len) throw new InternalError(`tar field "${s}" longer than ${len} bytes`);
  h.set(b, off);
}

function putOctal(h: Uint8Array, off: number, len: number, v: number): void {
  // len-1 octal digits, zero padded, then NUL
  const s = Math.floor(v).toString(8).padStart(len - 1, "0");
  if (s.length > len - 1) throw new InternalError(`tar value ${v} does not fit ${len} bytes`);
  putString(h, off, len, s + "\0");
}

/** Splits `name` into ustar (prefix, name) or returns undefined when it cannot fit. */
function splitUstar(name: string): [string, string] | undefined {
  const n = enc.encode(name).length;
  if (n <= 100) return ["", name];
  for (let i = name.indexOf("/"); i >= 0; i = name.indexOf("/", i + 1)) {
    const p = name.slice(0, i), r = name.slice(i + 1);
    if (enc.encode(p).length <= 155 && enc.encode(r).length <= 100 && r.length > 0) return [p, r];
  }
  return undefined;
}

function header(name: string, size: number, mtime: number, type: string): Uint8Array {
  const split = splitUstar(name);
  if (split === undefined) throw new InternalError(`tar name "${name}" needs a pax record`);
  const h = new Uint8Array(BLOCK);
  putString(h, 0, 100, split[1]);
  putOctal(h, 100, 8, 0o644);
  putOctal(h, 108, 8, 0);
  putOctal(h, 116, 8, 0);
  putOctal(h, 124, 12, size);
  putOctal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156); // checksum field counts as spaces
  putString(h, 156, 1, type);
  putString(h, 257, 6, "ustar\0");
  putString(h, 263, 2, "00");
  putString(h, 345, 155, split[0]);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i]!;
  putString(h, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return h;
}

function padding(size: number): Uint8Array {
  return new Uint8Array((BLOCK - (size % BLOCK)) % BLOCK);
}

/**
 * The header block(s) of one regular-file member: one ustar block, preceded by a pax record
 * (plus its data) when the name does not fit ustar's 100 + 155 bytes.
 *
 * @param name member name (e.g. `./seed1_pid2_vm_all_traces.csv`)
 * @param size data size [bytes]
 * @param mtime modification time [s since 1970]
 * @returns bytes to write before the member's data
 * @example A short name takes one block
 * ```ts
 * import assert from "node:assert/strict";
 * import { memberHeader } from "./tar.ts";
 * assert.equal(memberHeader("./a.csv", 3, 0).length, 512);
 * ```
 */
export function memberHeader(name: string, size: number, mtime: number): Uint8Array {
  if (splitUstar(name) !== undefined) return header(name, size, mtime, "0");
  const body = enc.encode(` path=${name}\n`).length;
  const digits = String(body).length;
  const len = body + digits + (String(body + digits).length > digits ? 1 : 0);
  const rec = enc.encode(`${len} path=${name}\n`);
  const short = name.slice(name.lastIndexOf("/") + 1).slice(0, 90);
  const out = new Uint8Array(BLOCK + rec.length + padding(rec.length).length + BLOCK);
  out.set(header(`PaxHeader/${short}`, rec.length, mtime, "x"), 0);
  out.set(rec, BLOCK);
  out.set(header(short, size, mtime, "0"), out.length - BLOCK);
  return out;
}

/** One member as read back: name and data. */
export interface TarMember {
  /** Member name (`./file`). */
  readonly name: string;
  /** Member content. */
  readonly data: Uint8Array;
}

function readString(b: Uint8Array, off: number, len: number): string {
  let end = off;
  while (end < off + len && b[end] !== 0) end++;
  return dec.decode(b.subarray(off, end));
}

function readOctal(b: Uint8Array, off: number, len: number): number {
  const s = readString(b, off, len).trim();
  return s === "" ? 0 : parseInt(s, 8);
}

/**
 * Parses a whole ustar/pax archive held in memory (regular files only).
 *
 * @param bytes the archive
 * @returns members in archive order
 * @throws InternalError on a bad checksum or truncated data
 * @example Round trip
 * ```ts
 * import assert from "node:assert/strict";
 * import { memberHeader, parseTar } from "./tar.ts";
 * const h = memberHeader("./x.txt", 2, 0);
 * const bytes = new Uint8Array(h.length + 512 + 1024);
 * bytes.set(h); bytes.set([104, 105], h.length);
 * assert.deepEqual(parseTar(bytes).map((m) => m.name), ["./x.txt"]);
 * ```
 */
export function parseTar(bytes: Uint8Array): TarMember[] {
  const out: TarMember[] = [];
  let pos = 0;
  let paxPath: string | undefined;
  while (pos + BLOCK <= bytes.length) {
    const h = decodeHeader(bytes.subarray(pos, pos + BLOCK), pos);
    if (h === undefined) break;
    const start = pos + BLOCK;
    if (start + h.size > bytes.length) {
      throw new InternalError(`tar member "${h.name}" is truncated`);
    }
    const data = bytes.subarray(start, start + h.size);
    pos = start + h.size + padding(h.size).length;
    if (h.type === "x") {
      paxPath = paxPathOf(data);
      continue;
    }
    if (h.type === "0" || h.type === "\0") out.push({ name: paxPath ?? h.name, data });
    paxPath = undefined;
  }
  return out;
}

interface Header {
  readonly name: string;
  readonly size: number;
  readonly type: string;
}

/** Decodes one header block; undefined for an all-zero (end) block. */
function decodeHeader(h: Uint8Array, pos: number): Header | undefined {
  if (h.every((x) => x === 0)) return undefined;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  if (sum !== readOctal(h, 148, 8)) throw new InternalError(`tar checksum mismatch at byte ${pos}`);
  const prefix = readString(h, 345, 155);
  return {
    name: (prefix ? prefix + "/" : "") + readString(h, 0, 100),
    size: readOctal(h, 124, 12),
    type: String.fromCharCode(h[156]!),
  };
}

function paxPathOf(data: Uint8Array): string | undefined {
  let path: string | undefined;
  for (const line of dec.decode(data).split("\n")) {
    const m = /^\d+ path=(.*)$/.exec(line);
    if (m) path = m[1];
  }
  return path;
}

async function copyInto(dst: Deno.FsFile, path: string): Promise<number> {
  using src = await Deno.open(path, { read: true });
  const buf = new Uint8Array(CHUNK);
  let total = 0;
  for (;;) {
    const n = await src.read(buf);
    if (n === null) break;
    await writeAll(dst, buf.subarray(0, n));
    total += n;
  }
  return total;
}

async function writeAll(f: Deno.FsFile, b: Uint8Array): Promise<void> {
  let off = 0;
  while (off < b.length) off += await f.write(b.subarray(off));
}

async function readExactly(f: Deno.FsFile, n: number): Promise<Uint8Array> {
  const b = new Uint8Array(n);
  let off = 0;
  while (off < n) {
    const k = await f.read(b.subarray(off));
    if (k === null) throw new InternalError(`tar archive ends early (wanted ${n} bytes)`);
    off += k;
  }
  return b;
}

/**
 * The regular files of `dir` and its sub-folders (a recorder plugin's `plugins/<name>/`), as
 * paths relative to `dir`, sorted.
 */
async function filesOf(dir: string, prefix = ""): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(prefix === "" ? dir : `${dir}/${prefix}`)) {
    const rel = prefix === "" ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory) names.push(...await filesOf(dir, rel));
    else if (e.isFile) names.push(rel);
    else throw new InternalError(`"${dir}/${rel}" is not a regular file`);
  }
  return prefix === "" ? names.sort() : names;
}

/**
 * Writes the regular files of `dir` and its sub-folders (sorted by path) into `tarPath` as
 * members `./<path>`.
 *
 * @param dir folder whose files are archived
 * @param tarPath the archive to create (must not exist)
 * @returns the member names in archive order
 */
export async function writeTarFromDir(dir: string, tarPath: string): Promise<string[]> {
  const names = await filesOf(dir);
  using out = await Deno.open(tarPath, { write: true, createNew: true });
  for (const n of names) {
    const st = await Deno.stat(`${dir}/${n}`);
    const mtime = Math.floor((st.mtime?.getTime() ?? 0) / 1000);
    await writeAll(out, memberHeader(`./${n}`, st.size, mtime));
    const written = await copyInto(out, `${dir}/${n}`);
    if (written !== st.size) throw new InternalError(`"${n}" changed while archiving`);
    await writeAll(out, padding(written));
  }
  await writeAll(out, new Uint8Array(2 * BLOCK));
  return names.map((n) => `./${n}`);
}

/**
 * Reads `tarPath` back member by member and checks that it holds exactly the files of `dir`, in
 * order, byte for byte.
 *
 * @param tarPath the archive
 * @param dir the folder it was made from
 * @throws InternalError on any difference
 */
export async function verifyTarAgainstDir(tarPath: string, dir: string): Promise<void> {
  const names = await filesOf(dir);
  using f = await Deno.open(tarPath, { read: true });
  let k = 0;
  let pos = 0;
  let paxPath: string | undefined;
  for (;;) {
    const h = decodeHeader(await readExactly(f, BLOCK), pos);
    if (h === undefined) break;
    pos += BLOCK;
    if (h.type === "x") {
      paxPath = paxPathOf(await readExactly(f, h.size));
      await readExactly(f, padding(h.size).length);
      pos += h.size + padding(h.size).length;
      continue;
    }
    const name = paxPath ?? h.name;
    paxPath = undefined;
    const want = names[k];
    if (name !== `./${want}`) {
      throw new InternalError(`tar member ${k} is "${name}", expected "./${want}"`);
    }
    await compareWithFile(f, h.size, `${dir}/${want}`);
    await readExactly(f, padding(h.size).length);
    pos += h.size + padding(h.size).length;
    k++;
  }
  if (k !== names.length) {
    throw new InternalError(`tar holds ${k} members, the folder ${names.length} files`);
  }
}

async function compareWithFile(tar: Deno.FsFile, size: number, path: string): Promise<void> {
  using src = await Deno.open(path, { read: true });
  if ((await src.stat()).size !== size) {
    throw new InternalError(`tar member for "${path}" has another size`);
  }
  for (let done = 0; done < size;) {
    const n = Math.min(CHUNK, size - done);
    const a = await readExactly(tar, n), b = await readExactly(src, n);
    for (let i = 0; i < n; i++) {
      if (a[i] !== b[i]) {
        throw new InternalError(`tar member for "${path}" differs at byte ${done + i}`);
      }
    }
    done += n;
  }
}
