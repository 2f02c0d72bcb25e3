/**
 * Test fixture: a cell-modify plugin that does whatever `args.action` says, to check that the
 * sandbox denies it (plugins/host.ts) or reports it.
 *
 * @module
 */
import type { CellDescription, CellModification, PluginArgs } from "../plugin_api.ts";

/** Performs `args.action` and returns an empty modification if it is allowed. */
export async function cellModify(
  cell: CellDescription,
  args: PluginArgs,
): Promise<CellModification> {
  const path = String(args.path ?? "");
  switch (args.action) {
    case "none":
      return { pointProcesses: [] };
    case "read":
      await Deno.readTextFile(path);
      return {};
    case "write":
      await Deno.writeTextFile(path, "written by a plugin\n");
      return {};
    case "net": {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(args.port) });
      conn.close();
      return {};
    }
    case "env":
      return { pointProcesses: [], ...{ home: Deno.env.get("HOME") } };
    case "run":
      await new Deno.Command("true").output();
      return {};
    case "import":
      await import(String(args.url));
      return {};
    case "throw":
      throw new Error(`boom on ${cell.sections.length} sections`);
    case "hang":
      // Never settles, but yields to the event loop: the time limit must end it.
      await new Promise<never>(() => {});
      return {};
    case "spin":
      // A synchronous endless loop.
      for (let i = 0;; i = (i + 1) | 0) {
        if (i === -1) break;
      }
      return {};
    case "array":
      return [] as unknown as CellModification;
    default:
      throw new RangeError(`unknown action ${String(args.action)}`);
  }
}
