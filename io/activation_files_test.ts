import assert from "node:assert/strict";
import { InputSyntaxError, InputValueError } from "./errors.ts";
import {
  formatPresynapticSpikes,
  formatSynapseActivations,
  parseSynapseActivationFile,
} from "./activation_files.ts";

Deno.test("formatSynapseActivations() sorts by type code points then ID and writes Python floats", () => {
  const text = formatSynapseActivations([
    {
      type: "L1_C1",
      synapseId: 23,
      somaDist: 1342.08330001,
      section: 60,
      ptId: 29,
      label: "ApicalDendrite",
      releaseTimes: [90.7338018772],
    },
    {
      type: "L1_C1",
      synapseId: 19,
      somaDist: 1539.71545505,
      section: 50,
      ptId: 80,
      label: "ApicalDendrite",
      releaseTimes: [14.3144635349],
    },
    {
      type: "L1_Beta",
      synapseId: 0,
      somaDist: 0,
      section: 0,
      ptId: 27,
      label: "Soma",
      releaseTimes: [1e-5, 100],
    },
    {
      type: "L1_B2",
      synapseId: 1,
      somaDist: 3,
      section: 1,
      ptId: 2,
      label: "Dendrite",
      releaseTimes: [],
    },
  ]);
  assert.equal(
    text,
    "# synapse type\tsynapse ID\tsoma distance\tsection ID\tsection pt ID\tdendrite label\tactivation times\n" +
      "L1_Beta\t0\t0.0\t0\t27\tSoma\t1e-05,100.0,\n" +
      "L1_C1\t19\t1539.71545505\t50\t80\tApicalDendrite\t14.3144635349,\n" +
      "L1_C1\t23\t1342.08330001\t60\t29\tApicalDendrite\t90.7338018772,\n",
  );
});

Deno.test("formatPresynapticSpikes() sorts by type then cell ID and skips silent cells", () => {
  const text = formatPresynapticSpikes([
    { type: "L23Trans_B2", cellId: 1, spikes: [19.8887915087, 21.9729226211] },
    { type: "L1_B1", cellId: 6, spikes: [174.863960609] },
    { type: "L1_B1", cellId: 0, spikes: [66.1219815159] },
    { type: "L1_B1", cellId: 2, spikes: [] },
  ]);
  assert.equal(
    text,
    "# presynaptic cell type\tcell ID\tspike times\nL1_B1\t0\t66.1219815159,\nL1_B1\t6\t174.863960609,\n" +
      "L23Trans_B2\t1\t19.8887915087,21.9729226211,\n",
  );
});

Deno.test("parseSynapseActivationFile() reads 7- and 6-column rows and round-trips the writer", () => {
  const recs = [{
    type: "A",
    synapseId: 3,
    somaDist: 77.2724093037,
    section: 139,
    ptId: 29,
    label: "Dendrite",
    releaseTimes: [146.358384937, 334.9263694],
  }];
  const f = parseSynapseActivationFile(formatSynapseActivations(recs), "a.csv");
  assert.deepEqual(f.rows[0], {
    type: "A",
    synapseId: 3,
    somaDist: 77.2724093037,
    section: 139,
    ptId: 29,
    label: "Dendrite",
    times: [146.358384937, 334.9263694],
    line: 2,
  });
  const six = parseSynapseActivationFile("# h\nB\t12.5\t4\t7\tSoma\t1.0,2.0,\r\n", "b.csv");
  assert.equal(six.rows[0].synapseId, undefined);
  assert.deepEqual([six.rows[0].section, six.rows[0].ptId, six.rows[0].times], [4, 7, [1, 2]]);
});

Deno.test("parseSynapseActivationFile() reports file and line of a bad row", () => {
  const bad = () =>
    parseSynapseActivationFile(
      "# h\nA\t0\t1.0\t2\t3\tSoma\t1.0,\nA\t1\t1.0\tx\t3\tSoma\t1.0,\n",
      "bad.csv",
    );
  assert.throws(bad, InputSyntaxError);
  assert.throws(
    bad,
    /^InputSyntaxError: bad\.csv:3: Cannot read the section ID|bad\.csv:3: Cannot read the section ID/,
  );
  assert.throws(
    () => parseSynapseActivationFile("# h\nA\t0\t1.0\n", "bad.csv"),
    /bad\.csv:2: Expected 7/,
  );
});

Deno.test("parseSynapseActivationFile() refuses nan and inf activation times with file and line", () => {
  for (const t of ["nan", "inf", "-Infinity", "NaN"]) {
    assert.throws(
      () => parseSynapseActivationFile(`# h\nA\t0\t1.0\t2\t3\tSoma\t1.0,${t},\n`, "x.csv"),
      (e: unknown) =>
        e instanceof InputValueError && e.file === "x.csv" && e.line === 2 &&
        e.message.includes(`Activation time "${t}" of synapse type "A" is not a finite number`),
      t,
    );
  }
  // A soma distance of inf is only informative (replays recompute it): accepted.
  const f = parseSynapseActivationFile("# h\nA\t0\tinf\t2\t3\tSoma\t1.0,\n", "x.csv");
  assert.deepEqual(f.rows[0].times, [1]);
});
