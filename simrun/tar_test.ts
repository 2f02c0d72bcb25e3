import assert from "node:assert/strict";
import { unpackTar } from "modern-tar";
import { verifyTarAgainstDir, writeTar, writeTarFromDir } from "./tar.ts";

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
    // Larger than one read chunk of the file streams, not a multiple of 512.
    await Deno.writeFile(`${src}/${LONG}`, new Uint8Array(300_001).map((_, i) => i % 251));
    // A recorder plugin's own folder.
    await Deno.mkdir(`${src}/plugins/rec`, { recursive: true });
    await Deno.writeTextFile(`${src}/plugins/rec/r.csv`, "1\n");
    const names = await writeTarFromDir(src, `${dir}/job.tar`);
    assert.deepEqual(names, ["./b.csv", "./hostname_x", "./plugins/rec/r.csv", `./${LONG}`]);
    await verifyTarAgainstDir(`${dir}/job.tar`, src);
    const bytes = await Deno.readFile(`${dir}/job.tar`);
    assert.equal(bytes.length % 512, 0);
    const members = await unpackTar(bytes, { strict: true });
    assert.deepEqual(members.map((m) => m.header.name), names);
    assert.equal(new TextDecoder().decode(members[0]!.data), "t\tVm run 00\n0.0\t-75.0\n");
    assert.equal(members[3]!.data!.length, 300_001);
    assert.equal(members[3]!.data![100_000], 100_000 % 251);
    // The system tar (when present) reads it too.
    const tar = await new Deno.Command("tar", { args: ["-tf", `${dir}/job.tar`], stdout: "piped" })
      .output().catch(() => undefined);
    if (tar?.success) {
      assert.deepEqual(new TextDecoder().decode(tar.stdout).trim().split("\n"), names);
    } else console.warn("SKIP part: no system tar to cross-check the archive");
    // An existing archive is never overwritten.
    await assert.rejects(() => writeTarFromDir(src, `${dir}/job.tar`), Deno.errors.AlreadyExists);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("verifyTarAgainstDir() detects a changed, a missing and an extra file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const src = `${dir}/job`;
    await Deno.mkdir(src);
    await Deno.writeTextFile(`${src}/a.csv`, "t\tVm run 00\n0.0\t-75.0\n");
    await Deno.writeTextFile(`${src}/b.csv`, "x\n");
    await writeTarFromDir(src, `${dir}/job.tar`);
    await verifyTarAgainstDir(`${dir}/job.tar`, src);
    await Deno.writeTextFile(`${src}/a.csv`, "t\tVm run 00\n0.0\t-75.1\n");
    await assert.rejects(() => verifyTarAgainstDir(`${dir}/job.tar`, src), /differs at byte 20/);
    await Deno.writeTextFile(`${src}/a.csv`, "t\tVm run 00\n0.0\t-75.0\n");
    await Deno.writeTextFile(`${src}/c.csv`, "y\n");
    await assert.rejects(() => verifyTarAgainstDir(`${dir}/job.tar`, src), Deno.errors.InvalidData);
    await Deno.remove(`${src}/c.csv`);
    await Deno.remove(`${src}/b.csv`);
    await assert.rejects(() => verifyTarAgainstDir(`${dir}/job.tar`, src), Deno.errors.InvalidData);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeTar() rejects with the sink's error when the disk fills, and does not hang", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/a.bin`, new Uint8Array(200_000));
    await Deno.writeFile(`${dir}/b.bin`, new Uint8Array(200_000));
    let written = 0;
    const full = new Error("No space left on device (os error 28)");
    const sink = new WritableStream<Uint8Array>({
      write(chunk) {
        written += chunk.length;
        if (written > 100_000) throw full;
      },
    });
    await assert.rejects(() => writeTar(dir, sink), (e) => e === full);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
