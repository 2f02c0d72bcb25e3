"""Generates mech_globals_reference.csv: NEURON 8.2.2's soma voltage of a one-compartment cell
with the Hay channels Ih, NaTa_t, Ca_HVA, CaDynamics_E2 and SK_E2, for four `mech_globals`
settings (none; Ih ehcn -30 mV; SK_E2 zTau 2 ms; both), set as ISF's load_NMODL_parameters does
(`h("<name>_<mechanism> = <value>")`). Read by tests/mech_globals_reference_test.ts.

Run from the repository root (needs Debian's neuron, neuron-dev and python3-neuron, and
../shared/data/isf_example/mechanisms/channels_py3):

    /usr/bin/python3 tests/testdata/mech_globals/make_reference.py

Debian's nrnivmodl cannot link `special`, so the mechanisms are built with the make target
mech_lib_shared (see DEVELOPERS.md) in a temporary folder and loaded from there.
"""
import os
import shutil
import subprocess
import sys
import tempfile

MODS = ["Ih", "NaTa_t", "Ca_HVA", "CaDynamics_E2", "SK_E2"]
HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "..", "..", "..", "shared", "data", "isf_example", "mechanisms",
                   "channels_py3")
CASES = [("v_default", {}), ("v_ehcn", {"ehcn_Ih": -30}), ("v_zTau", {"zTau_SK_E2": 2}),
         ("v_both", {"ehcn_Ih": -30, "zTau_SK_E2": 2})]
TSTOP = 60.0
EVERY = 4  # keep every 4th sample (0.1 ms)


def build(tmp):
    for m in MODS:
        shutil.copy(os.path.join(SRC, m + ".mod"), tmp)
    with open("/usr/bin/nrnivmodl") as f:
        script = f.read()
    script = script.replace('"${bindir}/nrnmech_makefile"', '"/usr/lib/nrn/nrnmech_makefile"')
    script = script.replace(" special &&", " mech_lib_shared &&")
    local = os.path.join(tmp, "nrnivmodl_local")
    with open(local, "w") as f:
        f.write(script)
    os.chmod(local, 0o755)
    subprocess.run([local, "-loadflags", "-L/usr/lib/nrn -Wl,-rpath,/usr/lib/nrn"], cwd=tmp,
                   check=True, stdout=subprocess.DEVNULL)
    return os.path.join(tmp, "x86_64", ".libs", "libnrnmech.so")


def run(h, globals_):
    # Defaults first (GLOBALs persist in NEURON), then this case's values, as ISF sets them.
    h("ehcn_Ih = -45")
    h("zTau_SK_E2 = 1")
    for name, value in globals_.items():
        h("%s = %r" % (name, value))
    soma = h.Section(name="soma")
    soma.L = 20
    soma.diam = 20
    soma.nseg = 1
    soma.Ra = 100
    soma.cm = 1
    for m in ["pas"] + MODS:
        soma.insert(m)
    seg = soma(0.5)
    seg.g_pas = 1e-4
    seg.e_pas = -75
    seg.gIhbar_Ih = 1e-3
    seg.gNaTa_tbar_NaTa_t = 1.0
    seg.gCa_HVAbar_Ca_HVA = 2e-3
    seg.gSK_E2bar_SK_E2 = 0.02
    soma.ek = -85
    soma.ena = 50
    clamp = h.IClamp(seg)
    clamp.delay = 10
    clamp.dur = 30
    clamp.amp = 0.3
    t = h.Vector().record(h._ref_t)
    v = h.Vector().record(seg._ref_v)
    h.celsius = 34
    h.dt = 0.025
    h.steps_per_ms = 40
    h.v_init = -75
    h.tstop = TSTOP
    h.run()
    return list(t), list(v)


def main():
    tmp = tempfile.mkdtemp(prefix="mech_globals_")
    try:
        lib = build(tmp)
        from neuron import h
        h.load_file("stdrun.hoc")
        h.nrn_load_dll(lib)
        columns = {}
        t = None
        for name, g in CASES:
            t, columns[name] = run(h, g)
    finally:
        shutil.rmtree(tmp)
    out = os.path.join(HERE, "mech_globals_reference.csv")
    with open(out, "w") as f:
        f.write("t," + ",".join(n for n, _ in CASES) + "\n")
        for k in range(0, len(t), EVERY):
            f.write(",".join(repr(x) for x in [t[k]] + [columns[n][k] for n, _ in CASES]) + "\n")
    print("wrote %s: %d samples of %d" % (out, (len(t) + EVERY - 1) // EVERY, len(t)),
          file=sys.stderr)


main()
