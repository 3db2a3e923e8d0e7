"""Our estimates beside the published ones.

The published record lives in ``data/published/`` (``coupproof.config.published_dir()``):

* ``published_estimates.csv`` - table, model, dv, term, coef, se, stars for every cell of
  Tables 1, 2 and 4-15;
* ``published_model_stats.csv`` - table, model, stat, value (N, LL, AIC, BIC, deviance, rho,
  IMR, IMR_se).

:func:`compare` joins a tidy frame of our estimates to a table's published cells by
``(model, term)``.  Every published term appears in the output, with NaN in our columns if we
did not estimate it, so nothing goes missing silently.  Stars are recomputed from our
coefficient and standard error at *the table's own* thresholds: Table 5 (texreg defaults)
uses .05/.01/.001, every other table .1/.05/.01.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from coupproof import config
from coupproof.models.results import DEFAULT_STARS, stars_from_p, two_sided_normal_p

STAR_THRESHOLDS: dict[int, tuple[float, ...]] = {5: (0.05, 0.01, 0.001)}
"""Tables whose stars do not use the default .1/.05/.01 thresholds."""

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
    """The p-value thresholds behind one, two and three stars in a published table."""
    return STAR_THRESHOLDS.get(int(table), DEFAULT_STARS)


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


def results_path(table_id: int | str) -> Path:
    """``results/tableNN.csv`` for a table number (``5`` -> ``table05.csv``) or a label."""
    label = f"{int(table_id):02d}" if str(table_id).isdigit() else str(table_id)
    return config.results_dir() / f"table{label}.csv"


def write_results(tidy: pd.DataFrame, table_id: int | str) -> Path:
    """Write a tidy results frame to ``results/tableNN.csv`` atomically; return the path.

    The frame goes to a temporary file in the same folder first and is then renamed over
    the target, so a reader never sees a half-written file.
    """
    path = results_path(table_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline="") as fh:
            tidy.to_csv(fh, index=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
