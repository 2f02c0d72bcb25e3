import assert from "node:assert/strict";
import { posix } from "node:path";
import {
  basename,
  dirname,
  extname,
  fileUrlToPath,
  isAbsolute,
  join,
  normalize,
  pathToFileUrl,
  relative,
  resolve,
} from "./posix_path.ts";

/** Paths made of the pieces that make path functions branch: empty, dot and dot-dot segments,
 * dots inside names, repeated, leading and trailing separators. Deterministic (a fixed LCG). */
function generatedPaths(count: number): string[] {
  const pieces = ["a", "bc", ".", "..", "", "x.y", ".z", "...", "q.", "a..b", "r.tar.gz"];
  let state = 12345;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const out = [
    "",
    "/",
    "//",
    "///",
    ".",
    "..",
    "./",
    "../",
    "/.",
    "/..",
    "a",
    "a/",
    "//a",
    "//a/b",
  ];
  while (out.length < count) {
    const n = next(5);
    const segs = Array.from({ length: n }, () => pieces[next(pieces.length)]!);
    const lead = ["", "/", "//"][next(3)]!;
    const trail = ["", "/", "//"][next(3)]!;
    out.push(lead + segs.join("/") + trail);
  }
  return out;
}

const paths = generatedPaths(4000);

Deno.test("posix_path: isAbsolute, normalize, dirname, basename, extname agree with node:path.posix", () => {
  for (const p of paths) {
    assert.equal(isAbsolute(p), posix.isAbsolute(p), `isAbsolute(${JSON.stringify(p)})`);
    assert.equal(normalize(p), posix.normalize(p), `normalize(${JSON.stringify(p)})`);
    assert.equal(dirname(p), posix.dirname(p), `dirname(${JSON.stringify(p)})`);
    assert.equal(basename(p), posix.basename(p), `basename(${JSON.stringify(p)})`);
    assert.equal(extname(p), posix.extname(p), `extname(${JSON.stringify(p)})`);
    for (const suffix of [".y", ".gz", "a", "c", "..b", "x.y"]) {
      assert.equal(
        basename(p, suffix),
        posix.basename(p, suffix),
        `basename(${JSON.stringify(p)}, ${JSON.stringify(suffix)})`,
      );
    }
  }
});

Deno.test("posix_path: join, resolve and relative agree with node:path.posix (relative parts resolve from the current folder)", () => {
  for (let k = 0; k + 2 < paths.length; k += 3) {
    const [a, b, c] = [paths[k]!, paths[k + 1]!, paths[k + 2]!];
    const parts = JSON.stringify([a, b, c]);
    assert.equal(join(a, b, c), posix.join(a, b, c), `join(${parts})`);
    assert.equal(resolve(a, b, c), posix.resolve(a, b, c), `resolve(${parts})`);
    assert.equal(resolve(b), posix.resolve(b), `resolve(${JSON.stringify(b)})`);
    assert.equal(relative(a, b), posix.relative(a, b), `relative(${parts})`);
  }
  assert.equal(join(), posix.join());
  assert.equal(resolve(), posix.resolve());
});

Deno.test("posix_path: fileUrlToPath and pathToFileUrl agree with node:url on paths with characters URLs treat specially", async () => {
  const { fileURLToPath, pathToFileURL } = await import("node:url");
  // Every ASCII character but NUL and "/", a few non-ASCII ones, and a trailing "/".
  const names = [
    ...Array.from({ length: 126 }, (_, k) => `x${String.fromCharCode(k + 1)}y`)
      .filter((n) => n !== "x/y"),
    "ü",
    "日本",
    "a/",
  ];
  for (const name of names) {
    for (const path of [`/data/${name}`, `/${name}/f.ts`, name]) {
      const mine = pathToFileUrl(path), theirs = pathToFileURL(path);
      assert.equal(mine.href, theirs.href, JSON.stringify(path));
      assert.equal(fileUrlToPath(mine), fileURLToPath(theirs), JSON.stringify(path));
    }
  }
  assert.throws(() => fileUrlToPath("https://example.org/a"), TypeError);
  assert.throws(() => fileUrlToPath("file:///a%2Fb"), TypeError);
});
