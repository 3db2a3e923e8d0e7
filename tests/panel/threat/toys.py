"""Shared toy systems for the threat tests (worked by hand in the comments)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coupproof.panel import threat as T

OBL = ["defense", "offense", "neutral", "nonagg", "consul"]


def dyads(rows):
    """Directed alliance dyad-years: (ccode1, ccode2, year, *obligation names)."""
    out = []
    for c1, c2, year, *obls in rows:
        out.append({"ccode1": c1, "ccode2": c2, "year": year, **{o: int(o in obls) for o in OBL}})
    return pd.DataFrame(out, columns=["ccode1", "ccode2", "year", *OBL])


def system(codes, years):
    return T.system_index(pd.DataFrame([(c, y) for y in years for c in codes],
                                       columns=["ccode", "year"]))


# Four states A=2, B=20, C=200, D=365 in 2000.  Ties (either direction, max taken):
#   A–B defense (A→B only: one direction is enough)           -> 3
#   A–C neutrality (A→C) and consultation (C→A)               -> max(2, 1) = 2
#   B–D consultation                                          -> 1
#   C–D non-aggression                                        -> 2
# plus a tie to a state outside the system (8152), which must be ignored.
TOY = dyads([
    (2, 20, 2000, "defense"),
    (2, 200, 2000, "neutral"), (200, 2, 2000, "consul"),
    (20, 365, 2000, "consul"), (365, 20, 2000, "consul"),
    (200, 365, 2000, "nonagg"), (365, 200, 2000, "nonagg"),
    (2, 8152, 2000, "defense"),
])
TOY_SYSTEM = system([2, 20, 200, 365], [2000])
# Portfolios (columns A, B, C, D; own entry = 3):
#   A = [3, 3, 2, 0]   B = [3, 3, 0, 1]   C = [2, 0, 3, 2]   D = [0, 1, 2, 3]
PORTFOLIOS = np.array([[3, 3, 2, 0], [3, 3, 0, 1], [2, 0, 3, 2], [0, 1, 2, 3]])


def toy_s(**kw):
    return T.s_scores(T.valued_portfolios(TOY, TOY_SYSTEM, "atop_3210"), **kw)[2000]


