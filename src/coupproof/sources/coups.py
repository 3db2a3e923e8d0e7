"""Powell & Thyne (2011) coup attempts, event list (one row per attempt)."""

from __future__ import annotations

import pandas as pd

from coupproof.sources._common import typed
from coupproof.sources.registry import fetch

COUP_VERSIONS = {"2022": "coups", "2015": "coups_2015"}


def read_coups(version: str = "2022") -> pd.DataFrame:
    """Coup attempts: ``ccode``, ``year``, ``month``, ``day`` (Int64), ``coup`` (Int64:
    1 = failed, 2 = successful), ``country`` (string).  Codes are COW codes.

    ``version``: "2022" (V2022.02.14, comma separated) or "2015" (V2015.05.20, tab separated).
    """
    if version not in COUP_VERSIONS:
        raise ValueError(f"unknown coups version {version!r}; allowed: {', '.join(COUP_VERSIONS)}")
    sep = "," if version == "2022" else "\t"
    raw = pd.read_csv(fetch(COUP_VERSIONS[version]), sep=sep)
    bad = set(raw["coup"].unique()) - {1, 2}
    if bad:
        raise ValueError(f"coups {version}: unexpected values of 'coup': {sorted(bad)}")
    df = typed(raw[["country", "ccode", "year", "month", "day", "coup"]],
               ints=["ccode", "year", "month", "day", "coup"], strings=["country"])
    return df.reset_index(drop=True)
