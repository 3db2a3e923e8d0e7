"""Logit fits as statsmodels results, with a fast Newton path for the book's large designs.

The covariance clustered as R clusters it is :mod:`.clustered`; year fixed effects are
:mod:`.fixed_effects`.

**The fast path.** ``Logit.fit(method="newton")`` spends about 50 ms per iteration on the
paper's 423,000 x 10 design (its Hessian forms a transposed n x k temporary), has no step
control (from an intercept-only start it diverges on these rare events) and needs 15
iterations from zeros.  The benchmark (``scripts/benchmark.py``) shows that even from good
starting values it cannot fit Table 1, Model 4 with clustered errors in the 0.3 s the book
allows itself.  :func:`fit_logit_arrays` therefore runs Newton's method itself, in row
blocks that stay in cache, with step halving, from a case-control starting value, and
hands the estimates to statsmodels: :meth:`LeanLogit.to_results` builds the same
``LogitResults`` that ``sm.Logit(...).fit()`` returns (same ``params``, ``cov_params()``,
``llf``; ``summary()``, ``t_test()``, ``get_prediction()`` work), so :func:`logit` returns an
object a statsmodels user knows.  The tests check the two paths against each other.

This module is longer than most because the fast Newton path, its checks and its bridge to
statsmodels' ``LogitResults`` are one idea that the benchmark justifies; the clustered
covariance and year effects live in their own modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import linalg as _la
from scipy.special import expit as _expit

from .clustered import R_CLUSTER_DESCRIPTION, cluster_codes, cluster_score_sums, r_cluster_sandwich
from .design import Design
from .diagnostics import (
    COLLINEAR_TOL,
    CollinearityError,
    ConvergenceError,
    check_binary_outcome,
    check_collinearity,
    check_dummy_separation,
    check_finite,
    collinear_columns,
    column_profile,
    column_scale,
    constant_columns,
    nonconvergence_error,
    warn_if_ill_conditioned,
)
from .results import ModelResult, _deprecated_model_label, replace_cov

COV_TYPES = ("model", "cluster")


def binary_gof(llf: float, nobs: int, k: int) -> dict[str, float]:
    """AIC, BIC and deviance of a binary ML fit as R's ``glm`` reports them.

    For 0/1 data the saturated log-likelihood is zero, so deviance = -2 llf,
    AIC = deviance + 2k and BIC = deviance + k log(N) (texreg's GOF rows of Table 5).
    """
    dev = -2.0 * llf
    return {"AIC": dev + 2.0 * k, "BIC": dev + k * np.log(nobs), "deviance": dev}


# --- the fast Newton path ---------------------------------------------------------------
BLOCK_CELLS = 49_152
"""Cells (``rows x k``) of one row block of a Newton pass: about 400 kB of the design, so a
block and its temporaries stay in the core's cache.  Measured on Model 4 (``scripts/benchmark.py``,
models section): a pass over 423,000 x 10 takes about 8 ms in blocks of 4,915 rows, against
11 ms with the earlier rule of ``262,144 / k**2`` rows (2,621), and 12 against 20 ms with 14
columns.  The products are then larger than OpenBLAS's threshold for using threads, so
:func:`fit_logit_arrays` runs them on one BLAS thread (:data:`_BLAS`): with two threads on a
busy two-core machine a 34-column pass (Table 4's year dummies) was up to four times slower."""

_BLAS = None


def _one_blas_thread():
    """A context in which BLAS runs on one thread (a cached threadpoolctl controller: 5 µs)."""
    global _BLAS
    if _BLAS is None:
        from threadpoolctl import ThreadpoolController
        _BLAS = ThreadpoolController()
    return _BLAS.limit(limits=1, user_api="blas")


SUBSAMPLE_START_MIN_ROWS = 50_000
"""Fits on at least this many rows start from :func:`case_control_start`."""


POLISH = 1e-3
"""A converged fit whose last Newton step exceeded ``POLISH * tol`` standard errors takes that
step and evaluates the information once more, so that estimates, covariance and scores
are accurate to far better than ``tol`` (quadratic convergence), at most one pass more."""


def block_rows(k: int) -> int:
    """Rows per block of a Newton pass for ``k`` regressors (4,915 for k = 10; 256 to 16,384)."""
    return int(np.clip(BLOCK_CELLS // max(k, 1), 256, 16384))


def _logit_pass(y: np.ndarray, X: np.ndarray, beta: np.ndarray, resid: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Log-likelihood, score ``X'(y - p)`` and information ``X'WX`` at ``beta``, in row blocks.

    ``X`` is column-major (Fortran order), so a block of rows is a contiguous ``k x rows``
    slice of ``X.T``.  Blocks keep every temporary in cache: on the 423,000 x 10 design a
    pass takes about 8 ms, against 16 ms for row-major blocks and 30 ms for whole-array
    products (``scripts/benchmark.py``, models section).  ``resid`` (n) receives ``y - p``.
    """
    n, k = X.shape
    XT = X.T
    llf = 0.0
    g = np.zeros(k)
    H = np.zeros((k, k))
    rows = block_rows(k)
    for s in range(0, n, rows):
        e = slice(s, s + rows)
        Xb, yb = XT[:, e], y[e]
        eta = beta @ Xb
        if eta.max() < 30.0:  # the usual case: one exp serves both p and log(1 + e^eta)
            ex = np.exp(eta)
            p = ex / (1.0 + ex)
            softplus = np.log1p(ex).sum()
        else:  # max(eta, 0) + log1p(e^-|eta|) never overflows
            p = _expit(eta)
            softplus = (np.maximum(eta, 0.0) + np.log1p(np.exp(-np.abs(eta)))).sum()
        llf += float(yb @ eta - softplus)
        r = np.subtract(yb, p, out=resid[e])
        g += Xb @ r
        H += (Xb * (p * (1.0 - p))) @ Xb.T
    return llf, g, H


def _cholesky(H: np.ndarray, X: np.ndarray, names: Sequence[str], beta: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Cholesky factor of the information, or an error that names collinear or runaway columns."""
    try:
        L = _la.cholesky(H, lower=True, check_finite=False)
        ok = np.all(np.diag(L) ** 2 > COLLINEAR_TOL * np.diag(H))
    except _la.LinAlgError:
        ok = False
    if ok:
        return L
    check_collinearity(X, names)  # raises, naming the columns, when X itself is rank deficient
    weak = list(collinear_columns(X, names, gram=H))
    raise nonconvergence_error(
        "logit", y, X, names, beta,
        f"the information matrix became singular (the coefficients of {weak or 'some columns'} are "
        "running off to infinity)",
    )


@dataclass(frozen=True, eq=False)
class LeanLogit:
    """Estimates of a logit from :func:`fit_logit_arrays`, as plain numpy values.

    Attributes
    ----------
    params
        ML estimates (k).
    cov_model
        Inverse information ``(X'WX)^-1`` at ``params``: ``vcov(glm)``.
    cov_cluster
        R's ``vcovCL`` (HC0 x G/(G-1)) when cluster codes were given, else None.
    llf
        Log-likelihood at ``params``.
    iterations
        Newton steps taken (information matrices evaluated minus one).
    converged
        Always True: a fit that does not converge raises instead.
    nobs, n_clusters
        Rows, and clusters (None without clusters).
    start
        Where Newton started: ``"given"``, ``"case-control"`` or ``"intercept"``.
    """

    params: np.ndarray
    cov_model: np.ndarray
    cov_cluster: np.ndarray | None
    llf: float
    iterations: int
    converged: bool
    nobs: int
    n_clusters: int | None = None
    start: str = "given"

    @property
    def bse(self) -> np.ndarray:
        """Standard errors from ``cov_cluster`` when present, else from ``cov_model``."""
        V = self.cov_cluster if self.cov_cluster is not None else self.cov_model
        return np.sqrt(np.diag(V))

    def to_results(
        self,
        names: Sequence[str],
        y: np.ndarray,
        X: np.ndarray,
        *,
        name: str = "",
        dv: str = "y",
        cov: str | None = None,
        groups: np.ndarray | None = None,
    ) -> ModelResult:
        """The full result object: a :class:`ModelResult` around statsmodels ``LogitResults``.

        ``y`` and ``X`` must be the arrays that were fitted (they become ``model.endog`` and
        ``model.exog``; nothing is copied).  ``cov``: ``"cluster"`` (default when clustered)
        or ``"model"``.  ``groups`` (the cluster codes or labels, optional) are stored in the
        statsmodels results' ``cov_kwds`` for later refits.
        """
        names = [str(v) for v in names]
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        if X.shape != (self.nobs, len(self.params)) or y.shape != (self.nobs,):
            raise ValueError(f"to_results needs the fitted arrays: y ({self.nobs},) and X "
                             f"({self.nobs}, {len(self.params)}); got {y.shape} and {X.shape}")
        if len(names) != len(self.params):
            raise ValueError(f"{len(names)} names for {len(self.params)} coefficients")
        cov = cov or ("cluster" if self.cov_cluster is not None else "model")
        if cov not in COV_TYPES:
            raise ValueError(f"cov must be one of {COV_TYPES}, not {cov!r}")
        if cov == "cluster" and self.cov_cluster is None:
            raise ValueError('cov="cluster" needs a fit with cluster codes')
        res = logit_results(y, X, names, self.params, self.cov_model, llf=self.llf,
                            iterations=self.iterations, dv=dv)
        n, k = X.shape
        stats: dict[str, Any] = binary_gof(self.llf, n, k)
        info: dict[str, Any] = {
            "family": "logit",
            "iterations": self.iterations,
            "converged": self.converged,
            "start": self.start,
            "cov_model": pd.DataFrame(self.cov_model, index=names, columns=names),
        }
        if cov == "cluster":
            kw: dict[str, Any] = {"use_correction": False, "n_groups": self.n_clusters}
            if groups is not None:
                kw["groups"] = np.asarray(groups)
            res = replace_cov(res, self.cov_cluster, "cluster", description=R_CLUSTER_DESCRIPTION, **kw)
            stats["clusters"] = self.n_clusters
        return ModelResult.from_statsmodels(res, name=name, cov_type=cov, llf=self.llf, stats=stats, info=info)


def case_control_start(y: np.ndarray, X: np.ndarray, *, ratio: int = 100, tol: float = 1e-8) -> np.ndarray | None:
    """Starting values for a large rare-events logit from a case-control subsample (King & Zeng 2001).

    Keep every row of the rarer outcome and an evenly spaced ``1/m`` of the others (about
    ``ratio`` of them per rare row), fit the logit there, and undo the sampling with the
    prior correction of the intercept: ``beta0 + log(r)`` when zeros were kept at rate ``r``
    (``beta0 - log(r)`` when ones were).  The slopes of a logit are consistent under such
    sampling, so the full-data Newton iterations start close to the optimum.  Only the
    starting point changes, never the estimate.  Returns None (use another start) when the
    design has no intercept, subsampling would not help, or the subsample fit fails.
    """
    const = constant_columns(X)
    if const.size == 0:
        return None
    rare_value = 1.0 if y.mean() <= 0.5 else 0.0
    rare = np.flatnonzero(y == rare_value)
    common = np.flatnonzero(y != rare_value)
    m = len(common) // (ratio * max(len(rare), 1))
    if m < 2:
        return None
    kept = common[::m]
    rows = np.sort(np.concatenate([rare, kept]))
    try:
        sub = fit_logit_arrays(y[rows], X[rows], tol=tol, check=False, _start_rule="intercept")
    except (ConvergenceError, ValueError):
        return None
    beta = sub.params.copy()
    shift = np.log(len(kept) / len(common))
    beta[const[0]] += shift if rare_value == 1.0 else -shift
    return beta


def _intercept_start(y: np.ndarray, X: np.ndarray) -> np.ndarray:
    beta = np.zeros(X.shape[1])
    const = constant_columns(X)
    if const.size:
        m = float(np.clip(y.mean(), 1e-10, 1 - 1e-10))
        beta[const[0]] = np.log(m / (1 - m))
    return beta


def fit_logit_arrays(
    y: np.ndarray,
    X: np.ndarray,
    *,
    start: np.ndarray | None = None,
    cluster_codes: np.ndarray | None = None,
    n_clusters: int | None = None,
    tol: float = 1e-8,
    maxiter: int = 50,
    names: Sequence[str] | None = None,
    check: bool = True,
    _start_rule: str | None = None,
) -> LeanLogit:
    """ML logit by Newton's method on arrays; the fast path behind :func:`logit`.

    Parameters
    ----------
    y
        0/1 outcome, float64 (n).
    X
        Regressors, float64 (n x k), a column of ones for the constant.  Column-major
        (Fortran-order) arrays, as :func:`~coupproof.models.design.build_design` makes them,
        are used as they are; others are copied once.
    start
        Starting values (e.g. the default specification's estimates in a multiverse).
        Default: :func:`case_control_start` on 50,000 rows or more, else zeros with the
        intercept at its intercept-only value.
    cluster_codes, n_clusters
        Cluster codes 0..G-1 (int64, one per row, e.g. from :func:`cluster_codes`) and G:
        then ``cov_cluster`` is R's ``vcovCL``.  ``n_clusters`` defaults to ``max + 1``.
    tol
        Converged when the next Newton step is below ``tol`` standard errors for every
        coefficient (a scale-free rule: a regressor in dollars gets as many digits as a dummy);
        see :data:`POLISH` for the last step.
    maxiter
        Newton steps allowed.  A step that lowers the log-likelihood is halved (up to 30 times).
    names
        Column names, used only in error messages.
    check
        Check the data, the outcome and the 0/1 regressors for separation before fitting
        (about 15 ms on the paper's 423,000 x 10 design).  Without it, a separating dummy is
        still named, after the fit runs off.

    Raises
    ------
    SeparationError
        A 0/1 regressor separates the outcome (before fitting), or the fit failed and the
        linear-programming check found separation (on designs up to two million cells).
    CollinearityError
        The regressors are collinear (named, with the columns they depend on).
    ConvergenceError
        No convergence in ``maxiter`` steps, step halving failed, or the information
        matrix became singular.
    """
    y = np.ascontiguousarray(y, dtype=np.float64)
    X = np.asfortranarray(X, dtype=np.float64)
    n, k = X.shape if X.ndim == 2 else (0, 0)
    names = [str(v) for v in names] if names is not None else [f"x{j}" for j in range(k)]
    profile = None
    if check:
        check_finite(y, X)
        check_binary_outcome(y)
        profile = column_profile(X)
        check_dummy_separation(y, X, names, profile)
    codes = None
    if cluster_codes is not None:
        codes = np.asarray(cluster_codes)
        if codes.shape != (n,) or codes.dtype.kind not in "iu":
            raise ValueError(f"cluster_codes must be {n} integer codes, got {codes.dtype} {codes.shape}")
        if n_clusters is None:
            n_clusters = int(codes.max()) + 1
        if codes.min() < 0 or codes.max() >= n_clusters:
            raise ValueError(f"cluster_codes must lie in 0..{n_clusters - 1}")

    rule = _start_rule or ("given" if start is not None else
                           "case-control" if n >= SUBSAMPLE_START_MIN_ROWS else "intercept")
    beta = None
    if start is not None:
        beta = np.array(start, dtype=float)
        if beta.shape != (k,):
            raise ValueError(f"start has shape {beta.shape}, expected ({k},)")
    elif rule == "case-control":
        beta = case_control_start(y, X, tol=tol)
        if beta is None:
            rule = "intercept"
    if beta is None:
        beta = _intercept_start(y, X)

    with _one_blas_thread():
        return _newton(y, X, beta, names, tol, maxiter, profile, codes, n_clusters, rule)


def _newton(y: np.ndarray, X: np.ndarray, beta: np.ndarray, names: list[str], tol: float,
            maxiter: int, profile, codes: np.ndarray | None, n_clusters: int | None,
            rule: str) -> LeanLogit:
    """Newton's method with step halving from ``beta`` (see :func:`fit_logit_arrays`)."""
    n, k = X.shape
    resid, trial_resid = np.empty(n), np.empty(n)
    llf, g, H = _logit_pass(y, X, beta, resid)
    if not np.isfinite(llf):
        raise ConvergenceError("logit: the log-likelihood at the starting values is not finite")
    for it in range(maxiter + 1):
        L = _cholesky(H, X, names, beta, y)
        step = _la.cho_solve((L, True), g, check_finite=False)
        cov = _la.cho_solve((L, True), np.eye(k), check_finite=False)
        se = np.sqrt(np.diag(cov))
        size = float(np.max(np.abs(step) / se))
        if size < tol:
            if size > POLISH * tol:  # take the last small step and evaluate once more at it
                beta = beta + step
                llf, g, H = _logit_pass(y, X, beta, resid)
                L = _cholesky(H, X, names, beta, y)
                cov = _la.cho_solve((L, True), np.eye(k), check_finite=False)
                it += 1
            cov = (cov + cov.T) / 2.0
            scale = profile.rms if profile is not None else column_scale(X)
            if warn_if_ill_conditioned(H, cov, beta, names, scale, "logit", stacklevel=4) and profile is None:
                check_dummy_separation(y, X, names)  # a separating dummy is an error, not a warning
            V = None
            if codes is not None:
                V = r_cluster_sandwich(cluster_score_sums(X, resid, codes, n_clusters), cov, n_clusters)
            return LeanLogit(beta, cov, V, llf, it, True, n, n_clusters if codes is not None else None, rule)
        if it == maxiter:
            break
        for _ in range(30):
            new = _logit_pass(y, X, beta + step, trial_resid)
            if np.isfinite(new[0]) and new[0] >= llf - 1e-9 * (1.0 + abs(llf)):
                break
            step = step / 2.0
        else:
            raise nonconvergence_error("logit", y, X, names, beta, f"step halving failed at iteration {it + 1}")
        beta = beta + step
        llf, g, H = new
        resid, trial_resid = trial_resid, resid
    raise nonconvergence_error("logit", y, X, names, beta, f"no convergence after {maxiter} iterations")


def logit_results(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str],
    params: np.ndarray,
    cov: np.ndarray,
    *,
    llf: float | None = None,
    iterations: int = 0,
    dv: str = "y",
) -> Any:
    """statsmodels ``LogitResults`` (wrapped, pandas-labelled) for estimates computed elsewhere.

    Builds ``sm.Logit(y, X)`` (no copy of the data, no second rank check) and the results
    instance ``Logit.fit()`` would return at ``params`` with model-based covariance ``cov``.
    """
    import statsmodels.api as sm
    from statsmodels.base.model import LikelihoodModelResults
    from statsmodels.discrete.discrete_model import BinaryResultsWrapper, LogitResults

    endog = pd.Series(y, name=dv, copy=False)
    exog = pd.DataFrame(X, columns=list(names), copy=False)
    model = sm.Logit(endog, exog, check_rank=False, missing="none")
    mle = LikelihoodModelResults(model, np.asarray(params, dtype=float), np.asarray(cov, dtype=float), scale=1.0)
    mle.mle_retvals = {"converged": True, "iterations": iterations}
    mle.mle_settings = {"optimizer": "newton", "start_params": None}
    res = LogitResults(model, mle)
    if llf is not None:
        res._cache["llf"] = float(llf)  # the same number model.loglike(params) returns
    return BinaryResultsWrapper(res)


# --- the package's entry points ------------------------------------------------------------
def _check_cov_request(cov: str, groups: np.ndarray | pd.Series | None, n: int) -> None:
    """Fail before fitting, not after, on a bad covariance request."""
    if cov not in COV_TYPES:
        raise ValueError(f"cov must be one of {COV_TYPES}, not {cov!r}")
    if cov == "cluster":
        if groups is None:
            raise ValueError('cov="cluster" needs cluster ids (groups=...)')
        if len(groups) != n:
            raise ValueError(f"groups has {len(groups)} entries, the model {n} rows")


def fit_logit(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str] | None = None,
    *,
    cov: str = "model",
    groups: np.ndarray | pd.Series | None = None,
    name: str = "",
    dv: str = "y",
    start: np.ndarray | None = None,
    tol: float = 1e-8,
    maxiter: int = 50,
    model: str | None = None,
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
    name
        The result's label (``model=`` is its deprecated alias).

    Returns
    -------
    ModelResult
        Around statsmodels ``LogitResults``; see :func:`fit_logit_arrays` for the fit.
    """
    name = _deprecated_model_label(name, model, "fit_logit")
    X = np.asfortranarray(X, dtype=float)
    y = np.ascontiguousarray(y, dtype=float)
    _check_cov_request(cov, groups, X.shape[0])
    names = [str(v) for v in names] if names is not None else [f"x{j}" for j in range(X.shape[1])]
    codes = G = None
    if cov == "cluster":
        codes, G = cluster_codes(groups)
    fit = fit_logit_arrays(y, X, start=start, cluster_codes=codes, n_clusters=G, tol=tol, maxiter=maxiter,
                           names=names)
    return fit.to_results(names, y, X, name=name, dv=dv, cov=cov, groups=codes)


def logit(
    design: Design,
    *,
    cov: str = "model",
    groups: np.ndarray | pd.Series | None = None,
    name: str = "",
    start: np.ndarray | None = None,
    tol: float = 1e-8,
    maxiter: int = 50,
    model: str | None = None,
) -> ModelResult:
    """:func:`fit_logit` on a :class:`~coupproof.models.design.Design`.

    ``groups`` may be as long as the design's input frame (it is subset with the design's
    row mask) or as long as the rows used.  The design's row report is kept in
    ``result.info["design"]``.  ``model=`` is the deprecated alias of ``name=``.
    """
    name = _deprecated_model_label(name, model, "logit")
    g = design.align(groups, "groups") if groups is not None else None
    res = fit_logit(design.y, design.X, design.terms, cov=cov, groups=g, name=name, dv=design.dv,
                    start=start, tol=tol, maxiter=maxiter)
    res.info["design"] = design.report()
    return res


__all__ = [
    "COV_TYPES",
    "LeanLogit",
    "binary_gof",
    "case_control_start",
    "fit_logit",
    "fit_logit_arrays",
    "logit",
    "logit_results",
]
