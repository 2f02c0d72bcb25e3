/** A job killed mid-sweep leaves only its `_running` folder (no traces, no params); a rerun succeeds. */
import assert from "node:assert/strict";
import { cliCommand, runCli } from "./_cli.ts";
import { MODEL, names } from "./_model.ts";

Deno.test("SIGKILL during a sweep leaves only the _running folder, and a rerun succeeds", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_kill_" });
  try {
    const args = [
      "run",
      `${MODEL}/example_pyramid.param`,
      `${MODEL}/example_network.param`,
      "--dir-prefix",
      tmp,
    ];
    const child = new Deno.Command(Deno.execPath(), {
      args: cliCommand([...args, "--sweeps", "50", "--seed", "9", "--quiet"]),
      cwd: tmp,
      stdout: "null",
      stderr: "null",
    }).spawn();
    // Wait until sweep 0's files exist: sweep 1 is then being simulated.
    let running: string | undefined;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      running = (await names(`${tmp}/results`)).find((n) => n.endsWith("_running"));
      if (
        running &&
        (await names(`${tmp}/results/${running}`)).includes(
          "simulation_run0000_presynaptic_cells.csv",
        )
      ) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
    const status = await child.status;
    assert.equal(status.signal, "SIGKILL", "the job finished before it could be killed");
    assert.ok(running, "no _running folder appeared within 60 s");
    assert.deepEqual(await names(`${tmp}/results`), [running]);
    const left = await names(`${tmp}/results/${running}`);
    assert.ok(left.some((n) => n.startsWith("hostname_")));
    assert.ok(
      !left.some((n) => n.endsWith("_traces.csv") || n.endsWith(".param")),
      left.join(", "),
    );

    const r = await runCli([...args, "--sweeps", "1", "--tstop", "20", "--seed", "9", "--quiet"], {
      cwd: tmp,
    });
    assert.equal(r.code, 0, r.stderr);
    const after = await names(`${tmp}/results`);
    assert.equal(after.length, 2);
    const done = after.find((n) => /^\d{8}-\d{4}_seed9_pid\d+$/.test(n));
    assert.ok(done, after.join(", "));
    assert.ok(
      (await names(`${tmp}/results/${done}`)).some((n) => n.endsWith("_vm_all_traces.csv")),
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
