import assert from "node:assert/strict";
import {
  isLauncher,
  launcherChain,
  type ProcInfo,
  readProcInfo,
  watchLauncher,
} from "./launcher_watch.ts";

/** The processes above simrun under `npx deno task simrun run …` (as /proc shows them). */
function npxTree(): Map<number, ProcInfo> {
  const p = (ppid: number, argv: string[]): ProcInfo => ({ ppid, start: "100", state: "S", argv });
  return new Map([
    [10, p(1, ["/bin/bash", "job.sh"])],
    [20, p(10, ["npm exec deno task simrun run a.param n.param"])],
    [30, p(20, ["sh", "-c", "'deno' task simrun run a.param n.param"])],
    [40, p(30, ["node", "/repo/node_modules/.bin/deno", "task", "simrun", "run", "a.param"])],
    [50, p(40, ["/repo/node_modules/deno/deno", "task", "simrun", "run", "a.param"])],
    [
      60,
      p(50, [
        "/repo/node_modules/deno/deno",
        "run",
        "--ext=js",
        "-A",
        "/repo/node_modules/deno/bin.cjs",
        "run",
      ]),
    ],
  ]);
}

Deno.test("isLauncher() knows deno task, the deno npm shim, npm's sh -c and npm exec, nothing else", () => {
  for (const [pid, info] of npxTree()) assert.equal(isLauncher(info.argv), pid !== 10, `${pid}`);
  assert.ok(isLauncher(["/usr/bin/deno", "--quiet", "task", "simrun"]));
  assert.ok(isLauncher(["/usr/local/bin/npx", "deno", "task", "simrun"]));
  assert.ok(!isLauncher(["/usr/bin/deno", "run", "main.ts", "task"]));
  assert.ok(!isLauncher(["/usr/bin/deno", "test", "-A"]));
  assert.ok(!isLauncher(["sh", "-c", "deno run main.ts"]));
  assert.ok(!isLauncher(["/usr/bin/nohup", "npx", "deno", "task", "simrun"]));
  assert.ok(!isLauncher(["slurmstepd: [42.batch]"]));
  assert.ok(!isLauncher([]));
});

Deno.test("launcherChain() climbs through launchers and stops at the first other process", () => {
  const tree = npxTree();
  const chain = launcherChain(60, (pid) => tree.get(pid));
  assert.deepEqual(chain.map((c) => c.pid), [60, 50, 40, 30, 20]);
  assert.deepEqual(launcherChain(10, (pid) => tree.get(pid)), []);
});

Deno.test("watchLauncher() calls onGone once when a launcher ends, also when its pid is reused", async () => {
  for (
    const change of [
      (t: Map<number, ProcInfo>) => t.delete(30), // npm's sh -c killed
      (t: Map<number, ProcInfo>) => t.set(20, { ...t.get(20)!, state: "Z" }), // zombie
      (t: Map<number, ProcInfo>) => t.set(50, { ...t.get(50)!, start: "999" }), // pid reused
    ]
  ) {
    const tree = npxTree();
    const gone: number[] = [];
    const w = watchLauncher((p) => gone.push(p.pid), {
      ppid: 60,
      intervalMs: 5,
      readProc: (pid) => tree.get(pid),
    });
    assert.ok(w !== undefined);
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(gone, []);
    change(tree);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(gone.length, 1);
    w.stop();
  }
});

Deno.test({
  name: "readProcInfo() reads this process's parent from /proc",
  ignore: Deno.build.os !== "linux",
  fn() {
    const me = readProcInfo(Deno.pid);
    assert.ok(me !== undefined, "cannot read /proc through the C library");
    assert.equal(me.ppid, Deno.ppid);
    assert.ok(me.argv.length > 0);
    assert.equal(readProcInfo(2 ** 22 + 12345), undefined); // above any pid_max
  },
});
