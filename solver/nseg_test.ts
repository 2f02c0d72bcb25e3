import assert from "node:assert/strict";
import { dLambdaNseg } from "./nseg.ts";

Deno.test("dLambdaNseg: odd counts from the d-λ rule, max_seg_length may make them even", () => {
  const lambda = 100000 * Math.sqrt(2 / (4 * Math.PI * 100 * 100 * 1));
  // nseg = 2·⌊(L/(0.1λ) + 0.5)/2⌋ + 1
  assert.equal(dLambdaNseg({ L: 0.1 * lambda * 1.99, midDiam: 2, Ra: 100, cm: 1 }), 3);
  assert.equal(dLambdaNseg({ L: 0.1 * lambda * 0.99, midDiam: 2, Ra: 100, cm: 1 }), 1);
  assert.equal(dLambdaNseg({ L: 0.1 * lambda * 2.01, midDiam: 2, Ra: 100, cm: 1 }), 3);
  assert.equal(dLambdaNseg({ L: 0.1 * lambda * 3.4, midDiam: 2, Ra: 100, cm: 1 }), 3);
  assert.equal(dLambdaNseg({ L: 0.1 * lambda * 3.6, midDiam: 2, Ra: 100, cm: 1 }), 5);
  assert.equal(dLambdaNseg({ L: 50, midDiam: 2, Ra: 100, cm: 1 }, { maxSegLength: 12 }), 5);
  assert.equal(dLambdaNseg({ L: 50, midDiam: 2, Ra: 100, cm: 1 }, { maxSegLength: 5 }), 10);
  // higher frequency → shorter λ → more segments
  assert.ok(
    dLambdaNseg({ L: 500, midDiam: 2, Ra: 100, cm: 1 }, { f: 1000 }) >
      dLambdaNseg({ L: 500, midDiam: 2, Ra: 100, cm: 1 }),
  );
});
