"""The directed dyad-year panel: A (potential coup-proofer) × B (potential ally) × year.

Verbs in the peacesciencer spirit, each returning the panel with new columns::

    panel = (directed_dyad_years(system, first=1960, last=2010)
             .pipe(add_alliance_ties, ties)             # shared_def_l (A and B, t−1)
             .pipe(add_new_pacts, pacts)                # def (new bilateral pact in t)
             .pipe(add_state_attributes, states)        # *_A, *_B from the state-year table
             .pipe(add_dyadic_measures))                # reg_diff_l, joint_dem_l

:mod:`coupproof.panel.build` runs this pipeline from cached pieces.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coupproof.panel.transforms import (lag_within, lookup_join, lookup_positions, take_rows,
                                        with_columns)

#: State-year columns merged for A (suffix _A) and B (suffix _B).
STATE_COLUMNS_A = ["polity2", "polity", "polity2_l", "polity_l", "democracy_l", "new_regime",
                   "recent_coup", "military_l", "cbcount_l", "lncb_l", "new_cw", "new_cw_l",
                   "d_milex", "d_milper", "d_milex_l", "d_milper_l", "mid_recent", "rivals_l",
                   "threat_l", "cinc_l"]
STATE_COLUMNS_B = ["polity2", "polity2_l", "polity_l", "democracy_l", "mid_recent", "rivals_l",
                   "threat_l", "cinc_l"]


def directed_dyad_years(system_years: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Every ordered pair (A, B), A ≠ B, of states that are both system members in a year.

    Built per year with array operations (one numpy step per year, no loop over dyads).
    Columns ``ccode1`` (A), ``ccode2`` (B), ``year`` (int64).
    """
    sy = system_years[(system_years["year"] >= first) & (system_years["year"] <= last)]
    parts = []
    for year, grp in sy.groupby("year", sort=True):
        c = grp["ccode"].to_numpy(dtype=np.int64)
        a, b = np.meshgrid(c, c, indexing="ij")
        keep = a != b
        parts.append(pd.DataFrame({"ccode1": a[keep], "ccode2": b[keep],
                                   "year": np.full(keep.sum(), year, dtype=np.int64)}))
    return pd.concat(parts, ignore_index=True)


def add_alliance_ties(dyads: pd.DataFrame, ties: pd.DataFrame) -> pd.DataFrame:
    """``shared_def`` (A and B share any defense pact in t, either direction, bilateral or
    multilateral) and its one-year lag within the dyad's own series ``shared_def_l``
    (missing when the dyad did not exist in t−1)."""
    t = ties[["ccode1", "ccode2", "year", "defense_any"]].rename(columns={"defense_any": "shared_def"})
    keys = ["ccode1", "ccode2", "year"]
    out = lookup_join(dyads, t, left_on=keys, right_on=keys, columns=["shared_def"],
                      name="alliance ties")
    out["shared_def"] = out["shared_def"].fillna(0).astype("float")
    return lag_within(out, ["ccode1", "ccode2"], ["shared_def"])


def pact_ids(dyads: pd.DataFrame, pacts: pd.DataFrame) -> np.ndarray:
    """The atopid of the new pact A and B form in each dyad-year (NaN for none), either
    direction.  Two pacts signed by the same pair in one year are one event (the first
    atopid; it happens twice in ATOP, both before 1860)."""
    pair = pd.DataFrame({"ccode1": np.minimum(pacts["ccode1"], pacts["ccode2"]),
                         "ccode2": np.maximum(pacts["ccode1"], pacts["ccode2"]),
                         "year": pacts["year"], "atopid": pacts["atopid"]})
    p = (pair.sort_values("atopid")
         .groupby(["ccode1", "ccode2", "year"], as_index=False)["atopid"].first())
    both = pd.concat([p, p.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})], ignore_index=True)
    out = np.full(len(dyads), np.nan)
    if not len(both):
        return out
    # Scatter the few pacts onto the many dyad-years: binary search for each pact's key among
    # the dyads' keys (year-major, so the dyad skeleton's own order is already sorted).
    left = dyad_year_keys(dyads)
    both = both[(both[["ccode1", "ccode2"]] < 10_000).all(axis=1)]   # ATOP's non-state members
    right = dyad_year_keys(both)
    order = None if np.all(left[1:] > left[:-1]) else np.argsort(left, kind="stable")
    sorted_left = left if order is None else left[order]
    at = np.clip(np.searchsorted(sorted_left, right), 0, max(len(left) - 1, 0))
    hit = (sorted_left[at] == right) if len(left) else np.zeros(len(right), dtype=bool)
    rows = at[hit] if order is None else order[at[hit]]
    out[rows] = both["atopid"].to_numpy(dtype="float64")[hit]
    return out


def dyad_year_keys(frame: pd.DataFrame) -> np.ndarray:
    """One int64 per row: year·10⁸ + ccode1·10⁴ + ccode2 (codes in 0…9999), year-major."""
    c1, c2 = frame["ccode1"].to_numpy(dtype="int64"), frame["ccode2"].to_numpy(dtype="int64")
    if len(c1) and (max(c1.max(), c2.max()) >= 10_000 or min(c1.min(), c2.min()) < 0):
        raise ValueError("dyad-year keys need country codes in 0..9999")
    return frame["year"].to_numpy(dtype="int64") * 100_000_000 + c1 * 10_000 + c2


def add_new_pacts(dyads: pd.DataFrame, pacts: pd.DataFrame) -> pd.DataFrame:
    """``def`` = 1 if A and B form a new bilateral defense pact in year t, coded in both
    directions; ``def_atopid`` names the pact (see :func:`pact_ids`)."""
    ids = pact_ids(dyads, pacts)
    new = pd.DataFrame({"def_atopid": ids, "def": (~np.isnan(ids)).astype("int8")}, index=dyads.index)
    return with_columns(dyads, new)


def add_state_rows(dyads: pd.DataFrame, states: pd.DataFrame) -> pd.DataFrame:
    """``a_row`` and ``b_row``: the positions of A's and B's (ccode, year) in ``states``
    (−1 when absent), so that :func:`add_state_attributes` can take columns by position."""
    keys = states[["ccode", "year"]]
    out = dyads.copy()
    for code, name in (("ccode1", "a_row"), ("ccode2", "b_row")):
        pos = lookup_positions(dyads, keys, [code, "year"], ["ccode", "year"], name)
        out[name] = pos.astype(np.int32)
    return out


def _same_rows(states: pd.DataFrame, index: pd.DataFrame) -> bool:
    return len(states) == len(index) and all(
        np.array_equal(states[c].to_numpy(), index[c].to_numpy()) for c in ("ccode", "year"))


def add_state_attributes(dyads: pd.DataFrame, states: pd.DataFrame,
                         columns_A=STATE_COLUMNS_A, columns_B=STATE_COLUMNS_B,
                         index: pd.DataFrame | None = None) -> pd.DataFrame:
    """Merge the state-year table twice: for A (``ccode1``, suffix ``_A``) and for B (``_B``),
    many-to-one on (ccode, year); ``columns_A``/``columns_B`` name the state columns taken.

    When ``dyads`` carries ``a_row``/``b_row`` (:func:`add_state_rows`) computed against
    ``index`` and ``states`` has exactly ``index``'s rows, columns are taken by position;
    otherwise they are looked up by key.  Both give the same frame.
    """
    positional = (index is not None and {"a_row", "b_row"} <= set(dyads.columns)
                  and _same_rows(states, index))
    out = dyads
    for code, row, cols, sfx in (("ccode1", "a_row", list(columns_A), "_A"),
                                 ("ccode2", "b_row", list(columns_B), "_B")):
        if not cols:
            continue
        if positional:
            pos = dyads[row].to_numpy()
        else:
            pos = lookup_positions(dyads, states, [code, "year"], ["ccode", "year"],
                                   f"state attributes{sfx}")
        part = take_rows(states[cols], pos, dyads.index)
        out = with_columns(out, part.set_axis([c + sfx for c in cols], axis=1))
    return out


def add_dyadic_measures(dyads: pd.DataFrame, interregnum: str = "B_missing") -> pd.DataFrame:
    """``reg_diff_l`` = |polity2_A − polity2_B| in t−1 and ``joint_dem_l`` (both polity2 ≥ 7
    in t−1).  ``interregnum``: "polity2" uses polity2 as it is (an interregnum, raw −77,
    counts as 0); "B_missing" makes the difference missing when B's raw score in t−1 is −77;
    "both_missing" when either state's is."""
    need = {"polity2_l_A", "polity2_l_B", "polity_l_A", "polity_l_B", "democracy_l_A",
            "democracy_l_B"} - set(dyads.columns)
    if need:
        raise KeyError(f"add_dyadic_measures needs columns {sorted(need)} "
                       "(run add_state_attributes with them first)")
    col = {c: dyads[c].to_numpy(dtype="float64") for c in need | {
        "polity2_l_A", "polity2_l_B", "polity_l_A", "polity_l_B", "democracy_l_A", "democracy_l_B"}}
    new = pd.DataFrame({"reg_diff_l": regime_difference(col, interregnum),
                        "joint_dem_l": col["democracy_l_A"] * col["democracy_l_B"]},
                       index=dyads.index)
    return with_columns(dyads, new)


def regime_difference(col, interregnum: str = "B_missing") -> np.ndarray:
    """|polity2_A − polity2_B| in t−1 from arrays ``col["polity2_l_A"]`` … ``col["polity_l_B"]``
    (raw Polity scores, −77 = interregnum), under an interregnum rule (see
    :func:`add_dyadic_measures`)."""
    with np.errstate(invalid="ignore"):
        diff = np.abs(col["polity2_l_A"] - col["polity2_l_B"])
    if interregnum == "B_missing":
        return np.where(col["polity_l_B"] == -77, np.nan, diff)
    if interregnum == "both_missing":
        return np.where((col["polity_l_A"] == -77) | (col["polity_l_B"] == -77), np.nan, diff)
    if interregnum != "polity2":
        raise ValueError(f"unknown interregnum rule {interregnum!r}; allowed: B_missing, polity2, both_missing")
    return diff
