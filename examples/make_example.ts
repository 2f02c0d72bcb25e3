/**
 * Writes the demo model under `examples/model/` (run `deno run --allow-write examples/make_example.ts`):
 * a small pyramidal-like morphology (soma, 4 basal dendrites, an apical trunk with obliques and a
 * tuft), a cell param with the Hay et al. 2011 channel set (relative paths), a network param with
 * four presynaptic types (PSTH and Poisson activity), and seeded `.syn`/`.con` files. The outputs
 * are committed together with this script; rerunning it rewrites them identically.
 *
 * @module
 */
import { formatPythonFloat } from "../io/mod.ts";

/** Seed of the generator; changing it changes every committed model file. */
const SEED = 20250101;

/** mulberry32: a tiny deterministic generator (the example is not about statistics). */
function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sec {
  name: string;
  label: "Soma" | "Dendrite" | "ApicalDendrite";
  parent: string | undefined;
  pts: [number, number, number, number][];
}

const f6 = (v: number) => v.toFixed(6);

/** A section of `length` µm from `start` along direction `dir` (unit vector), gently wiggling. */
function branch(
  rnd: () => number,
  start: [number, number, number],
  dir: [number, number, number],
  length: number,
  d0: number,
  d1: number,
): [number, number, number, number][] {
  const n = Math.max(2, Math.round(length / 8) + 1);
  const pts: [number, number, number, number][] = [];
  let [x, y, z] = start;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const step = length / (n - 1);
      x += dir[0] * step + (rnd() - 0.5) * 1.5;
      y += dir[1] * step + (rnd() - 0.5) * 1.5;
      z += dir[2] * step + (rnd() - 0.5) * 1.5;
    }
    pts.push([x, y, z, d0 + (d1 - d0) * (i / (n - 1))]);
  }
  return pts;
}

function norm(v: [number, number, number]): [number, number, number] {
  const l = Math.hypot(...v);
  return [v[0] / l, v[1] / l, v[2] / l];
}

function endOf(s: Sec): [number, number, number] {
  const p = s.pts[s.pts.length - 1]!;
  return [p[0], p[1], p[2]];
}

/** Builds the morphology: apical axis +z (pia), basal dendrites around and below the soma. */
function morphology(rnd: () => number): Sec[] {
  const secs: Sec[] = [];
  const soma: Sec = { name: "soma", label: "Soma", parent: undefined, pts: [] };
  for (let i = 0; i <= 10; i++) {
    const z = -10 + 2 * i;
    soma.pts.push([0, 0, z, 2 * Math.sqrt(Math.max(1, 100 - z * z)) * 0.9 + 2]);
  }
  secs.push(soma);
  for (let b = 0; b < 4; b++) {
    const ang = (b / 4) * 2 * Math.PI + 0.3;
    const dir = norm([Math.cos(ang), Math.sin(ang), -0.5]);
    const root: Sec = {
      name: `dend_${b + 1}_0`,
      label: "Dendrite",
      parent: "soma",
      pts: branch(rnd, [dir[0] * 8, dir[1] * 8, -2], dir, 60 + 30 * rnd(), 1.6, 1.2),
    };
    secs.push(root);
    for (let c = 0; c < 2; c++) {
      const cd = norm([
        dir[0] + (c ? 0.5 : -0.5) * dir[1],
        dir[1] - (c ? 0.5 : -0.5) * dir[0],
        dir[2] - 0.2,
      ]);
      secs.push({
        name: `dend_${b + 1}_0_${c}`,
        label: "Dendrite",
        parent: root.name,
        pts: branch(rnd, endOf(root), cd, 140 + 60 * rnd(), 0.9, 0.6),
      });
    }
  }
  const trunk0: Sec = {
    name: "apical_1_0",
    label: "ApicalDendrite",
    parent: "soma",
    pts: branch(rnd, [0, 0, 10], [0, 0, 1], 260, 3.2, 2.6),
  };
  const trunk1: Sec = {
    name: "apical_1_0_0",
    label: "ApicalDendrite",
    parent: trunk0.name,
    pts: branch(rnd, endOf(trunk0), norm([0.05, 0, 1]), 260, 2.6, 2.0),
  };
  secs.push(trunk0);
  for (let o = 0; o < 2; o++) {
    secs.push({
      name: `apical_1_0_${o + 1}`,
      label: "ApicalDendrite",
      parent: trunk0.name,
      pts: branch(rnd, endOf(trunk0), norm([o ? -1 : 1, 0.3, 0.8]), 150 + 40 * rnd(), 1.0, 0.7),
    });
  }
  secs.push(trunk1);
  for (let t = 0; t < 3; t++) {
    const ang = (t / 3) * 2 * Math.PI;
    const tuft: Sec = {
      name: `apical_1_0_0_${t}`,
      label: "ApicalDendrite",
      parent: trunk1.name,
      pts: branch(
        rnd,
        endOf(trunk1),
        norm([Math.cos(ang), Math.sin(ang), 1.5]),
        180 + 40 * rnd(),
        1.4,
        1.0,
      ),
    };
    secs.push(tuft);
    for (let c = 0; c < 2; c++) {
      secs.push({
        name: `apical_1_0_0_${t}_${c}`,
        label: "ApicalDendrite",
        parent: tuft.name,
        pts: branch(
          rnd,
          endOf(tuft),
          norm([Math.cos(ang + (c ? 0.6 : -0.6)), Math.sin(ang + (c ? 0.6 : -0.6)), 1.2]),
          120 + 60 * rnd(),
          0.9,
          0.6,
        ),
      });
    }
  }
  return secs;
}

function hocText(secs: Sec[]): string {
  let s = "";
  for (const sec of secs) {
    s += `{create ${sec.name}}\n`;
    if (sec.parent !== undefined) {
      s += `{connect ${sec.name}(0), ${sec.parent}(${
        sec.parent === "soma" ? "0.5" : "1.000000"
      })}\n`;
    }
    s += `{access ${sec.name}}\n{nseg = 1}\n{pt3dclear()}\n`;
    for (const p of sec.pts) s += `{pt3dadd(${p.map(f6).join(",")})}\n`;
    s += "\n";
  }
  return s;
}

/** Relative positions of a section's points (cumulative length / total), as ISF computes relPts. */
function relPts(sec: Sec): number[] {
  const out = [0];
  let acc = 0;
  for (let i = 1; i < sec.pts.length; i++) {
    const a = sec.pts[i - 1]!, b = sec.pts[i]!;
    acc += Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
    out.push(acc);
  }
  return out.map((v) => v / acc);
}

interface PreType {
  name: string;
  cellNr: number;
  synapses: number;
  targets: "basal" | "apical" | "perisomatic" | "all";
  receptor: "glutamate_syn" | "gaba_syn";
  /** Ongoing Poisson interval [ms] (spiketrain). */
  interval: number;
  /** Evoked PSTH: [t0, t1, p] bins after `offset`; undefined for ongoing activity only. */
  psth: [number, number, number][] | undefined;
}

/** Four presynaptic types: thalamic (evoked only), two excitatory cortical, one inhibitory. */
const TYPES: PreType[] = [
  {
    name: "VPM_C2",
    cellNr: 60,
    synapses: 180,
    targets: "basal",
    receptor: "glutamate_syn",
    interval: 0,
    psth: [[0, 2, 0.05], [2, 4, 0.25], [4, 6, 0.3], [6, 8, 0.15], [8, 12, 0.08], [12, 20, 0.05]],
  },
  {
    name: "L4ss_C2",
    cellNr: 150,
    synapses: 300,
    targets: "all",
    receptor: "glutamate_syn",
    interval: 250,
    psth: [[4, 8, 0.1], [8, 12, 0.2], [12, 20, 0.1], [20, 40, 0.05]],
  },
  {
    name: "L23_C2",
    cellNr: 200,
    synapses: 320,
    targets: "apical",
    receptor: "glutamate_syn",
    interval: 142.9,
    psth: undefined,
  },
  {
    name: "INH_C2",
    cellNr: 60,
    synapses: 200,
    targets: "perisomatic",
    receptor: "gaba_syn",
    interval: 100,
    psth: [[3, 6, 0.3], [6, 12, 0.3], [12, 30, 0.15]],
  },
];

/** Evoked input arrives at this time [ms]. */
const OFFSET = 245.0;

function fl(v: number): string {
  return formatPythonFloat(v);
}

function receptorText(t: PreType): string {
  if (t.receptor === "gaba_syn") {
    return `"gaba_syn": {
            "threshold": 0.0,
            "delay": 0.0,
            "parameter": {"decaytime": 20.0, "risetime": 1.0, "decaygaba": 1.0, "e": -80.0, "facilgaba": 0.0},
            "weight": 1.0,
          },`;
  }
  return `"glutamate_syn": {
            "threshold": 0.0,
            "delay": 0.0,
            "parameter": {"decayampa": 1.0, "facilnmda": 0.0, "tau2": 2.0, "tau3": 2.0, "tau1": 26.0, "tau4": 0.1, "decaynmda": 1.0, "facilampa": 0.0},
            "weight": [1.68, 1.68],
          },`;
}

function celltypeText(t: PreType): string {
  const psth = t.psth === undefined ? "" : `"pointcell": {
          "distribution": "PSTH",
          "intervals": [${t.psth.map((b) => `(${fl(b[0])}, ${fl(b[1])})`).join(", ")}],
          "probabilities": [${t.psth.map((b) => fl(b[2])).join(", ")}],
          "offset": ${fl(OFFSET)},
        },`;
  if (t.interval === 0) return `{\n        ${psth}\n      }`;
  if (psth === "") return `"spiketrain",\n      "interval": ${fl(t.interval)}`;
  return `{\n        ${psth}\n        "spiketrain": {"interval": ${fl(t.interval)}},\n      }`;
}

function networkText(): string {
  const blocks = TYPES.map((t) =>
    `    "${t.name}": {
      "celltype": ${celltypeText(t)},
      "cellNr": ${t.cellNr},
      "synapses": {
        "releaseProb": ${t.receptor === "gaba_syn" ? "0.25" : "0.6"},
        "distributionFile": "example_pyramid.syn",
        "connectionFile": "example_pyramid.con",
        "receptors": {
          ${receptorText(t)}
        },
      },
    },`
  );
  return `{
  "info": {"name": "simrun_demo_network", "author": "simrun examples/make_example.ts", "date": "2025"},
  "NMODL_mechanisms": {"synapses": "/"},
  "network": {
${blocks.join("\n")}
  },
}
`;
}

const CELL_PARAM = `{
  "info": {"name": "simrun_demo_pyramid", "author": "simrun examples/make_example.ts", "date": "2025"},
  "NMODL_mechanisms": {"channels": "/"},
  "mech_globals": {},
  "neuron": {
    "filename": "example_pyramid.hoc",
    "Soma": {
      "properties": {"Ra": 100.0, "cm": 1.0, "ions": {"ek": -85.0, "ena": 50.0}},
      "mechanisms": {
        "global": {},
        "range": {
          "pas": {"spatial": "uniform", "g": 0.0000326, "e": -90},
          "Ca_LVAst": {"spatial": "uniform", "gCa_LVAstbar": 0.00462},
          "Ca_HVA": {"spatial": "uniform", "gCa_HVAbar": 0.000642},
          "SKv3_1": {"spatial": "uniform", "gSKv3_1bar": 0.983},
          "SK_E2": {"spatial": "uniform", "gSK_E2bar": 0.0492},
          "K_Tst": {"spatial": "uniform", "gK_Tstbar": 0.0471},
          "K_Pst": {"spatial": "uniform", "gK_Pstbar": 0.0},
          "Nap_Et2": {"spatial": "uniform", "gNap_Et2bar": 0.00499},
          "NaTa_t": {"spatial": "uniform", "gNaTa_tbar": 2.43},
          "CaDynamics_E2": {"spatial": "uniform", "decay": 770.0, "gamma": 0.000616},
          "Ih": {"spatial": "uniform", "gIhbar": 0.00008},
        },
      },
    },
    "Dendrite": {
      "properties": {"Ra": 100.0, "cm": 2.0},
      "mechanisms": {
        "global": {},
        "range": {
          "pas": {"spatial": "uniform", "g": 0.0000631, "e": -90.0},
          "Ih": {"spatial": "uniform", "gIhbar": 0.0002},
        },
      },
    },
    "ApicalDendrite": {
      "properties": {"Ra": 100.0, "cm": 2.0, "ions": {"ek": -85.0, "ena": 50.0}},
      "mechanisms": {
        "global": {},
        "range": {
          "pas": {"spatial": "uniform", "g": 0.0000882, "e": -90},
          "SK_E2": {"spatial": "uniform", "gSK_E2bar": 0.0034},
          "Ca_LVAst": {"spatial": "uniform_range", "gCa_LVAstbar": 0.104, "begin": 380.0, "end": 560.0, "outsidescale": 0.01},
          "Ca_HVA": {"spatial": "uniform_range", "gCa_HVAbar": 0.00452, "begin": 380.0, "end": 560.0, "outsidescale": 0.1},
          "CaDynamics_E2": {"spatial": "uniform", "decay": 133.0, "gamma": 0.0005},
          "SKv3_1": {"spatial": "uniform", "gSKv3_1bar": 0.0112},
          "NaTa_t": {"spatial": "uniform", "gNaTa_tbar": 0.0252},
          "Im": {"spatial": "uniform", "gImbar": 0.000179},
          "Ih": {"spatial": "exponential", "distance": "relative", "gIhbar": 0.0002, "offset": -0.8696, "linScale": 2.087, "_lambda": 3.6161, "xOffset": 0.0},
        },
      },
    },
    "AIS": {
      "properties": {"Ra": 100.0, "cm": 1.0, "ions": {"ek": -85.0, "ena": 50.0}},
      "mechanisms": {
        "global": {},
        "range": {
          "pas": {"spatial": "uniform", "g": 0.0000256, "e": -90},
          "Ca_LVAst": {"spatial": "uniform", "gCa_LVAstbar": 0.00858},
          "Ca_HVA": {"spatial": "uniform", "gCa_HVAbar": 0.000692},
          "SKv3_1": {"spatial": "uniform", "gSKv3_1bar": 0.958},
          "SK_E2": {"spatial": "uniform", "gSK_E2bar": 0.0000577},
          "K_Tst": {"spatial": "uniform", "gK_Tstbar": 0.0841},
          "K_Pst": {"spatial": "uniform", "gK_Pstbar": 0.773},
          "Nap_Et2": {"spatial": "uniform", "gNap_Et2bar": 0.00146},
          "NaTa_t": {"spatial": "uniform", "gNaTa_tbar": 0.088},
          "CaDynamics_E2": {"spatial": "uniform", "decay": 507.0, "gamma": 0.0175},
          "Ih": {"spatial": "uniform", "gIhbar": 0.00008},
        },
      },
    },
    "Myelin": {
      "properties": {"Ra": 100.0, "cm": 0.02},
      "mechanisms": {"global": {}, "range": {"pas": {"spatial": "uniform", "g": 0.00004, "e": -90.0}}},
    },
  },
  "sim": {
    "Vinit": -75.0,
    "tStart": 0.0,
    "tStop": 345.0,
    "dt": 0.025,
    "T": 34.0,
    "recordingSites": ["example_pyramid_apical_site.landmarkAscii"],
  },
}
`;

function landmarkText(p: [number, number, number]): string {
  return `# AmiraMesh 3D ASCII 2.0


define Markers 1

Parameters {
    NumSets 1,
    ContentType "LandmarkSet"
}

Markers { float[3] Coordinates } @1

# Data section follows
@1
${p.map((v) => v.toExponential(15)).join(" ")}
`;
}

/** Section indices eligible for each target class. */
function targetSections(secs: Sec[], target: PreType["targets"]): number[] {
  const idx: number[] = [];
  secs.forEach((s, i) => {
    const apical = s.label === "ApicalDendrite", basal = s.label === "Dendrite";
    const proximal = s.label === "Soma" || s.parent === "soma" || s.name === "apical_1_0";
    if (
      target === "all"
        ? !(s.label === "Soma")
        : target === "basal"
        ? basal
        : target === "apical"
        ? apical && s.name !== "apical_1_0"
        : proximal
    ) idx.push(i);
  });
  return idx;
}

/** Writes all model files into `dir` and returns their names. */
export async function makeExample(dir: string): Promise<string[]> {
  const rnd = makeRandom(SEED);
  const secs = morphology(rnd);
  await Deno.mkdir(dir, { recursive: true });
  let syn =
    "# Synapse distribution file\n# corresponding to cell: example_pyramid\n# Type - section - section.x\n\n";
  let con =
    "# Anatomical connectivity realization file; only valid with synapse realization:\n# example_pyramid.syn\n# Type - cell ID - synapse ID\n\n";
  for (const t of TYPES) {
    const cand = targetSections(secs, t.targets);
    // Weight sections by length (point count) so synapse density is roughly uniform.
    const w = cand.map((i) => secs[i]!.pts.length);
    const total = w.reduce((a, b) => a + b, 0);
    for (let k = 0; k < t.synapses; k++) {
      let r = rnd() * total, j = 0;
      while (r >= w[j]! && j < w.length - 1) r -= w[j++]!;
      const sec = cand[j]!;
      const rp = relPts(secs[sec]!);
      const x = rp[Math.floor(rnd() * rp.length)]!;
      syn += `${t.name}\t${sec}\t${fl(x)}\n`;
    }
    for (let k = 0; k < t.synapses; k++) {
      con += `${t.name}\t${Math.floor(rnd() * t.cellNr)}\t${k}\n`;
    }
  }
  const trunk1 = secs.find((s) => s.name === "apical_1_0_0")!;
  const site = trunk1.pts[Math.floor(trunk1.pts.length / 2)]!;
  const files: Record<string, string> = {
    "example_pyramid.hoc": hocText(secs),
    "example_pyramid.param": CELL_PARAM,
    "example_network.param": networkText(),
    "example_pyramid.syn": syn,
    "example_pyramid.con": con,
    "example_pyramid_apical_site.landmarkAscii": landmarkText([site[0], site[1], site[2]]),
  };
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  return Object.keys(files);
}

if (import.meta.main) {
  const dir = new URL("./model", import.meta.url).pathname;
  const names = await makeExample(dir);
  console.log(`wrote ${names.length} files to ${dir}: ${names.join(", ")}`);
}
