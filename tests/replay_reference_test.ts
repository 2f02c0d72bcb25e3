/**
 * `simrun replay` against ISF's own replay (reference/network/C_replay_run_existing_synapse_activations)
 * of the two stored sweeps of B_run_new_simulations: the deterministic reference of the network part
 * (its only inputs are the cell param, the network param and the activation files).
 */
import assert from "node:assert/strict";
import { runCli } from "./_cli.ts";
import { isfPathMap, sharedDir, sharedPath } from "./_shared.ts";
import { compareTraces, generic, listDir, readTraces, resultOf } from "./_traces.ts";

for (const compiled of [false, true]) {
  Deno.test({
    name: `simrun replay reproduces ISF's replay of B's two sweeps (files, traces)${
      compiled
        ? " with ISF's channel and synapse .mod files compiled (--mechanisms channels_py3)"
        : ""
    }`,
    ignore: sharedDir() === undefined,
    async fn() {
      const tmp = await Deno.makeTempDir({ prefix: "simrun_replay_" });
      try {
        const data = sharedPath("data", "isf_example");
        const b = sharedPath("reference", "network", "B_run_new_simulations");
        const r = await runCli([
          "replay",
          `${data}/biophysical_constraints/86_C2_center.param`,
          `${data}/functional_constraints/network.param`,
          `${b}/simulation_run0000_synapses.csv`,
          `${b}/simulation_run0001_synapses.csv`,
          "--tstop",
          "345.0",
          "--dir-prefix",
          tmp,
          "--quiet",
          "--path-map",
          isfPathMap()[0]!,
          ...(compiled
            ? ["--mechanisms", sharedPath("data", "isf_example", "mechanisms", "channels_py3")]
            : []),
        ], { cwd: tmp });
        assert.equal(r.code, 0, r.stderr);
        if (compiled) assert.match(r.stderr, /replace the built-in .*gaba_syn, glutamate_syn/);
        const dir = await resultOf(tmp);
        assert.match(dir, /\/\d{8}-\d{4}_seed00000_pid\d+$/);
        const ref = sharedPath("reference", "network", "C_replay_run_existing_synapse_activations");
        const ours = await listDir(dir);
        const theirs = await listDir(ref);
        assert.deepEqual(
          ours.map(generic).sort(),
          [...theirs.map(generic), "hostname_<host>"].sort(),
        );
        // The loops below compare every reference file; guard them against an empty listing.
        assert.equal(theirs.filter((n) => n.startsWith("simulation_run")).length, 4, "sweep files");
        assert.equal(theirs.filter((n) => n.endsWith("_traces.csv")).length, 2, "trace files");
        // Replay sweep files (outputs.md §7): no randomness, so byte-identical.
        for (const name of theirs.filter((n) => n.startsWith("simulation_run"))) {
          assert.equal(
            await Deno.readTextFile(`${dir}/${name}`),
            await Deno.readTextFile(`${ref}/${name}`),
            `${name} differs from ISF's replay`,
          );
        }
        // synapse_file_paths.csv: the paths as given, numbered 0000000, 0000001.
        assert.equal(
          await Deno.readTextFile(`${dir}/synapse_file_paths.csv`),
          `synapse_file,number\n${b}/simulation_run0000_synapses.csv,0000000\n` +
            `${b}/simulation_run0001_synapses.csv,0000001\n`,
        );
        for (const name of theirs.filter((n) => n.endsWith("_traces.csv"))) {
          const mine = ours.find((n) => generic(n) === generic(name))!;
          compareTraces(
            readTraces(await Deno.readTextFile(`${dir}/${mine}`)),
            readTraces(await Deno.readTextFile(`${ref}/${name}`)),
            `replay ${generic(name)}${compiled ? " (compiled)" : ""}`,
          );
        }
      } finally {
        await Deno.remove(tmp, { recursive: true });
      }
    },
  });
}
