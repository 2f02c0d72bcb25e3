/**
 * Every `.param` file under `../shared` (ISF example inputs, NEURON/ISF reference outputs) parses
 * with io/param.ts, and the structure the later layers rely on is there.
 *
 * @module
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { getObject, paramMeta, readParamFile } from "../io/param.ts";
import { sharedDir } from "./_shared.ts";

function findParams(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) findParams(p, out);
    else if (e.name.endsWith(".param")) out.push(p);
  }
  return out.sort();
}

Deno.test({
  name: "readParamFile() parses every .param file under ../shared",
  ignore: sharedDir() === undefined,
  async fn() {
    const files = findParams(sharedDir()!);
    // 11 at the time of writing (spec/formats.md counts 165 in all of ISF; we hold a subset)
    assert.ok(files.length >= 11, `found only ${files.length} .param files`);
    let cells = 0, networks = 0;
    for (const f of files) {
      const p = await readParamFile(f);
      assert.equal(paramMeta(p)?.file, f);
      if ("neuron" in p) {
        cells++;
        const neuron = getObject(p, "neuron");
        assert.equal(typeof neuron.filename, "string", `${f}: neuron.filename`);
        getObject(p, "sim");
      }
      if ("network" in p) {
        networks++;
        const types = Object.keys(getObject(p, "network")).filter((k) =>
          k !== "network_modify_functions"
        );
        assert.equal(types.length, 278, `${f}: presynaptic types`);
      }
    }
    assert.ok(cells >= 6 && networks >= 4, `cells ${cells}, networks ${networks}`);
  },
});
