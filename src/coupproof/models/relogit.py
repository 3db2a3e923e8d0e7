"""Rare-events logit: King & Zeng (2001) bias correction, as Zelig's ``relogit``.

Table 5 was produced by Zelig ``relogit`` with its defaults (``bias.correct = TRUE``,
``tau = NULL``) and formatted by texreg (estimation notes, section 3.3).  With ``tau = NULL``
there is no prior correction and no weighting, so the estimator is

1. the ML logit ``beta_hat``, with ``pi_i = Lambda(x_i'beta_hat)`` and ``W = diag(pi(1-pi))``;
2. ``Q_ii = x_i'(X'WX)^-1 x_i`` (Zelig: ``lm.influence(lm(y ~ X - 1, weights = W))$hat / W``);
3. ``xi_i = 0.5 Q_ii (2 pi_i - 1)``;
4. ``bias = (X'WX)^-1 X'W xi`` (a weighted least-squares regression of xi on X);
5. ``beta_tilde = beta_hat - bias``.

Standard errors are the model-based ML ones.  Zelig's ``summary.Relogit`` multiplies them
by ``n/(n+k)`` (the variance by its square), but texreg read the unscaled ``glm`` matrix,
so the default here is unscaled (``scale_se=False``); at N = 420,551 the factor is 0.99998.

``relogit`` overwrites the coefficients of the glm object but not its ``aic``/``deviance``,
so the printed log-likelihood, AIC, BIC and deviance are those of the ML fit; the result
carries them the same way.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .design import Design
from .logit import binary_gof
from .newton import LOGIT, newton_ml
from .results import ModelResult


def king_zeng_bias(X: np.ndarray, pi: np.ndarray, bread: np.ndarray) -> np.ndarray:
    """The O(1/n) bias of the ML logit, ``(X'WX)^-1 X'W xi`` (King & Zeng 2001; no prior correction, no weights).

    ``bread`` is ``(X'WX)^-1`` at the ML estimates and ``pi`` the fitted probabilities.
    """
    w = pi * (1.0 - pi)
    q = np.sum((X @ bread) * X, axis=1)  # diagonal of X (X'WX)^-1 X'
    xi = 0.5 * q * (2.0 * pi - 1.0)
    return bread @ (X.T @ (w * xi))


def fit_relogit(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str] | None = None,
    *,
    scale_se: bool = False,
    model: str = "",
    tol: float = 1e-10,
    maxiter: int = 100,
) -> ModelResult:
    """Bias-corrected rare-events logit on arrays, as Zelig ``relogit(..., tau = NULL)``.

    Parameters
    ----------
    scale_se
        If True, multiply the covariance by ``(n/(n+k))^2`` (standard errors by ``n/(n+k)``)
        as ``summary.Relogit`` prints them.  Default False: the unscaled ML covariance that
        texreg printed in Table 5.

    Returns
    -------
    ModelResult
        ``params`` = bias-corrected coefficients; ``llf`` and ``stats`` (AIC, BIC, deviance)
        from the ML fit; ``info["ml_params"]`` the uncorrected estimates and
        ``info["bias"]`` the subtracted bias.
    """
    X = np.asarray(X, dtype=float)
    n, k = X.shape
    names = list(names) if names is not None else [f"x{j}" for j in range(k)]
    fit = newton_ml(np.asarray(y, dtype=float), X, LOGIT, names=names, tol=tol, maxiter=maxiter)
    pi = 1.0 / (1.0 + np.exp(-fit.eta))
    bias = king_zeng_bias(X, pi, fit.cov)
    beta = fit.beta - bias
    factor = (n / (n + k)) ** 2 if scale_se else 1.0
    info = {
        "ml_params": pd.Series(fit.beta, index=names),
        "bias": pd.Series(bias, index=names),
        "se_scaled": scale_se,
        "iterations": fit.iterations,
    }
    return ModelResult.from_arrays(
        beta,
        fit.cov * factor,
        names,
        nobs=n,
        llf=fit.llf,
        model=model,
        stats=binary_gof(fit.llf, n, k),
        cov_type="model",
        info=info,
    )


def relogit(design: Design, *, scale_se: bool = False, model: str = "", **kwargs) -> ModelResult:
    """:func:`fit_relogit` on a :class:`~coupproof.models.design.Design`."""
    res = fit_relogit(design.y, design.X, design.terms, scale_se=scale_se, model=model, **kwargs)
    res.info["design"] = design.report()
    return res
