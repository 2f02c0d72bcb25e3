/**
 * Every `.mod` file of ISF's mechanism folders (../shared/data/isf_example/mechanisms/) either
 * compiles or is refused with one line naming file, line, column and construct. The expected
 * table is the one in docs/mechanisms.md.
 *
 * @module
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { compileNmodl, toDensityMechanism } from "../solver/nmodl/mod.ts";
import { sharedDir, sharedPath } from "./_shared.ts";

/** file → compiled mechanism (kind, name, fast mode) or refusal (line:column, construct). */
const EXPECTED: Readonly<Record<string, string>> = {
  "channels_py3/CaDynamics_E2.mod": "density CaDynamics_E2 exact",
  "channels_py3/CaDynamics_E2_v2.mod": "density CaDynamics_E2_v2 exact",
  "channels_py3/Ca_HVA.mod": "density Ca_HVA fast",
  "channels_py3/Ca_LVAst.mod": "density Ca_LVAst fast",
  "channels_py3/Ih.mod": "density Ih fast",
  "channels_py3/Im.mod": "density Im fast",
  "channels_py3/K_Pst.mod": "density K_Pst fast",
  "channels_py3/K_Tst.mod": "density K_Tst fast",
  "channels_py3/NaTa_t.mod": "density NaTa_t fast",
  "channels_py3/NaTg.mod": "density NaTg fast",
  "channels_py3/NaTs2_t.mod": "density NaTs2_t fast",
  "channels_py3/Nap_Et2.mod": "density Nap_Et2 fast",
  "channels_py3/ProbAMPANMDA2.mod": "point ProbAMPANMDA2",
  "channels_py3/ProbUDFsyn2.mod": "point ProbUDFsyn2",
  "channels_py3/SK_E2.mod": "density SK_E2 fast",
  "channels_py3/SKv3_1.mod": "density SKv3_1 fast",
  "channels_py3/SKv3_1_copy.mod": "density SKv3_1_copy fast",
  "channels_py3/epsp.mod": "point epsp",
  "channels_py3/netgaba.mod": "point gaba_syn",
  "channels_py3/netgaba_old.mod": "point gaba_syn_old",
  "channels_py3/netglutamate.mod": "point glutamate_syn",
  "channels_py3/netglutamate_old.mod": "point glutamate_syn_old",
  "netcon_py3/ampa.mod": "point AMPA_S",
  "netcon_py3/gsyn.mod": "point GSyn",
  "netcon_py3/k2syn.mod": "point K2Syn",
  "netcon_py3/nmda2.mod": "point NMDA_S",
  "netcon_py3/nmda2_schiller.mod": "point NMDA_SCHILLER",
  "netcon_py3/pregen.mod": "refused 60:45 exprand",
  "netcon_py3/vecevent.mod": "refused 4:18 ARTIFICIAL_CELL",
};

Deno.test({
  name: "every ISF .mod file compiles or is refused with file, line, column and construct",
  ignore: sharedDir() === undefined,
  fn() {
    const root = sharedPath("data", "isf_example", "mechanisms");
    const seen: Record<string, string> = {};
    for (const dir of readdirSync(root).sort()) {
      for (const f of readdirSync(`${root}/${dir}`).filter((x) => x.endsWith(".mod")).sort()) {
        const r = compileNmodl(readFileSync(`${root}/${dir}/${f}`, "utf8"), { file: f });
        if (r.ok) {
          const m = r.mechanism;
          const fast = m.kind === "density"
            ? (toDensityMechanism(m).fast !== undefined ? " fast" : " exact")
            : "";
          seen[`${dir}/${f}`] = `${m.kind} ${m.name}${fast}`;
        } else {
          const e = r.error;
          // One line, starting with file:line:column.
          assert.ok(!e.message.includes("\n"), e.message);
          assert.ok(e.message.startsWith(`${f}:${e.line}:${e.column}: `), e.message);
          seen[`${dir}/${f}`] = `refused ${e.line}:${e.column} ${e.key}`;
        }
      }
    }
    assert.deepEqual(seen, EXPECTED);
  },
});
