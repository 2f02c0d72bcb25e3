import assert from "node:assert/strict";
import { ICLAMP } from "./iclamp.ts";
import { allocateInstances } from "./_types.ts";
import { makeNodes } from "./_testing.ts";

Deno.test("ICLAMP.current() is on exactly for del ≤ t < del + dur and depolarises", () => {
  const s = allocateInstances(ICLAMP, new Int32Array([0]));
  s.fields.del[0] = 100;
  s.fields.dur[0] = 100;
  s.fields.amp[0] = -0.2;
  const area = 916.4576946244947; // soma [µm²]
  for (
    const [t, on] of [[99.9875, false], [100, true], [100.0125, true], [199.9875, true], [
      200,
      false,
    ], [200.0125, false]] as const
  ) {
    const n = makeNodes(1, { area, t });
    ICLAMP.init(s, n);
    ICLAMP.current(s, n);
    assert.equal(s.fields.i[0], on ? -0.2 : 0, `t = ${t}`);
    assert.equal(n.i[0], on ? 0.2 * (1e2 / area) : 0, `t = ${t}`); // i·100/area [mA/cm²], inward
    assert.equal(n.g[0], 0);
  }
});
