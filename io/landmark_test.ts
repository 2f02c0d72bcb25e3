import assert from "node:assert/strict";
import { sharedDir, sharedPath } from "../tests/_shared.ts";
import { InputSyntaxError } from "./errors.ts";
import { parseLandmarks, readLandmarkFile } from "./landmark.ts";

Deno.test("parseLandmarks() reads points after @1, ignores extra tokens and the header count", () => {
  const t =
    "# AmiraMesh 3D ASCII 2.0\n\ndefine Markers 5\n1 2 3\nMarkers { float[3] Coordinates } @1\n\n# Data section follows\n@1\n1 2 3 extra\n\n-1e+01\t2.5  3\n";
  assert.deepEqual(parseLandmarks(t, "a.landmarkAscii"), [
    { x: 1, y: 2, z: 3, line: 9 },
    { x: -10, y: 2.5, z: 3, line: 11 },
  ]);
  assert.deepEqual(parseLandmarks("# no data\n", "b.landmarkAscii"), []);
});

Deno.test("parseLandmarks() reports short lines and bad numbers with line and column", () => {
  assert.throws(() => parseLandmarks("@1\n1 2\n", "a.landmarkAscii"), (e: unknown) => {
    assert.ok(e instanceof InputSyntaxError);
    assert.match(e.message, /^a\.landmarkAscii:2:1: Expected 3 coordinates "x y z".*got 2/);
    return true;
  });
  assert.throws(
    () => parseLandmarks("@1\n1 2,5 3\n", "a.landmarkAscii"),
    /^InputSyntaxError: a\.landmarkAscii:2:3: Bad y coordinate "2,5"/,
  );
});

Deno.test({
  name: "readLandmarkFile() reads the example recording site",
  ignore: sharedDir() === undefined,
  async fn() {
    const l = await readLandmarkFile(
      sharedPath("data/isf_example/apical_proximal_distal_rec_sites.landmarkAscii"),
    );
    // one point although the header says "define Markers 2" (spec/formats.md §6)
    assert.deepEqual(l, [{
      x: -77.80574035644531,
      y: 430.8837585449219,
      z: 310.6405334472656,
      line: 15,
    }]);
  },
});
