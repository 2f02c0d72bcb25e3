import assert from "node:assert/strict";
import { returnFreeMemory } from "./free_memory.ts";

Deno.test("returnFreeMemory() gives freed C-heap pages back on glibc, and is a no-op elsewhere", () => {
  const rssMiB = () => Deno.memoryUsage().rss / 2 ** 20;
  returnFreeMemory(); // binds malloc_trim (or finds it unavailable)
  const available = Deno.build.os === "linux" &&
    Deno.permissions.querySync({ name: "ffi" }).state === "granted" &&
    (() => {
      try {
        Deno.dlopen("libc.so.6", { malloc_trim: { parameters: ["usize"], result: "i32" } }).close();
        return true;
      } catch {
        return false;
      }
    })();
  if (!available) {
    assert.equal(returnFreeMemory(), false);
    return;
  }
  // 64 MiB in 4,096 blocks of 16 KiB, each followed by a small block that stays: below glibc's
  // mmap threshold and pinned by their neighbours, the freed blocks stay in the heap (glibc trims
  // only a free heap top by itself) until malloc_trim gives their pages back (the whole pages
  // inside each free chunk: 3 of its 4–5).
  const lib = Deno.dlopen("libc.so.6", {
    malloc: { parameters: ["usize"], result: "pointer" },
    free: { parameters: ["pointer"], result: "void" },
    memset: { parameters: ["pointer", "i32", "usize"], result: "pointer" },
  });
  const pins: Deno.PointerValue[] = [];
  try {
    const blocks = Array.from({ length: 4096 }, () => {
      const b = lib.symbols.malloc(16384n);
      pins.push(lib.symbols.malloc(64n));
      return b;
    });
    for (const b of blocks) lib.symbols.memset(b, 1, 16384n); // resident
    for (const b of blocks) lib.symbols.free(b);
    const held = rssMiB();
    assert.equal(returnFreeMemory(), true);
    const after = rssMiB();
    assert.ok(held - after > 16, `RSS ${held.toFixed(1)} → ${after.toFixed(1)} MiB`);
  } finally {
    for (const p of pins) lib.symbols.free(p);
    lib.close();
  }
});
