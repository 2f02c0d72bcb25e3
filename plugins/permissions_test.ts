import assert from "node:assert/strict";
import { explainDenial, processFlags, resolveSandbox } from "./permissions.ts";

/** A plugin folder with links: to a file, a folder and `/` outside, one inside, one dangling. */
async function fixture(): Promise<{ tmp: string; dir: string; secret: string }> {
  const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "simrun_perm_" }));
  const dir = `${tmp}/plugin`, secret = `${tmp}/secret`;
  await Deno.mkdir(`${dir}/sub/deep`, { recursive: true });
  await Deno.mkdir(secret);
  await Deno.writeTextFile(`${secret}/s.txt`, "secret");
  await Deno.writeTextFile(`${dir}/p.ts`, "export function cellModify() { return {}; }");
  await Deno.writeTextFile(`${dir}/sub/data.txt`, "data");
  await Deno.symlink(`${secret}/s.txt`, `${dir}/file_link`);
  await Deno.symlink(secret, `${dir}/sub/deep/dir_link`);
  await Deno.symlink("/", `${dir}/root_link`);
  await Deno.symlink(`${dir}/sub`, `${dir}/inner_link`);
  await Deno.symlink(`${tmp}/not_there`, `${dir}/dangling`);
  return { tmp, dir, secret };
}

Deno.test("resolveSandbox() finds every link that leads out of the grants and covers the rest", async () => {
  const { tmp, dir, secret } = await fixture();
  try {
    const box = await resolveSandbox(`${dir}/p.ts`);
    assert.equal(box.moduleDir, dir);
    assert.deepEqual(box.read, [dir]);
    assert.deepEqual(box.write, []);
    assert.deepEqual(box.links.map((l) => [l.path, l.target]).sort(), [
      [`${dir}/dangling`, `${tmp}/not_there`],
      [`${dir}/file_link`, `${secret}/s.txt`],
      [`${dir}/root_link`, "/"],
      [`${dir}/sub/deep/dir_link`, secret],
    ]);
    // The cover leaves out exactly the escaping links; the inner link stays readable.
    assert.deepEqual([...box.cover].sort(), [
      `${dir}/inner_link`,
      `${dir}/p.ts`,
      `${dir}/sub/data.txt`,
    ]);
    // Granting the secret folder's real path makes the links into it harmless.
    const granted = await resolveSandbox(`${dir}/p.ts`, { read: [secret] });
    assert.deepEqual(granted.links.map((l) => l.path).sort(), [
      `${dir}/dangling`,
      `${dir}/root_link`,
    ]);
    assert.ok(granted.cover.includes(secret));
    assert.ok(granted.cover.includes(`${dir}/sub`), "a folder without escaping links is one entry");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("resolveSandbox() grants real paths: a module reached through a link, a linked grant", async () => {
  const { tmp, dir, secret } = await fixture();
  try {
    await Deno.symlink(dir, `${tmp}/alias`);
    await Deno.symlink(secret, `${tmp}/secret_alias`);
    const box = await resolveSandbox(`${tmp}/alias/p.ts`, { read: [`${tmp}/secret_alias`] });
    assert.equal(box.modulePath, `${dir}/p.ts`);
    assert.deepEqual(box.read, [dir, secret]);
    await assert.rejects(
      resolveSandbox(`${dir}/p.ts`, { read: [`${tmp}/missing`] }),
      /^InputValueError: --plugin-read: Cannot grant ".*missing" to plugins: no such file or folder/,
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("processFlags() denies the links and refuses paths with a comma", () => {
  const box = {
    modulePath: "/p/x.ts",
    moduleDir: "/p",
    read: ["/p", "/data"],
    write: ["/job/plugins/x"],
    links: [{ path: "/p/l", target: "/etc" }],
    cover: ["/p/x.ts", "/data"],
  };
  assert.deepEqual(processFlags(box, "/s/plugin_worker.js"), [
    "--allow-read=/s/plugin_worker.js,/p,/data",
    "--deny-read=/p/l",
    "--allow-write=/job/plugins/x",
  ]);
  assert.throws(() => processFlags({ ...box, read: ["/a,b"] }, "/s/w.js"), /contains a comma/);
});

Deno.test("explainDenial() rewrites Deno's permission messages for plugins", () => {
  const msg = (kind: string, target: string) =>
    `Requires ${kind} access to "${target}", run again with the --allow-${kind} flag`;
  assert.equal(
    explainDenial("NotCapable", msg("read", "/etc/passwd")),
    'denied read access to "/etc/passwd"; a plugin may read only its own folder and the paths granted with --plugin-read',
  );
  assert.match(explainDenial("NotCapable", msg("write", "/tmp/x"))!, /only into its own folder/);
  assert.match(explainDenial("PermissionDenied", msg("net", "127.0.0.1:80"))!, /no network/);
  assert.equal(
    explainDenial("NotCapable", msg("run", "sh"), " in cellModify()"),
    'denied run access to "sh" in cellModify(); plugins cannot start or signal other processes',
  );
  assert.equal(explainDenial("NotCapable", "something else"), "denied: something else");
  assert.equal(explainDenial("Error", msg("read", "/x")), undefined);
});

Deno.test("explainDenial() checks a claimed denial against the sandbox and names the link", () => {
  const box = {
    modulePath: "/p/x.ts",
    moduleDir: "/p",
    read: ["/p"],
    write: [],
    links: [{ path: "/p/sub/l", target: "/etc" }],
    cover: ["/p/x.ts"],
  };
  const msg = (target: string) => `Requires read access to "${target}", run again`;
  // A path the plugin may read is not denied: the "denial" is the plugin's own text.
  assert.equal(explainDenial("NotCapable", msg("/p/x.ts"), "", box), undefined);
  assert.equal(explainDenial("NotCapable", "Requires nothing", "", box), undefined);
  assert.match(
    explainDenial("NotCapable", msg("/p/sub/l/passwd"), " in cellModify()", box)!,
    /^denied read access to "\/p\/sub\/l\/passwd" in cellModify\(\): "\/p\/sub\/l" is a link to "\/etc", outside the plugin's grants/,
  );
  assert.match(
    explainDenial("NotCapable", msg("/p/sub"), "", box)!,
    /^denied read access to "\/p\/sub": it holds "\/p\/sub\/l", a link to "\/etc" outside the plugin's grants, so it cannot be listed$/,
  );
  assert.match(explainDenial("NotCapable", msg("/etc/passwd"), "", box)!, /--plugin-read$/);
});
