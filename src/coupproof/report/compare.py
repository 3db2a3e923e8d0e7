"""Our estimates beside the published ones.

The published record lives in ``data/published/`` (``coupproof.config.published_dir()``):

* ``published_estimates.csv`` - table, model, dv, term, coef, se, stars for every cell of
  Tables 1, 2 and 4-15;
* ``published_model_stats.csv`` - table, model, stat, value (N, LL, AIC, BIC, deviance, rho,
  IMR, IMR_se);
* ``published_summary_statistics.csv`` - Table 3;
* ``published_text_values.csv`` - numbers the paper's prose states (``key, quantity, value,
  where``), read with :func:`published_text`.

:func:`compare` joins a tidy frame of our estimates to a table's published cells by
``(model, term)``.  Every published term appears in the output, with NaN in our columns if we
did not estimate it, so nothing goes missing silently.  Stars are recomputed from our
coefficient and standard error at *the table's own* thresholds, which the table registry
(:mod:`coupproof.tables`) holds: Table 5 (texreg defaults) uses .05/.01/.001, every other
table .1/.05/.01.
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from coupproof import config
from coupproof.models.results import DEFAULT_STARS, stars_from_p, two_sided_normal_p

COMPARE_COLUMNS = [
    "model",
    "term",
    "coef_paper",
    "se_paper",
    "stars_paper",
    "coef_ours",
    "se_ours",
    "stars_ours",
    "diff_in_paper_se",
    "sign_agree",
    "stars_agree",
    "flag",
]


def star_thresholds(table: int | str) -> tuple[float, ...]:
    """The p-value thresholds behind one, two and three stars in a published table (from the
    table registry; the default .1/.05/.01 for a table the registry does not hold)."""
    from coupproof.tables import TABLES

    spec = TABLES.get(int(table))
    return spec.stars if spec is not None else DEFAULT_STARS


def _text_values() -> pd.DataFrame:
    return pd.read_csv(config.published_dir() / "published_text_values.csv").set_index("key")


def published_text(key: str) -> float:
    """A number the paper's prose states (``published_text_values.csv``), by its key:
    ``published_text("mean_threatB")`` -> 0.27."""
    values = _text_values()
    if key not in values.index:
        raise KeyError(f"no published text value {key!r}; keys: {', '.join(values.index)}")
    return float(values.loc[key, "value"])


def published_text_values() -> pd.DataFrame:
    """Every number of the paper's prose: ``key, quantity, value, where``."""
    return _text_values().reset_index()


def published_summary() -> pd.DataFrame:
    """The paper's Table 3 (summary statistics, rounded to integers as printed)."""
    return pd.read_csv(config.published_dir() / "published_summary_statistics.csv")


def published_value(table: int, model: int | str, term: str, column: str = "coef") -> float:
    """One published cell: ``published_value(1, 4, "cb:threatB")`` -> the coefficient."""
    pub = published_estimates(table)
    row = pub[(pub["model"] == model_key(model)) & (pub["term"] == term)]
    if len(row) != 1:
        raise KeyError(f"Table {table}, Model {model} prints no term {term!r}")
    return float(row[column].iloc[0])


def published_stat(table: int, model: int | str, stat: str) -> float:
    """One published model statistic: ``published_stat(5, 1, "LL")``."""
    pub = published_model_stats(table)
    row = pub[(pub["model"] == model_key(model)) & (pub["stat"] == stat)]
    if len(row) != 1:
        raise KeyError(f"Table {table}, Model {model} prints no statistic {stat!r}")
    return float(row["value"].iloc[0])


def implied_crossing(table: int, model: int | str, var: str, interaction: str) -> float:
    """Where the published coefficients put the zero of ``var``'s conditional effect:
    ``-b_var / b_interaction`` (the paper draws this point in its figures but never states it)."""
    return -published_value(table, model, var) / published_value(table, model, interaction)


def published_estimates(table: int | str | None = None) -> pd.DataFrame:
    """The published coefficients (all tables, or one)."""
    df = pd.read_csv(config.published_dir() / "published_estimates.csv")
    if table is not None:
        df = df[df["table"] == int(table)].reset_index(drop=True)
    return df


def published_model_stats(table: int | str | None = None) -> pd.DataFrame:
    """The published model statistics (N, LL, AIC, ...) (all tables, or one)."""
    df = pd.read_csv(config.published_dir() / "published_model_stats.csv")
    if table is not None:
        df = df[df["table"] == int(table)].reset_index(drop=True)
    return df


def model_key(value: object) -> int:
    """The paper's model number from a model label: ``2``, ``"2"``, ``"M2"``, ``"T1-M2"`` -> 2."""
    if isinstance(value, (int, np.integer)):
        return int(value)
    found = re.findall(r"\d+", str(value))
    if not found:
        raise ValueError(f"cannot read a model number from {value!r}")
    return int(found[-1])


def _our_stars(ours: pd.DataFrame, thresholds: Sequence[float]) -> np.ndarray:
    p = two_sided_normal_p(ours["coef"].to_numpy(dtype=float) / ours["se"].to_numpy(dtype=float))
    stars = stars_from_p(p, thresholds).astype(float)
    stars[~np.isfinite(p)] = np.nan
    return stars


def _sign_agreement(ours: pd.Series, paper: pd.Series) -> pd.Series:
    """True/False where both signs are known; NA where ours is missing or the paper prints 0."""
    a = np.sign(ours.to_numpy(dtype=float))
    b = np.sign(paper.to_numpy(dtype=float))
    undefined = np.isnan(a) | np.isnan(b) | (b == 0)
    out = pd.array(a == b, dtype="boolean")
    out[undefined] = pd.NA
    return pd.Series(out, index=ours.index)


def compare(
    ours_tidy: pd.DataFrame,
    table: int | str,
    *,
    keep_extra: bool = False,
    published: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Published coefficients, SEs and stars beside ours, by (model, term).

    Parameters
    ----------
    ours_tidy
        Our estimates with at least ``model``, ``term``, ``coef``, ``se`` (e.g. from
        ``ModelResult.tidy()`` or ``tidy_many``).  Model labels are read as the paper's
        model numbers (``1``, ``"M1"``, ``"T1-M1"`` all mean Model 1).  For two-part models
        pass the part the table prints (``hurdle.zero`` for Table 2, ``hurdle.count`` for
        Table 12; the selection or outcome equation for Tables 10 and 11).
    table
        The paper's table number; sets the star thresholds.
    keep_extra
        Also list our terms that the paper does not print (year dummies, the Table 4
        constant ...), with NaN paper columns and flag ``"extra"``.
    published
        The published rows to use (default: read from ``published_dir()``).

    Returns
    -------
    DataFrame
        Columns ``model, term, coef_paper, se_paper, stars_paper, coef_ours, se_ours,
        stars_ours, diff_in_paper_se, sign_agree, stars_agree, flag``, in the paper's row
        order.  ``diff_in_paper_se = (ours - paper) / se_paper`` (NaN where the paper prints
        a zero SE).  ``flag`` is ``"sign"`` when the signs differ, else ``"significance"``
        when the star counts differ, ``"missing"`` when we have no estimate for a published
        term, ``"extra"`` for our unpublished terms, and ``""`` otherwise.
    """
    pub = published_estimates(table) if published is None else published.copy()
    pub = pub.assign(model=pub["model"].map(model_key))[["model", "term", "coef", "se", "stars"]]
    pub = pub.rename(columns={"coef": "coef_paper", "se": "se_paper", "stars": "stars_paper"})
    pub["_order"] = np.arange(len(pub))

    ours = ours_tidy[["model", "term", "coef", "se"]].copy()
    ours["model"] = ours["model"].map(model_key)
    dup = ours.duplicated(["model", "term"])
    if dup.any():
        raise ValueError(f"duplicated (model, term) rows in our estimates: {ours[dup].values.tolist()}")
    ours["stars_ours"] = _our_stars(ours, star_thresholds(table))
    ours = ours.rename(columns={"coef": "coef_ours", "se": "se_ours"})

    how = "outer" if keep_extra else "left"
    out = pub.merge(ours, on=["model", "term"], how=how, indicator=True)
    out["_order"] = out["_order"].fillna(np.inf)
    out = out.sort_values(["_order", "model", "term"], kind="stable").reset_index(drop=True)

    se_paper = out["se_paper"].where(out["se_paper"] > 0)
    out["diff_in_paper_se"] = (out["coef_ours"] - out["coef_paper"]) / se_paper
    out["sign_agree"] = _sign_agreement(out["coef_ours"], out["coef_paper"])
    stars_known = out["stars_ours"].notna() & out["stars_paper"].notna()
    stars_eq = pd.array(out["stars_ours"] == out["stars_paper"], dtype="boolean")
    stars_eq[~stars_known.to_numpy()] = pd.NA
    out["stars_agree"] = stars_eq
    out["stars_paper"] = out["stars_paper"].astype("Int64")
    out["stars_ours"] = out["stars_ours"].astype("Int64")

    flag = np.full(len(out), "", dtype=object)
    flag[(out["stars_agree"] == False).fillna(False).to_numpy()] = "significance"  # noqa: E712
    flag[(out["sign_agree"] == False).fillna(False).to_numpy()] = "sign"  # noqa: E712
    flag[(out["_merge"] == "left_only").to_numpy()] = "missing"
    flag[(out["_merge"] == "right_only").to_numpy()] = "extra"
    out["flag"] = flag
    return out[COMPARE_COLUMNS]


def compare_stats(
    ours: pd.DataFrame | Mapping[object, Mapping[str, float]],
    table: int | str,
    *,
    published: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Published model statistics (N, LL, AIC, BIC, deviance, rho, IMR, IMR_se) beside ours.

    ``ours`` is either a long frame with columns ``model, stat, value`` or a mapping
    ``{model: {stat: value}}`` (e.g. ``{1: res.glance()}``).  Every published statistic
    appears, with NaN where we have none.  Columns: ``model, stat, paper, ours, diff,
    rel_diff`` (``diff = ours - paper``, ``rel_diff = diff / |paper|``).
    """
    pub = published_model_stats(table) if published is None else published.copy()
    pub = pub.assign(model=pub["model"].map(model_key)).rename(columns={"value": "paper"})
    if isinstance(ours, pd.DataFrame):
        long = ours[["model", "stat", "value"]].copy()
    else:
        long = pd.DataFrame(
            [(m, s, v) for m, d in ours.items() for s, v in d.items()], columns=["model", "stat", "value"]
        )
    long["model"] = long["model"].map(model_key)
    long["value"] = pd.to_numeric(long["value"], errors="coerce")
    out = pub[["model", "stat", "paper"]].merge(
        long.rename(columns={"value": "ours"}), on=["model", "stat"], how="left"
    )
    out["diff"] = out["ours"] - out["paper"]
    out["rel_diff"] = out["diff"] / out["paper"].abs().where(out["paper"] != 0)
    return out
