"""An external check of the threat measure against a publicly posted Leeds & Savun-style series.

The series (:func:`coupproof.sources.read_threat_series`) was built by someone else, in a way
that is not documented; it is neither the authors' series nor a target.  Its use is as a
sanity check of our construction: is the level similar, do similar shares of state-years
face no threat at all, do the two move together across states and years?
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coupproof import sources
from coupproof.panel.transforms import merge_validated
from coupproof.sources.threat_series import THREAT_SERIES_FILES, USABLE_YEARS


def paired(ours: pd.DataFrame, version: str, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Our threat and the posted series for the state-years both have: ``ccode``, ``year``,
    ``ours``, ``posted`` (inner join, one to one), within ``years`` and the version's usable
    years."""
    lo, hi = USABLE_YEARS[version]
    if years is not None:
        lo, hi = max(lo, years[0]), min(hi, years[1])
    posted = sources.read("threat_series", version).astype({"ccode": "int64", "year": "int64"})
    mine = ours[["ccode", "year", "threat"]].astype({"ccode": "int64", "year": "int64"})
    both = merge_validated(mine.rename(columns={"threat": "ours"}),
                           posted.rename(columns={"threat": "posted"}), on=["ccode", "year"],
                           how="inner", validate="one_to_one", name=f"threat series {version}")
    return both[(both["year"] >= lo) & (both["year"] <= hi)].reset_index(drop=True)


def compare_with_series(ours: pd.DataFrame, versions=tuple(THREAT_SERIES_FILES),
                        years: tuple[int, int] | None = (1960, 2010)) -> pd.DataFrame:
    """One row per posted version: state-years in common, mean and share of zeros of each
    series, Pearson and Spearman correlations (levels), and the correlation of the
    within-state changes from one year to the next."""
    rows = []
    for v in versions:
        p = paired(ours, v, years)
        change = yearly_changes(p)
        rows.append({
            "version": v, "years": f"{int(p['year'].min())}–{int(p['year'].max())}",
            "state-years": len(p), "mean (ours)": p["ours"].mean(), "mean (posted)": p["posted"].mean(),
            "share zero (ours)": (p["ours"] == 0).mean(), "share zero (posted)": (p["posted"] == 0).mean(),
            "Pearson r": p["ours"].corr(p["posted"]),
            "Spearman r": p["ours"].corr(p["posted"], method="spearman"),
            "r of yearly changes": change["ours"].corr(change["posted"]) if len(change) > 2 else np.nan,
        })
    return pd.DataFrame(rows)


def yearly_changes(p: pd.DataFrame) -> pd.DataFrame:
    """Within-state changes from year t−1 to t of both series (``ours``, ``posted``); a pair
    of rows more than one year apart (a gap in either series) gives no change."""
    p = p.sort_values(["ccode", "year"])
    diff = p.groupby("ccode")[["ours", "posted", "year"]].diff()
    return diff.loc[diff["year"] == 1, ["ours", "posted"]]


def country_series(ours: pd.DataFrame, ccodes, version: str = "2018-10",
                   years: tuple[int, int] | None = (1946, 2010)) -> pd.DataFrame:
    """Long frame for plotting a few states: ``ccode``, ``year``, ``series`` (ours / posted),
    ``threat``."""
    p = paired(ours, version, years)
    p = p[p["ccode"].isin(list(ccodes))]
    return p.melt(id_vars=["ccode", "year"], value_vars=["ours", "posted"], var_name="series",
                  value_name="threat")
