"""Hurdle model as ``pscl::hurdle`` with its defaults (Tables 2 and 12), on statsmodels.

``hurdle(y ~ x)`` in R fits two independent parts with the same regressors:

* a binomial-logit **zero hurdle**, P(y > 0), on all rows (``zero.dist = "binomial"``);
* a **zero-truncated Poisson** count part with log link on the rows with y > 0
  (``dist = "poisson"``):
  ``l_i = y_i eta_i - mu_i - log(1 - exp(-mu_i)) - log(y_i!)``, ``mu_i = exp(eta_i)``.

The likelihood factorises, so pscl maximises the two parts separately
(``hurdle.control(separate = TRUE)``) and the total log-likelihood is their sum.
statsmodels' ``HurdleCountModel`` has no logit zero part, so the two pieces are fitted as
statsmodels models (estimation notes, section 3.4)::

    zero  = sm.Logit((y > 0).astype(float), X).fit(method="newton")           # Table 2
    count = TruncatedLFPoisson(y[y > 0], X[y > 0], truncation=0).fit(method="newton")   # Table 12
    llf   = zero.llf + count.llf

The zero part runs through :func:`~coupproof.models.logit.fit_logit` (the same
``LogitResults``, fitted fast on 420,000 rows); the count part is statsmodels'
``TruncatedLFPoisson`` by Newton's method.  pscl uses BFGS and a numerical Hessian, and so
does statsmodels' count model for its covariance (its Hessian is numerical), so expect
differences only in the last printed decimals.  Standard errors are model-based, as in
the paper.

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
from .diagnostics import check_collinearity, check_count_boundary, check_finite, checked_fit
from .logit import fit_logit
from .results import DEFAULT_STARS, ModelResult, _deprecated_model_label


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
    name: str = ""

    def tidy(self, stars: Sequence[float] = DEFAULT_STARS) -> pd.DataFrame:
        """Both parts stacked, with a ``part`` column (``"zero"`` or ``"count"``)."""
        z = self.zero.tidy(stars).assign(part="zero")
        c = self.count.tidy(stars).assign(part="count")
        out = pd.concat([c, z], ignore_index=True)  # pscl prints the count part first
        out["model"] = self.name
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
    name: str = "",
    tol: float = 1e-10,
    maxiter: int = 100,
    model: str | None = None,
) -> ModelResult:
    """Zero-truncated Poisson regression (log link): statsmodels ``TruncatedLFPoisson`` by Newton's method.

    All ``y`` must be positive integers.  Equals the count part of ``pscl::hurdle``.
    Collinear regressors and dummies that are 1 only on rows with ``y = 1`` (whose
    coefficient runs to minus infinity) are errors that name the column, raised before
    fitting.
    """
    from statsmodels.discrete.truncated_model import TruncatedLFPoisson

    name = _deprecated_model_label(name, model, "fit_truncated_poisson")
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    if (y < 1).any() or (y != np.round(y)).any():
        raise ValueError("a zero-truncated count model needs positive integer outcomes")
    names = [str(v) for v in names] if names is not None else [f"x{j}" for j in range(X.shape[1])]
    check_finite(y, X)
    check_collinearity(X, names)
    check_count_boundary(y, X, names)
    sm_model = TruncatedLFPoisson(pd.Series(y, name="y"), pd.DataFrame(X, columns=names), truncation=0)
    res = checked_fit(sm_model, what="zero-truncated poisson", names=names, binary=False,
                      method="newton", tol=tol, maxiter=maxiter)
    k = X.shape[1]
    return ModelResult.from_statsmodels(
        res, name=name, cov_type="model",
        stats={"AIC": -2 * float(res.llf) + 2 * k},
        info={"family": "zero-truncated poisson", "iterations": int(res.mle_retvals["iterations"])},
    )


def fit_hurdle(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str] | None = None,
    *,
    name: str = "",
    model: str | None = None,
) -> HurdleResult:
    """``pscl::hurdle(y ~ x)`` with default settings, on arrays.

    ``y`` holds non-negative integer counts (missing counts recoded to 0 beforehand, as the
    paper does for dyad-years without a new alliance).
    """
    name = _deprecated_model_label(name, model, "fit_hurdle")
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    if (y < 0).any() or (y != np.round(y)).any():
        raise ValueError("hurdle counts must be non-negative integers")
    names = [str(v) for v in names] if names is not None else [f"x{j}" for j in range(X.shape[1])]
    pos = y > 0
    zero = fit_logit(pos.astype(float), X, names, cov="model", name=name, dv="any")
    count = fit_truncated_poisson(y[pos], X[pos], names, name=name)
    return HurdleResult(zero=zero, count=count, llf=zero.llf + count.llf, nobs=len(y), name=name)


def hurdle(design: Design, *, name: str = "", model: str | None = None) -> HurdleResult:
    """:func:`fit_hurdle` on a :class:`~coupproof.models.design.Design` (``model=``: deprecated alias of ``name=``)."""
    name = _deprecated_model_label(name, model, "hurdle")
    return fit_hurdle(design.y, design.X, design.terms, name=name)
