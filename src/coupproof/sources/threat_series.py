"""A publicly posted state-year threat series in the manner of Leeds & Savun (2007).

Two versions were posted with a public replication archive (see ``data/sources.csv``); the
builder of the series is not documented.  The book uses it only as an external check of its
own threat measure (level, share of zeros, correlation), never as an input or a target.
The later version ends in 2008, but its 2008 rows are all 0 and its level jumps from 2003,
so it is usable to 2002 (see :data:`USABLE_YEARS`).
"""

from __future__ import annotations

import pandas as pd

from coupproof.sources._common import typed
from coupproof.sources.registry import fetch

#: version -> registry id of its raw file
THREAT_SERIES_FILES = {"2018-08": "leeds_savun_threat_v1", "2018-10": "leeds_savun_threat_v2"}
#: Years in which each version is usable (see the module docstring).
USABLE_YEARS = {"2018-08": (1816, 2000), "2018-10": (1816, 2002)}


def read_threat_series(version: str = "2018-10") -> pd.DataFrame:
    """One row per state-year: ``ccode``, ``year`` (Int64), ``threat`` (float, the posted
    ``lsthreat``), restricted to the version's :data:`USABLE_YEARS`; rows without a state
    code or year are dropped."""
    if version not in THREAT_SERIES_FILES:
        raise ValueError(f"unknown threat series version {version!r}; allowed: "
                         + ", ".join(THREAT_SERIES_FILES))
    raw = pd.read_csv(fetch(THREAT_SERIES_FILES[version]))
    raw = raw.dropna(subset=["ccode", "year"])  # a few rows without a state or year
    df = typed(raw.rename(columns={"lsthreat": "threat"}), ints=["ccode", "year"], floats=["threat"])
    lo, hi = USABLE_YEARS[version]
    df = df[(df["year"] >= lo) & (df["year"] <= hi)]
    return df.sort_values(["ccode", "year"]).reset_index(drop=True)
