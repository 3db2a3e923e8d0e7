"""Rare-events logit: King & Zeng (2001) bias correction of a statsmodels logit, as Zelig's ``relogit``.

Table 5 was produced by Zelig ``relogit`` with its defaults (``bias.correct = TRUE``,
``tau = NULL``) and formatted by texreg (estimation notes, section 3.3).  With ``tau = NULL``
there is no prior correction and no weighting, so the estimator is

1. the ML logit ``beta_hat``, with ``pi_i = Lambda(x_i'beta_hat)`` and ``W = diag(pi(1-pi))``;
2. ``Q_ii = x_i'(X'WX)^-1 x_i`` (Zelig: ``lm.influence(lm(y ~ X - 1, weights = W))$hat / W``);
3. ``xi_i = 0.5 Q_ii (2 pi_i - 1)``;
4. ``bias = (X'WX)^-1 X'W xi`` (a weighted least-squares regression of xi on X);
5. ``beta_tilde = beta_hat - bias``.

statsmodels has the ML fit but not the correction, so :func:`king_zeng` computes it from a
fitted statsmodels logit::

    ml = sm.Logit(y, X).fit(method="newton", disp=0)
    kz = king_zeng(ml)          # a ModelResult: kz.params, kz.bse, kz.get_prediction(...)

Standard errors are the model-based ML ones.  Zelig's ``summary.Relogit`` multiplies them
by ``n/(n+k)`` (the variance by its square), but texreg read the unscaled ``glm`` matrix,
so the default here is unscaled (``scale_se=False``); at N = 420,551 the factor is 0.99998.

``relogit`` overwrites the coefficients of the glm object but not its ``aic``/``deviance``,
so the printed log-likelihood, AIC, BIC and deviance are those of the ML fit; the result
carries them the same way (its statsmodels ``llf`` too).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from .design import Design
from .logit import binary_gof, fit_logit, logit_results
from .results import ModelResult, _deprecated_model_label


def king_zeng_bias(X: np.ndarray, pi: np.ndarray, bread: np.ndarray) -> np.ndarray:
    """The O(1/n) bias of the ML logit, ``(X'WX)^-1 X'W xi`` (King & Zeng 2001; no prior correction, no weights).

    ``bread`` is ``(X'WX)^-1`` at the ML estimates and ``pi`` the fitted probabilities.
    """
    XT = np.ascontiguousarray(np.asarray(X, dtype=float).T)  # k x n: a view of a column-major X
    pi = np.asarray(pi, dtype=float)
    n = XT.shape[1]
    q = np.empty(n)  # diagonal of X (X'WX)^-1 X', in blocks of rows (no n x k temporary)
    for s in range(0, n, _KZ_BLOCK):
        Xb = XT[:, s:s + _KZ_BLOCK]
        q[s:s + _KZ_BLOCK] = np.einsum("ij,ij->j", bread @ Xb, Xb)
    xi = 0.5 * q * (2.0 * pi - 1.0)
    return bread @ (XT @ (pi * (1.0 - pi) * xi))


#: Rows per block of :func:`king_zeng_bias` (temporaries stay in cache).
_KZ_BLOCK = 4096


def king_zeng(ml: Any, *, scale_se: bool = False, name: str = "") -> ModelResult:
    """King-Zeng bias-corrected estimates from a fitted statsmodels logit (or a :class:`ModelResult` around one).

    Parameters
    ----------
    ml
        The ML fit: ``sm.Logit(...).fit()`` or :func:`~coupproof.models.logit.logit`'s result.
        Its model-based covariance (``normalized_cov_params``) is the bread, whatever
        covariance the fit reports.
    scale_se
        If True, multiply the covariance by ``(n/(n+k))^2`` (standard errors by ``n/(n+k)``)
        as ``summary.Relogit`` prints them.  Default False: the unscaled ML covariance that
        texreg printed in Table 5.

    Returns
    -------
    ModelResult
        ``params`` = bias-corrected coefficients, around a statsmodels ``LogitResults`` at
        those coefficients (so ``get_prediction`` uses them); ``llf`` and ``stats`` (AIC, BIC,
        deviance) from the ML fit; ``info["ml_params"]`` the uncorrected estimates and
        ``info["bias"]`` the subtracted bias.
    """
    res = ml.results if isinstance(ml, ModelResult) else ml
    model = res.model
    names = [str(v) for v in model.exog_names]
    X = np.asarray(model.exog, dtype=float)
    y = np.asarray(model.endog, dtype=float)
    beta_ml = np.asarray(res.params, dtype=float)
    bread = np.asarray(res.normalized_cov_params, dtype=float)
    pi = model.cdf(X @ beta_ml)
    bias = king_zeng_bias(X, pi, bread)
    beta = beta_ml - bias
    n, k = X.shape
    factor = (n / (n + k)) ** 2 if scale_se else 1.0
    llf = float(res.llf)
    corrected = logit_results(y, X, names, beta, bread * factor, llf=llf,
                              iterations=int(res.mle_retvals.get("iterations", 0)),
                              dv=str(getattr(model, "endog_names", "y")))
    info = {
        "ml_params": pd.Series(beta_ml, index=names),
        "bias": pd.Series(bias, index=names),
        "se_scaled": scale_se,
        "ml": ml,
    }
    return ModelResult.from_statsmodels(corrected, name=name, cov_type="model", llf=llf,
                                        stats=binary_gof(llf, n, k), info=info)


def fit_relogit(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str] | None = None,
    *,
    scale_se: bool = False,
    name: str = "",
    tol: float = 1e-8,
    maxiter: int = 50,
    model: str | None = None,
) -> ModelResult:
    """Bias-corrected rare-events logit on arrays, as Zelig ``relogit(..., tau = NULL)``.

    The ML logit of :func:`~coupproof.models.logit.fit_logit`, then :func:`king_zeng`.
    """
    name = _deprecated_model_label(name, model, "fit_relogit")
    ml = fit_logit(y, X, names, cov="model", tol=tol, maxiter=maxiter)
    out = king_zeng(ml, scale_se=scale_se, name=name)
    out.info["iterations"] = ml.info["iterations"]
    return out


def relogit(design: Design, *, scale_se: bool = False, name: str = "", model: str | None = None,
            **kwargs: Any) -> ModelResult:
    """:func:`fit_relogit` on a :class:`~coupproof.models.design.Design` (``model=``: deprecated alias of ``name=``)."""
    name = _deprecated_model_label(name, model, "relogit")
    ml = fit_logit(design.y, design.X, design.terms, cov="model", dv=design.dv, **kwargs)
    res = king_zeng(ml, scale_se=scale_se, name=name)
    res.info["iterations"] = ml.info["iterations"]
    res.info["design"] = design.report()
    return res
