import assert from "node:assert/strict";
import { formatFixed, landmarkBasename, recordingSites } from "./recording_sites.ts";
import { buildTestCell, labelBlock, testParamText } from "./_test_cell.ts";

Deno.test("recordingSites: nearest point → section, nearest segment centre, soma(0) distance, ISF label", () => {
  const cell = buildTestCell(
    testParamText(labelBlock("Soma", '"pas": {"spatial": "uniform", "g": 0.0001}')),
  );
  const a1 = cell.sections[2]; // apical_1, points at z = 20, 270, 520
  const sites = recordingSites(cell, [{ x: 1, y: 0, z: 268 }, { x: 100, y: 0, z: 10 }], "rec");
  assert.equal(sites[0].section, 2);
  const seg = Math.min(Math.floor(0.5 * a1.nseg), a1.nseg - 1);
  assert.equal(sites[0].segment, seg);
  assert.equal(sites[0].x, (seg + 0.5) / a1.nseg);
  assert.equal(sites[0].somaDist, 10 + sites[0].x * 500);
  assert.equal(
    sites[0].label,
    `rec_ID_000_sec_002_seg_${String(seg).padStart(3, "0")}_x_${
      formatFixed(sites[0].x, 3)
    }_somaDist_${formatFixed(sites[0].somaDist, 1)}`,
  );
  assert.equal(sites[1].section, 1); // dend_1's last point
  assert.equal(sites[1].segment, cell.sections[1].nseg - 1);
  assert.match(sites[1].label, /^rec_ID_001_sec_001_/);
});

Deno.test("formatFixed: printf rounding (exact binary ties to even, others correctly rounded)", () => {
  assert.equal(formatFixed(0.0625, 3), "0.062");
  assert.equal(formatFixed(0.1875, 3), "0.188");
  assert.equal(formatFixed(1.05, 1), "1.1"); // 1.05 is above the tie in binary
  assert.equal(formatFixed(0.15, 1), "0.1"); // 0.15 is below the tie in binary
  assert.equal(formatFixed(-2.5, 0), "-2");
  assert.equal(formatFixed(11.080940510610784, 1), "11.1");
  assert.equal(formatFixed(0.9285714285714286, 3), "0.929");
  assert.equal(
    landmarkBasename("x/apical_proximal_distal_rec_sites.landmarkAscii"),
    "apical_proximal_distal_rec_sites",
  );
});
