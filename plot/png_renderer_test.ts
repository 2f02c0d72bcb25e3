import assert from "node:assert/strict";
import { PngRenderer } from "./png_renderer.ts";

Deno.test("PngRenderer renders in its worker, reports a bad SVG, and rejects after close()", async () => {
  const r = new PngRenderer();
  try {
    const png = await r.render(
      '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><text y="20">µm</text></svg>',
      2,
    );
    assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    const width = new DataView(png.buffer, png.byteOffset).getUint32(16);
    assert.equal(width, 80, "scale 2");
    await assert.rejects(r.render("<svg", 1), Error);
  } finally {
    r.close();
  }
  await assert.rejects(r.render('<svg xmlns="http://www.w3.org/2000/svg"/>', 1), /closed|failed/);
});
