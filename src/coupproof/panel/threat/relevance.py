"""The politically relevant international environment (PRIE, Maoz 1996) of every state-year.

j is in i's PRIE when the two are contiguous (directly, or through colonial holdings, up to a
chosen contiguity type) or when j is a major power — and, under peacesciencer's
politically-relevant-dyad rule, when i is a major power.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coupproof.panel.threat.years import (SystemIndex, YearArrays, as_int, expand_spells,
                                          per_year_pairs, state_values)


def contiguity(system: SystemIndex, contdir: pd.DataFrame, contcol: pd.DataFrame | None = None,
               max_conttype: int = 5) -> YearArrays:
    """Each year's symmetric K×K boolean matrix of contiguous pairs.

    A spell of COW Direct Contiguity (``state1``, ``state2``, ``conttype``, ``begin_year``,
    ``end_year``) links its two states in every year t with begin_year ≤ t ≤ end_year when
    ``conttype ≤ max_conttype`` (1 = land or river; 2, 3, 4, 5 = up to 12, 24, 150, 400 miles
    of water).  With ``contcol`` (COW Colonial Contiguity), a spell in which a dependency of one
    state touches the other state or its dependency links the two COW states ``state1`` and
    ``state2`` the same way; the same ``max_conttype`` cut-off applies to it.
    """
    if max_conttype not in (1, 2, 3, 4, 5):
        raise ValueError(f"max_conttype must be one of 1, 2, 3, 4, 5; got {max_conttype!r}")
    frames = [contdir] + ([contcol] if contcol is not None else [])
    spells = pd.concat([f[["state1", "state2", "conttype", "begin_year", "end_year"]]
                        for f in frames], ignore_index=True).dropna()
    spells = spells[spells["conttype"] <= max_conttype]
    a, b, year = expand_spells(as_int(spells["state1"]), as_int(spells["state2"]),
                                as_int(spells["begin_year"]), as_int(spells["end_year"]),
                                system.first, system.last)
    mats = []
    for yr, p1, p2, _ in per_year_pairs(system, a, b, year):
        k = len(system.codes(yr))
        m = np.zeros((k, k), dtype=bool)
        m[p1, p2] = True
        mats.append(m | m.T)
    return YearArrays(system, tuple(mats), "contiguous")


def major_powers(system: SystemIndex, majors: pd.DataFrame) -> YearArrays:
    """Each year's (K,) boolean vector: is the member a COW major power (styear ≤ t ≤ endyear)?"""
    c, _, year = expand_spells(as_int(majors["ccode"]), as_int(majors["ccode"]),
                                as_int(majors["styear"]), as_int(majors["endyear"]),
                                system.first, system.last)
    flags = state_values(pd.DataFrame({"ccode": c, "year": year, "major": 1.0}), "major", system)
    return YearArrays(system, tuple(np.nan_to_num(v, nan=0.0) > 0 for v in flags.arrays), "major")


def politically_relevant(system: SystemIndex, contdir: pd.DataFrame,
                         contcol: pd.DataFrame | None, majors: pd.DataFrame, *,
                         max_conttype: int = 5, colonial: bool = True,
                         major_power_global: bool = True) -> YearArrays:
    """PRIE(i, t) as each year's K×K boolean matrix: ``m[i, j]`` is True when j ∈ PRIE(i, t).

    j is in i's politically relevant international environment (Maoz 1996) when

    * i and j are directly contiguous in t with ``conttype ≤ max_conttype``, or
    * ``colonial`` and they are contiguous through a colonial holding (same cut-off), or
    * j is a COW major power in t, or
    * ``major_power_global`` and i is a major power in t (the politically-relevant-dyad rule
      of peacesciencer's ``filter_prd``: every state is relevant to a major power).

    The diagonal is False.  Without ``major_power_global`` the matrix is not symmetric.
    """
    cont = contiguity(system, contdir, contcol if colonial else None, max_conttype)
    major = major_powers(system, majors)
    mats = []
    for c, mp in zip(cont.arrays, major.arrays):
        m = c | mp[None, :]
        if major_power_global:
            m = m | mp[:, None]
        np.fill_diagonal(m, False)
        mats.append(m)
    return YearArrays(system, tuple(mats), "prie")
