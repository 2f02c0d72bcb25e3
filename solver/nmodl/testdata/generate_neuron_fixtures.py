#!/usr/bin/env python3
"""NEURON 8.2.2 reference fixtures for simrun's NMODL compiler (solver/nmodl).

Builds ISF's .mod files (../shared/data/isf_example/mechanisms/{channels_py3,netcon_py3})
and the test mechanisms in testdata/mod/ with Debian's nrnivmodl, simulates every protocol
below with NEURON (fixed step, backward Euler, hoc's `while (t < tstop) fadvance()`), and
writes per protocol into testdata/neuron/ a JSON file (the protocol itself: geometry,
mechanisms, stimuli, recordings, sample count) and a CSV file (time and the recorded traces
at every `every`-th sample and the last, with full double precision, Python repr).

Usage (from the repository root; see testdata/README.md):
    python3 solver/nmodl/testdata/generate_neuron_fixtures.py [protocol-name ...]
"""

import glob
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SHARED_MECHS = os.path.join(REPO, "..", "shared", "data", "isf_example", "mechanisms")
OUT = os.path.join(HERE, "neuron")

# Hay et al. 2011 soma densities as in ISF's example cell (spec/mechanisms.md §5).
HAY_SOMA = {
    "pas": {"g": 3.26e-5, "e": -90},
    "NaTa_t": {"gNaTa_tbar": 2.43},
    "Nap_Et2": {"gNap_Et2bar": 0.00499},
    "K_Pst": {"gK_Pstbar": 0.0},
    "K_Tst": {"gK_Tstbar": 0.0471},
    "SKv3_1": {"gSKv3_1bar": 0.983},
    "SK_E2": {"gSK_E2bar": 0.0492},
    "Ca_HVA": {"gCa_HVAbar": 0.000642},
    "Ca_LVAst": {"gCa_LVAstbar": 0.00462},
    "CaDynamics_E2": {"decay": 770, "gamma": 0.000616},
    "Ih": {"gIhbar": 8e-5},
}
HAY_APICAL = {
    "pas": {"g": 8.82e-5, "e": -90},
    "NaTa_t": {"gNaTa_tbar": 0.0252},
    "SKv3_1": {"gSKv3_1bar": 0.0112},
    "SK_E2": {"gSK_E2bar": 0.0034},
    "Ca_HVA": {"gCa_HVAbar": 0.00452},
    "Ca_LVAst": {"gCa_LVAstbar": 0.104},
    "CaDynamics_E2": {"decay": 133, "gamma": 0.0005},
    "Ih": {"gIhbar": 2e-4},
    "Im": {"gImbar": 0.000179},
}
K_NA = {"ena": 50, "ek": -85}


def soma(mechs, ions=None, L=20.0, diam=20.0):
    return {"name": "soma", "L": L, "diam": diam, "nseg": 1, "Ra": 100, "cm": 1,
            "parent": None, "ions": ions if ions is not None else dict(K_NA), "mechanisms": mechs}


def iclamp(amp, delay=10.0, dur=50.0, section="soma", x=0.5):
    return {"mechanism": "IClamp", "section": section, "x": x,
            "params": {"del": delay, "dur": dur, "amp": amp}}


def rec(var, section="soma", x=0.5):
    return {"section": section, "x": x, "var": var}


def protocol(name, sections, tstop, record, mods, **kw):
    p = {"name": name, "dt": 0.025, "tstop": tstop, "celsius": 34, "v_init": -75,
         "units": "modern", "sections": sections, "point_processes": [], "synapses": [],
         "globals": {}, "record": record, "every": 8, "mods": mods}
    p.update(kw)
    return p


HAY_MODS = ["CaDynamics_E2", "Ca_HVA", "Ca_LVAst", "Ih", "Im", "K_Pst", "K_Tst", "NaTa_t",
            "Nap_Et2", "SK_E2", "SKv3_1"]

PROTOCOLS = [
    # The Hay channel set in one compartment: rest, then a spike train.
    protocol("hay_soma_spikes", [soma(HAY_SOMA)], 120,
             [rec("v"), rec("h_NaTa_t"), rec("cai"), rec("z_SK_E2"), rec("m_Ca_LVAst")],
             HAY_MODS, point_processes=[iclamp(0.9, 20, 80)]),
    # Soma + apical cable (nseg 7) with the apical densities, current into the soma.
    protocol("hay_two_compartments",
             [soma(HAY_SOMA),
              {"name": "apic", "L": 400.0, "diam": 3.0, "nseg": 7, "Ra": 100, "cm": 2,
               "parent": ["soma", 1.0], "ions": dict(K_NA), "mechanisms": HAY_APICAL}],
             120,
             [rec("v"), rec("v", "apic", 0.5), rec("v", "apic", 0.95), rec("cai", "apic", 0.5),
              rec("m_Im", "apic", 0.5)],
             HAY_MODS, point_processes=[iclamp(1.2, 20, 70)]),
    # NaTs2_t in the soma (the original Hay et al. 2011 model).
    protocol("nats2_t_soma",
             [soma({"pas": {"g": 3e-5, "e": -90}, "NaTs2_t": {"gNaTs2_tbar": 1.5},
                    "SKv3_1": {"gSKv3_1bar": 0.5}})],
             80, [rec("v"), rec("m_NaTs2_t"), rec("h_NaTs2_t")], ["NaTs2_t", "SKv3_1"],
             point_processes=[iclamp(0.6, 10, 50)]),
    # NaTg with non-default shifts and slopes.
    protocol("natg_shifted",
             [soma({"pas": {"g": 3e-5, "e": -90},
                    "NaTg": {"gNaTgbar": 1.2, "vshiftm": -5, "slopem": 7, "vshifth": 4,
                             "slopeh": 5},
                    "SKv3_1": {"gSKv3_1bar": 0.5}})],
             80, [rec("v"), rec("m_NaTg"), rec("h_NaTg")], ["NaTg", "SKv3_1"],
             point_processes=[iclamp(0.6, 10, 50)]),
    # SKv3_1_copy: its RANGE gSKv3_1bar is not derived from the suffix.
    protocol("skv3_1_copy",
             [soma({"pas": {"g": 3e-5, "e": -90}, "NaTa_t": {"gNaTa_tbar": 1.5},
                    "SKv3_1_copy": {"gSKv3_1bar": 0.7}})],
             80, [rec("v"), rec("m_SKv3_1_copy"), rec("gSKv3_1_SKv3_1_copy")],
             ["NaTa_t", "SKv3_1_copy"], point_processes=[iclamp(0.6, 10, 50)]),
    # CaDynamics_E2_v2 (INITIAL sets cai = minCai) with the other Hay soma channels.
    protocol("cadynamics_e2_v2",
             [soma(dict([(k, v) for k, v in HAY_SOMA.items() if k != "CaDynamics_E2"] +
                        [("CaDynamics_E2_v2", {"decay": 770, "gamma": 0.000616, "minCai": 2e-4})]))],
             100, [rec("v"), rec("cai"), rec("eca"), rec("ica")],
             [m for m in HAY_MODS if m != "CaDynamics_E2"] + ["CaDynamics_E2_v2"],
             point_processes=[iclamp(0.9, 20, 60)]),
    # ISF's point processes: epsp, glutamate_syn, gaba_syn with events.
    protocol("epsp_point",
             [soma({"pas": {"g": 3e-5, "e": -75}})], 60, [rec("v"), rec("i_epsp")], ["epsp"],
             synapses=[{"mechanism": "epsp", "section": "soma", "x": 0.5,
                        "params": {"onset": 10, "tau0": 0.5, "tau1": 5, "imax": 0.2},
                        "weights": [], "times": []}]),
    protocol("glutamate_gaba_syn",
             [soma({"pas": {"g": 3e-5, "e": -75}})], 100,
             [rec("v"), rec("A_glutamate_syn"), rec("D_gaba_syn")],
             ["netglutamate", "netgaba"],
             synapses=[
                 {"mechanism": "glutamate_syn", "section": "soma", "x": 0.5,
                  "params": {"tau1": 26, "tau2": 2, "tau3": 2, "tau4": 0.1, "decayampa": 0.6,
                             "decaynmda": 0.7, "facilampa": 0.1, "facilnmda": 0.2},
                  "weights": [1.5, 1.2], "times": [10, 15, 30.0125, 31, 70]},
                 {"mechanism": "gaba_syn", "section": "soma", "x": 0.5,
                  "params": {"e": -80, "decaygaba": 0.9, "facilgaba": 0.05},
                  "weights": [0.8], "times": [12, 40, 41.5]}]),
    # gsyn (NET_RECEIVE INITIAL, arguments), K2Syn (GLOBAL written in NET_RECEIVE).
    protocol("gsyn_k2syn",
             [soma({"pas": {"g": 3e-5, "e": -75}})], 80, [rec("v"), rec("B_GSyn"), rec("B_K2Syn")],
             ["gsyn", "k2syn"],
             synapses=[
                 {"mechanism": "GSyn", "section": "soma", "x": 0.5, "params": {"tau2": 3},
                  "weights": [0.002, 0, 0, 0, 0], "times": [10, 12, 14, 30]},
                 {"mechanism": "K2Syn", "section": "soma", "x": 0.5, "params": {},
                  "weights": [0.001], "times": [20, 50]}]),
    # AMPA_S / NMDA_S: net_send self events, flag, a FUNCTION TABLE with DEPEND.
    protocol("ampa_nmda_net_send",
             [soma({"pas": {"g": 3e-5, "e": -75}})], 80,
             [rec("v"), rec("Ron_AMPA_S"), rec("Roff_NMDA_S"), rec("g_NMDA_S")],
             ["ampa", "nmda2"],
             synapses=[
                 {"mechanism": "AMPA_S", "section": "soma", "x": 0.5, "params": {},
                  "weights": [0.002, 0, 0, 0, 0], "times": [10, 10.2, 30, 60]},
                 {"mechanism": "NMDA_S", "section": "soma", "x": 0.5, "params": {},
                  "weights": [0.004, 0, 0, 0, 0], "times": [15, 15.1, 15.25, 45]}]),
    # Test mechanisms (testdata/mod): KINETIC/sparse, derivimplicit, TABLE, nocmodl quirks, …
    protocol("kinetic_sparse",
             [soma({"pas": {"g": 5e-5, "e": -70}, "t_kin3": {"gbar": 0.02},
                    "t_kinnl": {"gbar": 0.002}})],
             80, [rec("v"), rec("O_t_kin3"), rec("C1_t_kin3"), rec("c_t_kinnl"), rec("cb_t_kinnl")],
             ["t_kin3", "t_kinnl"], point_processes=[iclamp(0.4, 10, 40)]),
    protocol("derivimplicit",
             [soma({"pas": {"g": 5e-5, "e": -70}, "t_dimp": {"gbar": 0.002},
                    "t_nlfall": {"gbar": 0.001}, "t_ssd": {"gbar": 0.001},
                    "t_ssd2": {"gbar": 0.001}})],
             80, [rec("v"), rec("x_t_dimp"), rec("u_t_dimp"), rec("w_t_dimp"), rec("x_t_nlfall"),
                  rec("x_t_ssd"), rec("x_t_ssd2")],
             ["t_dimp", "t_nlfall", "t_ssd", "t_ssd2"], point_processes=[iclamp(0.3, 10, 40)]),
    protocol("tables_cnexp_quirk",
             [soma({"pas": {"g": 5e-5, "e": -70}, "t_tab": {"gbar": 0.05},
                    "t_nlcnexp": {"gbar": 0.001}, "SKv3_1": {"gSKv3_1bar": 0.3}})],
             80, [rec("v"), rec("m_t_tab"), rec("h_t_tab"), rec("x_t_nlcnexp"), rec("u_t_nlcnexp")],
             ["t_tab", "t_nlcnexp", "SKv3_1"], point_processes=[iclamp(0.4, 10, 40)],
             globals={"t_tab": {"vhalf": -38}}),
    protocol("point_ion_electrode",
             [soma({"pas": {"g": 5e-4, "e": -70}, "CaDynamics_E2": {"decay": 50, "gamma": 0.05}})],
             60, [rec("v"), rec("cai"), rec("ica"), rec("ica_t_ptca"), rec("i_t_iel")],
             ["t_ptca", "t_iel", "CaDynamics_E2"],
             synapses=[
                 {"mechanism": "t_ptca", "section": "soma", "x": 0.5, "params": {"gmax": 0.0002},
                  "weights": [], "times": []},
                 {"mechanism": "t_iel", "section": "soma", "x": 0.5, "params": {"amp": 0.1},
                  "weights": [], "times": []}]),
    protocol("ghk_units_modern",
             [soma({"pas": {"g": 5e-5, "e": -70}, "t_ghk": {"pbar": 5e-5},
                    "CaDynamics_E2": {"decay": 80, "gamma": 0.05}})],
             60, [rec("v"), rec("ica"), rec("cai"), rec("m_t_ghk")], ["t_ghk", "CaDynamics_E2"],
             point_processes=[iclamp(0.2, 10, 30)]),
    protocol("ghk_units_legacy",
             [soma({"pas": {"g": 5e-5, "e": -70}, "t_ghk": {"pbar": 5e-5},
                    "CaDynamics_E2": {"decay": 80, "gamma": 0.05}})],
             60, [rec("v"), rec("ica"), rec("cai"), rec("m_t_ghk")], ["t_ghk", "CaDynamics_E2"],
             point_processes=[iclamp(0.2, 10, 30)], units="legacy"),
]

# Release statistics of ISF's stochastic synapses, wired as ISF does for releaseProb "dynamic":
# Random(seed).negexp(1) handed to setRNG. gmax = 0 (no current); slow kinetics so that the
# final A state counts the releases. Fixed u (Fac = 0), full recovery between events.
RELEASE = [
    {"name": "release_probampanmda2", "mechanism": "ProbAMPANMDA2", "state": "A_AMPA",
     "synapses": 400, "events": [20.0 * (k + 1) for k in range(25)],
     "params": {"Use": 0.5, "Dep": 1, "Fac": 0, "gmax": 0, "tau_r_AMPA": 1e8, "tau_d_AMPA": 1e9,
                "tau_r_NMDA": 1e8, "tau_d_NMDA": 1e9}, "weights": [1.0]},
    {"name": "release_probudfsyn2", "mechanism": "ProbUDFsyn2", "state": "A",
     "synapses": 400, "events": [20.0 * (k + 1) for k in range(25)],
     "params": {"Use": 0.3, "Dep": 1, "Fac": 0, "gmax": 0, "tau_r": 1e8, "tau_d": 1e9},
     "weights": [1.0]},
]


def build(tmp):
    """Compiles every .mod with Debian's nrnivmodl and returns the shared library's path."""
    for path in (glob.glob(os.path.join(SHARED_MECHS, "*", "*.mod")) +
                 glob.glob(os.path.join(HERE, "mod", "*.mod"))):
        shutil.copy(path, tmp)
    flags = "-L/usr/lib/nrn -Wl,-rpath,/usr/lib/nrn"
    # nrnivmodl writes the make include files, then fails to find nrnmech_makefile in bin/.
    subprocess.run(["nrnivmodl", "-loadflags", flags, "."], cwd=tmp,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    objs = " ".join("./" + os.path.basename(p)[:-4] + ".o"
                    for p in sorted(glob.glob(os.path.join(tmp, "*.mod"))))
    subprocess.run(["make", "-j", "2", "-f", "/usr/lib/nrn/nrnmech_makefile", "ROOT=/usr",
                    "MODOBJFILES=" + objs, "UserLDFLAGS=" + flags, "mech_lib_shared"],
                   cwd=os.path.join(tmp, "x86_64"), check=True, stdout=subprocess.DEVNULL)
    return os.path.join(tmp, "x86_64", ".libs", "libnrnmech.so")


def make_sections(h, p):
    secs = {}
    for s in p["sections"]:
        sec = h.Section(name=s["name"])
        sec.pt3dclear()
        sec.pt3dadd(0, 0, 0, s["diam"])
        sec.pt3dadd(s["L"], 0, 0, s["diam"])
        sec.nseg = s["nseg"]
        sec.Ra = s["Ra"]
        sec.cm = s["cm"]
        if s["parent"] is not None:
            sec.connect(secs[s["parent"][0]](s["parent"][1]), 0)
        for mech, params in s["mechanisms"].items():
            sec.insert(mech)
            for k, v in params.items():
                for seg in sec:
                    setattr(getattr(seg, mech), k, v)
        for k in list(s["ions"]):
            try:
                setattr(sec, k, s["ions"][k])
            except AttributeError:  # no mechanism of this section uses the ion
                del s["ions"][k]
        secs[s["name"]] = sec
    return secs


def run(h, p):
    h.nrnunit_use_legacy(1 if p["units"] == "legacy" else 0)
    secs = make_sections(h, p)
    for mech, values in p["globals"].items():
        for k, v in values.items():
            setattr(h, k + "_" + mech, v)
    keep = []
    for pp in p["point_processes"]:
        obj = getattr(h, pp["mechanism"])(secs[pp["section"]](pp["x"]))
        for k, v in pp["params"].items():
            setattr(obj, k, v)
        keep.append(obj)
    synobj = {}
    for syn in p["synapses"]:
        obj = getattr(h, syn["mechanism"])(secs[syn["section"]](syn["x"]))
        for k, v in syn["params"].items():
            setattr(obj, k, v)
        synobj[syn["mechanism"]] = obj
        if syn["times"]:
            vec = h.Vector(syn["times"])
            stim = h.VecStim()
            stim.play(vec)
            nc = h.NetCon(stim, obj)
            nc.delay = 0
            for i, w in enumerate(syn["weights"]):
                nc.weight[i] = w
            keep += [vec, stim, nc]
        keep.append(obj)
    vecs = []
    tvec = h.Vector()
    tvec.record(h._ref_t)
    for r in p["record"]:
        var = r["var"]
        mech = next((m for m in synobj if var.endswith("_" + m)), None)
        vec = h.Vector()
        if mech is not None:
            vec.record(getattr(synobj[mech], "_ref_" + var[:-len(mech) - 1]))
        else:
            vec.record(getattr(secs[r["section"]](r["x"]), "_ref_" + var))
        vecs.append(vec)
    h.dt = p["dt"]
    h.celsius = p["celsius"]
    h.tstop = p["tstop"]
    h.finitialize(p["v_init"])
    h("while (t < tstop) { fadvance() }")
    every = p["every"]
    n = len(tvec)
    idx = list(range(0, n, every))
    if idx[-1] != n - 1:
        idx.append(n - 1)
    out = dict(p)
    out["samples"] = n
    out["every"] = every
    header = ["t"] + ["%s@%s(%g)" % (r["var"], r["section"], r["x"]) for r in p["record"]]
    rows = [",".join([repr(tvec[i])] + [repr(v[i]) for v in vecs]) for i in idx]
    for sec in secs.values():
        h.delete_section(sec=sec)
    return out, "\n".join([",".join(header)] + rows) + "\n"


def run_release(h, r):
    h.nrnunit_use_legacy(0)
    sec = h.Section(name="soma")
    sec.pt3dadd(0, 0, 0, 20)
    sec.pt3dadd(20, 0, 0, 20)
    sec.insert("pas")
    keep = []
    syns = []
    for i in range(r["synapses"]):
        syn = getattr(h, r["mechanism"])(sec(0.5))
        for k, v in r["params"].items():
            setattr(syn, k, v)
        vec = h.Vector(r["events"])
        stim = h.VecStim()
        stim.play(vec)
        nc = h.NetCon(stim, syn)
        nc.delay = 0
        nc.weight[0] = r["weights"][0]
        rng = h.Random(1000 + i)  # ISF: h.Random(int(1000000 * np.random.rand()))
        rng.negexp(1)
        syn.setRNG(rng)
        keep += [vec, stim, nc, rng]
        syns.append(syn)
    h.dt = 0.025
    h.celsius = 34
    h.tstop = r["events"][-1] + 5
    h.finitialize(-75)
    h("while (t < tstop) { fadvance() }")
    # The normalisation factor of the INITIAL block (not a RANGE variable, so computed here).
    tr = r["params"]["tau_r_AMPA" if r["mechanism"] == "ProbAMPANMDA2" else "tau_r"]
    td = r["params"]["tau_d_AMPA" if r["mechanism"] == "ProbAMPANMDA2" else "tau_d"]
    tp = (tr * td) / (td - tr) * math.log(td / tr)
    factor = 1 / (-math.exp(-tp / tr) + math.exp(-tp / td))
    counts = [int(round(getattr(s, r["state"]) / (r["weights"][0] * factor))) for s in syns]
    out = dict(r)
    out["releases"] = counts
    h.delete_section(sec=sec)
    return out


def main():
    wanted = set(sys.argv[1:])
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        lib = build(tmp)
        from neuron import h
        h.nrn_load_dll(lib)
        h.load_file("stdrun.hoc")
        for p in PROTOCOLS:
            if wanted and p["name"] not in wanted:
                continue
            spec, csv = run(h, p)
            with open(os.path.join(OUT, p["name"] + ".json"), "w") as f:
                json.dump(spec, f, indent=2)
                f.write("\n")
            with open(os.path.join(OUT, p["name"] + ".csv"), "w") as f:
                f.write(csv)
            print("wrote", p["name"])
        for r in RELEASE:
            if wanted and r["name"] not in wanted:
                continue
            res = run_release(h, r)
            with open(os.path.join(OUT, r["name"] + ".json"), "w") as f:
                json.dump(res, f, indent=2)
                f.write("\n")
            print("wrote", r["name"], sum(res["releases"]), "releases")


if __name__ == "__main__":
    main()
