"""From panel columns to the model terms used in tables (the paper-record names).

The panel keeps descriptive column names (``lncb_l_A`` = ln(1 + counterweights) of A in
t−1); models and tables use short terms (``cb``).  :func:`analysis_frame` adds the terms.
"""

from __future__ import annotations

import pandas as pd

from coupproof.panel.params import PanelParams

#: term -> (panel column, label used in tables)
TERMS = {
    "cb": ("lncb_l_A", "Counterbalancing, A"),
    "cb_count": ("cbcount_l_A", "Counterbalancing (count), A"),
    "new_cw": ("new_cw_A", "New counterweights, A"),
    "threatA": ("threat_l_A", "External threat, A"),
    "threatB": ("threat_l_B", "External threat, B"),
    "shared_def": ("shared_def_l", "Shared defense pacts"),
    "regime_diff": ("reg_diff_l", "Regime difference"),
    "recent_coupA": ("recent_coup_A", "Recent coup, A"),
    "new_regimeA": ("new_regime_A", "New regime, A"),
    "militaryA": ("military_l_A", "Military regime, A"),
    "joint_dem": ("joint_dem_l", "Joint democracy"),
    "d_milexA": ("d_milex_A", "Δ Military expenditure, A"),
    "d_milperA": ("d_milper_A", "Δ Military personnel, A"),
    "midA": ("mid_recent_A", "Recent MID, A"),
    "midB": ("mid_recent_B", "Recent MID, B"),
    "rivalsA": ("rivals_l_A", "Strategic rivalries, A"),
    "rivalsB": ("rivals_l_B", "Strategic rivalries, B"),
}


def term_column(term: str, params: PanelParams = PanelParams()) -> str:
    """The panel column behind a term, honouring the timing parameters."""
    col = TERMS[term][0]
    if term == "new_cw" and params.new_cw_timing == "t-1":
        return "new_cw_l_A"
    if term in ("d_milexA", "d_milperA") and params.delta_timing == "t-1":
        return col.replace("_A", "_l_A")
    return col


def analysis_frame(frame: pd.DataFrame, params: PanelParams = PanelParams()) -> pd.DataFrame:
    """``frame`` with one column per model term (and ``def``, ``ccode1``, ``ccode2``, ``year``,
    the cluster ids ``dyad_directed`` and ``dyad_undirected``)."""
    out = pd.DataFrame({t: frame[term_column(t, params)].astype("float64") for t in TERMS},
                       index=frame.index)
    for c in ("ccode1", "ccode2", "year", "def"):
        out[c] = frame[c].to_numpy()
    lo = frame[["ccode1", "ccode2"]].min(axis=1)
    hi = frame[["ccode1", "ccode2"]].max(axis=1)
    out["dyad_directed"] = frame["ccode1"] * 1000 + frame["ccode2"]
    out["dyad_undirected"] = lo * 1000 + hi
    for extra in ("concessionsA", "concessionsB"):
        if extra in frame:
            out[extra] = frame[extra].to_numpy()
    return out


def label(term: str) -> str:
    """Table label of a term; products become "X × Y"."""
    if term == "const":
        return "Constant"
    if ":" in term:
        return " × ".join(label(t) for t in term.split(":"))
    return TERMS[term][1] if term in TERMS else term
