"""Firth's penalised logit, a cross-check beside the King-Zeng estimates of Table 5.

The paper's Table 5 is King & Zeng's *corrective* estimator: fit the ML logit, then
subtract an estimate of its O(1/n) bias (:mod:`coupproof.models.relogit`).  Firth (1993)
is *preventive*: it maximises the likelihood penalised by Jeffreys' prior,
``l(beta) + 0.5 log|X'WX|``, whose score is the ML score plus
``A(beta) = sum_i h_i (1/2 - pi_i) x_i`` (``h_i`` the leverages).  For the logit that
adjustment is exactly ``-I(beta) b(beta)``, minus the information times King and Zeng's bias
term, because ``X'W xi = sum_i w_i Q_ii (pi_i - 1/2) x_i = -A``.  A Taylor expansion of the
penalised score around the ML estimate then gives
``beta_Firth = beta_ML - b(beta_ML) + O(n^-2) = beta_KZ + O(n^-2)``: the two corrections
remove the same first-order bias and differ only at second order, while each moves the
ML estimate by O(1/n).  So a Firth column that agrees with the King-Zeng column to within
a fraction of the correction says the correction is well determined; the tests check the
O(n^-2) rate on simulated data and Firth's closed form on a 2 x 2 table.

The fit is the kept ``firthmodels`` package (``firthmodels.adapters.statsmodels.FirthLogit``,
Newton-Raphson with step halving).  Its standard errors come from the information of the
augmented (pseudo-data) problem, ``X' diag(w (1 + h)) X``; R's ``logistf`` reports the
inverse of the ordinary information ``X'WX`` at the penalised estimates (Heinze & Schemper
2002), and so does the book, so that the column compares like with like with King-Zeng's.
"""

from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np
import pandas as pd
from scipy.special import expit

from .design import Design
from .diagnostics import ConvergenceError, check_collinearity, check_finite, check_binary_outcome
from .logit import binary_gof
from .results import ModelResult


def fit_firth(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str] | None = None,
    *,
    name: str = "",
    gtol: float = 1e-6,
    xtol: float = 1e-6,
    maxiter: int = 100,
) -> ModelResult:
    """Firth-penalised logit on arrays (``logistf(y ~ X, pl = FALSE)`` in R).

    Parameters
    ----------
    y, X
        0/1 outcome and regressors (a column of ones for the constant; no intercept is
        added).  Separation is no error here: Firth's estimates stay finite.
    gtol, xtol
        Convergence: largest penalised score below ``gtol`` and largest Newton step below
        ``xtol``.  On 420,000 rows the score's rounding error is about 1e-8, so do not ask
        for much less than the defaults.

    Returns
    -------
    ModelResult
        Firth estimates with ``logistf``'s Wald covariance ``(X'WX)^-1`` at them; ``llf`` the
        *penalised* log-likelihood, ``stats["LL_ml"]`` the ordinary one at the Firth
        estimates (with AIC, BIC and deviance from it); ``info["firthmodels"]`` the package's
        own results object (whose ``bse`` use the augmented information).
    """
    from firthmodels.adapters.statsmodels import FirthLogit

    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    names = [str(v) for v in names] if names is not None else [f"x{j}" for j in range(X.shape[1])]
    check_finite(y, X)
    check_binary_outcome(y)
    check_collinearity(X, names)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = FirthLogit(pd.Series(y, name="y"), pd.DataFrame(X, columns=names)).fit(
            pl=False, gtol=gtol, xtol=xtol, maxiter=maxiter)
    if not res.converged:
        detail = "; ".join(sorted({str(w.message) for w in caught})) or "iteration limit reached"
        raise ConvergenceError(f"Firth logit: no convergence after {res.mle_retvals['iterations']} "
                               f"iterations ({detail}); loosen gtol/xtol or raise maxiter")
    params = np.asarray(res.params, dtype=float)
    eta = X @ params
    llf_ml = float(y @ eta - np.logaddexp(0.0, eta).sum())
    pi = expit(eta)
    cov = np.linalg.inv((X * (pi * (1.0 - pi))[:, None]).T @ X)
    n, k = X.shape
    stats = {**binary_gof(llf_ml, n, k), "LL_ml": llf_ml}
    return ModelResult(
        pd.Series(params, index=names),
        (cov + cov.T) / 2.0,
        nobs=n,
        llf=float(res.llf),
        name=name,
        stats=stats,
        cov_type="model",
        info={"family": "firth logit", "iterations": int(res.mle_retvals["iterations"]), "penalised": True,
              "firthmodels": res},
    )


def firth(design: Design, *, name: str = "", **kwargs) -> ModelResult:
    """:func:`fit_firth` on a :class:`~coupproof.models.design.Design`."""
    res = fit_firth(design.y, design.X, design.terms, name=name, **kwargs)
    res.info["design"] = design.report()
    return res
