/**
 * Test fixture: a recorder that records the soma voltage and, in `sweep()`, does what
 * `ctx.args.action` says (write inside or outside the job folder, throw).
 *
 * @module
 */
import type { RecorderContext, RecorderPlugin, SweepData } from "../plugin_api.ts";

/** Records v at soma(0.5) (`badSites`: a section that does not exist); `sweep` writes `ctx.args.path` or the job folder, or throws. */
export const recorder: RecorderPlugin = {
  sites(_cell, ctx: RecorderContext) {
    if (ctx.args.action === "badSites") return [{ section: 99, x: 0.5 }];
    return [{ section: 0, x: 0.5 }];
  },
  async sweep(data: SweepData, ctx: RecorderContext) {
    switch (ctx.args.action) {
      case "writeInside":
        await Deno.writeTextFile(
          `${ctx.outDir}/soma_run${data.sweep}.txt`,
          `${data.values[0].length} ${data.values[0][0]}\n`,
        );
        return;
      case "writeOutside":
        await Deno.writeTextFile(String(ctx.args.path), "escaped\n");
        return;
      case "throw":
        throw new TypeError(`cannot reduce sweep ${data.sweep}`);
    }
  },
};
