import assert from "node:assert/strict";
import { memberHeader, parseTar, verifyTarAgainstDir, writeTarFromDir } from "./tar.ts";
import { InternalError } from "../io/mod.ts";

const LONG =
  "seed20250101_pid23856_apical_proximal_distal_rec_sites_ID_000_sec_038_seg_032_x_0.929" +
  "_somaDist_920.7_vm_dend_traces_with_an_even_longer_suffix_to_pass_the_ustar_limit.csv";

Deno.test("writeTarFromDir() writes ./<file> members that read back byte for byte", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const src = `${dir}/job`;
    await Deno.mkdir(src);
    await Deno.writeTextFile(`${src}/b.csv`, "t\tVm run 00\n0.0\t-75.0\n");
    await Deno.writeFile(`${src}/hostname_x`, new Uint8Array(0));
    await Deno.writeFile(`${src}/${LONG}`, new Uint8Array(1500).map((_, i) => i % 251));
    // A recorder plugin's own folder.
    await Deno.mkdir(`${src}/plugins/rec`, { recursive: true });
    await Deno.writeTextFile(`${src}/plugins/rec/r.csv`, "1\n");
    const names = await writeTarFromDir(src, `${dir}/job.tar`);
    assert.deepEqual(names, ["./b.csv", "./hostname_x", "./plugins/rec/r.csv", `./${LONG}`]);
    await verifyTarAgainstDir(`${dir}/job.tar`, src);
    const bytes = await Deno.readFile(`${dir}/job.tar`);
    assert.equal(bytes.length % 512, 0);
    const members = parseTar(bytes);
    assert.deepEqual(members.map((m) => m.name), names);
    assert.equal(new TextDecoder().decode(members[0]!.data), "t\tVm run 00\n0.0\t-75.0\n");
    assert.equal(members[3]!.data.length, 1500);
    assert.equal(members[3]!.data[1000], 1000 % 251);
    // The system tar (when present) reads it too.
    const tar = await new Deno.Command("tar", { args: ["-tf", `${dir}/job.tar`], stdout: "piped" })
      .output().catch(() => undefined);
    if (tar?.success) {
      assert.deepEqual(new TextDecoder().decode(tar.stdout).trim().split("\n"), names);
    }
    // A changed file is detected.
    await Deno.writeTextFile(`${src}/b.csv`, "t\tVm run 00\n0.0\t-75.1\n");
    await assert.rejects(() => verifyTarAgainstDir(`${dir}/job.tar`, src), InternalError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("memberHeader() has a valid checksum and octal size", () => {
  const h = memberHeader("./a.csv", 1234, 1700000000);
  assert.equal(new TextDecoder().decode(h.subarray(257, 262)), "ustar");
  assert.equal(parseInt(new TextDecoder().decode(h.subarray(124, 135)), 8), 1234);
  const bad = new Uint8Array(1536);
  bad.set(h);
  bad[0] = 0x41;
  assert.throws(() => parseTar(bad), InternalError);
});
