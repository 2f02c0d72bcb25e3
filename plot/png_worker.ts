/**
 * Worker side of `PngRenderer` (png_renderer.ts): renders each SVG it is sent to
 * PNG with resvg and sends the bytes back (transferred), or the error message.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { renderPng } from "./render.ts";

/** A request: the SVG text, the scale and an id for the answer. */
interface PngRequest {
  readonly id: number;
  readonly svg: string;
  readonly scale: number;
}

self.onmessage = async (e: MessageEvent<PngRequest>) => {
  const { id, svg, scale } = e.data;
  try {
    const png = await renderPng(svg, scale);
    self.postMessage({ id, png }, [png.buffer as ArrayBuffer]);
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
