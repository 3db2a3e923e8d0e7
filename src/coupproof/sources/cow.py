"""Correlates of War readers: system membership, major powers, contiguity, capabilities.

Sources (see ``data/sources.csv``): COW State System Membership v2016 and major powers
(as shipped by peacesciencer), Direct Contiguity v3.2, Colonial/Dependency Contiguity v3.1,
National Material Capabilities v6.0 (v5.0 as an alternative).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coupproof.sources._common import read_rda, typed
from coupproof.spells import spell_years
from coupproof.sources.registry import fetch

NMC_VERSIONS = {"6.0": "nmc6", "5.0": "nmc5"}


def read_cow_states() -> pd.DataFrame:
    """COW system-membership spells, one row per spell.

    Columns: ``ccode`` (Int64), ``stateabb``, ``statenme`` (string), ``styear``, ``stmonth``,
    ``stday``, ``endyear``, ``endmonth``, ``endday`` (Int64).  A state with interrupted
    membership (e.g. Germany 255, Yugoslavia 345) has several spells.
    """
    df = read_rda("cow_states")
    df = typed(df, ints=["ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday"],
               strings=["stateabb", "statenme"])
    return df.drop(columns="version").reset_index(drop=True)


def cow_system_years(first: int = 1816, last: int = 2016,
                     states: pd.DataFrame | None = None) -> pd.DataFrame:
    """State-years of COW system membership: one row per (ccode, year), vectorised.

    A state is a member in year t if any of its spells covers any part of t (the
    convention of peacesciencer's ``create_stateyears``).  Columns ``ccode``, ``year`` (int64).
    ``states`` is :func:`read_cow_states` output (read here when not given).
    """
    st = read_cow_states() if states is None else states
    row, year = spell_years(st["styear"], st["endyear"])
    ccode = st["ccode"].to_numpy(dtype=np.int64)[row]
    out = pd.DataFrame({"ccode": ccode, "year": year}).drop_duplicates()
    out = out[(out["year"] >= first) & (out["year"] <= last)]
    return out.sort_values(["ccode", "year"]).reset_index(drop=True)


def read_cow_majors() -> pd.DataFrame:
    """COW major-power spells.  Columns ``ccode``, ``styear``, ``endyear`` (Int64) + months/days."""
    df = read_rda("cow_majors")
    df = typed(df, ints=["ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday"])
    return df.drop(columns="version").reset_index(drop=True)


def read_contdir() -> pd.DataFrame:
    """COW Direct Contiguity v3.2 (master file of spells), undirected.

    The raw ``begin``/``end`` are YYYYMM; they become ``begin_year``/``end_year`` (Int64) and
    ``begin_month``/``end_month``.  Columns: ``state1`` (lower code), ``state2``,
    ``conttype`` (1 land/river, 2 ≤12 mi of water, 3 ≤24, 4 ≤150, 5 ≤400), begin/end.
    """
    raw = pd.read_csv(fetch("contdir"))
    df = pd.DataFrame({
        "state1": raw["statelno"], "state2": raw["statehno"], "conttype": raw["conttype"],
        "begin_year": raw["begin"] // 100, "begin_month": raw["begin"] % 100,
        "end_year": raw["end"] // 100, "end_month": raw["end"] % 100,
    })
    return typed(df, ints=df.columns)


def read_contcol() -> pd.DataFrame:
    """COW Colonial/Dependency Contiguity v3.1 (master file of spells), undirected.

    Begin/end are already years here (unlike Direct Contiguity).  Columns: ``state1``,
    ``state2`` (the COW states whose dependencies touch), ``dependl``/``dependh`` (the
    dependency codes, 0 = the state itself), ``conttype`` (1–5), ``begin_year``, ``end_year``.
    """
    raw = pd.read_csv(fetch("contcol"))
    df = pd.DataFrame({
        "state1": raw["statelno"], "state2": raw["statehno"],
        "dependl": raw["dependl"], "dependh": raw["dependh"], "conttype": raw["conttype"],
        "begin_year": raw["begin"], "end_year": raw["end"],
    })
    return typed(df, ints=df.columns)


def read_nmc(version: str = "6.0") -> pd.DataFrame:
    """COW National Material Capabilities, one row per (ccode, year).

    Columns: ``ccode``, ``year`` (Int64); ``milex`` (thousands of current USD; v5.0 has
    thousands of current USD too), ``milper`` (thousands), ``irst``, ``pec``, ``tpop``,
    ``upop``, ``cinc`` (float).  The raw missing code −9 is recoded to NA in both versions
    (the v6.0 copy arrives recoded, the v5.0 copy does not).
    """
    if version not in NMC_VERSIONS:
        raise ValueError(f"unknown NMC version {version!r}; allowed: {', '.join(NMC_VERSIONS)}")
    df = read_rda(NMC_VERSIONS[version])
    comps = ["milex", "milper", "irst", "pec", "tpop", "upop", "cinc"]
    df[comps] = df[comps].mask(df[comps] == -9)
    return typed(df, ints=["ccode", "year"], floats=comps).reset_index(drop=True)
