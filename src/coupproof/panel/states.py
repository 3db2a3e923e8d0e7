"""The state-year table: one row per COW system member and year, with every monadic variable.

Each ``add_*`` verb takes the state-year frame and returns it with new columns, so the
table reads as a pipeline (see :func:`state_years`).  Lags are taken afterwards, within
each state's own series (:func:`coupproof.panel.transforms.lag_within`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coupproof import sources
from coupproof.panel.params import PanelParams
from coupproof.panel.transforms import lag_within, merge_validated, window_any
from coupproof.spells import spell_years

#: State-level variables lagged one year (suffix ``_l``).
LAGGED = ["polity2", "polity", "democracy", "military", "cbcount", "lncb", "new_cw", "d_milex", "d_milper",
          "cinc", "milex", "milper", "rivals", "threat"]


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


def add_military(states: pd.DataFrame, gwf: pd.DataFrame, types=("military",),
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


def add_threat(states: pd.DataFrame, threat: pd.DataFrame | None) -> pd.DataFrame:
    """``threat``: CINC-weighted external threat (see :mod:`coupproof.panel.threat`)."""
    out = states.copy()
    if threat is None:
        out["threat"] = np.nan
        return out
    t = threat[["ccode", "year", "threat"]].astype({"ccode": "int64", "year": "int64"})
    return merge_validated(out, t, on=["ccode", "year"], how="left", validate="one_to_one", name="threat")


def state_years(params: PanelParams = PanelParams(), threat: pd.DataFrame | None = None,
                first: int = 1946, last: int = 2010) -> pd.DataFrame:
    """The state-year table for ``first`` … ``last`` (default 1946–2010), lags included.

    Columns: ``ccode``, ``year`` and the variables added by each ``add_*`` verb, plus
    ``<var>_l`` (value in t−1 within the state's own series) for :data:`LAGGED`.
    """
    base = sources.cow_system_years(first=first, last=last)
    states = (
        base
        .pipe(add_polity, sources.read_polity(params.polity_version), params.new_regime_window)
        .pipe(add_coups, sources.read_coups(params.coups_version), params.coup_window)
        .pipe(add_military, sources.read_gwf(), params.military_types, params.military_missing)
        .pipe(add_counterbalancing, sources.read_ssf())
        .pipe(add_capabilities, sources.read_nmc(params.nmc_version))
        .pipe(add_mids, sources.read_mid_participants(params.mid_version), params.mid_window)
        .pipe(add_rivalries, sources.read_rivalries())
        .pipe(add_threat, threat)
    )
    states = lag_within(states, "ccode", LAGGED)
    return states.reset_index(drop=True)
