/**
 * Enforces the module boundaries of style.md §5.2: imports point one way
 * (io ← solver ← network ← plugins ← simrun ← cluster ← mod.ts ← main.ts, and the side branch
 * io ← plot ← mod.ts), no files import each other in a circle (type-only and dynamic imports
 * included), another layer is entered only through its `mod.ts` (§3, §5.1), solver/ and network/
 * are pure (no Deno.*, Date.now, Math.random), the solver's sub-layers solver/nmodl and solver/wasm
 * are leaves entered through their mod.ts, and nothing uses `export default`.
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
  cluster: 5,
  "mod.ts": 6,
  "main.ts": 7,
};
/**
 * Side branches (style.md §5.2: `io ← plot ← mod.ts`): layers off the main chain, with the layers
 * they may import and the only ones that may import them.
 */
const SIDE: Record<string, { mayImport: readonly string[]; importedBy: readonly string[] }> = {
  plot: { mayImport: ["io"], importedBy: ["mod.ts", "main.ts"] },
};
const LAYERS = ["io", "solver", "network", "plugins", "simrun", "cluster", ...Object.keys(SIDE)];
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
  const re =
    /(?:import|export)\s[^"';]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** Relative imports of every file: file → the files it imports (resolved, existing ones only). */
function importGraph(sources: readonly string[]): Map<string, string[]> {
  const known = new Set(sources);
  const graph = new Map<string, string[]>();
  for (const file of sources) {
    const text = stripComments(readFileSync(file, "utf8"));
    const targets = imports(text)
      .filter((spec) => spec.startsWith("."))
      .map((spec) => resolve(dirname(file), spec))
      .filter((t) => known.has(t));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/**
 * Every import cycle of a graph, each as the list of its files starting at the smallest name
 * (strongly connected components with more than one file, or a file importing itself; Tarjan).
 */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
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

Deno.test("architecture: imports point one way (io ← solver ← network ← plugins ← simrun ← cluster ← mod ← main; io ← plot ← mod)", () => {
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

Deno.test("architecture: no import cycles (type-only and dynamic imports included)", () => {
  const cycles = importCycles(importGraph(files));
  assert.deepEqual(
    cycles.map((c) => c.map((f) => relative(root, f)).join(" ↔ ")),
    [],
    "import cycles",
  );
});

Deno.test("importCycles() finds a planted cycle of files, and none without it", () => {
  const dir = Deno.makeTempDirSync({ prefix: "simrun_arch_" });
  try {
    const write = (name: string, text: string) => Deno.writeTextFileSync(join(dir, name), text);
    write("a.ts", 'import { b } from "./b.ts";\nexport const a = b;\n');
    write("b.ts", 'import type { C } from "./c.ts";\nexport const b = 1 as unknown as C;\n');
    write("c.ts", 'export type C = number;\nexport const c = () => import("./a.ts");\n');
    write("d.ts", 'import { a } from "./a.ts";\nexport const d = a;\n');
    write(
      "e.ts",
      '// import { d } from "./d.ts"; (a comment is not an import)\nexport const e = 1;\n',
    );
    const all = ["a.ts", "b.ts", "c.ts", "d.ts", "e.ts"].map((n) => join(dir, n));
    const cycles = importCycles(importGraph(all));
    assert.deepEqual(cycles.map((c) => c.map((f) => relative(dir, f))), [["a.ts", "b.ts", "c.ts"]]);
    write("c.ts", "export type C = number;\n");
    assert.deepEqual(importCycles(importGraph(all)), []);
    write("e.ts", 'import "./e.ts";\n');
    assert.deepEqual(importCycles(importGraph(all)).map((c) => c.length), [1], "a self-import");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("architecture: the side branch plot/ may import only io and be imported only by mod.ts and main.ts", () => {
  for (const l of ["io", "plot"]) assert.ok(mayImport("plot", l), `plot → ${l}`);
  for (const l of ["solver", "network", "plugins", "simrun", "cluster", "mod.ts", "main.ts"]) {
    assert.ok(!mayImport("plot", l), `plot must not import ${l}`);
  }
  for (const l of ["mod.ts", "main.ts"]) assert.ok(mayImport(l, "plot"), `${l} → plot`);
  for (const l of ["io", "solver", "network", "plugins", "simrun", "cluster"]) {
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

/**
 * Sub-layers of the solver: folders that are leaves inside solver/, each with the only files outside
 * itself it may import. The rest of the solver (and nothing else) enters a sub-layer only through
 * its mod.ts. The order of this table is their rank: solver/nmodl (the NMODL compiler) sits below
 * solver/wasm (the WebAssembly engine), which lowers the compiler's IR.
 */
const SUBLAYERS: Record<string, readonly string[]> = {
  "solver/nmodl": [
    "solver/mechanisms/_types.ts",
    "solver/mechanisms/_rate_table.ts",
    "io/mod.ts",
  ],
  "solver/wasm": [
    "solver/nmodl/mod.ts",
    "solver/mechanisms/_types.ts",
    "solver/mechanisms/_rate_table.ts",
    "io/mod.ts",
  ],
};

/**
 * The files through which the rest of the solver enters a sub-layer: its mod.ts, and for the
 * compiler its IR (solver/nmodl/ir.ts: plain data that imports nothing, the contract between the
 * compiler, the mechanism contract that carries it and the engine that lowers it).
 */
const ENTRIES: Record<string, readonly string[]> = {
  "solver/nmodl": ["solver/nmodl/mod.ts", "solver/nmodl/ir.ts"],
  "solver/wasm": ["solver/wasm/mod.ts"],
};

/** The sub-layer holding a repository-relative path, if any. */
function subLayerOf(rel: string): string | undefined {
  return Object.keys(SUBLAYERS).find((s) => rel.startsWith(`${s}/`));
}

Deno.test("architecture: solver/nmodl and solver/wasm import only their listed files, and are entered through their mod.ts", () => {
  const bad: string[] = [];
  for (const file of files) {
    const rel = relative(root, file);
    const from = subLayerOf(rel);
    for (const spec of imports(stripComments(readFileSync(file, "utf8")))) {
      if (!spec.startsWith(".")) continue;
      const target = relative(root, resolve(dirname(file), spec));
      const to = subLayerOf(target);
      if (from !== undefined && to !== from && !SUBLAYERS[from].includes(target)) {
        bad.push(`${rel} imports ${target}`);
      }
      if (to !== undefined && to !== from && !ENTRIES[to].includes(target)) {
        bad.push(`${rel} imports ${target} (use ${ENTRIES[to].join(" or ")})`);
      }
    }
  }
  assert.deepEqual(bad, [], `imports across a solver sub-layer's boundary:\n${bad.join("\n")}`);
});

Deno.test("architecture: every solver sub-layer has a mod.ts", () => {
  const missing = Object.keys(SUBLAYERS).filter((l) => {
    try {
      return !statSync(join(root, l, "mod.ts")).isFile();
    } catch {
      return true;
    }
  });
  assert.deepEqual(missing, [], `sub-layers without mod.ts: ${missing.join(", ")}`);
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

Deno.test("architecture: no module of simrun imports a node: module statically (only on first use)", () => {
  // Deno sets up its whole Node layer (about 5 MiB and 20–40 ms per process) on the first call
  // into a node: module, and at once for some (node:crypto, node:url): io/posix_path.ts and
  // io/command_line.ts stand in for node:path and node:util on the run path.
  const staticNode = /(?:import|export)\s[^"';]*?from\s*["']node:|^\s*import\s*["']node:/m;
  const bad = files.filter((f) => staticNode.test(stripComments(readFileSync(f, "utf8"))))
    .map((f) => relative(root, f));
  assert.deepEqual(bad, [], `static node: imports: ${bad.join(", ")}`);
});
