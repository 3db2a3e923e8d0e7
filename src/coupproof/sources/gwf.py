"""Geddes, Wright & Frantz (2014) autocratic regimes v1.2 (all political regimes file)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coupproof.sources._common import read_rda, typed


def read_gwf() -> pd.DataFrame:
    """GWF country-years 1946–2010 on COW codes.

    Columns: ``ccode`` (Int64, COW), ``year`` (Int64), ``gwf_code`` (GWF's own code),
    ``regimetype`` (string; NA when the country-year is not autocratic),
    ``nonautocracy`` (string: democracy, warlord, provisional, foreign-occupied,
    not-independent, ...; NA for autocracies), ``gwf_military`` (GWF's own dummy: 1 for
    military, military-personal and indirect military — *not* the paper's "pure" military).
    GWF codes differ from COW for West Germany (GWF 255 for 1946–1989 = COW 260) and unified
    Yemen (GWF 678 from 1990 = COW 679).
    """
    raw = read_rda("gwf")
    df = pd.DataFrame({
        "gwf_code": raw["gwf_cowcode"], "year": raw["year"],
        "regimetype": raw["gwf_regimetype"], "nonautocracy": raw["gwf_nonautocracy"],
        "gwf_military": raw["gwf_military"],
    })
    df["ccode"] = np.select(
        [(df["gwf_code"] == 255) & (df["year"] < 1990), (df["gwf_code"] == 678) & (df["year"] >= 1990)],
        [260, 679], df["gwf_code"])
    df = typed(df, ints=["ccode", "gwf_code", "year", "gwf_military"],
               strings=["regimetype", "nonautocracy"])
    if df.duplicated(["ccode", "year"]).any():
        raise ValueError("GWF: duplicated (ccode, year) after recoding")
    cols = ["ccode", "year", "gwf_code", "regimetype", "nonautocracy", "gwf_military"]
    return df[cols].sort_values(["ccode", "year"]).reset_index(drop=True)
