/**
 * SVG → PNG in a worker thread (png_worker.ts), so that PNGs are rendered while the next figure's
 * SVG is drawn, and so that resvg's WebAssembly can be compiled while a simulation runs
 * (`--plot`). The worker inherits the process's permissions (it reads the wasm and the font).
 *
 * @module
 */

/** Where PNGs are rendered: in this thread (the default) or in a {@linkcode PngRenderer}. */
export interface PngSink {
  /**
   * Renders SVG text to PNG bytes.
   *
   * @param svg the SVG document
   * @param scale pixels per SVG unit
   * @returns the PNG file's bytes
   */
  render(svg: string, scale: number): Promise<Uint8Array>;
}

type Reply = { id: number; png: Uint8Array } | { id: number; error: string };

/** A small SVG with text and paths: rendering it compiles resvg's busy code paths. */
const WARM_UP_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">' +
  '<rect x="10" y="10" width="100" height="50" fill="#c62828"/>' +
  '<path d="M0,0L100,100L200,20" stroke="#000" fill="none"/>' +
  '<text x="20" y="150" font-family="sans-serif" font-size="12">time (ms) 0123456789 −70 µm</text>' +
  "</svg>";

/** A worker that renders PNGs; close it when done. */
export class PngRenderer implements PngSink {
  #worker: Worker;
  #next = 0;
  #pending = new Map<number, { resolve: (png: Uint8Array) => void; reject: (e: Error) => void }>();
  #failed: Error | undefined;
  #closed = false;

  /**
   * Starts the worker and renders one small warm-up image in it (not awaited).
   *
   * @example
   * ```ts ignore
   * const png = new PngRenderer();
   * try {
   *   const bytes = await png.render('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>', 1);
   * } finally {
   *   png.close();
   * }
   * ```
   */
  constructor() {
    this.#worker = new Worker(new URL("./png_worker.ts", import.meta.url).href, { type: "module" });
    this.#worker.onmessage = (e: MessageEvent<Reply>) => {
      const p = this.#pending.get(e.data.id);
      if (p === undefined) return;
      this.#pending.delete(e.data.id);
      if ("png" in e.data) p.resolve(e.data.png);
      else p.reject(new Error(e.data.error));
    };
    this.#worker.onerror = (e) => {
      e.preventDefault();
      this.#failed = new Error(`PNG worker failed: ${e.message}`);
      for (const p of this.#pending.values()) p.reject(this.#failed);
      this.#pending.clear();
    };
    this.render(WARM_UP_SVG, 1).catch(() => {}); // a failure shows again on the first real image
  }

  /**
   * Renders SVG text to PNG bytes in the worker.
   *
   * @param svg the SVG document
   * @param scale pixels per SVG unit
   * @returns the PNG file's bytes
   */
  render(svg: string, scale: number): Promise<Uint8Array> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (this.#closed) return Promise.reject(new Error("PNG worker closed"));
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, svg, scale });
    });
  }

  /** Stops the worker; pending renders are rejected. */
  close(): void {
    this.#closed = true;
    this.#worker.terminate();
    const e = new Error("PNG worker closed");
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }
}
