/**
 * Test fixture: a cell-modify plugin that does whatever `args.action` says, as an attacker or a
 * careless author would, to check that the sandbox (plugins/host.ts) denies it or reports it in
 * one line.
 *
 * @module
 */
import { writeSync } from "node:fs";
import type { CellDescription, CellModification, PluginArgs } from "../plugin_api.ts";

/** Never settles, but yields to the event loop. */
function forever(): Promise<never> {
  return new Promise<never>(() => {});
}

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
      // The content comes back in the error, so a test sees it if the read was not denied.
      throw new Error(`READ:${await Deno.readTextFile(path)}`);
    case "readDir": {
      const names: string[] = [];
      for await (const e of Deno.readDir(path)) names.push(e.name);
      throw new Error(`LISTED:${names.sort().join(",")}`);
    }
    case "fetch":
      throw new Error(`FETCHED:${await (await fetch(new URL(`file://${path}`))).text()}`);
    case "import":
      throw new Error(`IMPORTED:${Object.keys(await import(String(args.url ?? path))).join(",")}`);
    case "worker": {
      // A nested worker (it inherits the plugin's permissions) loading a module at `path`.
      const w = new Worker(new URL(`file://${path}`), { type: "module" });
      const text = await new Promise<string>((resolve) => {
        w.onmessage = (e) => resolve(`WORKER:${String(e.data)}`);
        w.onerror = (e) => {
          e.preventDefault();
          resolve(`WORKER ERROR:${e.message}`);
        };
      });
      w.terminate();
      throw new Error(text);
    }
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
    case "throw":
      throw new Error(`boom on ${cell.sections.length} sections`);
    case "hang":
      // Never settles, but yields to the event loop: the time limit must end it.
      await forever();
      return {};
    case "spin":
      // A synchronous endless loop.
      for (let i = 0;; i = (i + 1) | 0) {
        if (i === -1) break;
      }
      return {};
    case "wait":
      await new Promise((r) => setTimeout(r, Number(args.ms)));
      return { pointProcesses: [] };
    case "array":
      return [] as unknown as CellModification;
    case "kill":
      Deno.kill(Deno.pid, String(args.signal) as Deno.Signal);
      await forever();
      return {};
    case "killParent":
      // simrun itself.
      Deno.kill(Deno.ppid, "SIGKILL");
      return {};
    case "oomHeap": {
      const keep: unknown[] = [];
      for (;;) keep.push(new Array(100_000).fill({ x: keep.length }));
    }
    case "oomBuffers": {
      // Off-heap memory (not limited by V8's heap size): touched, so it is resident.
      const keep: Uint8Array[] = [];
      for (;;) {
        keep.push(new Uint8Array(32 * 2 ** 20).fill(1));
        await new Promise((r) => setTimeout(r, 0));
      }
    }
    case "introspect": {
      const tryIt = (f: () => unknown) => {
        try {
          return f();
        } catch (e) {
          return `refused: ${(e as Error).name}`;
        }
      };
      const proc = (globalThis as { process?: Record<string, unknown> }).process;
      throw new Error(JSON.stringify({
        cwd: tryIt(() => Deno.cwd()),
        execPath: tryIt(() => Deno.execPath()),
        args: Deno.args,
        mainModule: Deno.mainModule ?? null,
        argv: proc?.argv,
        procExecPath: proc?.execPath,
        procCwd: tryIt(() => (proc?.cwd as () => string)()),
      }));
    }
    case "protoParam":
      // JSON.parse makes `__proto__` an own key, as a plugin's computed data would.
      return JSON.parse(
        `{"pointProcesses": [{"mechanism": "IClamp", "section": 0, "x": 0.5, "params": {${
          JSON.stringify(String(args.key))
        }: 1}}]}`,
      );
    case "throwText":
      throw new Error(String(args.text));
    case "fakeDenial":
      throw new Deno.errors.NotCapable(String(args.text));
    case "throwNullProto":
      throw Object.create(null);
    case "throwGetter":
      throw {
        get message(): string {
          throw new Error("getter");
        },
        get name(): string {
          throw new Error("getter");
        },
      };
    case "throwProxy":
      throw new Proxy({}, {
        get() {
          throw new Error("trap");
        },
        getPrototypeOf() {
          throw new Error("trap");
        },
        ownKeys() {
          throw new Error("trap");
        },
      });
    case "throwInTimer":
      setTimeout(() => {
        throw new Error("thrown in a timer");
      }, 10);
      await forever();
      return {};
    case "throwProxyInTimer":
      setTimeout(() => {
        throw new Proxy({}, {
          get() {
            throw new Error("trap");
          },
          getPrototypeOf() {
            throw new Error("trap");
          },
        });
      }, 10);
      await forever();
      return {};
    case "rejectUnhandled":
      Promise.reject(Object.create(null));
      await forever();
      return {};
    case "exit":
      Deno.exit(3);
      return {};
    case "stdout":
      // Bytes on the process's stdout, past console.log: the protocol channel.
      writeSync(1, "garbage that is not a frame\n");
      await forever();
      return {};
    case "log":
      console.log("hello from", "the plugin", { sections: cell.sections.length });
      console.error("\u001b[31mred\u001b[0m line\nsecond line");
      return { pointProcesses: [] };
    default:
      throw new RangeError(`unknown action ${String(args.action)}`);
  }
}
