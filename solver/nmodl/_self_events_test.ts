import assert from "node:assert/strict";
import {
  createSelfEvents,
  EVENTS_SLOT,
  nextSelfEventTime,
  popSelfEvent,
  pushSelfEvent,
  selfEventCount,
} from "./_self_events.ts";

Deno.test("pushSelfEvent/popSelfEvent deliver by time, equal times in sending order, and grow", () => {
  const d: Record<string, Float64Array> = { [EVENTS_SLOT]: createSelfEvents(2) };
  const sent: [number, number][] = [];
  for (let i = 0; i < 40; i++) {
    const t = (i * 7) % 10;
    pushSelfEvent(d, i, t, i, -1);
    sent.push([t, i]);
  }
  assert.ok(d[EVENTS_SLOT].length >= 2 + 5 * 40, "the slot grew");
  const out = new Float64Array(4);
  const got: [number, number][] = [];
  while (selfEventCount(d[EVENTS_SLOT]) > 0) {
    popSelfEvent(d[EVENTS_SLOT], out);
    got.push([out[0], out[1]]);
  }
  sent.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  assert.deepEqual(got, sent);
  assert.equal(nextSelfEventTime(d[EVENTS_SLOT]), Infinity);
});
