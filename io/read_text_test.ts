import assert from "node:assert/strict";
import { InputValueError } from "./errors.ts";
import { readTextInput, readTextInputSync } from "./read_text.ts";

/** Makes a FIFO with the system's `mkfifo`; undefined when there is none. */
async function mkfifo(path: string): Promise<string | undefined> {
  const r = await new Deno.Command("mkfifo", { args: [path] }).output().catch(() => undefined);
  return r?.success ? path : undefined;
}

Deno.test("readTextInput() refuses a FIFO at once instead of blocking on it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fifo = await mkfifo(`${dir}/cell.param`);
    if (fifo === undefined) {
      console.warn("SKIP: no mkfifo here; the FIFO case is not tested");
      return;
    }
    // Nobody ever writes to the FIFO: reading it would block forever.
    await assert.rejects(
      () => readTextInput(fifo, { what: "parameter file" }),
      (e) =>
        e instanceof InputValueError &&
        e.message ===
          `${fifo}: Cannot read parameter file: it is a FIFO (named pipe), not a regular file`,
    );
    assert.throws(
      () =>
        readTextInputSync(fifo, {
          what: "synapse distribution (.syn) file",
          referencedFrom: "net.param",
          line: 12,
          key: "network.A.synapses.distributionFile",
        }),
      (e) =>
        e instanceof InputValueError && e.file === "net.param" && e.line === 12 &&
        /FIFO/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readTextInput() refuses a device and a folder", async () => {
  await assert.rejects(() => readTextInput("/dev/null"), /character device, not a regular file/);
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(() => readTextInput(dir), /it is a directory/);
    assert.throws(() => readTextInputSync(dir), /it is a directory/);
  } finally {
    await Deno.remove(dir);
  }
});

Deno.test("readTextInput() refuses a file above maxBytes unread, and reads one at the limit", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/a.param`, "0123456789");
    assert.equal(await readTextInput(`${dir}/a.param`, { maxBytes: 10 }), "0123456789");
    await assert.rejects(
      () => readTextInput(`${dir}/a.param`, { maxBytes: 9 }),
      /it has 10 bytes, more than the 9 bytes/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
