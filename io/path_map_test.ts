import assert from "node:assert/strict";
import { join } from "node:path";
import { InputValueError } from "./errors.ts";
import { mapPath, parsePathMap, resolveInputPath, splitPathMapEnv } from "./path_map.ts";

Deno.test("parsePathMap() splits at the first '=' and recognises '*' rules", () => {
  const m = parsePathMap(["/a/=/b/=c/", "*/example_data/=data/"]);
  assert.deepEqual(m.rules.map((r) => [r.from, r.to, r.anyPrefix]), [["/a/", "/b/=c/", false], [
    "/example_data/",
    "data/",
    true,
  ]]);
  assert.throws(
    () => parsePathMap(["nothing"]),
    (e: unknown) =>
      e instanceof InputValueError &&
      /--path-map: Bad path-map rule "nothing": expected FROM=TO/.test(e.message),
  );
  assert.throws(
    () => parsePathMap(["*=x"], { source: "SIMRUN_PATH_MAP" }),
    /SIMRUN_PATH_MAP: .*FROM is empty/,
  );
});

Deno.test("mapPath() rewrites literal prefixes and any-prefix rules, in rule order", () => {
  const m = parsePathMap([
    "/gpfs/isf/=/local/",
    "*/getting_started/example_data/=../shared/data/isf_example/",
  ]);
  assert.deepEqual(mapPath("/gpfs/isf/getting_started/example_data/a.hoc", m), [
    "/local/getting_started/example_data/a.hoc",
    "../shared/data/isf_example/a.hoc",
  ]);
  assert.deepEqual(mapPath("[IN_SILICO_FRAMEWORK_DIR]/getting_started/example_data/x/b.syn", m), [
    "../shared/data/isf_example/x/b.syn",
  ]);
  assert.deepEqual(mapPath("/other/a.hoc", m), []);
  assert.deepEqual(mapPath("x/gpfs/isf/a", m), []); // literal rules match only at the start
});

Deno.test("splitPathMapEnv() accepts ';' and newlines and drops blanks", () => {
  assert.deepEqual(splitPathMapEnv("a=b;;c=d\n e=f \r\n"), ["a=b", "c=d", "e=f"]);
  assert.deepEqual(splitPathMapEnv(undefined), []);
});

Deno.test("resolveInputPath() tries the path as written (relative to the param file), then the rules", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(join(dir, "data", "sub"), { recursive: true });
    Deno.writeTextFileSync(join(dir, "data", "sub", "a.hoc"), "");
    Deno.writeTextFileSync(join(dir, "data", "rel.hoc"), "");
    const param = join(dir, "data", "cell.param");
    // relative to the param file's folder
    assert.equal(resolveInputPath("rel.hoc", { file: param }), join(dir, "data", "rel.hoc"));
    // absolute, existing: as is, even when a rule matches
    const abs = join(dir, "data", "sub", "a.hoc");
    const map = parsePathMap([`*/example_data/=${dir}/data/`]);
    assert.equal(resolveInputPath(abs, { map, file: param }), abs);
    // foreign prefix → mapped
    assert.equal(
      resolveInputPath("/gpfs/x/example_data/sub/a.hoc", { map, file: param }),
      `${dir}/data/sub/a.hoc`,
    );
    // nothing found: every tried path is listed with the key and location
    assert.throws(
      () =>
        resolveInputPath("/gpfs/x/example_data/sub/zz.hoc", {
          map,
          file: param,
          line: 22,
          key: "neuron.filename",
          what: "morphology file",
        }),
      (e: unknown) => {
        assert.ok(e instanceof InputValueError);
        assert.equal(e.key, "neuron.filename");
        assert.equal(
          e.message,
          `${param}:22: Cannot find morphology file "/gpfs/x/example_data/sub/zz.hoc" (key "neuron.filename"); ` +
            `tried: "/gpfs/x/example_data/sub/zz.hoc", "${dir}/data/sub/zz.hoc"`,
        );
        return true;
      },
    );
    assert.throws(
      () => resolveInputPath("/gpfs/none.hoc", { file: param }),
      /no path-map rule is set: map foreign prefixes with --path-map FROM=TO or SIMRUN_PATH_MAP/,
    );
    assert.throws(
      () => resolveInputPath("/gpfs/none.hoc", { map, file: param }),
      /none of the 1 path-map rule\(s\) matches it/,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
