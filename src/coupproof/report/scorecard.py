"""The replication scorecard: every published coefficient and model statistic beside ours.

Reads the per-table results files written by the chapters (``results/tableNN.csv``), so it
updates itself whenever a chapter changes.
"""

from __future__ import annotations

import pandas as pd

from coupproof import config
from coupproof.report.compare import compare, compare_stats, published_estimates


def results_tables() -> dict[int, pd.DataFrame]:
    """{table number: tidy results} for every ``results/tableNN.csv``."""
    out = {}
    for path in sorted(config.results_dir().glob("table*.csv")):
        suffix = path.stem.removeprefix("table")
        if suffix.isdigit():
            out[int(suffix)] = pd.read_csv(path)
    return out


def coefficient_scorecard(tables: dict[int, pd.DataFrame] | None = None,
                          close_band: float = 0.15) -> pd.DataFrame:
    """Every published coefficient (all 14 tables) beside ours, one row each.

    Tables without a results file appear with missing estimates (flag ``missing``), so no
    published row is ever dropped.  ``close``: |ours − paper| ≤ max(0.1, close_band·|paper|).
    """
    tables = results_tables() if tables is None else tables
    published = published_estimates()
    rows = []
    for table in sorted(published["table"].unique()):
        ours = tables.get(int(table), pd.DataFrame({"model": pd.Series(dtype="int64"),
                                                    "term": pd.Series(dtype="object"),
                                                    "coef": pd.Series(dtype="float64"),
                                                    "se": pd.Series(dtype="float64")}))
        rows.append(compare(ours, int(table)).assign(table=int(table)).astype(
            {"coef_ours": "float64", "se_ours": "float64"}))
    card = pd.concat(rows, ignore_index=True)
    card["close"] = (card["coef_ours"] - card["coef_paper"]).abs() <= \
        (close_band * card["coef_paper"].abs()).clip(lower=0.1)
    return card


def our_model_stats(table: int, tidy: pd.DataFrame) -> dict[int, dict[str, float]]:
    """N, log-likelihood and the inverse Mills ratio of each model in a results file.

    N is the total number of rows the model was fitted on (``nobs_total`` where a results
    file has it, as for the Heckman outcome equations).  The count part of a hurdle
    (Table 12) is fitted on the positive counts only; its N is the hurdle's total N, which
    the binary part of the same fit records (Table 2).
    """
    stats: dict[int, dict[str, float]] = {}
    for model, g in tidy.groupby("model"):
        m = int(str(model).split(",")[0])
        n = g["nobs_total"].max() if "nobs_total" in g else g["nobs"].max()
        entry = {"N": float(n)}
        if g["llf"].notna().any():
            entry["LL"] = float(g["llf"].dropna().iloc[0])
        imr = g[g["term"] == "imr"]
        if len(imr):
            entry["IMR"], entry["IMR_se"] = float(imr["coef"].iloc[0]), float(imr["se"].iloc[0])
        stats[m] = entry
    return stats


def stats_scorecard(tables: dict[int, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Every published model statistic (N, log-likelihood, AIC, BIC, deviance, ρ, IMR)
    beside ours where a results file provides it."""
    tables = results_tables() if tables is None else tables
    from coupproof.report.compare import published_model_stats

    published = published_model_stats()
    rows = []
    for table in sorted(published["table"].unique()):
        tidy = tables.get(int(table))
        ours = our_model_stats(int(table), tidy) if tidy is not None else {}
        if int(table) == 12 and 2 in tables:  # same hurdle fits as Table 2
            for m, s in our_model_stats(2, tables[2]).items():
                ours.setdefault(m, {})["N"] = s["N"]
        if int(table) == 5:  # the ML goodness of fit printed by Table 5
            for s in ours.values():
                if "LL" in s:
                    s["deviance"] = -2 * s["LL"]
        rows.append(compare_stats(ours, int(table)).assign(table=int(table)))
    return pd.concat(rows, ignore_index=True)
