"""The replication scorecard: every published coefficient and model statistic beside ours.

The scorecard reads each table's results as a :class:`~coupproof.results.TableResults`
(tidy coefficients and model statistics with their parameter set).  By default it takes the
book's own results from the results store, checked (:func:`coupproof.results.book_results`):
a table whose results are missing, belong to another parameter set or to older estimation
code stops it with a message naming the table.  To score another construction without
running a notebook, fit every table through the registry and pass the records::

    from coupproof.tables import all_results
    card = coefficient_scorecard(all_results(Choices.from_overrides({"s_coding": "atop_3210"})))
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from coupproof.report.compare import compare, compare_stats, published_estimates, published_model_stats
from coupproof.results import TableResults, book_results

_EMPTY_TIDY = {"model": "object", "term": "object", "coef": "float64", "se": "float64"}


def _empty_tidy() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _EMPTY_TIDY.items()})


def _tables(tables: Mapping[int, TableResults | pd.DataFrame] | None) -> Mapping[int, TableResults | pd.DataFrame]:
    return book_results() if tables is None else tables


def coefficient_scorecard(tables: Mapping[int, TableResults | pd.DataFrame] | None = None,
                          close_band: float = 0.15) -> pd.DataFrame:
    """Every published coefficient (all 14 tables) beside ours, one row each.

    ``tables``: ``{table: TableResults or tidy frame}`` (default: the book's checked
    results).  A table not in ``tables`` appears with missing estimates (flag ``missing``),
    so no published row is ever dropped.  ``close``: |ours − paper| ≤ max(0.1,
    close_band·|paper|).
    """
    tables = _tables(tables)
    published = published_estimates()
    rows = []
    for table in sorted(published["table"].unique()):
        given = tables.get(int(table))
        ours = given.tidy if isinstance(given, TableResults) else given
        ours = _empty_tidy() if ours is None else ours
        rows.append(compare(ours, int(table)).assign(table=int(table)).astype(
            {"coef_ours": "float64", "se_ours": "float64"}))
    card = pd.concat(rows, ignore_index=True)
    card["close"] = (card["coef_ours"] - card["coef_paper"]).abs() <= \
        (close_band * card["coef_paper"].abs()).clip(lower=0.1)
    return card


def our_model_stats(table: int, tidy: pd.DataFrame) -> dict[int, dict[str, float]]:
    """N, log-likelihood and the inverse Mills ratio of each model in a tidy results frame
    (for tidy frames without a statistics record; a :class:`TableResults` carries its own).

    N is the total number of rows the model was fitted on (``nobs_total`` where the frame
    has it, as for the Heckman outcome equations).
    """
    stats: dict[int, dict[str, float]] = {}
    for model, g in tidy.groupby("model"):
        m = int(str(model).split(",")[0])
        n = g["nobs_total"].max() if "nobs_total" in g else g["nobs"].max()
        entry = {"N": float(n)}
        if "llf" in g and g["llf"].notna().any():
            entry["LL"] = float(g["llf"].dropna().iloc[0])
        imr = g[g["term"] == "imr"]
        if len(imr):
            entry["IMR"], entry["IMR_se"] = float(imr["coef"].iloc[0]), float(imr["se"].iloc[0])
        stats[m] = entry
    return stats


def stats_scorecard(tables: Mapping[int, TableResults | pd.DataFrame] | None = None) -> pd.DataFrame:
    """Every published model statistic (N, log-likelihood, AIC, BIC, deviance, ρ, IMR)
    beside ours, where the table's results provide it (one row per published statistic)."""
    tables = _tables(tables)
    published = published_model_stats()
    rows = []
    for table in sorted(published["table"].unique()):
        given = tables.get(int(table))
        if isinstance(given, TableResults):
            ours: pd.DataFrame | dict = given.stats
        elif given is not None:
            ours = our_model_stats(int(table), given)
        else:
            ours = {}
        rows.append(compare_stats(ours, int(table)).assign(table=int(table)))
    return pd.concat(rows, ignore_index=True)


def per_table(card: pd.DataFrame) -> pd.DataFrame:
    """Agreement counts by table, with an "all" row: coefficients, same sign, same stars,
    close in size, missing, and the median |ours − paper| in published standard errors."""
    out = card.groupby("table").agg(
        coefficients=("term", "size"), sign_agree=("sign_agree", "sum"),
        stars_agree=("stars_agree", "sum"), close=("close", "sum"),
        missing=("flag", lambda f: int((f == "missing").sum())),
        median_abs_diff_in_paper_se=("diff_in_paper_se", lambda d: float(d.abs().median())))
    out.loc["all"] = out.sum(numeric_only=True)
    out.loc["all", "median_abs_diff_in_paper_se"] = float(card["diff_in_paper_se"].abs().median())
    counts = ["coefficients", "sign_agree", "stars_agree", "close", "missing"]
    out[counts] = out[counts].astype(int)
    out.index = out.index.map(lambda t: "all" if t == "all" else f"Table {int(t)}")
    out.index.name = "table"
    return out


def disagreements(card: pd.DataFrame) -> pd.DataFrame:
    """Every published coefficient whose sign or significance level differs from ours."""
    cols = ["table", "model", "term", "coef_paper", "se_paper", "stars_paper", "coef_ours", "se_ours",
            "stars_ours", "diff_in_paper_se", "flag"]
    return card.loc[card["flag"].isin(["sign", "significance"]), cols].reset_index(drop=True)


def provenance(tables: Mapping[int, TableResults]) -> pd.DataFrame:
    """Where each table's results come from: chapter, parameter key, the choices that
    differ from the book's defaults (the table's own definition) and the code fingerprint."""
    rows = []
    for n, r in sorted(tables.items()):
        if not isinstance(r, TableResults):
            continue
        diff = ", ".join(f"{k} = {v}" for k, v in r.differences.items()) or "none"
        opts = ", ".join(f"{k} = {v}" for k, v in r.options.items())
        rows.append({"table": f"Table {int(n)}", "chapter": r.chapter, "parameter key": r.key,
                     "choices other than the defaults": diff + (f"; {opts}" if opts else ""),
                     "code fingerprint": r.code})
    return pd.DataFrame(rows)


def sample_size_agreement(stats: pd.DataFrame, tolerance: float = 0.01) -> tuple[int, int]:
    """How many published sample sizes ours match within ``tolerance`` (relative), of how many."""
    n = stats[stats["stat"] == "N"]
    return int((n["rel_diff"].abs() <= tolerance).sum()), int(len(n))


__all__ = ["coefficient_scorecard", "disagreements", "our_model_stats", "per_table", "provenance",
           "sample_size_agreement", "stats_scorecard"]
