import assert from "node:assert/strict";
import { SelfEventQueue } from "./_self_events.ts";

Deno.test("SelfEventQueue delivers by time, equal times in sending order, and grows", () => {
  const q = new SelfEventQueue();
  const sent: [number, number][] = [];
  for (let i = 0; i < 40; i++) {
    const t = (i * 7) % 10;
    q.push(i, t, i, -1);
    sent.push([t, i]);
  }
  const out = new Float64Array(4);
  const got: [number, number][] = [];
  while (q.size > 0) {
    q.pop(out);
    got.push([out[0], out[1]]);
  }
  sent.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  assert.deepEqual(got, sent);
  assert.equal(q.peekTime(), Infinity);
});
