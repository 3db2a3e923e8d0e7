"""The state-year table: one row per COW system member and year, with every monadic variable.

Each ``add_*`` verb takes a state-year frame and returns it with new columns::

    states = (state_index()
              .pipe(add_polity, polity, window=(-4, 0))        # polity2, new_regime, ...
              .pipe(add_coups, coups, window=(-4, 0))          # recent_coup
              .pipe(add_military, gwf)                         # military
              ...)

:func:`state_years` runs each verb as one cached *piece* (:data:`STATE_PIECES`): a piece
reads only the choices it needs (the Polity piece: the Polity version and the new-regime
window), takes its lags within each state's own series
(:func:`coupproof.panel.transforms.lag_within`; missing across gaps in membership), and is
kept in the piece cache, so changing the coup window rebuilds the coup piece alone.  All
pieces are aligned to one canonical index (:func:`state_index`) and joined side by side.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from collections.abc import Callable
from dataclasses import dataclass

from coupproof import sources
from coupproof.cache import CACHE, PieceCache
from coupproof.panel.transforms import lag_within, merge_validated, window_any
from coupproof.params import DataChoices, Stage
from coupproof.spells import spell_years

#: GWF regime types counted as military under each ``DataChoices.military_types`` option.
MILITARY_TYPES = {"military": ("military",), "military+indirect": ("military", "indirect military")}
#: First and last year of the state-year table behind the dyad-years (lags need 1959).
STATE_YEARS = (1946, 2010)


def add_polity(states: pd.DataFrame, polity: pd.DataFrame, window: tuple[int, int]) -> pd.DataFrame:
    """``polity`` (raw, with −66/−77/−88), ``polity2``, ``democracy`` (polity2 ≥ 7) and
    ``new_regime``: 1 if Polity records the begin year of a new polity (``byear``) in any year
    of ``window`` (default t−4 … t), 0 if not, missing where the state has no Polity row in t."""
    cols = ["ccode", "year", "polity", "polity2", "byear"]
    out = merge_validated(states, polity[cols].astype({"ccode": "int64", "year": "int64"}),
                          on=["ccode", "year"], how="left", validate="one_to_one", name="polity")
    out["democracy"] = (out["polity2"] >= 7).astype("float").where(out["polity2"].notna())
    begins = polity.loc[polity["byear"].notna(), ["ccode", "year"]].astype("int64")
    nr = window_any(out, begins, window, name="new_regime").astype("float")
    out["new_regime"] = nr.where(out["polity"].notna())
    return out.drop(columns="byear")


def add_coups(states: pd.DataFrame, coups: pd.DataFrame, window: tuple[int, int]) -> pd.DataFrame:
    """``recent_coup``: 1 if the state had any coup attempt (failed or successful) in
    ``window`` (default t−4 … t).  Powell & Thyne start in 1950, so years before
    1950 − window[0] are missing."""
    ev = coups[["ccode", "year"]].astype("int64")
    out = states.copy()
    rc = window_any(out, ev, window, name="recent_coup").astype("float")
    out["recent_coup"] = rc.where(out["year"] + window[0] >= 1950)
    return out


def add_military(states: pd.DataFrame, gwf: pd.DataFrame, types: tuple[str, ...] = ("military",),
                 missing: str = "warlord_not_independent_na") -> pd.DataFrame:
    """``military``: 1 if GWF's regime type is in ``types`` ("pure" military by default;
    not GWF's own ``gwf_military``, which also counts military-personal and indirect
    military), 0 otherwise; missing outside GWF's coverage.  With
    ``missing="warlord_not_independent_na"``, years GWF labels warlord or not-independent
    are missing too (they have no regime to classify)."""
    g = gwf[["ccode", "year", "regimetype", "nonautocracy"]].astype({"ccode": "int64", "year": "int64"})
    out = merge_validated(states, g, on=["ccode", "year"], how="left", validate="one_to_one", name="gwf")
    covered = out["regimetype"].notna() | out["nonautocracy"].notna()
    mil = out["regimetype"].isin(list(types)).astype("float").where(covered)
    if missing == "warlord_not_independent_na":
        mil = mil.mask(out["nonautocracy"].isin(["warlord", "not-independent"]))
    out["military"] = mil
    return out.drop(columns=["regimetype", "nonautocracy"])


def add_counterbalancing(states: pd.DataFrame, ssf: pd.DataFrame) -> pd.DataFrame:
    """``cbcount`` (SSF counterweights), ``lncb`` = ln(1 + cbcount), and ``new_cw`` = 1 if the
    count rose from t−1 to t (a derived stand-in for "a new counterweight was created":
    the force-level SSF data with creation years are not used here), missing in a state's
    first SSF year."""
    s = ssf.astype({"ccode": "int64", "year": "int64", "cbcount": "float"})
    out = merge_validated(states, s, on=["ccode", "year"], how="left", validate="one_to_one", name="ssf")
    out["lncb"] = np.log1p(out["cbcount"])
    prev = lag_within(out[["ccode", "year", "cbcount"]], "ccode", ["cbcount"])["cbcount_l"]
    out["new_cw"] = (out["cbcount"] > prev).astype("float").where(out["cbcount"].notna() & prev.notna())
    return out


def add_capabilities(states: pd.DataFrame, nmc: pd.DataFrame) -> pd.DataFrame:
    """``cinc``, ``milex`` (thousands of current USD), ``milper`` (thousands), and their
    year-on-year changes ``d_milex``, ``d_milper`` = x_t − x_{t−1} (missing across gaps)."""
    n = nmc[["ccode", "year", "cinc", "milex", "milper"]].astype({"ccode": "int64", "year": "int64"})
    out = merge_validated(states, n, on=["ccode", "year"], how="left", validate="one_to_one", name="nmc")
    lagged = lag_within(out[["ccode", "year", "milex", "milper"]], "ccode", ["milex", "milper"])
    out["d_milex"] = out["milex"] - lagged["milex_l"]
    out["d_milper"] = out["milper"] - lagged["milper_l"]
    return out


def add_mids(states: pd.DataFrame, mids: pd.DataFrame, window: tuple[int, int]) -> pd.DataFrame:
    """``mid_recent``: 1 if the state took part in any MID active in a year of ``window``
    (default t−5 … t−1).  A participation counts in every year from its start to its end."""
    m = mids.dropna(subset=["styear"]).copy()
    m["endyear"] = m["endyear"].fillna(m["styear"])
    row, years = spell_years(m["styear"], m["endyear"])
    active = pd.DataFrame({"ccode": m["ccode"].to_numpy(dtype=np.int64)[row], "year": years})
    out = states.copy()
    out["mid_recent"] = window_any(out, active, window, name="mid_recent").astype("float")
    return out


def add_rivalries(states: pd.DataFrame, rivalries: pd.DataFrame) -> pd.DataFrame:
    """``rivals``: the number of Thompson & Dreyer strategic rivalries ongoing in t
    (styear ≤ t ≤ endyear), counting each rivalry for both of its states."""
    r = rivalries
    both = pd.concat([
        r[["rivalryno", "ccode1", "styear", "endyear"]].rename(columns={"ccode1": "ccode"}),
        r[["rivalryno", "ccode2", "styear", "endyear"]].rename(columns={"ccode2": "ccode"}),
    ]).astype("int64")
    row, years = spell_years(both["styear"], both["endyear"])
    yearly = pd.DataFrame({"ccode": both["ccode"].to_numpy()[row], "year": years})
    counts = yearly.groupby(["ccode", "year"]).size().rename("rivals").reset_index()
    out = merge_validated(states, counts, on=["ccode", "year"], how="left", validate="one_to_one",
                          name="rivalries")
    out["rivals"] = out["rivals"].fillna(0).astype("float")
    return out


def add_threat(states: pd.DataFrame, threat: pd.DataFrame) -> pd.DataFrame:
    """``threat``: CINC-weighted external threat (see :mod:`coupproof.panel.threat`)."""
    t = threat[["ccode", "year", "threat"]].astype({"ccode": "int64", "year": "int64"})
    return merge_validated(states, t, on=["ccode", "year"], how="left", validate="one_to_one",
                           name="threat")


_INDEX: dict[tuple[int, int], pd.DataFrame] = {}


def state_index(first: int = STATE_YEARS[0], last: int = STATE_YEARS[1]) -> pd.DataFrame:
    """The canonical state-year rows: COW system members ``first`` … ``last``, sorted by
    ``ccode`` then ``year`` (``ccode``, ``year`` int64).  Every state piece is aligned to it."""
    if (first, last) not in _INDEX:
        idx = sources.system_years(first, last).reset_index(drop=True)
        idx.attrs["state_index"] = f"cow-{first}-{last}"
        _INDEX[(first, last)] = idx
    out = _INDEX[(first, last)].copy()
    out.attrs = dict(_INDEX[(first, last)].attrs)
    return out


@dataclass(frozen=True)
class StatePiece:
    """One cached group of state-year columns.

    ``reads`` names the :class:`~coupproof.params.DataChoices` fields it depends on;
    ``files(data)`` the raw files it reads; ``add(index, data)`` runs the ``add_*`` verb on the
    canonical index; ``lagged`` lists the columns that also get a one-year lag ``<col>_l``.
    """

    name: str
    reads: tuple[str, ...]
    files: Callable[[DataChoices], tuple[str, ...]]
    add: Callable[[pd.DataFrame, DataChoices], pd.DataFrame]
    lagged: tuple[str, ...] = ()

    def reads_of(self, data: DataChoices) -> dict:
        values = {r: getattr(data, r) for r in self.reads}
        return {r: (v.to_dict() if isinstance(v, Stage) else v) for r, v in values.items()}

    def columns(self, data: DataChoices, cache: PieceCache = CACHE) -> pd.DataFrame:
        """The piece's columns for ``data``, aligned to :func:`state_index` (cached)."""
        def build():
            index = state_index()
            out = self.add(index, data)
            if len(out) != len(index) or not (out[["ccode", "year"]].to_numpy()
                                              == index[["ccode", "year"]].to_numpy()).all():
                raise AssertionError(f"state piece {self.name} changed the state-year rows")
            out = lag_within(out, "ccode", list(self.lagged))
            return out.drop(columns=["ccode", "year"]).reset_index(drop=True)

        return cache.get(f"state_{self.name}", self.reads_of(data), build,
                         modules=("coupproof.panel.states",), sources=self.files(data))


def _threat_columns(index: pd.DataFrame, data: DataChoices) -> pd.DataFrame:
    from coupproof.panel.threat import build_threat
    return add_threat(index, build_threat(data))


def _threat_files(data: DataChoices) -> tuple[str, ...]:
    from coupproof.panel.alliances import obligation_sources
    return ("cow_states", "contdir", "contcol", "cow_majors", sources.file_id("nmc", data.nmc_version),
            *obligation_sources(data.alliance_source))


#: The state-year pieces, in the order their columns appear.
STATE_PIECES: tuple[StatePiece, ...] = (
    StatePiece("polity", ("polity_version", "new_regime_window"),
               lambda d: ("cow_states", sources.file_id("polity", d.polity_version)),
               lambda i, d: add_polity(i, sources.read("polity", d.polity_version), d.new_regime_window),
               ("polity2", "polity", "democracy")),
    StatePiece("coups", ("coups_version", "coup_window"),
               lambda d: ("cow_states", sources.file_id("coups", d.coups_version)),
               lambda i, d: add_coups(i, sources.read("coups", d.coups_version), d.coup_window)),
    StatePiece("military", ("military_types", "military_missing"),
               lambda d: ("cow_states", "gwf"),
               lambda i, d: add_military(i, sources.read("gwf"), MILITARY_TYPES[d.military_types],
                                         d.military_missing),
               ("military",)),
    StatePiece("counterbalancing", (), lambda d: ("cow_states", "ssf_counterweights"),
               lambda i, d: add_counterbalancing(i, sources.read("ssf")),
               ("cbcount", "lncb", "new_cw")),
    StatePiece("capabilities", ("nmc_version",),
               lambda d: ("cow_states", sources.file_id("nmc", d.nmc_version)),
               lambda i, d: add_capabilities(i, sources.read("nmc", d.nmc_version)),
               ("cinc", "milex", "milper", "d_milex", "d_milper")),
    StatePiece("mids", ("mid_version", "mid_window"),
               lambda d: ("cow_states", sources.file_id("mid_participants", d.mid_version)),
               lambda i, d: add_mids(i, sources.read("mid_participants", d.mid_version), d.mid_window)),
    StatePiece("rivalries", (), lambda d: ("cow_states", "rivalries"),
               lambda i, d: add_rivalries(i, sources.read("rivalries")), ("rivals",)),
    StatePiece("threat", ("nmc_version", "alliance_source", "threat"), _threat_files,
               _threat_columns, ("threat",)),
)


def state_years(data: DataChoices | None = None, cache: PieceCache = CACHE,
                pieces: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The state-year table 1946–2010 under ``data``: :func:`state_index` plus the columns of
    every piece in :data:`STATE_PIECES` (or only those named in ``pieces``), lags included.

    Columns: ``ccode``, ``year`` and the variables added by each ``add_*`` verb, plus
    ``<var>_l`` (value in t−1 within the state's own series) for each piece's lagged columns.
    """
    data = data or DataChoices()
    chosen = [p for p in STATE_PIECES if pieces is None or p.name in pieces]
    if pieces is not None:
        unknown = set(pieces) - {p.name for p in STATE_PIECES}
        if unknown:
            raise KeyError(f"unknown state pieces {sorted(unknown)}; known: "
                           + ", ".join(p.name for p in STATE_PIECES))
    index = state_index()
    out = pd.concat([index, *(p.columns(data, cache) for p in chosen)], axis=1)
    out.attrs = dict(index.attrs)
    return out
