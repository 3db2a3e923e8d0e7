"""Maximum-likelihood logit with model-based or dyad-clustered covariance.

Reproduces ``glm(y ~ ..., family = binomial)`` in R and, for ``cov="cluster"``,
``sandwich::vcovCL(fit, cluster = ~dyad)`` (the covariance behind
``lmtest::coeftest(fit, vcov = vcovCL, cluster = ~dyad)`` and ``miceadds::glm.cluster``).

Why not statsmodels' cluster covariance?  For a ``glm`` object ``vcovCL`` uses ``type =
"HC0"`` with ``cadjust = TRUE``::

    V_R = G/(G-1) * (X'WX)^-1 (sum_g s_g s_g') (X'WX)^-1,   s_g = sum_{i in g} (y_i - p_i) x_i

statsmodels ``Logit(...).fit(cov_type="cluster", cov_kwds={"groups": g})`` (with its default
``use_correction=True``) multiplies the same matrix by a further ``(N-1)/(N-K)``, the
Stata-style CRV1 factor.  The published tables were made in R, so this module computes
``V_R``.  On the paper's samples (N = 420,551, K = 10) the two differ by a factor
``sqrt((N-1)/(N-K)) = 1.00001`` on the standard errors, invisible at three decimals; the
tests check the exact ratio on a small sample where it is visible.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import sparse as _sparse

from .design import Design
from .newton import LOGIT, NewtonFit, newton_ml
from .results import ModelResult

COV_TYPES = ("model", "cluster")


def cluster_codes(groups: np.ndarray | pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes 0..G-1 for cluster labels, and G.  Missing labels are an error."""
    codes, uniques = pd.factorize(np.asarray(groups), use_na_sentinel=True)
    if (codes < 0).any():
        raise ValueError("cluster ids contain missing values")
    return codes, len(uniques)


def cluster_score_sums(
    X: np.ndarray, resid: np.ndarray, groups: np.ndarray | pd.Series
) -> tuple[np.ndarray, int]:
    """Per-cluster sums of the score contributions ``resid_i * x_i``: a G x k matrix, and G.

    Computed as ``C @ X`` with the sparse G x n matrix ``C[g, i] = resid_i`` for ``i`` in
    cluster ``g``: one pass over ``X`` and no n x k temporary.
    """
    codes, G = cluster_codes(groups)
    n = X.shape[0]
    C = _sparse.csr_matrix((np.asarray(resid, dtype=float), (codes, np.arange(n))), shape=(G, n))
    return np.asarray(C @ X), G


def cluster_cov(
    X: np.ndarray, resid: np.ndarray, bread: np.ndarray, groups: np.ndarray | pd.Series
) -> tuple[np.ndarray, int]:
    """Cluster-robust covariance as R's ``sandwich::vcovCL`` on a glm (HC0, ``cadjust=TRUE``).

    ``bread`` is the inverse information ``(X'WX)^-1``; ``resid`` the working score per row
    (``y - p`` for the logit).  Returns ``G/(G-1) * bread @ (S'S) @ bread`` and G, where S
    holds the per-cluster sums of ``resid * X``.  There is no ``(N-1)/(N-K)`` factor.
    """
    S, G = cluster_score_sums(X, resid, groups)
    if G < 2:
        raise ValueError("cluster covariance needs at least two clusters")
    meat = S.T @ S
    V = bread @ meat @ bread * (G / (G - 1.0))
    return (V + V.T) / 2.0, G


def statsmodels_cluster_factor(nobs: int, k: int) -> float:
    """The extra factor statsmodels' default cluster covariance applies over R's: (N-1)/(N-K)."""
    return (nobs - 1.0) / (nobs - k)


def binary_gof(llf: float, nobs: int, k: int) -> dict[str, float]:
    """AIC, BIC and deviance of a binary ML fit as R's ``glm`` reports them.

    For 0/1 data the saturated log-likelihood is zero, so deviance = -2 llf,
    AIC = deviance + 2k and BIC = deviance + k log(N) (texreg's GOF rows of Table 5).
    """
    dev = -2.0 * llf
    return {"AIC": dev + 2.0 * k, "BIC": dev + k * np.log(nobs), "deviance": dev}


def _result_from_fit(
    fit: NewtonFit,
    X: np.ndarray,
    names: Sequence[str],
    *,
    cov: str,
    groups: np.ndarray | pd.Series | None,
    model: str,
    family: str,
) -> ModelResult:
    n, k = X.shape
    names = list(names)
    stats: dict[str, Any] = binary_gof(fit.llf, n, k)
    info: dict[str, Any] = {
        "family": family,
        "iterations": fit.iterations,
        "converged": fit.converged,
        "cov_model": pd.DataFrame(fit.cov, index=names, columns=names),
    }
    if cov == "model":
        V = fit.cov
    elif cov == "cluster":
        if groups is None:
            raise ValueError('cov="cluster" needs cluster ids (groups=...)')
        groups = np.asarray(groups)
        if groups.shape[0] != n:
            raise ValueError(f"groups has {groups.shape[0]} entries, the model {n} rows")
        V, G = cluster_cov(X, fit.d1, fit.cov, groups)
        stats["clusters"] = G
    else:
        raise ValueError(f"cov must be one of {COV_TYPES}, not {cov!r}")
    return ModelResult.from_arrays(
        fit.beta, V, names, nobs=n, llf=fit.llf, model=model, stats=stats, cov_type=cov, info=info
    )


def fit_logit(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str] | None = None,
    *,
    cov: str = "model",
    groups: np.ndarray | pd.Series | None = None,
    model: str = "",
    tol: float = 1e-10,
    maxiter: int = 100,
) -> ModelResult:
    """ML logit on arrays, as R's ``glm(family = binomial)``; optional ``vcovCL`` clusters.

    Parameters
    ----------
    y, X
        0/1 outcome and regressors (include a column of ones for the constant).
    names
        Term names for the columns of ``X``.
    cov
        ``"model"``: inverse information (``vcov(glm)``).  ``"cluster"``: R's
        ``sandwich::vcovCL`` (HC0 x G/(G-1)); the model-based matrix stays in
        ``result.info["cov_model"]``.
    groups
        Cluster ids, one per row of ``X`` (for ``cov="cluster"``).

    Raises
    ------
    SeparationError, ConvergenceError
        See :func:`coupproof.models.newton.newton_ml`.
    """
    X = np.asarray(X, dtype=float)
    _check_cov_request(cov, groups, X.shape[0])
    names = list(names) if names is not None else [f"x{j}" for j in range(X.shape[1])]
    fit = newton_ml(np.asarray(y, dtype=float), X, LOGIT, names=names, tol=tol, maxiter=maxiter)
    return _result_from_fit(fit, X, names, cov=cov, groups=groups, model=model, family="logit")


def _check_cov_request(cov: str, groups: np.ndarray | pd.Series | None, n: int) -> None:
    """Fail before fitting, not after, on a bad covariance request."""
    if cov not in COV_TYPES:
        raise ValueError(f"cov must be one of {COV_TYPES}, not {cov!r}")
    if cov == "cluster":
        if groups is None:
            raise ValueError('cov="cluster" needs cluster ids (groups=...)')
        if len(groups) != n:
            raise ValueError(f"groups has {len(groups)} entries, the model {n} rows")


def logit(
    design: Design,
    *,
    cov: str = "model",
    groups: np.ndarray | pd.Series | None = None,
    model: str = "",
    tol: float = 1e-10,
    maxiter: int = 100,
) -> ModelResult:
    """:func:`fit_logit` on a :class:`~coupproof.models.design.Design`.

    ``groups`` may be as long as the design's input frame (it is subset with the design's
    row mask) or as long as the rows used.  The design's row report is kept in
    ``result.info["design"]``.
    """
    g = design.align(groups, "groups") if groups is not None else None
    res = fit_logit(design.y, design.X, design.terms, cov=cov, groups=g, model=model, tol=tol, maxiter=maxiter)
    res.info["design"] = design.report()
    return res


def dyad_ids(a: np.ndarray | pd.Series, b: np.ndarray | pd.Series, *, directed: bool = True) -> np.ndarray:
    """Cluster ids for dyads of COW codes: ``a*1000 + b`` (directed) or ``min*1000 + max``."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    if not directed:
        a, b = np.minimum(a, b), np.maximum(a, b)
    return a * 1000 + b


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
