"""Heckman two-step selection model, exactly as R's ``sampleSelection::heckit`` (Tables 10, 11).

``heckit(selection, outcome, method = "2step")`` runs ``heckit2fit``:

1. probit of the selection indicator ``s`` on ``Z`` over all rows (ML, observed-information
   covariance ``V_gamma``, as ``sampleSelection::probit``);
2. for the selected rows, ``z_i = Z_i gamma``, the inverse Mills ratio
   ``lambda_i = phi(z_i) / Phi(z_i)`` and ``delta_i = lambda_i (lambda_i + z_i)``;
3. OLS of ``y`` on ``X* = [X, lambda]`` over the selected rows;
4. ``sigma^2 = e'e / N1 + beta_lambda^2 mean(delta)`` and ``rho = beta_lambda / sigma``
   (not truncated to [-1, 1]);
5. ``heckitVcov`` (Greene 2003, p. 785):
   ``V = sigma^2 (X*'X*)^-1 [X*'(I - rho^2 Delta) X* + rho^2 (X*'Delta Z) V_gamma (Z'Delta X*)] (X*'X*)^-1``.

Rows are dropped as ``heckit2fit`` drops them: a missing selection outcome or selection
regressor drops the row; a missing outcome or outcome regressor drops it only when the row
is selected.  stargazer printed the coefficient of ``lambda`` as "Inverse Mills Ratio" with
its standard error from ``V``, and ``rho``; those are in ``outcome.stats``.

Both steps are statsmodels fits (``sm.Probit(...).fit(method="newton")`` with its analytic,
observed-information Hessian, as ``sampleSelection::probit``; ``sm.OLS``); the book adds
only the corrected covariance, which it puts into the OLS results, so that the outcome
equation's ``summary()``, ``t_test()`` and ``conf_int()`` use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import special as _sp

from .design import component_arrays, components, term_matrix
from .diagnostics import ConvergenceError, check_design, checked_fit, constant_columns
from .logit import binary_gof
from .results import DEFAULT_STARS, ModelResult, _deprecated_model_label, replace_cov

IMR = "imr"


def inverse_mills(z: np.ndarray) -> np.ndarray:
    """``phi(z) / Phi(z)``, computed on the log scale so it stays accurate for very negative z."""
    z = np.asarray(z, dtype=float)
    return np.exp(-0.5 * z * z - 0.5 * np.log(2.0 * np.pi) - _sp.log_ndtr(z))


def probit_start(y: np.ndarray, X: np.ndarray, *, ratio: int = 100) -> np.ndarray | None:
    """Starting values for a large rare-events probit, from a case-control subsample.

    statsmodels' Newton steps have no step control; from zeros they reach the optimum of
    the paper's selection probits in 14 iterations.  Fitting the probit on every event and
    an evenly spaced ``1/m`` of the non-events (about ``ratio`` per event), then moving the
    intercept alone until the mean fitted probability on all rows equals the share of
    events, gives a start from which 8 suffice.  (Unlike the logit's, the probit's slopes are
    not exactly preserved by such sampling, so this is only a start.)  Returns None when
    there is no intercept or the subsample fit fails.
    """
    import statsmodels.api as sm
    from scipy import special as sp

    const = constant_columns(X)
    rare = np.flatnonzero(y == 1)
    common = np.flatnonzero(y == 0)
    m = len(common) // (ratio * max(len(rare), 1))
    if const.size == 0 or m < 2 or y.mean() > 0.5:
        return None
    rows = np.sort(np.concatenate([rare, common[::m]]))
    try:
        sub = checked_fit(sm.Probit(y[rows], X[rows], check_rank=False), what="probit (subsample)",
                          method="newton", start_params=np.zeros(X.shape[1]), maxiter=50)
    except ConvergenceError:
        return None
    beta = np.asarray(sub.params, dtype=float).copy()
    j = int(const[0])
    eta = X @ beta
    target = float(y.mean())
    for _ in range(50):  # Newton steps on the intercept alone: mean Phi(eta + c) = mean(y)
        density = float(np.mean(np.exp(-0.5 * eta * eta))) / np.sqrt(2.0 * np.pi)
        step = (float(sp.ndtr(eta).mean()) - target) / max(density, 1e-300)
        eta -= step
        beta[j] -= step
        if abs(step) < 1e-10:
            break
    return beta


def fit_probit(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str] | None = None,
    *,
    name: str = "",
    tol: float = 1e-10,
    maxiter: int = 100,
    start: np.ndarray | None = None,
    model: str | None = None,
) -> ModelResult:
    """ML probit: statsmodels ``Probit`` by Newton's method, observed-information covariance.

    As ``sampleSelection::probit``.  Separation by a 0/1 regressor and collinearity are
    errors, raised before fitting and naming the column; the linear predictor at the
    estimates is kept in ``info["eta"]``.
    """
    import statsmodels.api as sm

    name = _deprecated_model_label(name, model, "fit_probit")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    names = [str(v) for v in names] if names is not None else [f"x{j}" for j in range(X.shape[1])]
    check_design(y, X, names, binary=True)
    if start is None and X.shape[0] >= 50_000:
        start = probit_start(y, X)
    sm_model = sm.Probit(pd.Series(y, name="y"), pd.DataFrame(X, columns=names), check_rank=False)
    res = checked_fit(sm_model, what="probit", names=names, method="newton", tol=tol, maxiter=maxiter,
                      start_params=start)
    n, k = X.shape
    return ModelResult.from_statsmodels(
        res, name=name, cov_type="model", stats=binary_gof(float(res.llf), n, k),
        info={"family": "probit", "iterations": int(res.mle_retvals["iterations"]),
              "eta": X @ np.asarray(res.params, dtype=float)},
    )


def heckit_vcov(
    Xs: np.ndarray, Zs: np.ndarray, v_gamma: np.ndarray, rho: float, delta: np.ndarray, sigma: float
) -> np.ndarray:
    """``sampleSelection::heckitVcov``: covariance of the outcome coefficients and the IMR coefficient.

    ``Xs`` = [X, lambda] and ``Zs`` the selection regressors, both on the selected rows;
    ``delta`` = lambda (lambda + Z gamma) on those rows.
    """
    XtX_inv = np.linalg.inv(Xs.T @ Xs)
    F = (Xs * delta[:, None]).T @ Zs
    middle = (Xs * (1.0 - rho**2 * delta)[:, None]).T @ Xs + rho**2 * (F @ v_gamma @ F.T)
    V = sigma**2 * XtX_inv @ middle @ XtX_inv
    return (V + V.T) / 2.0


@dataclass
class HeckitResult:
    """Both equations of a two-step Heckman fit.

    Attributes
    ----------
    selection
        The probit selection equation (model-based SEs), fitted on ``nobs`` rows.
    outcome
        The OLS outcome equation with the inverse Mills ratio as term ``"imr"`` and the
        ``heckitVcov`` covariance; fitted on the ``nobs_selected`` selected rows.
        ``outcome.stats`` holds ``sigma``, ``rho``, ``IMR``, ``IMR_se``, ``N_total``.
    sigma, rho
        As ``heckit`` reports them.
    nobs, nobs_selected
        Rows of the selection equation (stargazer's N) and selected rows.
    """

    selection: ModelResult
    outcome: ModelResult
    sigma: float
    rho: float
    nobs: int
    nobs_selected: int
    name: str = ""
    info: dict = field(default_factory=dict)

    @property
    def imr(self) -> float:
        return float(self.outcome.params[IMR])

    @property
    def imr_se(self) -> float:
        return float(self.outcome.bse[IMR])

    def tidy(self, stars: Sequence[float] = DEFAULT_STARS) -> pd.DataFrame:
        """Both equations stacked with a ``part`` column (``"selection"``, ``"outcome"``)."""
        s = self.selection.tidy(stars).assign(part="selection")
        o = self.outcome.tidy(stars).assign(part="outcome")
        out = pd.concat([s, o], ignore_index=True)
        out["model"] = self.name
        return out

    def glance(self) -> dict[str, float]:
        return {
            "N": self.nobs,
            "N_selected": self.nobs_selected,
            "rho": self.rho,
            "sigma": self.sigma,
            "IMR": self.imr,
            "IMR_se": self.imr_se,
        }


def fit_heckit(
    s: np.ndarray,
    Z: np.ndarray,
    z_names: Sequence[str],
    y: np.ndarray,
    X: np.ndarray,
    x_names: Sequence[str],
    *,
    name: str = "",
    tol: float = 1e-10,
    model: str | None = None,
) -> HeckitResult:
    """Two-step Heckman estimator on arrays, as ``sampleSelection::heckit2fit``.

    Parameters
    ----------
    s, Z
        Selection indicator (0/1) and selection regressors for all rows (no missing values).
    y, X
        Outcome and outcome regressors for all rows; only the selected rows are used, so
        unselected rows may hold NaN.

    Returns
    -------
    HeckitResult
        ``selection`` around statsmodels ``ProbitResults``; ``outcome`` around the
        ``sm.OLS`` results of step 3 with the ``heckitVcov`` covariance put in
        (``cov_type="heckit"``, normal inference) and no log-likelihood (NaN).
    """
    import statsmodels.api as sm

    name = _deprecated_model_label(name, model, "fit_heckit")
    s = np.asarray(s, dtype=float)
    Z = np.asarray(Z, dtype=float)
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    z_names, x_names = list(z_names), list(x_names)
    if IMR in x_names:
        raise ValueError(f"the outcome terms may not include {IMR!r}")
    sel = s == 1
    if not (np.isfinite(y[sel]).all() and np.isfinite(X[sel]).all()):
        raise ValueError("outcome data are missing on selected rows")

    probit = fit_probit(s, Z, z_names, name=name, tol=tol)
    zg = probit.info["eta"][sel]
    lam = inverse_mills(zg)
    delta = lam * (lam + zg)

    Xs = np.column_stack([X[sel], lam])
    ys = y[sel]
    n1 = int(sel.sum())
    if n1 <= Xs.shape[1]:
        raise ValueError(f"{n1} selected rows for {Xs.shape[1]} outcome parameters")
    names = [*x_names, IMR]
    ols = sm.OLS(pd.Series(ys, name="y"), pd.DataFrame(Xs, columns=names)).fit()
    beta = np.asarray(ols.params, dtype=float)
    resid = np.asarray(ols.resid, dtype=float)
    b_lam = float(beta[-1])
    sigma = float(np.sqrt(resid @ resid / n1 + delta.mean() * b_lam**2))
    rho = b_lam / sigma
    V = heckit_vcov(Xs, Z[sel], probit.cov_params().to_numpy(), rho, delta, sigma)
    corrected = replace_cov(ols, V, "heckit",
                            description="Two-step Heckman covariance (Greene 2003, p. 785), as sampleSelection::heckitVcov")
    se_lam = float(np.sqrt(V[-1, -1]))
    outcome = ModelResult.from_statsmodels(
        corrected,
        name=name,
        cov_type="heckit",
        llf=float("nan"),
        stats={"sigma": sigma, "rho": rho, "IMR": b_lam, "IMR_se": se_lam, "N_total": len(s)},
        info={"residuals": resid},
    )
    return HeckitResult(
        selection=probit,
        outcome=outcome,
        sigma=sigma,
        rho=rho,
        nobs=len(s),
        nobs_selected=n1,
        name=name,
    )


def heckit(
    df: pd.DataFrame,
    selection_dv: str,
    selection_terms: Sequence[str],
    outcome_dv: str,
    outcome_terms: Sequence[str],
    *,
    aliases: Mapping[str, str] | None = None,
    rows: np.ndarray | pd.Series | None = None,
    name: str = "",
    model: str | None = None,
) -> HeckitResult:
    """:func:`fit_heckit` from a data frame, with ``heckit2fit``'s missing-value rule.

    A row is dropped if the selection outcome or any selection regressor is missing, or if
    it is selected and the outcome or an outcome regressor is missing.  ``rows`` is an
    optional boolean sample restriction applied first.  ``info["rows_dropped"]`` counts
    the rows lost to missing values.  ``model=`` is the deprecated alias of ``name=``.
    """
    name = _deprecated_model_label(name, model, "heckit")
    aliases = dict(aliases or {})
    n = len(df)
    pre = np.ones(n, dtype=bool) if rows is None else np.asarray(rows, dtype=bool)
    s = component_arrays(df, [selection_dv], aliases)[selection_dv]
    y = component_arrays(df, [outcome_dv], aliases)[outcome_dv]
    Z = term_matrix(df, selection_terms, aliases)
    X = term_matrix(df, outcome_terms, aliases)
    bad_sel = np.isnan(s) | np.isnan(Z).any(axis=1)
    selected = ~np.isnan(s) & (s == 1)
    bad_out = selected & (np.isnan(y) | np.isnan(X).any(axis=1))
    keep = pre & ~bad_sel & ~bad_out
    res = fit_heckit(
        s[keep], Z[keep], selection_terms, y[keep], X[keep], outcome_terms, name=name
    )
    res.info.update(
        mask=keep,
        rows_in=int(pre.sum()),
        rows_dropped=int(pre.sum() - keep.sum()),
        columns=components([*selection_terms, *outcome_terms]),
    )
    return res
