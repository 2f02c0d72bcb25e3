/**
 * The wire protocol between simrun (`host.ts`, the parent) and a plugin's process
 * (`plugin_process.ts`, which relays to the sandboxed worker `plugin_worker.js`). A leaf: both
 * sides import it, it imports nothing.
 *
 * Messages travel as frames on the child's stdin (parent → child) and stdout (child → parent):
 *
 * ```
 * offset 0   "SRPF"            magic, 4 bytes
 *        4   payload bytes     u32 little-endian (everything after these 16 bytes)
 *        8   header bytes      u32 little-endian (UTF-8 JSON)
 *        12  blob count        u32 little-endian
 *        16  header JSON, zero-padded to a multiple of 8
 *            blob 0, zero-padded to a multiple of 8; blob 1; …
 * ```
 *
 * The header is the message as JSON, with each typed array replaced by `{"\u0000": "<class>",
 * "i": <blob index>, "n": <length>}` and each non-finite number by `{"\u0000": "number", "v":
 * "NaN"}`, so traces travel as raw bytes (a sweep of 36 sites × 13 801 samples is one 4 MB copy,
 * not a text conversion). Decoding never calls a constructor named by the data other than the
 * fixed typed-array classes below, and `JSON.parse` keeps keys such as `__proto__` as plain own
 * properties.
 *
 * @module
 */

/** What kind of module a plugin process loads, and so which export it requires. */
export type PluginKind = "cellModify" | "recorder";

/** The calls a plugin serves after loading, with their payload. */
export type PluginCallOp = "cellModify" | "sites" | "sweep" | "finish";

/** Parent → child: the worker's configuration (first frame; the child answers `ready`). */
export interface StartMessage {
  readonly type: "start";
  /** Real file URL of the plugin module. */
  readonly url: string;
  /** Which export the module must have. */
  readonly kind: PluginKind;
  /** The worker's read permission: files and folders (no link leading out of the grants). */
  readonly read: readonly string[];
  /** The worker's write permission: the plugin's own output folder, or none. */
  readonly write: readonly string[];
  /** What `Deno.cwd()` answers inside the plugin: its own real folder. */
  readonly cwd: string;
  /** Resident memory at which the process reports `memory` and ends itself [MiB]. */
  readonly rssLimitMb: number;
}

/** Parent → child → worker: one request; `id` pairs it with its reply. */
export interface CallMessage {
  readonly type: "call";
  readonly id: number;
  readonly op: "load" | PluginCallOp;
  /** Request data (`{cell, args, context}`, `{data, context}`, …). */
  readonly payload: unknown;
}

/** A plugin's error, reduced to text (every field is the plugin's and is sanitized by the host). */
export interface PluginFault {
  /** Error class name (`NotCapable` for a denied permission, `TypeError`, …). */
  readonly name: string;
  readonly message: string;
  readonly stack: string;
  /** True when the thrown value was one of Deno's permission errors (`Deno.errors.NotCapable`). */
  readonly denial: boolean;
}

/** Worker → child → parent: the reply to request `id`. */
export type ReplyMessage =
  | { readonly type: "reply"; readonly id: number; readonly ok: true; readonly value: unknown }
  | {
    readonly type: "reply";
    readonly id: number;
    readonly ok: false;
    readonly fault: PluginFault;
  };

/** Child → parent: messages that answer no request. */
export type NoticeMessage =
  /** The worker exists; the parent may send `load`. */
  | { readonly type: "ready" }
  /** The plugin printed with `console.*` (forwarded to simrun's stderr, sanitized). */
  | { readonly type: "log"; readonly text: string }
  /** An error outside any request (a throw in a timer, an unhandled rejection, `Deno.exit`). */
  | { readonly type: "fault"; readonly fault: PluginFault; readonly exit?: number }
  /** The process's resident memory passed `rssLimitMb`; the process ends itself. */
  | { readonly type: "memory"; readonly rssMb: number };

/** Everything the parent sends. */
export type ParentMessage = StartMessage | CallMessage;
/** Everything the child sends. */
export type ChildMessage = ReplyMessage | NoticeMessage;

/** "SRPF" read as a little-endian u32. */
const MAGIC = 0x46505253;
/** Bytes before the header. */
const PREAMBLE = 16;
/** Key that marks an encoded typed array or non-finite number in the header JSON. */
const TAG = "\u0000";

/** A typed-array class. */
interface TypedArrayClass {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): ArrayBufferView;
  readonly BYTES_PER_ELEMENT: number;
}

/** Typed-array classes a frame may carry, by name. */
const TYPED: Readonly<Record<string, TypedArrayClass>> = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
};

/** A frame that cannot be decoded: the other side broke the protocol. */
export class ProtocolError extends Error {
  /**
   * Creates the error.
   *
   * @param message what was wrong with the bytes
   */
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}

function pad8(n: number): number {
  return (n + 7) & ~7;
}

/** Zero bytes for padding. */
const ZEROS = new Uint8Array(8);

/**
 * Encodes one message as the parts of a frame, without copying its typed arrays: the preamble
 * and header, then each typed array's bytes (a view on its own memory) and its padding. Write
 * the parts in order; the typed arrays must not change until they are written.
 *
 * @param message plain data: objects, arrays, strings, numbers (also NaN, ±Infinity), booleans,
 *   null and typed arrays (other values follow `JSON.stringify`)
 * @returns the frame's bytes in parts
 * @throws ProtocolError when the frame would exceed 4 GiB; TypeError for a value JSON cannot
 *   carry (a BigInt, a cycle)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFrameParts } from "./_plugin_protocol.ts";
 * const t = Float64Array.from([0, 0.025]);
 * const parts = encodeFrameParts({ t });
 * assert.equal(parts[1].buffer, t.buffer); // the trace itself, not a copy
 * ```
 */
export function encodeFrameParts(message: unknown): Uint8Array[] {
  const blobs: ArrayBufferView[] = [];
  const json = JSON.stringify(message, function (this: unknown, _key: string, value: unknown) {
    if (typeof value === "number" && !Number.isFinite(value)) {
      return { [TAG]: "number", v: String(value) };
    }
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const name = value.constructor.name;
      if (TYPED[name] === undefined) return null;
      blobs.push(value);
      return { [TAG]: name, i: blobs.length - 1, n: (value as Uint8Array).length };
    }
    return value;
  }) ?? "null";
  const header = new TextEncoder().encode(json);
  let payload = pad8(header.length);
  for (const b of blobs) payload += pad8(b.byteLength);
  if (payload > 0xffffffff) throw new ProtocolError(`message of ${payload} bytes is too big`);
  const head = new Uint8Array(PREAMBLE + pad8(header.length));
  const dv = new DataView(head.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, payload, true);
  dv.setUint32(8, header.length, true);
  dv.setUint32(12, blobs.length, true);
  head.set(header, PREAMBLE);
  const parts: Uint8Array[] = [head];
  for (const b of blobs) {
    parts.push(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    const pad = pad8(b.byteLength) - b.byteLength;
    if (pad > 0) parts.push(ZEROS.subarray(0, pad));
  }
  return parts;
}

/**
 * Encodes one message as a frame in one array (a copy of its typed arrays).
 *
 * @param message as for {@linkcode encodeFrameParts}
 * @returns the frame's bytes
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeFrames, encodeFrame } from "./_plugin_protocol.ts";
 * const frame = encodeFrame({ t: Float64Array.from([0, 0.025]), v: NaN });
 * const [back] = decodeFrames(frame).messages as { t: Float64Array; v: number }[];
 * assert.deepEqual([...back.t], [0, 0.025]);
 * assert.ok(Number.isNaN(back.v));
 * ```
 */
export function encodeFrame(message: unknown): Uint8Array {
  const parts = encodeFrameParts(message);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Decodes one complete frame (`buf` holds exactly its bytes and starts 8-byte aligned). */
function decodeOne(buf: Uint8Array): unknown {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const headerBytes = dv.getUint32(8, true);
  const count = dv.getUint32(12, true);
  if (PREAMBLE + pad8(headerBytes) > buf.length) throw new ProtocolError("header overruns frame");
  let json: string;
  try {
    json = new TextDecoder("utf-8", { fatal: true }).decode(
      buf.subarray(PREAMBLE, PREAMBLE + headerBytes),
    );
  } catch {
    throw new ProtocolError("header is not UTF-8");
  }
  const blobs: { off: number; bytes: number }[] = [];
  let off = PREAMBLE + pad8(headerBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ProtocolError("header is not JSON");
  }
  // Blob sizes come from the header's tags: walk it once to lay the blobs out in index order.
  const sizes: number[] = new Array(count).fill(-1);
  const visit = (v: unknown, depth: number): void => {
    if (typeof v !== "object" || v === null) return;
    if (depth > 64) throw new ProtocolError("message nests deeper than 64 levels");
    const o = v as Record<string, unknown>;
    if (Object.hasOwn(o, TAG) && o[TAG] !== "number") {
      const cls = typeof o[TAG] === "string" && Object.hasOwn(TYPED, o[TAG]) ? TYPED[o[TAG]] : null;
      const i = o.i, n = o.n;
      if (
        cls === null || typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= count ||
        typeof n !== "number" || !Number.isInteger(n) || n < 0 || sizes[i] !== -1
      ) throw new ProtocolError("bad typed-array reference");
      sizes[i] = n * cls.BYTES_PER_ELEMENT;
      return;
    }
    for (const x of Array.isArray(o) ? o : Object.values(o)) visit(x, depth + 1);
  };
  visit(parsed, 0);
  for (const bytes of sizes) {
    if (bytes < 0) throw new ProtocolError("unreferenced blob");
    if (off + pad8(bytes) > buf.length) throw new ProtocolError("blob overruns frame");
    blobs.push({ off, bytes });
    off += pad8(bytes);
  }
  if (off !== buf.length) throw new ProtocolError("frame has trailing bytes");
  const revive = (v: unknown): unknown => {
    if (typeof v !== "object" || v === null) return v;
    if (Array.isArray(v)) {
      for (let k = 0; k < v.length; k++) v[k] = revive(v[k]);
      return v;
    }
    const o = v as Record<string, unknown>;
    if (Object.hasOwn(o, TAG)) {
      if (o[TAG] === "number") {
        return o.v === "NaN"
          ? NaN
          : o.v === "Infinity"
          ? Infinity
          : o.v === "-Infinity"
          ? -Infinity
          : null;
      }
      const cls = TYPED[o[TAG] as string];
      const b = blobs[o.i as number];
      return new cls(buf.buffer as ArrayBuffer, buf.byteOffset + b.off, o.n as number);
    }
    for (const k of Object.keys(o)) o[k] = revive(o[k]);
    return o;
  };
  return revive(parsed);
}

/** Result of {@linkcode decodeFrames}. */
export interface DecodedFrames {
  /** The complete messages, in order. */
  readonly messages: unknown[];
  /** Bytes of an incomplete last frame (keep them and pass them again with the next chunk). */
  readonly rest: Uint8Array;
}

/**
 * Decodes every complete frame in `bytes` (for tests and one-shot use; streams use
 * {@linkcode FrameReader}).
 *
 * @param bytes concatenated frames
 * @param maxPayloadBytes the largest frame accepted
 * @returns the messages and the bytes of an incomplete last frame
 * @throws ProtocolError for bytes that are not a frame
 */
export function decodeFrames(bytes: Uint8Array, maxPayloadBytes = 0xffffffff): DecodedFrames {
  const r = new FrameReader(maxPayloadBytes);
  const messages = r.push(bytes);
  return { messages, rest: r.pending() };
}

/**
 * Reassembles frames from a byte stream that arrives in arbitrary chunks (a pipe).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFrame, FrameReader } from "./_plugin_protocol.ts";
 * const f = encodeFrame({ type: "ready" });
 * const r = new FrameReader(1 << 20);
 * assert.deepEqual(r.push(f.subarray(0, 5)), []);
 * assert.deepEqual(r.push(f.subarray(5)), [{ type: "ready" }]);
 * ```
 */
export class FrameReader {
  #chunks: Uint8Array[] = [];
  #have = 0;
  #max: number;

  /**
   * Creates a reader.
   *
   * @param maxPayloadBytes frames announcing more are a protocol error (protects the reader's
   *   memory against a peer that claims gigabytes)
   */
  constructor(maxPayloadBytes: number) {
    this.#max = maxPayloadBytes;
  }

  /**
   * Adds bytes and returns the messages completed by them.
   *
   * @param chunk the next bytes of the stream
   * @returns complete messages, in order
   * @throws ProtocolError when the bytes are not frames (wrong magic, too big, malformed)
   */
  push(chunk: Uint8Array): unknown[] {
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#have += chunk.length;
    }
    const out: unknown[] = [];
    for (;;) {
      if (this.#have < PREAMBLE) return out;
      const head = this.#peek(PREAMBLE);
      const dv = new DataView(head.buffer, head.byteOffset, PREAMBLE);
      if (dv.getUint32(0, true) !== MAGIC) {
        throw new ProtocolError("bytes outside a frame (not written by simrun's plugin host)");
      }
      const payload = dv.getUint32(4, true);
      if (payload > this.#max) {
        throw new ProtocolError(`frame of ${payload} bytes exceeds the limit of ${this.#max}`);
      }
      if (this.#have < PREAMBLE + payload) return out;
      out.push(decodeOne(this.#take(PREAMBLE + payload)));
    }
  }

  /** The bytes received but not yet part of a complete frame. */
  pending(): Uint8Array {
    return this.#peek(this.#have);
  }

  /** The first `n` bytes, joined into one aligned array (not consumed). */
  #peek(n: number): Uint8Array {
    const first = this.#chunks[0];
    if (first !== undefined && first.length >= n && first.byteOffset % 8 === 0) {
      return first.subarray(0, n);
    }
    const out = new Uint8Array(n);
    let off = 0;
    for (const c of this.#chunks) {
      if (off >= n) break;
      const k = Math.min(c.length, n - off);
      out.set(c.subarray(0, k), off);
      off += k;
    }
    // Keep the joined bytes so the next peek does not join again.
    const rest = this.#chunks.length > 0 ? this.#afterJoin(n) : [];
    this.#chunks = [out, ...rest];
    return out.subarray(0, n);
  }

  /** The chunks after the first `n` bytes (for #peek's rejoin). */
  #afterJoin(n: number): Uint8Array[] {
    const rest: Uint8Array[] = [];
    let skip = n;
    for (const c of this.#chunks) {
      if (skip >= c.length) {
        skip -= c.length;
        continue;
      }
      rest.push(skip > 0 ? c.subarray(skip) : c);
      skip = 0;
    }
    return rest;
  }

  /**
   * Removes and returns the first `n` bytes as an array that owns its whole buffer (decoded
   * typed arrays are views on it, and may be moved to a worker without emptying other frames).
   */
  #take(n: number): Uint8Array {
    const joined = this.#peek(n);
    // #peek left the first chunk starting with exactly these bytes.
    const first = this.#chunks[0]!;
    this.#chunks[0] = first.subarray(n);
    if (this.#chunks[0].length === 0) this.#chunks.shift();
    this.#have -= n;
    const owns = joined.byteOffset === 0 && joined.buffer.byteLength === n;
    return owns ? joined : joined.slice();
  }
}
