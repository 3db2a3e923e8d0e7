"""Alliance Treaty Obligations and Provisions (ATOP) 5.1: alliance, member and dyad-year files.

Traps this module handles:

* ``endyr``/``yrexit`` = 0 means "still in force at the end of the data (2018)"; here it
  becomes NA plus a boolean ``ongoing``.
* The alliance file's ``mem1 … memN`` list every state that was ever a member, across all
  phases — not the signatories.  They are dropped; membership comes from the member file.
* The member file includes members that are not COW system states (``cowsys`` = 0, e.g. code
  8152); they are kept and flagged so later steps can decide.
"""

from __future__ import annotations

import pandas as pd

from coupproof.sources._common import read_rda, typed
from coupproof.sources.registry import fetch

ATOP_END = 2018
OBLIGATIONS = ["defense", "offense", "neutral", "nonagg", "consul"]
#: Member-specific promises recorded for each member in the member file.
MEMBER_PROVISIONS = ["notaiden", "dipaid", "terrres", "seppeace", "thirdcom", "noothall"]
DYAD_VERSIONS = {"5.1": "atop_dyad_summary", "5.0": "atop_dyad_summary_v50"}


def read_atop_alliances() -> pd.DataFrame:
    """One row per alliance (``atopid``) with its dates, obligations and provisions.

    Integer columns (Int64): ``atopid``, ``begyr``, ``begmo``, ``begday``, ``endyr`` (NA if
    ongoing), ``bilat`` (1 = bilateral), ``maxphase``, obligations (``defense`` … ``consul``)
    and every provision code (``base``, ``intcom``, ``subord``, ``armred``, ``interv``,
    ``ecaid``, ``milaid``, ``divgains``, ``compag`` …).  ``ongoing`` (bool).
    """
    raw = pd.read_csv(fetch("atop_alliances"))
    raw = raw.drop(columns=[c for c in raw.columns if c.startswith("mem") and c[3:].isdigit()])
    raw = raw.drop(columns=["version", "cowid", "cow4id"])
    df = raw.copy()
    df["ongoing"] = df["endyr"].eq(0)
    for c in ("endyr", "endmo", "endday"):
        df[c] = df[c].mask(df["ongoing"])
    ints = [c for c in df.columns if c != "ongoing"]
    return typed(df, ints=ints, bools=["ongoing"]).reset_index(drop=True)


def read_atop_members() -> pd.DataFrame:
    """One row per (alliance, member, phase) from the member file.

    Columns (Int64): ``atopid``, ``member`` (COW code, or a non-state code), ``cowsys``
    (1 = the member is a COW system state), ``phase``, ``yrent``, ``moent``, ``dayent``,
    ``yrexit`` (NA if still a member in 2018), ``moexit``, ``dayexit``, ``bilat``, the
    obligations ``defense`` … ``consul`` as they apply to this member, and the
    member-specific provisions ``notaiden``, ``dipaid``, ``terrres``, ``seppeace``,
    ``thirdcom``, ``noothall``.  ``ongoing`` (bool).
    """
    raw = pd.read_csv(fetch("atop_members"))
    keep = ["atopid", "member", "cowsys", "phase", "yrent", "moent", "dayent",
            "yrexit", "moexit", "dayexit", "bilat", *OBLIGATIONS, *MEMBER_PROVISIONS]
    df = raw[keep].copy()
    df["ongoing"] = df["yrexit"].eq(0)
    for c in ("yrexit", "moexit", "dayexit"):
        df[c] = df[c].mask(df["ongoing"])
    return typed(df, ints=keep, bools=["ongoing"]).reset_index(drop=True)


def read_atop_dyad_years(version: str = "5.1") -> pd.DataFrame:
    """ATOP directed dyad-year obligations (``atop5_1ddyr``) as shipped by peacesciencer.

    One row per (``ccode1``, ``ccode2``, ``year``) in which ccode1 has any obligation toward
    ccode2; columns ``defense``, ``offense``, ``neutral``, ``nonagg``, ``consul`` (Int64 0/1).
    Used as a cross-check of the dyad-years this project derives from the member file.
    """
    if version not in DYAD_VERSIONS:
        raise ValueError(f"unknown ATOP dyad-year version {version!r}; allowed: {', '.join(DYAD_VERSIONS)}")
    raw = read_rda(DYAD_VERSIONS[version])
    df = raw.rename(columns={f"atop_{o}": o for o in OBLIGATIONS})
    return typed(df, ints=["ccode1", "ccode2", "year", *OBLIGATIONS]).reset_index(drop=True)
