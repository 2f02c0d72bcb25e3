import assert from "node:assert/strict";
import { resolve } from "node:path";
import { explainDenial, pluginPermissions } from "./permissions.ts";

Deno.test("pluginPermissions() grants the module folder and the given paths, nothing else", () => {
  const p = pluginPermissions("lib/my_plugin.ts", { read: ["data/a.csv"], write: ["out/job"] });
  assert.deepEqual(p.read, [resolve("lib"), resolve("data/a.csv")]);
  assert.deepEqual(p.write, [resolve("out/job")]);
  for (const k of ["net", "env", "run", "ffi", "sys", "import"] as const) {
    assert.equal(p[k], false, k);
  }
  assert.equal(pluginPermissions("/p/x.ts").write, false);
});

Deno.test("explainDenial() rewrites Deno's permission messages for plugins", () => {
  const msg = (kind: string, target: string) =>
    `Requires ${kind} access to "${target}", run again with the --allow-${kind} flag`;
  assert.equal(
    explainDenial("NotCapable", msg("read", "/etc/passwd")),
    'denied read access to "/etc/passwd"; a plugin may read only its own folder and the paths granted with --plugin-read',
  );
  assert.match(explainDenial("NotCapable", msg("write", "/tmp/x"))!, /only into the job output/);
  assert.match(explainDenial("PermissionDenied", msg("net", "127.0.0.1:80"))!, /no network/);
  assert.equal(
    explainDenial("NotCapable", msg("run", "sh"), " in cellModify()"),
    'denied run access to "sh" in cellModify(); plugins cannot start processes',
  );
  assert.equal(explainDenial("NotCapable", "something else"), "denied: something else");
  assert.equal(explainDenial("Error", msg("read", "/x")), undefined);
});
