import assert from "node:assert/strict";
import { buildTestCell, labelBlock, TEST_HOC, testParamText } from "../../solver/_test_cell.ts";
import { apicalEpspInjection } from "./apical_epsp_injection.ts";
import { apicalCurrentInjection } from "./apical_current_injection.ts";
import { bacInjection } from "./bac_injection.ts";
import { scaleApical } from "./scale_apical.ts";
import { scaleApicalMorph86 } from "./scale_apical_morph_86.ts";
import { connectedBeyond, detailedLabels, trunkLocation } from "./_trunk.ts";

const PAS = '"pas": {"spatial": "uniform", "g": 0.0001}';
// add an oblique (apical_3 on apical_1, short) and a second tuft branch (apical_4 on apical_2)
const HOC = TEST_HOC + `
{create apical_3}
{connect apical_3(0), apical_1(1)}
{pt3dadd(0, 0, 520, 1)}
{pt3dadd(50, 0, 520, 1)}

{create apical_4}
{connect apical_4(0), apical_2(1)}
{pt3dadd(0, 0, 1320, 1)}
{pt3dadd(0, 50, 1320, 1)}
`;
const cell = () => buildTestCell(testParamText(labelBlock("Soma", PAS)), HOC);
const ctx = { keyPath: "neuron.cell_modify_functions.x", paramFile: "p.param" };

Deno.test("trunk helpers: connected beyond 1000, trunk location, detailed labels", () => {
  const c = cell(); // soma(0)→apical_1(1) = 510, apical_2(1) = 1310
  assert.deepEqual(connectedBeyond(c), [false, false, true, true, false, true]);
  assert.deepEqual(trunkLocation(c, 300), { section: 2, x: (300 - 10) / 500 });
  assert.deepEqual(trunkLocation(c, 970), { section: 3, x: (970 - 510) / 800 });
  assert.equal(trunkLocation(c, 5000), undefined);
  assert.deepEqual(detailedLabels(c), ["Soma", "basal", "trunk", "trunk", "oblique", "tuft"]);
});

Deno.test("built-ins: scaling and stimuli", () => {
  const c = cell();
  const m86 = scaleApicalMorph86(c, {}, ctx);
  assert.deepEqual(m86.diameters!.map((d) => d.section), [2, 4]); // apical_1 and apical_3 (apical_2 and apical_4 end beyond 1000 µm)
  assert.deepEqual(m86.diameters![0].diam, [7.5, 7.5, 7.5]);
  assert.deepEqual(
    scaleApical(c, { scale: 2, compartment: "Trunk" }, ctx).diameters!.map((d) => d.section),
    [2, 3],
  );
  assert.equal(scaleApical(c, { scale: 2 }, ctx).diameters!.length, 4);
  const bac = bacInjection(c, {}, ctx).pointProcesses!;
  assert.deepEqual(bac[0], {
    mechanism: "IClamp",
    section: 0,
    x: 0.5,
    params: { amp: 1.9, del: 295, dur: 5 },
  });
  assert.deepEqual(bac[1], {
    mechanism: "epsp",
    section: 3,
    x: (970 - 510) / 800,
    params: { onset: 300, tau0: 1, tau1: 5, imax: 0.5 },
  });
  const epsp =
    apicalEpspInjection(c, { dist: 300, amplitude: 0.4, delay: 10 }, ctx).pointProcesses![0];
  assert.deepEqual(epsp.params, { onset: 10, tau0: 1, tau1: 5, imax: 0.4 });
  assert.equal(
    apicalCurrentInjection(c, { amplitude: 1, delay: 1, duration: 1, dist: 0 }, ctx)
      .pointProcesses![0].section,
    0,
  );
  assert.throws(
    () => apicalEpspInjection(c, { dist: 5000, amplitude: 0.4, delay: 10 }, ctx),
    /no apical trunk section reaches 5000/,
  );
  assert.throws(() => scaleApicalMorph86(c, { x: 1 }, ctx), /unexpected keyword argument "x"/);
});
