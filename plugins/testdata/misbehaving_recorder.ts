/**
 * Test fixture: a recorder that records the soma voltage and, in `sweep()` or `finish()`, does
 * what `ctx.args.action` says (write inside its own folder or elsewhere, change modes, throw,
 * keep writing after `finish()`).
 *
 * @module
 */
import type { RecorderContext, RecorderPlugin, SweepData } from "../plugin_api.ts";

/** Records v at soma(0.5) (`badSites`: a section that does not exist; `variable`: that variable). */
export const recorder: RecorderPlugin = {
  sites(_cell, ctx: RecorderContext) {
    if (ctx.args.action === "badSites") return [{ section: 99, x: 0.5 }];
    if (ctx.args.action === "variable") {
      return [{ section: 0, x: 0.5, variable: String(ctx.args.variable) }];
    }
    return [{ section: 0, x: 0.5 }];
  },
  async sweep(data: SweepData, ctx: RecorderContext) {
    const job = `${ctx.outDir}/../..`;
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
      case "overwriteJobFile":
        // simrun's own result file, next to the plugin's folder.
        await Deno.writeTextFile(`${job}/${String(ctx.args.file)}`, "written by a plugin\n");
        return;
      case "chmodJob":
        await Deno.chmod(job, 0o000);
        return;
      case "chmodOwn":
        await Deno.writeTextFile(`${ctx.outDir}/own.txt`, "mine\n");
        await Deno.chmod(`${ctx.outDir}/own.txt`, 0o000);
        await Deno.chmod(ctx.outDir, 0o000);
        return;
      case "throw":
        throw new TypeError(`cannot reduce sweep ${data.sweep}`);
      case "kill":
        Deno.kill(Deno.pid, "SIGKILL");
        return;
    }
  },
  finish(ctx: RecorderContext) {
    if (ctx.args.action !== "timerAfterFinish") return;
    // Keeps writing after finish(): into its own folder, and at simrun's trace file.
    let n = 0;
    setInterval(() => {
      n++;
      Deno.writeTextFileSync(`${ctx.outDir}/late.txt`, `${n}\n`);
      try {
        Deno.writeTextFileSync(`${ctx.outDir}/../../${String(ctx.args.file)}`, "late\n");
      } catch {
        // Denied: keep trying.
      }
    }, 5);
  },
};
