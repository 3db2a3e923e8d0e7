"""Hurdle model as ``pscl::hurdle`` with its defaults (Tables 2 and 12).

``hurdle(y ~ x)`` in R fits two independent parts with the same regressors:

* a binomial-logit **zero hurdle**, P(y > 0), on all rows (``zero.dist = "binomial"``);
* a **zero-truncated Poisson** count part with log link on the rows with y > 0
  (``dist = "poisson"``):
  ``l_i = y_i eta_i - mu_i - log(1 - exp(-mu_i)) - log(y_i!)``, ``mu_i = exp(eta_i)``.

The likelihood factorises, so pscl maximises the two parts separately
(``hurdle.control(separate = TRUE)``) and the total log-likelihood is their sum.  pscl uses
BFGS and a numerical Hessian; here both parts are maximised by Newton's method with the
analytic Hessian (:mod:`coupproof.models.newton`), which reaches the same maximum; expect
differences only in the last printed decimals, from where BFGS stops and from the numerical
Hessian behind pscl's standard errors.  The truncated-Poisson likelihood is written out rather than taken from
statsmodels' ``TruncatedLFPoisson``; the tests check both against each other and against a
direct ``scipy.optimize`` maximisation of the full hurdle likelihood.  Standard errors are
model-based, as in the paper.

The paper's labels are reversed (estimation notes, section 3.4): Table 2 shows the zero
hurdle and Table 12 the truncated count part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd
from scipy.special import gammaln

from .design import Design
from .logit import fit_logit
from .newton import TRUNCATED_POISSON, newton_ml
from .results import DEFAULT_STARS, ModelResult


@dataclass
class HurdleResult:
    """The two parts of a hurdle fit.

    Attributes
    ----------
    zero
        Binomial-logit hurdle, P(y > 0), fitted on all rows (the paper's Table 2).
    count
        Zero-truncated Poisson for y on the rows with y > 0 (the paper's Table 12).
    llf
        Total log-likelihood, ``zero.llf + count.llf`` (the "Log Likelihood" row).
    nobs
        Rows of the whole model (the "N" row).
    """

    zero: ModelResult
    count: ModelResult
    llf: float
    nobs: int
    model: str = ""

    def tidy(self, stars: Sequence[float] = DEFAULT_STARS) -> pd.DataFrame:
        """Both parts stacked, with a ``part`` column (``"zero"`` or ``"count"``)."""
        z = self.zero.tidy(stars).assign(part="zero")
        c = self.count.tidy(stars).assign(part="count")
        out = pd.concat([c, z], ignore_index=True)  # pscl prints the count part first
        out["model"] = self.model
        out["nobs"] = self.nobs
        out["llf"] = self.llf
        return out

    def glance(self) -> dict[str, float]:
        return {"N": self.nobs, "LL": self.llf, "N_positive": self.count.nobs}


def truncated_poisson_loglik(y: np.ndarray, eta: np.ndarray) -> float:
    """Log-likelihood of a zero-truncated Poisson with ``log(mu) = eta`` (for checks)."""
    mu = np.exp(eta)
    return float(np.sum(y * eta - mu - np.log(-np.expm1(-mu)) - gammaln(y + 1.0)))


def fit_truncated_poisson(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str] | None = None,
    *,
    model: str = "",
    tol: float = 1e-10,
    maxiter: int = 100,
) -> ModelResult:
    """Zero-truncated Poisson regression (log link) by Newton's method; model-based covariance.

    All ``y`` must be positive integers.  Equals the count part of ``pscl::hurdle`` and
    statsmodels ``TruncatedLFPoisson(y, X, truncation=0)``.
    """
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    if (y < 1).any() or (y != np.round(y)).any():
        raise ValueError("a zero-truncated count model needs positive integer outcomes")
    names = list(names) if names is not None else [f"x{j}" for j in range(X.shape[1])]
    fit = newton_ml(y, X, TRUNCATED_POISSON, names=names, tol=tol, maxiter=maxiter)
    n, k = X.shape
    return ModelResult.from_arrays(
        fit.beta,
        fit.cov,
        names,
        nobs=n,
        llf=fit.llf,
        model=model,
        stats={"AIC": -2 * fit.llf + 2 * k},
        info={"family": "zero-truncated poisson", "iterations": fit.iterations},
    )


def fit_hurdle(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str] | None = None,
    *,
    model: str = "",
    tol: float = 1e-10,
    maxiter: int = 100,
) -> HurdleResult:
    """``pscl::hurdle(y ~ x)`` with default settings, on arrays.

    ``y`` holds non-negative integer counts (missing counts recoded to 0 beforehand, as the
    paper does for dyad-years without a new alliance).
    """
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    if (y < 0).any() or (y != np.round(y)).any():
        raise ValueError("hurdle counts must be non-negative integers")
    names = list(names) if names is not None else [f"x{j}" for j in range(X.shape[1])]
    pos = y > 0
    zero = fit_logit(pos.astype(float), X, names, cov="model", model=model, tol=tol, maxiter=maxiter)
    count = fit_truncated_poisson(y[pos], X[pos], names, model=model, tol=tol, maxiter=maxiter)
    return HurdleResult(zero=zero, count=count, llf=zero.llf + count.llf, nobs=len(y), model=model)


def hurdle(design: Design, *, model: str = "", **kwargs) -> HurdleResult:
    """:func:`fit_hurdle` on a :class:`~coupproof.models.design.Design`."""
    return fit_hurdle(design.y, design.X, design.terms, model=model, **kwargs)
