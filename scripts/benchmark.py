"""Time and memory of the steps that matter: panel build, cached load, one clustered logit,
the threat measure.  Prints a table; run with `make benchmark`."""

import resource
import time

import numpy as np

from coupproof.analysis import estimation_frame, fit_table
from coupproof.models.specs import TABLE1
from coupproof.panel.build import build_panel, load_panel
from coupproof.panel.params import PanelParams
from coupproof.panel.threat import ThreatParams, build_threat


def timed(label, fn, repeat=1):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<55} {best:7.2f} s")
    return out


params = PanelParams()
timed("threat measure, all state-years 1816-2010", lambda: build_threat(ThreatParams()))
timed("panel build from raw files (incl. threat)", lambda: build_panel(params))
load_panel(params, verbose=False)
timed("panel load from cache", lambda: load_panel(params, verbose=False), repeat=3)
frame = estimation_frame(params, verbose=False)
timed("one clustered logit (Table 1, Model 4)", lambda: fit_table(frame, {4: TABLE1[4]}), repeat=3)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
print(f"{'peak memory (resident)':<55} {peak:7.2f} GB")
