"""The directed dyad-year panel for one :class:`~coupproof.params.DataChoices`, from cached pieces.

::

    panel = (dyad_skeleton()                                   # ccode1, ccode2, year 1960–2010
             .pipe(with_columns, shared_defense(data))          # shared_def, shared_def_l
             .pipe(add_new_pacts, defense_pacts(data))          # def, def_atopid
             .pipe(add_concessions, concession_counts(data))    # concessionsA, concessionsB
             .pipe(add_state_attributes, state_years(data))     # *_A, *_B
             .pipe(add_dyadic_measures, data.reg_diff_interregnum))  # reg_diff_l, joint_dem_l

Each input is a piece of the cache (:mod:`coupproof.cache`) keyed by the choices it reads:
the skeleton reads none, the shared-defense columns the alliance source, the pacts the event
rule, the concession counts the item list, each state-year piece its own versions and windows
(:data:`coupproof.panel.states.STATE_PIECES`).  A specification that changes one choice
rebuilds one piece; the sample and estimation choices (regime filter, years, clustering) are
not read here at all, so every such variant shares one data panel.

The frame is *not* yet restricted to non-democratic A's; see
:func:`coupproof.panel.sample.restrict_sample`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coupproof import sources
from coupproof.cache import CACHE, PieceCache
from coupproof.panel import alliances
from coupproof.panel.concessions import add_concessions, concession_values, concessions_by_member
from coupproof.panel.dyads import (STATE_COLUMNS_A, STATE_COLUMNS_B, add_alliance_ties,
                                   add_dyadic_measures, add_new_pacts, add_state_attributes,
                                   add_state_rows, directed_dyad_years, pact_ids,
                                   regime_difference)
from coupproof.panel.states import state_index, state_years
from coupproof.panel.transforms import with_columns
from coupproof.params import DataChoices

#: Years of the dyad skeleton: the first DV year (1961) needs t−1 values from 1960.
DYAD_YEARS = (1960, 2010)
#: Columns of the panel that come from the dyad-level pieces (not from state-years).
DYAD_COLUMNS = ("shared_def", "shared_def_l", "def", "def_atopid", "concessionsA",
                "concessionsB", "reg_diff_l", "joint_dem_l")
#: State-year columns that regime difference and joint democracy are computed from.
_DYADIC_INPUTS_A = ("polity2_l", "polity_l", "democracy_l")
_DYADIC_INPUTS_B = ("polity2_l", "polity_l", "democracy_l")


def dyad_skeleton(cache: PieceCache = CACHE) -> pd.DataFrame:
    """Every directed pair of COW system members, 1960–2010: ``ccode1``, ``ccode2``, ``year``,
    and ``a_row``/``b_row``, the rows of A and B in :func:`~coupproof.panel.states.state_index`."""
    first, last = DYAD_YEARS

    def build():
        dyads = directed_dyad_years(sources.system_years(first, last), first, last)
        return add_state_rows(dyads, state_index())

    return cache.get("dyads", {"first": first, "last": last}, build,
                     modules=("coupproof.panel.build", "coupproof.panel.dyads",
                              "coupproof.panel.states"),
                     sources=("cow_states",))


def dv_index(cache: PieceCache = CACHE) -> dict[str, np.ndarray]:
    """The DV years of :func:`dyad_skeleton` (all but the first year, which only supplies t−1
    values) — the rows of :func:`build_panel`, in its order: ``rows`` (their positions in the
    skeleton) and, aligned with them, ``ccode1``, ``ccode2``, ``year``, ``a_row``, ``b_row``
    (cached, so a gather at DV rows is one step, not two)."""
    first, last = DYAD_YEARS

    def build():
        skeleton = dyad_skeleton(cache)
        rows = np.flatnonzero(skeleton["year"].to_numpy() > first)
        return {"rows": rows, **{c: skeleton[c].to_numpy()[rows]
                                 for c in ("ccode1", "ccode2", "year", "a_row", "b_row")}}

    return cache.get("dv_index", {"first": first, "last": last}, build, kind="arrays",
                     modules=("coupproof.panel.build", "coupproof.panel.dyads",
                              "coupproof.panel.states"),
                     sources=("cow_states",))


def shared_defense(data: DataChoices, cache: PieceCache = CACHE) -> pd.DataFrame:
    """``shared_def`` and ``shared_def_l`` for every skeleton row, from ``data.alliance_source``."""
    def build():
        ties = alliances.symmetric_ties(alliances.obligation_dyads(data.alliance_source, cache))
        out = add_alliance_ties(dyad_skeleton(cache), ties)
        return out[["shared_def", "shared_def_l"]].reset_index(drop=True)

    return cache.get("shared_defense", {"alliance_source": data.alliance_source}, build,
                     modules=("coupproof.panel.build", "coupproof.panel.dyads",
                              "coupproof.panel.alliances"),
                     sources=("cow_states", *alliances.obligation_sources(data.alliance_source)))


def defense_pacts(data: DataChoices, cache: PieceCache = CACHE) -> pd.DataFrame:
    """The events of the DV under ``data.def_rule`` and ``data.def_obligation`` (one row per
    pact and pair; see :func:`coupproof.panel.alliances.new_defense_pacts`)."""
    return cache.get(
        "defense_pacts", {"def_rule": data.def_rule, "def_obligation": data.def_obligation},
        lambda: alliances.new_defense_pacts(sources.read("atop_alliances"), sources.read("atop_members"),
                                            rule=data.def_rule, obligation=data.def_obligation),
        modules=("coupproof.panel.alliances",), sources=("atop_alliances", "atop_members"))


def pact_rows(data: DataChoices, cache: PieceCache = CACHE) -> pd.DataFrame:
    """``def_atopid`` (the new pact formed in the dyad-year, NaN for none) for every skeleton
    row under ``data``'s event rule (cached, aligned with :func:`dyad_skeleton`)."""
    def build():
        skeleton = dyad_skeleton(cache)
        return pd.DataFrame({"def_atopid": pact_ids(skeleton, defense_pacts(data, cache))})

    return cache.get("pact_rows", {"def_rule": data.def_rule, "def_obligation": data.def_obligation},
                     build, modules=("coupproof.panel.build", "coupproof.panel.dyads",
                                     "coupproof.panel.alliances"),
                     sources=("cow_states", "atop_alliances", "atop_members"))


def concession_counts(data: DataChoices, cache: PieceCache = CACHE) -> pd.DataFrame:
    """Concessions made by each signatory of each alliance under ``data.concession_items``."""
    return cache.get(
        "concessions", {"concession_items": data.concession_items},
        lambda: concessions_by_member(sources.read("atop_alliances"), sources.read("atop_members"),
                                      data.concession_items),
        modules=("coupproof.panel.concessions", "coupproof.panel.alliances"),
        sources=("atop_alliances", "atop_members"))


def build_panel(data: DataChoices | None = None, columns: list[str] | None = None,
                cache: PieceCache = CACHE) -> pd.DataFrame:
    """Directed dyad-years 1961–2010 (the DV years; lags reach back to 1960) under ``data``
    with every panel variable (or only the state-year and dyad ``columns`` named, e.g.
    ``["lncb_l_A", "threat_l_B", "def"]``).

    ``attrs`` record the data choices and S̄ (``mean_s``).
    """
    data = data or DataChoices()
    cols_A, cols_B = _state_columns(columns)
    needs_dyadic = columns is None or bool({"reg_diff_l", "joint_dem_l"} & set(columns))
    if needs_dyadic:
        cols_A = list(dict.fromkeys([*cols_A, *_DYADIC_INPUTS_A]))
        cols_B = list(dict.fromkeys([*cols_B, *_DYADIC_INPUTS_B]))
    states = state_years(data, cache)
    skeleton = dyad_skeleton(cache)
    dv_years = (skeleton["year"] > DYAD_YEARS[0]).to_numpy()
    rows = skeleton[dv_years].reset_index(drop=True)
    panel = (rows
             .pipe(with_columns, shared_defense(data, cache)[dv_years])
             .pipe(add_new_pacts, defense_pacts(data, cache))
             .pipe(add_concessions, concession_counts(data, cache))
             .pipe(add_state_attributes, states, cols_A, cols_B, index=state_index()))
    if needs_dyadic:
        panel = add_dyadic_measures(panel, data.reg_diff_interregnum)
    for c in ("a_row", "b_row"):   # in place: drop() would copy the whole panel once more
        del panel[c]
    if columns is not None:
        keep = ["ccode1", "ccode2", "year", *[c for c in dict.fromkeys(columns)
                                              if c not in ("ccode1", "ccode2", "year")]]
        missing = [c for c in keep if c not in panel]
        if missing:
            raise KeyError(f"unknown panel columns {missing}")
        panel = panel[keep]
    from coupproof.panel.threat import build_threat

    panel.attrs["data_choices"] = data.to_dict()
    panel.attrs["mean_s"] = float(build_threat(data, cache).attrs["mean_s"])
    return panel


def _state_columns(columns: list[str] | None) -> tuple[list[str], list[str]]:
    """Which state-year columns to merge for A and B so that ``columns`` can be returned."""
    if columns is None:
        return list(STATE_COLUMNS_A), list(STATE_COLUMNS_B)
    cols_A = [c[:-2] for c in columns if c.endswith("_A") and c[:-2] in STATE_COLUMNS_A]
    cols_B = [c[:-2] for c in columns if c.endswith("_B") and c[:-2] in STATE_COLUMNS_B]
    unknown = [c for c in columns if c not in ("ccode1", "ccode2", "year", *DYAD_COLUMNS)
               and not (c.endswith("_A") and c[:-2] in STATE_COLUMNS_A)
               and not (c.endswith("_B") and c[:-2] in STATE_COLUMNS_B)]
    if unknown:
        raise KeyError(f"unknown panel columns {unknown}; the panel has "
                       + ", ".join([*DYAD_COLUMNS, *(c + "_A" for c in STATE_COLUMNS_A),
                                    *(c + "_B" for c in STATE_COLUMNS_B)]))
    return cols_A, cols_B


def load_panel(data: DataChoices | None = None, columns: list[str] | None = None,
               verbose: bool = False, cache: PieceCache = CACHE) -> pd.DataFrame:
    """:func:`build_panel`, saying which pieces came from the cache and which were built."""
    import time

    before = dict(cache.builds)
    t0 = time.perf_counter()
    panel = build_panel(data, columns, cache)
    if verbose:
        built = {k: v - before.get(k, 0) for k, v in cache.builds.items() if v != before.get(k, 0)}
        how = ("all pieces from the cache" if not built else
               "built " + ", ".join(f"{k}" + (f" ×{v}" if v > 1 else "") for k, v in built.items()))
        print(f"panel: {len(panel):,} directed dyad-years, {panel.shape[1]} columns "
              f"({how}; {time.perf_counter() - t0:.1f} s)")
    return panel


def panel_columns(data: DataChoices, columns: list[str], rows: np.ndarray | None = None,
                  cache: PieceCache = CACHE) -> dict[str, np.ndarray]:
    """Panel columns as arrays for the DV-year rows ``rows`` (positions in
    :func:`build_panel`'s frame; all rows when None), from the same pieces and the same
    rules as :func:`build_panel` — without building the whole frame.

    This is the fast path behind :func:`coupproof.analysis.estimation_frame` (filter first,
    then take only the columns the models need); tests check it against
    :func:`build_panel` column by column.
    """
    dv = dv_index(cache)
    rows = None if rows is None else np.asarray(rows)
    at = dv["rows"] if rows is None else dv["rows"][rows]
    out: dict[str, np.ndarray] = {}
    states = None
    positions: dict[str, np.ndarray] = {}

    def state(col: str, side: str) -> np.ndarray:
        nonlocal states
        if states is None:
            states = state_years(data, cache)
            if not _aligned(states):
                raise AssertionError("state-year table is not on the canonical index")
        if side not in positions:
            positions[side] = _at(dv["a_row" if side == "A" else "b_row"], rows)
        return states[col].to_numpy(dtype="float64").take(positions[side])

    needed = list(dict.fromkeys(columns))
    if {"reg_diff_l", "joint_dem_l"} & set(needed):
        inputs = {f"{c}_{s}": state(c, s) for c in _DYADIC_INPUTS_A for s in ("A", "B")}
        if "reg_diff_l" in needed:
            out["reg_diff_l"] = regime_difference(inputs, data.reg_diff_interregnum)
        if "joint_dem_l" in needed:
            out["joint_dem_l"] = inputs["democracy_l_A"] * inputs["democracy_l_B"]
    keys: dict[str, np.ndarray] = {}

    def key(c: str) -> np.ndarray:
        if c not in keys:
            keys[c] = _at(dv[c], rows)
        return keys[c]

    for c in needed:
        if c in out:
            continue
        if c in ("ccode1", "ccode2", "year"):
            out[c] = key(c)
        elif c in ("shared_def", "shared_def_l"):
            out[c] = shared_defense(data, cache)[c].to_numpy()[at]
        elif c in ("def", "def_atopid", "concessionsA", "concessionsB"):
            if "def_atopid" not in out:
                out["def_atopid"] = pact_rows(data, cache)["def_atopid"].to_numpy()[at]
                out["def"] = (~np.isnan(out["def_atopid"])).astype("int8")
            if c.startswith("concessions"):
                code = key("ccode1" if c.endswith("A") else "ccode2").astype("int64", copy=False)
                out[c] = concession_values(out["def_atopid"], code, concession_counts(data, cache))
        elif c.endswith("_A") and c[:-2] in STATE_COLUMNS_A:
            out[c] = state(c[:-2], "A")
        elif c.endswith("_B") and c[:-2] in STATE_COLUMNS_B:
            out[c] = state(c[:-2], "B")
        else:
            raise KeyError(f"unknown panel column {c!r}")
    return {c: out[c] for c in needed}


def _at(values: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    """``values`` (over the DV rows) at ``rows`` (all when None), as a new array."""
    return values.copy() if rows is None else values[rows]


def _aligned(states: pd.DataFrame) -> bool:
    index = state_index()
    return len(states) == len(index) and all(
        np.array_equal(states[c].to_numpy(), index[c].to_numpy()) for c in ("ccode", "year"))
