"""Alliance portfolios: how ATOP obligations become valued ties, and who is allied with whom.

Signorino & Ritter's S compares two states' *portfolios*: each state's row of valued ties to
every system member.  How a dyad's obligations become one value is an open choice
(:data:`CODINGS`): the ATOP similarity-score release (Chiba, Johnson & Leeds 2022) ranks
defense/offense 3, neutrality and/or consultation 2 and non-aggression only 1; an older
convention puts non-aggression with neutrality and consultation last.

A separate, simpler question is whether two states are *allied* at all, which takes them out
of each other's set of potential adversaries: any defense, offense, neutrality or
consultation obligation in either direction (paper fn 20; non-aggression does not count).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coupproof.panel.threat.years import (SystemIndex, YearArrays, as_int, per_year_pairs,
                                          system_index)
from coupproof.sources.atop import OBLIGATIONS

#: Obligations that make two states allies for the threat measure (paper fn 20).
ALLY_OBLIGATIONS = ("defense", "offense", "neutral", "consul")


@dataclass(frozen=True)
class Coding:
    """How a directed dyad-year's ATOP obligations become one value of a portfolio.

    ``levels`` lists ``(value, obligations)`` pairs; a dyad-year gets the largest value whose
    obligation list contains any obligation it has, and 0 when it has none.  The coding's
    range Δ (:attr:`delta`) is its top value minus 0; a state's tie to itself is the top value.
    """

    name: str
    levels: tuple[tuple[int, tuple[str, ...]], ...]
    description: str

    @property
    def top(self) -> int:
        return max(v for v, _ in self.levels)

    @property
    def delta(self) -> int:
        return self.top

    def values(self, dyads: pd.DataFrame) -> np.ndarray:
        """The coded value of every row of an obligations frame (int8)."""
        out = np.zeros(len(dyads), dtype=np.int8)
        for value, obligations in self.levels:
            has = np.zeros(len(dyads), dtype=bool)
            for o in obligations:
                has |= dyads[o].fillna(0).to_numpy(dtype=np.int64) > 0
            out = np.where(has, np.maximum(out, value), out).astype(np.int8)
        return out


#: The codings of ``ThreatChoices.s_coding`` (the names are declared once, in its type).
CODINGS: dict[str, Coding] = {
    "atop_3210": Coding(
        "atop_3210",
        ((3, ("defense", "offense")), (2, ("neutral", "nonagg")), (1, ("consul",))),
        "3 = defense or offense pact, 2 = neutrality or non-aggression pact, "
        "1 = consultation pact only, 0 = no alliance"),
    "atop_release": Coding(
        "atop_release",
        ((3, ("defense", "offense")), (2, ("neutral", "consul")), (1, ("nonagg",))),
        "3 = defense and/or offense, 2 = neutrality and/or consultation (no defense or "
        "offense), 1 = non-aggression only, 0 = none (ATOP similarity-score release, 2022)"),
    "defense_only": Coding(
        "defense_only", ((1, ("defense",)),),
        "1 = defense pact, 0 = anything else"),
}


def coding_named(coding: str | Coding) -> Coding:
    if isinstance(coding, Coding):
        return coding
    if coding not in CODINGS:
        raise ValueError(f"unknown S-score coding {coding!r}; allowed: {', '.join(CODINGS)}")
    return CODINGS[coding]


def _clean_dyads(alliance_dyads: pd.DataFrame) -> pd.DataFrame:
    need = ["ccode1", "ccode2", "year", *OBLIGATIONS]
    missing = [c for c in need if c not in alliance_dyads.columns]
    if missing:
        raise ValueError(f"alliance dyad-years lack columns {missing}")
    return alliance_dyads[need].dropna(subset=["ccode1", "ccode2", "year"])


def valued_portfolios(alliance_dyads: pd.DataFrame, system: SystemIndex | pd.DataFrame,
                      coding: str | Coding) -> YearArrays:
    """Each year's symmetric K×K matrix of valued alliance ties among all system members.

    ``alliance_dyads`` has the ATOP dyad-year schema (``ccode1``, ``ccode2``, ``year`` and the
    0/1 obligations ``defense``, ``offense``, ``neutral``, ``nonagg``, ``consul``; directed:
    ccode1's obligation toward ccode2).  Each directed row becomes a value on ``coding`` (see
    :data:`CODINGS`); the tie of i and j is the larger of the two directions; the diagonal (a
    state's tie to itself) is the coding's top value.  Dyads
    with a state outside the system that year are ignored.  Row i is state i's portfolio.
    """
    sc = coding_named(coding)
    index = system if isinstance(system, SystemIndex) else system_index(system)
    d = _clean_dyads(alliance_dyads)
    value = sc.values(d)
    mats = []
    for year, p1, p2, rows in per_year_pairs(index, as_int(d["ccode1"]), as_int(d["ccode2"]),
                                              as_int(d["year"])):
        k = len(index.codes(year))
        m = np.zeros((k, k), dtype=np.int8)
        np.maximum.at(m, (p1, p2), value[rows])
        m = np.maximum(m, m.T)
        np.fill_diagonal(m, sc.top)
        mats.append(m)
    return YearArrays(index, tuple(mats), "portfolio")


def alliance_ties(alliance_dyads: pd.DataFrame, system: SystemIndex | pd.DataFrame,
                  obligations: tuple[str, ...] = ALLY_OBLIGATIONS) -> YearArrays:
    """Each year's symmetric K×K boolean matrix: are i and j allied?

    Allied = at least one of ``obligations`` (default: defense, offense, neutrality or
    consultation — not non-aggression, paper fn 20) in either direction.  Diagonal False.
    """
    bad = [o for o in obligations if o not in OBLIGATIONS]
    if bad:
        raise ValueError(f"unknown obligations {bad}; allowed: {', '.join(OBLIGATIONS)}")
    index = system if isinstance(system, SystemIndex) else system_index(system)
    d = _clean_dyads(alliance_dyads)
    has = (d[list(obligations)].fillna(0).to_numpy(dtype=np.int64) > 0).any(axis=1)
    d = d[has]
    mats = []
    for year, p1, p2, _ in per_year_pairs(index, as_int(d["ccode1"]), as_int(d["ccode2"]),
                                           as_int(d["year"])):
        k = len(index.codes(year))
        m = np.zeros((k, k), dtype=bool)
        m[p1, p2] = True
        mats.append(m | m.T)
    return YearArrays(index, tuple(mats), "allied")


# --------------------------------------------------------------------------------------------
# Signorino–Ritter S
