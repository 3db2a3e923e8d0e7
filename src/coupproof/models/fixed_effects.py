"""Year fixed effects for a logit design, as R's ``glm(... + factor(year))`` estimates them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .design import Design


def absorb_years(
    design: Design,
    years: np.ndarray | pd.Series,
    *,
    reference: int | None = None,
    prefix: str = "year",
) -> tuple[Design, dict[str, Any]]:
    """Add year fixed effects (dummies) after dropping years without any event.

    In a year with no events R's ``glm(... + factor(year))`` drives that year's dummy
    towards minus infinity (coefficients of -20 to -35 and the warning "fitted
    probabilities numerically 0 or 1 occurred"); those rows then carry zero score and zero
    weight, and R still counts them in N.  The ML estimate of every other coefficient is the
    same with the rows removed, which is what this function does (years where every row is
    an event are dropped by the same rule).  Use the returned report to print "N = 420,551;
    k event-less years (m rows) dropped for estimation".

    Parameters
    ----------
    design
        A design that already holds a ``const`` column.
    years
        Year of each row (as long as the input frame or as the design's rows).
    reference
        Reference year (no dummy).  Default: the first year that remains.

    Returns
    -------
    (Design, dict)
        The design with dummy columns ``f"{prefix}[{year}]"`` appended and a report with
        ``rows_before``, ``rows_dropped``, ``years_dropped``, ``years_kept``, ``reference``.
    """
    yrs = np.asarray(design.align(years, "years"))
    counts = pd.DataFrame({"year": yrs, "y": design.y}).groupby("year")["y"].agg(["sum", "size"])
    constant = counts.index[(counts["sum"] == 0) | (counts["sum"] == counts["size"])]
    keep = ~np.isin(yrs, constant)
    rows_dropped = int((~keep).sum())
    note = f"{len(constant)} year(s) without variation in the outcome dropped ({rows_dropped:,} rows)"
    reduced = design.subset(keep, note=note if len(constant) else None)
    kept_years = np.sort(counts.index[~counts.index.isin(constant)].to_numpy())
    if reference is None:
        reference = kept_years[0]
    if reference not in kept_years:
        raise ValueError(f"reference year {reference} is not among the years kept")
    levels = kept_years[kept_years != reference]
    yk = yrs[keep]
    D = (yk[:, None] == levels[None, :]).astype(float)
    names = [f"{prefix}[{int(v) if float(v).is_integer() else v}]" for v in levels]
    report = {
        "rows_before": design.nobs,
        "rows_dropped": rows_dropped,
        "years_dropped": [int(v) if float(v).is_integer() else v for v in constant],
        "years_kept": int(len(kept_years)),
        "reference": reference,
    }
    return reduced.with_columns(D, names), report


__all__ = ["absorb_years"]
