"""Alliance variables from ATOP 5.1: obligations by dyad-year, and new bilateral defense pacts.

* :func:`alliance_dyad_years` derives directed dyad-year obligations from the member file
  (the same schema as ATOP's own dyad-year file, which :mod:`coupproof.sources.atop` reads
  for a cross-check).
* :func:`new_defense_pacts` finds the dependent variable's events: a defense pact with exactly
  two members at signing, formed in year ``begyr``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coupproof import sources
from coupproof.cache import CACHE, PieceCache
from coupproof.sources.atop import ATOP_END, MEMBER_PROVISIONS, OBLIGATIONS
from coupproof.spells import spell_years

#: How the paper's ``def`` events may be defined (see the data-assembly chapter).
DEF_RULES = {
    "all": "every new bilateral defense pact in ATOP 5.1",
    "concessions_coded": (
        "new bilateral defense pacts whose member-level concession items are coded "
        "(drops pacts with all six member-level items missing)"
    ),
}
#: Which signatories must carry the defense obligation.
DEF_OBLIGATION = {
    "alliance": "the alliance-level defense code is 1 (either member may hold the obligation)",
    "both": "both members carry a member-level defense obligation",
}


def _expand_years(df: pd.DataFrame, start: str, end: str, last: int) -> pd.DataFrame:
    """Repeat each row once per year from ``start`` to ``end`` (NA end = ``last``)."""
    lo = df[start].to_numpy(dtype=np.int64)
    hi = df[end].fillna(last).to_numpy(dtype=np.int64)
    if (hi < lo).any():
        raise ValueError(f"spells with {end} before {start}")
    idx, years = spell_years(lo, hi)
    out = df.iloc[idx].reset_index(drop=True)
    out["year"] = years
    return out


def alliance_dyad_years(members: pd.DataFrame, last: int = ATOP_END) -> pd.DataFrame:
    """Directed dyad-year obligations from the ATOP member file.

    For every alliance, each pair of members whose membership spells (``yrent`` … ``yrexit``,
    ongoing = ``last``) cover year t forms a dyad-year; ccode1's obligation toward ccode2 is
    ccode1's member-level obligation in that alliance.  Obligations are then maxed over all
    alliances of the dyad-year.

    Returns columns ``ccode1``, ``ccode2``, ``year`` (int64) and ``defense``, ``offense``,
    ``neutral``, ``nonagg``, ``consul`` (int8, 0/1); one row per directed dyad-year with any
    shared alliance.  Members that are not COW states are kept (filter them downstream).
    """
    spells = members[["atopid", "member", "yrent", "yrexit", *OBLIGATIONS]]
    yearly = _expand_years(spells, "yrent", "yrexit", last)
    yearly[OBLIGATIONS] = yearly[OBLIGATIONS].astype("int8")
    yearly = yearly.groupby(["atopid", "member", "year"], as_index=False)[OBLIGATIONS].max()
    pairs = yearly.merge(yearly[["atopid", "member", "year"]], on=["atopid", "year"],
                         suffixes=("1", "2"), validate="many_to_many")
    pairs = pairs[pairs["member1"] != pairs["member2"]]
    out = (pairs.rename(columns={"member1": "ccode1", "member2": "ccode2"})
           .groupby(["ccode1", "ccode2", "year"], as_index=False)[OBLIGATIONS].max())
    out[["ccode1", "ccode2", "year"]] = out[["ccode1", "ccode2", "year"]].astype("int64")
    return out


def obligation_sources(source: str) -> tuple[str, ...]:
    """Registry ids of the raw files behind ``DataChoices.alliance_source``."""
    if source == "ddyr":
        return (sources.file_id("atop_dyad_years", "5.1"),)
    if source == "members":
        return ("atop_members",)
    raise ValueError(f"unknown alliance source {source!r}; allowed: 'ddyr', 'members'")


def obligation_dyads(source: str = "ddyr", cache: PieceCache = CACHE) -> pd.DataFrame:
    """Directed dyad-year obligations (``ccode1``, ``ccode2``, ``year`` int64, the five
    obligations) from ATOP 5.1's own dyad-year file ("ddyr") or derived from its member file
    ("members", :func:`alliance_dyad_years`; cached)."""
    obligation_sources(source)
    if source == "ddyr":
        d = sources.read("atop_dyad_years", "5.1")
        return d.astype({c: "int64" for c in ("ccode1", "ccode2", "year")})
    return cache.get("obligations_members", {}, lambda: alliance_dyad_years(sources.read("atop_members")),
                     modules=("coupproof.panel.alliances",), sources=obligation_sources(source))


def symmetric_ties(dyads: pd.DataFrame) -> pd.DataFrame:
    """Either-direction ties per directed dyad-year (max over (i, j) and (j, i)).

    Returns ``ccode1``, ``ccode2``, ``year``, ``defense_any`` (any defense pact),
    ``allied`` (defense, offense, consultation or neutrality; non-aggression does not count),
    ``tie_level`` (3 defense/offense, 2 neutrality/non-aggression, 1 consultation, 0 none).
    """
    d = dyads.copy()
    d["allied"] = d[["defense", "offense", "neutral", "consul"]].max(axis=1)
    d["defense_any"] = d["defense"]
    rev = d.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})
    both = pd.concat([d, rev], ignore_index=True)
    out = both.groupby(["ccode1", "ccode2", "year"], as_index=False)[
        ["defense_any", "allied", "defense", "offense", "neutral", "nonagg", "consul"]].max()
    out["tie_level"] = np.select(
        [out[["defense", "offense"]].max(axis=1) == 1,
         out[["neutral", "nonagg"]].max(axis=1) == 1,
         out["consul"] == 1], [3, 2, 1], 0).astype("int8")
    return out[["ccode1", "ccode2", "year", "defense_any", "allied", "tie_level"]]


def signatories(members: pd.DataFrame) -> pd.DataFrame:
    """Members of each alliance's first phase (the states that signed it)."""
    first = members.groupby("atopid")["phase"].transform("min")
    return members[members["phase"] == first]


def new_defense_pacts(alliances: pd.DataFrame, members: pd.DataFrame,
                      rule: str = "concessions_coded",
                      obligation: str = "alliance") -> pd.DataFrame:
    """New bilateral defense pacts: one row per pact and (undirected) pair of signatories.

    A pact qualifies when the alliance-level ``defense`` code is 1 and its first phase has
    exactly two members (counted in the member file — the alliance file's ``mem*`` columns
    list members of all phases).  The formation year is the alliance's ``begyr``.

    ``rule`` (see :data:`DEF_RULES`) and ``obligation`` (see :data:`DEF_OBLIGATION`) are the
    open choices.  Returns ``atopid``, ``ccode1`` < ``ccode2``, ``year``, ``concessions_coded``
    (bool: at least one member-level concession item is non-missing).
    """
    if rule not in DEF_RULES:
        raise ValueError(f"unknown def rule {rule!r}; allowed: {', '.join(DEF_RULES)}")
    if obligation not in DEF_OBLIGATION:
        raise ValueError(f"unknown def obligation {obligation!r}; allowed: {', '.join(DEF_OBLIGATION)}")
    sig = signatories(members)
    per = sig.groupby("atopid").agg(
        n_members=("member", "nunique"), lo=("member", "min"), hi=("member", "max"),
        both_defense=("defense", "min"),
        coded=(MEMBER_PROVISIONS[0], "size"))
    coded = sig[MEMBER_PROVISIONS].notna().any(axis=1).groupby(sig["atopid"]).any()
    per["concessions_coded"] = coded
    pacts = alliances[["atopid", "begyr", "defense"]].merge(
        per.reset_index(), on="atopid", how="inner", validate="one_to_one")
    keep = (pacts["defense"] == 1) & (pacts["n_members"] == 2)
    if obligation == "both":
        keep &= pacts["both_defense"] == 1
    if rule == "concessions_coded":
        keep &= pacts["concessions_coded"]
    out = pacts[keep].rename(columns={"lo": "ccode1", "hi": "ccode2", "begyr": "year"})
    out = out[["atopid", "ccode1", "ccode2", "year", "concessions_coded"]]
    out[["atopid", "ccode1", "ccode2", "year"]] = out[["atopid", "ccode1", "ccode2", "year"]].astype("int64")
    return out.sort_values(["year", "atopid"]).reset_index(drop=True)
