import assert from "node:assert/strict";
import { decodeFrames, encodeFrame, FrameReader, ProtocolError } from "./_plugin_protocol.ts";

Deno.test("encodeFrame()/FrameReader carry typed arrays, non-finite numbers and prototype keys", () => {
  const values = [Float64Array.from([1.5, -0, 1e-300]), new Float64Array(3).fill(7)];
  const message = {
    type: "call",
    id: 3,
    payload: {
      t: Float64Array.from([0, 0.025, 0.05]),
      values,
      nodes: Int32Array.from([-1, 2]),
      odd: Uint8Array.from([1, 2, 3]), // 3 bytes: padding keeps the next blob aligned
      after: Float32Array.from([0.5]),
      x: [NaN, Infinity, -Infinity, 1],
      params: JSON.parse('{"__proto__": 1, "constructor": 2}'),
      nothing: null,
    },
  };
  const frame = encodeFrame(message);
  assert.equal(frame.length % 8, 0);
  // Delivered one byte at a time, the frame still decodes once, at its last byte.
  const r = new FrameReader(1 << 20);
  let out: unknown[] = [];
  for (let i = 0; i < frame.length; i++) {
    const got = r.push(frame.subarray(i, i + 1));
    if (i < frame.length - 1) assert.deepEqual(got, []);
    else out = got;
  }
  assert.equal(out.length, 1);
  const back = out[0] as typeof message;
  assert.ok(back.payload.t instanceof Float64Array);
  assert.deepEqual([...back.payload.t], [0, 0.025, 0.05]);
  assert.ok(Object.is(back.payload.values[0][1], -0));
  assert.equal(back.payload.values[0][2], 1e-300);
  assert.deepEqual([...back.payload.values[1]], [7, 7, 7]);
  assert.deepEqual([...back.payload.nodes], [-1, 2]);
  assert.deepEqual([...back.payload.odd], [1, 2, 3]);
  assert.deepEqual([...back.payload.after], [0.5]);
  assert.ok(Number.isNaN(back.payload.x[0]));
  assert.deepEqual(back.payload.x.slice(1), [Infinity, -Infinity, 1]);
  // `__proto__` stays a plain own key: the object's prototype is untouched.
  assert.ok(Object.hasOwn(back.payload.params, "__proto__"));
  assert.equal(Object.getPrototypeOf(back.payload.params), Object.prototype);
  assert.deepEqual(Object.keys(back.payload.params), ["__proto__", "constructor"]);
  assert.equal(back.payload.nothing, null);
});

Deno.test("FrameReader splits several frames in one chunk; each owns its buffer", () => {
  const a = encodeFrame({ v: Float64Array.from([1, 2]) });
  const b = encodeFrame({ v: Float64Array.from([3]) });
  const joined = new Uint8Array(a.length + b.length + 5);
  joined.set(a);
  joined.set(b, a.length);
  joined.set(b.subarray(0, 5), a.length + b.length);
  const { messages, rest } = decodeFrames(joined);
  const [x, y] = messages as { v: Float64Array }[];
  assert.deepEqual([...x.v], [1, 2]);
  assert.deepEqual([...y.v], [3]);
  assert.notEqual(x.v.buffer, y.v.buffer, "frames must not share a buffer (one may be moved)");
  assert.equal(x.v.buffer.byteLength, a.length);
  assert.equal(rest.length, 5);
});

Deno.test("FrameReader rejects bytes that are not frames, oversized frames and bad references", () => {
  assert.throws(
    () => new FrameReader(1 << 20).push(new TextEncoder().encode("hello from a plugin\n")),
    (e: unknown) => e instanceof ProtocolError && /bytes outside a frame/.test(e.message),
  );
  const big = encodeFrame({ v: new Float64Array(100) });
  assert.throws(() => new FrameReader(64).push(big), /exceeds the limit of 64/);
  // A header that points at a blob that does not exist.
  const forged = encodeFrame({ v: { "\u0000": "Float64Array", i: 0, n: 4 } });
  assert.throws(() => decodeFrames(forged), /bad typed-array reference/);
  // A class that is not a typed array.
  const evil = encodeFrame({ v: { "\u0000": "Function", i: 0, n: 1 } });
  assert.throws(() => decodeFrames(evil), /bad typed-array reference/);
  // A header that is not JSON.
  const frame = encodeFrame({ a: 1 });
  frame[16] = 0x7b + 1;
  assert.throws(() => decodeFrames(frame), ProtocolError);
});
