/**
 * Runs every bench module `bench/*_bench.ts` (each exports `bench<Name>(): Promise<string>`) in
 * name order and prints their lines. `deno task bench [name…]` runs only the named ones (`job`, `cell`, …).
 *
 * @module
 */

const dir = new URL(".", import.meta.url);
const only = new Set(Deno.args);
const files: string[] = [];
for await (const e of Deno.readDir(dir)) {
  if (e.isFile && e.name.endsWith("_bench.ts")) files.push(e.name);
}
files.sort();
let failed = 0;
for (const f of files) {
  const name = f.slice(0, -"_bench.ts".length);
  if (only.size > 0 && !only.has(name)) continue;
  const mod = await import(new URL(f, dir).href) as Record<string, unknown>;
  const fns = Object.entries(mod).filter(([k, v]) =>
    k.startsWith("bench") && typeof v === "function"
  );
  if (fns.length === 0) {
    console.log(`${name}: no bench<Name>() export`);
    failed++;
    continue;
  }
  for (const [, fn] of fns) {
    try {
      console.log(await (fn as () => Promise<string>)());
    } catch (e) {
      failed++;
      console.log(`${name}: FAILED ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
if (failed > 0) Deno.exit(1);
