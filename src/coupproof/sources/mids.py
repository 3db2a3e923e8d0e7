"""Militarized interstate dispute participants: COW MID 4.3 (main) and GML 2.2.1 (alternative)."""

from __future__ import annotations

import pandas as pd

from coupproof.sources._common import read_rda, typed
from coupproof.sources.registry import fetch

#: version -> registry id of its raw file
MID_FILES = {"cow4.3": "mid_participants", "gml2.2.1": "gml_participants"}


def read_mid_participants(version: str = "cow4.3") -> pd.DataFrame:
    """One row per state's participation in a dispute.

    Columns: ``dispnum`` (Int64), ``ccode`` (Int64), ``styear``, ``endyear`` (Int64),
    ``sidea`` (1 = side A), ``hiact``, ``orig`` (1 = originator).  Missing day/month codes (−9)
    are irrelevant for the yearly measures built from this table and are dropped.
    """
    if version not in MID_FILES:
        raise ValueError(f"unknown MID version {version!r}; allowed: {', '.join(MID_FILES)}")
    if version == "cow4.3":
        raw = pd.read_csv(fetch(MID_FILES[version]))
        raw = raw.rename(columns={"dispnum3": "dispnum"})
    else:
        raw = read_rda(MID_FILES[version])
    cols = ["dispnum", "ccode", "styear", "endyear", "sidea", "hiact", "orig"]
    df = raw[cols].mask(raw[cols] == -9)
    return typed(df, ints=cols).reset_index(drop=True)
