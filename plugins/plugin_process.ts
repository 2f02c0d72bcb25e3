/**
 * The main thread of a plugin's own process: started by simrun's plugin host (`host.ts`) as
 * `deno run <the plugin's permission flags> plugin_process.ts` (from source) or as the compiled
 * binary's hidden `simrun __plugin-host` command. It reads the sandbox configuration from stdin,
 * starts the plugin's worker (`plugin_worker.js`) with exactly the permissions it was given
 * (read: the plugin's real folder and grants, minus any link leading out of them; write: the
 * plugin's own output folder or nothing; no net, env, run, ffi, sys or remote imports), and then
 * relays frames (`_plugin_protocol.ts`) between simrun and the worker until stdin closes.
 *
 * The plugin's code never runs on this thread, so it cannot read the protocol's stdin or see
 * this thread's permissions (which, in the compiled binary, are simrun's own).
 *
 * @module
 */
import {
  type CallMessage,
  type ChildMessage,
  encodeFrame,
  FrameReader,
  type ParentMessage,
  type StartMessage,
} from "./_plugin_protocol.ts";

/** Largest frame simrun may send (one sweep's traces) [bytes]. */
const MAX_REQUEST_BYTES = 2 ** 32 - 1;
/** Resident memory is checked this often [ms]. */
const RSS_POLL_MS = 100;

/**
 * Serves one plugin: the body of the hidden `__plugin-host` command. Reads frames from stdin,
 * writes frames to stdout, and returns when stdin closes.
 *
 * @returns the exit code: 0 when simrun closed the channel, 1 when it sent bytes that are not
 *   frames
 * @example
 * ```ts ignore
 * if (Deno.args[0] === "__plugin-host") Deno.exit(await servePluginProcess());
 * ```
 */
export async function servePluginProcess(): Promise<number> {
  const reader = new FrameReader(MAX_REQUEST_BYTES);
  let worker: Worker | undefined;
  let writing: Promise<void> = Promise.resolve();
  const send = (message: ChildMessage): void => {
    let frame: Uint8Array;
    try {
      frame = encodeFrame(message);
    } catch (err) {
      // A value the protocol cannot carry (a BigInt, a cycle): reply with the reason instead.
      if (message.type !== "reply") return;
      frame = encodeFrame({
        type: "reply",
        id: message.id,
        ok: false,
        fault: {
          name: "TypeError",
          message: `returned a value that cannot be sent back: ${(err as Error).message}`,
          stack: "",
          denial: false,
        },
      });
    }
    writing = writing.then(() => writeAll(frame)).catch(() => {
      // simrun has gone: nothing is left to tell.
      Deno.exit(0);
    });
  };

  const start = (m: StartMessage): void => {
    worker = new Worker(new URL("./plugin_worker.js", import.meta.url), {
      type: "module",
      name: "simrun plugin",
      deno: {
        permissions: {
          read: m.read.length > 0 ? [...m.read] : false,
          write: m.write.length > 0 ? [...m.write] : false,
          net: false,
          env: false,
          run: false,
          ffi: false,
          sys: false,
          import: false,
        },
      },
    });
    worker.onmessage = (e: MessageEvent) => send(e.data as ChildMessage);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      send({
        type: "fault",
        fault: { name: "Error", message: String(e.message), stack: "", denial: false },
      });
    };
    worker.onmessageerror = () => {
      send({
        type: "fault",
        fault: {
          name: "TypeError",
          message: "sent a message that cannot be deserialised",
          stack: "",
          denial: false,
        },
      });
    };
    worker.postMessage({ type: "init", cwd: m.cwd });
    send({ type: "ready" });
    // The process's memory, watched from this thread (the plugin's code never runs here):
    // typed arrays live outside V8's heap, which --max-old-space-size alone would not cap.
    const limit = m.rssLimitMb * 2 ** 20;
    const watch = setInterval(() => {
      const rss = Deno.memoryUsage().rss;
      if (rss <= limit) return;
      clearInterval(watch);
      worker?.terminate();
      send({ type: "memory", rssMb: Math.round(rss / 2 ** 20) });
      writing.then(() => Deno.exit(1));
    }, RSS_POLL_MS);
  };

  const call = (m: CallMessage): void => {
    if (worker === undefined) return;
    worker.postMessage(m, buffersOf(m.payload));
  };

  try {
    for await (const chunk of Deno.stdin.readable) {
      for (const msg of reader.push(chunk) as ParentMessage[]) {
        if (msg.type === "start" && worker === undefined) start(msg);
        else if (msg.type === "call") call(msg);
      }
    }
  } catch {
    return 1;
  }
  await writing;
  return 0;
}

async function writeAll(bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await Deno.stdout.write(bytes.subarray(off));
}

/** The distinct buffers of the typed arrays in a decoded request (each frame owns its buffer). */
function buffersOf(value: unknown): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  const visit = (v: unknown, depth: number): void => {
    if (typeof v !== "object" || v === null || depth > 8) return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) seen.add(v.buffer);
      return;
    }
    for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, depth + 1);
  };
  visit(value, 0);
  return [...seen];
}

if (import.meta.main) Deno.exit(await servePluginProcess());
