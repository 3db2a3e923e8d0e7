"""Newton-Raphson maximum likelihood for single-index models, on numpy arrays.

Every likelihood fitted in this book (logit, probit, zero-truncated Poisson) has the form
``sum_i l(y_i, eta_i)`` with ``eta = X @ beta``.  Newton's method then needs only three
per-row quantities at the current ``eta``: the log-likelihood contribution, its first
derivative ``d1 = dl/deta`` and the negative second derivative ``w = -d2l/deta2``.  The
score is ``X' d1`` and the (observed) information ``X' diag(w) X``.  A :class:`Family`
supplies these, :func:`newton_ml` does the rest.

For the logit (the canonical link) the observed and expected information coincide, so the
estimates and model-based covariance equal R's ``glm(..., family = binomial)`` (IRLS) and
statsmodels ``Logit(...).fit(method="newton")``.  For the probit the information is the
observed one, as in ``sampleSelection::probit`` (maxLik Newton-Raphson) and statsmodels
``Probit``; R's ``glm`` with a probit link reports the expected information instead.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from scipy import linalg as _la
from scipy import special as _sp


class ConvergenceError(RuntimeError):
    """The maximiser did not converge (or the information matrix is singular)."""


class SeparationError(ConvergenceError):
    """A binary regressor predicts a binary outcome perfectly: the ML estimate does not exist."""


Derivs = Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Family:
    """Per-row log-likelihood derivatives for a single-index model.

    ``derivs(y, eta)`` returns ``(loglik, d1, w)``: the summed log-likelihood, the first
    derivative of each row's contribution with respect to ``eta`` and the negative second
    derivative.  ``intercept_start(y)`` is the intercept-only ML value, used as the starting
    value of the constant (all other coefficients start at zero).
    """

    name: str
    derivs: Derivs
    intercept_start: Callable[[np.ndarray], float]
    binary: bool = False


# --- logit ------------------------------------------------------------------------------
def _logit_derivs(y: np.ndarray, eta: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    if eta.max() < 30.0:  # the usual case: one exp serves both p and log(1 + e^eta)
        ex = np.exp(eta)
        p = ex / (1.0 + ex)
        softplus_sum = np.log1p(ex).sum()
    else:  # max(eta, 0) + log1p(e^-|eta|) never overflows
        p = _sp.expit(eta)
        softplus_sum = (np.maximum(eta, 0.0) + np.log1p(np.exp(-np.abs(eta)))).sum()
    llf = float(y @ eta - softplus_sum)
    return llf, y - p, p * (1.0 - p)


def _logit_start(y: np.ndarray) -> float:
    m = float(np.clip(y.mean(), 1e-10, 1 - 1e-10))
    return float(np.log(m / (1 - m)))


LOGIT = Family("logit", _logit_derivs, _logit_start, binary=True)


# --- probit -----------------------------------------------------------------------------
def _probit_derivs(y: np.ndarray, eta: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    q = 2.0 * y - 1.0
    qe = q * eta
    log_cdf = _sp.log_ndtr(qe)
    # Inverse Mills ratio phi(qe)/Phi(qe), computed on the log scale for stability.
    mills = np.exp(-0.5 * qe * qe - 0.5 * np.log(2 * np.pi) - log_cdf)
    lam = q * mills
    return float(log_cdf.sum()), lam, lam * (lam + eta)


def _probit_start(y: np.ndarray) -> float:
    m = float(np.clip(y.mean(), 1e-10, 1 - 1e-10))
    return float(_sp.ndtri(m))


PROBIT = Family("probit", _probit_derivs, _probit_start, binary=True)


# --- zero-truncated Poisson ---------------------------------------------------------------
def _ztp_derivs(y: np.ndarray, eta: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    mu = np.exp(eta)
    one_m = -np.expm1(-mu)  # 1 - exp(-mu), accurate for small mu
    llf = float(np.sum(y * eta - mu - np.log(one_m) - _sp.gammaln(y + 1.0)))
    ratio = mu / one_m  # E(y | y > 0)
    d1 = y - ratio
    # d(ratio)/d(eta) = Var(y | y > 0) = ratio * (1 + mu - ratio)
    w = ratio * (1.0 + mu - ratio)
    return llf, d1, w


def _ztp_start(y: np.ndarray) -> float:
    # Solve mu / (1 - exp(-mu)) = mean(y) by a few Newton steps on log(mu).
    m = float(y.mean())
    if m <= 1.0:
        return -5.0
    lmu = np.log(m)
    for _ in range(50):
        mu = np.exp(lmu)
        r = mu / -np.expm1(-mu)
        f = r - m
        fp = r * (1 + mu - r)
        step = f / fp
        lmu -= step
        if abs(step) < 1e-12:
            break
    return float(lmu)


TRUNCATED_POISSON = Family("zero-truncated poisson", _ztp_derivs, _ztp_start)


# --- checks -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ColumnProfile:
    """What one pass over the design reveals: finiteness, intercept and 0/1 columns."""

    finite: bool
    ones: np.ndarray  # column is identically 1
    binary: np.ndarray  # column holds only 0 and 1, and both
    rms: np.ndarray  # root mean square of each column (its scale)


def column_profile(X: np.ndarray, block: int = 8192) -> ColumnProfile:
    """Scan ``X`` once, in row blocks (a column of a C-ordered matrix is not contiguous)."""
    k = X.shape[1]
    finite = True
    all_one = np.ones(k, dtype=bool)
    all_01 = np.ones(k, dtype=bool)
    any_one = np.zeros(k, dtype=bool)
    any_zero = np.zeros(k, dtype=bool)
    sumsq = np.zeros(k)
    for s in range(0, X.shape[0], block):
        B = X[s : s + block]
        finite = finite and bool(np.isfinite(B).all())
        z = B == 0.0
        o = B == 1.0
        all_one &= o.all(axis=0)
        all_01 &= (z | o).all(axis=0)
        any_one |= o.any(axis=0)
        any_zero |= z.any(axis=0)
        sumsq += np.einsum("ij,ij->j", B, B)
    rms = np.sqrt(sumsq / max(X.shape[0], 1))
    return ColumnProfile(finite, all_one, all_01 & any_one & any_zero, rms)


def constant_columns(X: np.ndarray) -> np.ndarray:
    """Indices of columns that are identically one (an intercept)."""
    return np.flatnonzero(column_profile(X).ones)


def binary_columns(X: np.ndarray) -> np.ndarray:
    """Indices of 0/1 columns that are not constant."""
    return np.flatnonzero(column_profile(X).binary)


def check_dummy_separation(
    y: np.ndarray, X: np.ndarray, names: Sequence[str], profile: ColumnProfile | None = None
) -> None:
    """Raise :class:`SeparationError` if a 0/1 regressor separates a 0/1 outcome.

    If every row with ``x = 1`` (or every row with ``x = 0``) has the same outcome, the
    likelihood keeps rising as that coefficient runs to plus or minus infinity: the ML
    estimate does not exist.  R's ``glm`` then stops with a huge coefficient and a warning
    ("fitted probabilities numerically 0 or 1 occurred"); here it is an error that names
    the column.  Typical case: a year dummy for a year without events.
    """
    n = y.shape[0]
    binary = np.flatnonzero((profile or column_profile(X)).binary)
    if binary.size == 0:
        return
    n1 = X[:, binary].sum(axis=0)
    e1 = y @ X[:, binary]
    n0 = n - n1
    e0 = y.sum() - e1
    bad = ((e1 == 0) | (e1 == n1)) | ((e0 == 0) | (e0 == n0))
    if bad.any():
        cols = [str(names[j]) for j in binary[bad]]
        raise SeparationError(
            "quasi-complete separation: the outcome is constant within one category of "
            f"{cols}; the ML estimate does not exist. Drop those rows or the regressor "
            "(for year dummies use absorb_years, which drops event-less years)."
        )


# --- the maximiser ----------------------------------------------------------------------
@dataclass
class NewtonFit:
    """Output of :func:`newton_ml`.

    ``information`` is ``X' diag(w) X`` at the estimates; ``cov`` its inverse (the
    model-based covariance).  ``d1`` and ``w`` are the per-row derivatives at the estimates,
    so the score contributions are ``d1[:, None] * X``.
    """

    beta: np.ndarray
    llf: float
    information: np.ndarray
    cov: np.ndarray
    eta: np.ndarray
    d1: np.ndarray
    w: np.ndarray
    iterations: int
    converged: bool


class IllConditionedWarning(UserWarning):
    """The information matrix at the estimates is close to singular."""


MAX_CONDITION = 1e12
"""Condition number of the information matrix above which :func:`newton_ml` warns."""


def _covariance(
    H: np.ndarray, beta: np.ndarray, names: Sequence[str], family: str, scale: np.ndarray
) -> np.ndarray:
    """Inverse of the information matrix, with a warning that names unidentified coefficients.

    A coefficient that runs off towards infinity while its score vanishes (a dummy that is
    1 on a single row whose outcome is at the boundary, e.g. y = 1 in a zero-truncated
    count model) leaves Newton's steps tiny and the information nearly singular.  R reports
    such a coefficient with an absurd standard error; so does this function, but it warns.
    The condition number is taken after scaling each column of X to unit root mean square,
    so a regressor measured in large units (military spending in dollars) does not trigger it.
    """
    s = np.where(scale > 0, 1.0 / np.where(scale > 0, scale, 1.0), 1.0)
    cond = np.linalg.cond(H * np.outer(s, s))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", _la.LinAlgWarning)
        cov = _la.inv(H, check_finite=False)
    cov = (cov + cov.T) / 2
    if not np.isfinite(cond) or cond > MAX_CONDITION:
        se = np.sqrt(np.abs(np.diag(cov)))
        worst = [str(names[j]) for j in np.argsort(-se)[:3] if se[j] > 1e3 * (1 + np.median(se))]
        warnings.warn(
            f"{family}: the information matrix is nearly singular (condition number {cond:.2g}); "
            f"coefficients not identified by the data: {worst or 'unclear'} "
            f"(largest |coef| {np.max(np.abs(beta)):.3g}). A sign of (quasi-)separation.",
            IllConditionedWarning,
            stacklevel=3,
        )
    return cov


def _weak_columns(H: np.ndarray, names: Sequence[str], scale: np.ndarray) -> list[str]:
    """Columns whose (scale-free) information is negligible next to the others'."""
    d = np.diag(H) / np.where(scale > 0, scale, 1.0) ** 2
    return [str(names[j]) for j in np.flatnonzero(d < 1e-10 * d.max())]


def _solve_spd(
    H: np.ndarray, g: np.ndarray, names: Sequence[str], scale: np.ndarray, beta: np.ndarray
) -> np.ndarray:
    try:
        c = _la.cho_factor(H, check_finite=False)
    except _la.LinAlgError as exc:
        weak = _weak_columns(H, names, scale)
        detail = (
            f"the coefficients of {weak} are running off to infinity (largest |coef| "
            f"{np.max(np.abs(beta)):.3g}): (quasi-)separation"
            if weak
            else "the regressors are collinear or the data are (quasi-)separated"
        )
        raise ConvergenceError(f"the information matrix is not positive definite: {detail}") from exc
    return _la.cho_solve(c, g, check_finite=False)


def _pass(
    y: np.ndarray,
    X: np.ndarray,
    beta: np.ndarray,
    family: Family,
    eta: np.ndarray,
    d1: np.ndarray,
    w: np.ndarray,
) -> tuple[float, np.ndarray, np.ndarray]:
    """Log-likelihood, score ``X'd1`` and information ``X'WX`` at ``beta``, in row blocks.

    Blocks (:func:`block_rows`) keep every intermediate in cache and keep each matrix
    product below the size at which OpenBLAS starts threads.  On the paper's 420,000 x 10
    designs this measured about twice as fast as whole-array products on a two-core
    machine, and it avoids erratic slow-downs when threaded BLAS competes with other
    processes.  ``eta``, ``d1`` and ``w`` are filled in place.
    """
    n, k = X.shape
    llf = 0.0
    g = np.zeros(k)
    H = np.zeros((k, k))
    rows = block_rows(k)
    for s in range(0, n, rows):
        e = slice(s, s + rows)
        Xb = X[e]
        eta_b = Xb @ beta
        l_b, d1_b, w_b = family.derivs(y[e], eta_b)
        llf += l_b
        g += Xb.T @ d1_b
        H += (Xb * w_b[:, None]).T @ Xb
        eta[e], d1[e], w[e] = eta_b, d1_b, w_b
    return llf, g, H


BLOCK_WORK = 65536 * 4
"""Largest ``rows x k x k`` of a per-block product ``X_b' W_b X_b``.

OpenBLAS runs a matrix product on one thread when ``m n k <= 65536 x 4`` (its default
``GEMM_MULTITHREAD_THRESHOLD``).  Larger blocks start threads, which on a busy two-core
machine made a 34-column pass (Table 4's year dummies) up to 30 times slower."""


def block_rows(k: int) -> int:
    """Rows per block in :func:`_pass` for ``k`` regressors (2,621 for k = 10; 64 to 4,096)."""
    return int(np.clip(BLOCK_WORK // max(k * k, 1), 64, 4096))

SUBSAMPLE_START_MIN_ROWS = 50_000
"""Logit fits on at least this many rows start from :func:`case_control_start`."""


def case_control_start(
    y: np.ndarray, X: np.ndarray, names: Sequence[str], const: int, *, ratio: int = 100, tol: float = 1e-10
) -> np.ndarray | None:
    """Starting values for a large logit from a case-control subsample (King & Zeng 2001).

    Keep every row of the rarer outcome and an evenly spaced ``1/m`` of the others (about
    ``ratio`` of them per rare row), fit the logit there, and undo the sampling with the
    prior correction of the intercept: ``beta0 + log(r)`` when zeros were kept at rate ``r``
    (``beta0 - log(r)`` when ones were).  The slopes of a logit are consistent under such
    sampling, so the full-data Newton iterations start close to the optimum and need about
    half as many passes over the data.  Only the starting point changes, never the
    estimate.  Returns None (use the default start) when subsampling would not help or the
    subsample fit fails.
    """
    rare_value = 1.0 if y.mean() <= 0.5 else 0.0
    rare = np.flatnonzero(y == rare_value)
    common = np.flatnonzero(y != rare_value)
    m = len(common) // (ratio * max(len(rare), 1))
    if m < 2:
        return None
    kept = common[::m]
    rows = np.sort(np.concatenate([rare, kept]))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", IllConditionedWarning)  # judged on the full data
            sub = newton_ml(y[rows], X[rows], LOGIT, names=names, tol=tol)
    except (ConvergenceError, ValueError):
        return None
    beta = sub.beta.copy()
    shift = np.log(len(kept) / len(common))
    beta[const] += shift if rare_value == 1.0 else -shift
    return beta


def newton_ml(
    y: np.ndarray,
    X: np.ndarray,
    family: Family,
    *,
    names: Sequence[str] | None = None,
    start: np.ndarray | None = None,
    tol: float = 1e-10,
    maxiter: int = 100,
) -> NewtonFit:
    """Maximise ``sum_i l(y_i, x_i'beta)`` by Newton-Raphson with step halving.

    Converged when the next Newton step would move no coefficient by more than ``tol`` in
    units of its regressor's scale (``|step_j| * rms(x_j) < tol``, so a regressor measured in
    dollars gets as many significant digits as a dummy); the information matrix returned is
    evaluated at the final estimates.  If a full step lowers the log-likelihood it is
    halved, up to 60 times.  Starting values: ``start`` if given; for a logit on 50,000
    rows or more, :func:`case_control_start`; otherwise zeros with the intercept at its
    intercept-only ML value.

    Raises
    ------
    SeparationError
        For binary families, when a 0/1 regressor separates the outcome (checked first).
    ConvergenceError
        When ``maxiter`` iterations pass without convergence (usually separation that the
        dummy check cannot see, or a coefficient running off to infinity), or when the
        information matrix is singular.
    """
    y = np.ascontiguousarray(y, dtype=float)
    X = np.ascontiguousarray(X, dtype=float)
    n, k = X.shape
    names = list(names) if names is not None else [f"x{j}" for j in range(k)]
    if y.shape[0] != n:
        raise ValueError(f"y has {y.shape[0]} rows, X has {n}")
    if n <= k:
        raise ValueError(f"{n} observations for {k} parameters")
    profile = column_profile(X)
    if not (np.isfinite(y).all() and profile.finite):
        raise ValueError("y and X must be finite (drop missing rows first)")
    if family.binary:
        if not np.all((y == 0) | (y == 1)):
            raise ValueError("the outcome of a binary model must be 0/1")
        if y.min() == y.max():
            raise SeparationError("the outcome has no variation")
        check_dummy_separation(y, X, names, profile)

    step_scale = np.where(profile.rms > 0, profile.rms, 1.0)
    const = np.flatnonzero(profile.ones)
    if start is not None:
        beta = np.asarray(start, dtype=float).copy()
    else:
        beta = None
        if family is LOGIT and const.size and n >= SUBSAMPLE_START_MIN_ROWS:
            beta = case_control_start(y, X, names, int(const[0]), tol=tol)
        if beta is None:
            beta = np.zeros(k)
            if const.size:
                beta[const[0]] = family.intercept_start(y)

    cur = (np.empty(n), np.empty(n), np.empty(n))  # eta, d1, w at beta
    trial = (np.empty(n), np.empty(n), np.empty(n))
    llf, g, H = _pass(y, X, beta, family, *cur)
    for it in range(1, maxiter + 1):
        step = _solve_spd(H, g, names, step_scale, beta)
        if np.max(np.abs(step) * step_scale) < tol:
            cov = _covariance(H, beta, names, family.name, profile.rms)
            return NewtonFit(beta, llf, H, cov, *cur, iterations=it - 1, converged=True)
        for _ in range(60):
            new_beta = beta + step
            new = _pass(y, X, new_beta, family, *trial)
            if np.isfinite(new[0]) and new[0] >= llf - 1e-9 * (1.0 + abs(llf)):
                break
            step = step / 2.0
        else:
            raise ConvergenceError(f"{family.name}: step halving failed at iteration {it}")
        beta = new_beta
        llf, g, H = new
        cur, trial = trial, cur
    big = np.argsort(-np.abs(beta))[:3]
    raise ConvergenceError(
        f"{family.name}: no convergence after {maxiter} iterations; largest coefficients "
        + ", ".join(f"{names[j]}={beta[j]:.3g}" for j in big)
        + " - a sign of (quasi-)separation or of a badly scaled regressor"
    )
