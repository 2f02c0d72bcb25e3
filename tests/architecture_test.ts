/**
 * Enforces the module boundaries of style.md §5.2: imports point one way
 * (io ← solver ← network ← plugins ← simrun ← mod.ts ← main.ts, and the side branch
 * io ← plot ← mod.ts), another layer is entered only
 * through its `mod.ts` (§3, §5.1), solver/ and network/ are pure (no Deno.*, Date.now,
 * Math.random), and nothing uses `export default`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { repoDir } from "./_shared.ts";

/** Layer rank: a file may import only files of the same or a lower rank. */
const RANK: Record<string, number> = {
  io: 0,
  solver: 1,
  network: 2,
  plugins: 3,
  simrun: 4,
  "mod.ts": 5,
  "main.ts": 6,
};
/**
 * Side branches (style.md §5.2: `io ← plot ← mod.ts`): layers off the main chain, with the layers
 * they may import and the only ones that may import them.
 */
const SIDE: Record<string, { mayImport: readonly string[]; importedBy: readonly string[] }> = {
  plot: { mayImport: ["io"], importedBy: ["mod.ts", "main.ts"] },
};
const LAYERS = ["io", "solver", "network", "plugins", "simrun", ...Object.keys(SIDE)];
const PURE = ["solver", "network"];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name === "testdata") continue;
      out.push(...sourceFiles(p));
    } else if (name.endsWith(".ts") && !name.endsWith("_test.ts")) out.push(p);
  }
  return out;
}

function layerOf(root: string, file: string): string | undefined {
  const rel = relative(root, file);
  const top = rel.split("/")[0];
  return RANK[top] !== undefined || SIDE[top] !== undefined ? top : undefined;
}

function imports(text: string): string[] {
  const out: string[] = [];
  const re = /(?:import|export)\s[^"']*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2]);
  return out;
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

const root = repoDir();
const files = [
  ...LAYERS.flatMap((l) => {
    try {
      return sourceFiles(join(root, l));
    } catch {
      return [];
    }
  }),
  join(root, "mod.ts"),
  join(root, "main.ts"),
].filter((f) => {
  try {
    return statSync(f).isFile();
  } catch {
    return false;
  }
});

/** Whether layer `from` may import layer `to` (§5.2). */
function mayImport(from: string, to: string): boolean {
  if (from === to) return true;
  if (SIDE[from] !== undefined) return SIDE[from].mayImport.includes(to);
  if (SIDE[to] !== undefined) return SIDE[to].importedBy.includes(from);
  return RANK[to] <= RANK[from];
}

Deno.test("architecture: imports point one way (io ← solver ← network ← plugins ← simrun ← mod ← main; io ← plot ← mod)", () => {
  const bad: string[] = [];
  for (const file of files) {
    const from = layerOf(root, file)!;
    for (const spec of imports(readFileSync(file, "utf8"))) {
      if (!spec.startsWith(".")) continue;
      const target = resolve(dirname(file), spec);
      const to = layerOf(root, target);
      if (to === undefined) continue;
      if (!mayImport(from, to)) {
        bad.push(`${relative(root, file)} imports ${relative(root, target)}`);
      }
    }
  }
  assert.deepEqual(bad, [], `rightward imports:\n${bad.join("\n")}`);
});

Deno.test("architecture: the side branch plot/ may import only io and be imported only by mod.ts and main.ts", () => {
  for (const l of ["io", "plot"]) assert.ok(mayImport("plot", l), `plot → ${l}`);
  for (const l of ["solver", "network", "plugins", "simrun", "mod.ts", "main.ts"]) {
    assert.ok(!mayImport("plot", l), `plot must not import ${l}`);
  }
  for (const l of ["mod.ts", "main.ts"]) assert.ok(mayImport(l, "plot"), `${l} → plot`);
  for (const l of ["io", "solver", "network", "plugins", "simrun"]) {
    assert.ok(!mayImport(l, "plot"), `${l} must not import plot`);
  }
});

Deno.test("architecture: solver/ and network/ touch no Deno.*, Date.now or Math.random", () => {
  const bad: string[] = [];
  for (const file of files) {
    if (!PURE.includes(layerOf(root, file)!)) continue;
    const text = stripComments(readFileSync(file, "utf8"));
    for (const pat of [/\bDeno\./, /\bDate\.now\b/, /\bMath\.random\b/]) {
      if (pat.test(text)) bad.push(`${relative(root, file)}: ${pat.source}`);
    }
  }
  assert.deepEqual(bad, [], `impure code in pure layers:\n${bad.join("\n")}`);
});

Deno.test("architecture: no default exports", () => {
  const bad = files.filter((f) => /^\s*export\s+default\b/m.test(readFileSync(f, "utf8")));
  assert.deepEqual(bad.map((f) => relative(root, f)), []);
});

Deno.test("architecture: every layer folder has a mod.ts", () => {
  const missing = LAYERS.filter((l) => {
    try {
      return !statSync(join(root, l, "mod.ts")).isFile();
    } catch {
      return true;
    }
  });
  assert.deepEqual(missing, [], `layers without mod.ts: ${missing.join(", ")}`);
});

Deno.test("architecture: another layer is entered only through its mod.ts", () => {
  // Code only: a doc example (in a comment) may show a file's own API or a test helper.
  const bad: string[] = [];
  for (const file of files) {
    const from = layerOf(root, file)!;
    const ownMod = LAYERS.includes(from) ? join(root, from, "mod.ts") : undefined;
    for (const spec of imports(stripComments(readFileSync(file, "utf8")))) {
      if (!spec.startsWith(".")) continue;
      const target = resolve(dirname(file), spec);
      const to = layerOf(root, target);
      const what = `${relative(root, file)} imports ${relative(root, target)}`;
      if (to === undefined) continue;
      if (from === "main.ts" && to !== "mod.ts") {
        bad.push(`${what} (main.ts goes through ./mod.ts)`);
      } else if (to !== from && LAYERS.includes(to) && target !== join(root, to, "mod.ts")) {
        bad.push(`${what} (use ${to}/mod.ts)`);
      } else if (file !== ownMod && target === ownMod) {
        bad.push(`${what} (a layer's files never import their own mod.ts: import cycle)`);
      }
    }
  }
  assert.deepEqual(bad, [], `imports past another layer's mod.ts:\n${bad.join("\n")}`);
});
