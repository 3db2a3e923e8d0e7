"""Checks that name the offending column: collinearity, separation, non-identification.

A maximum-likelihood fit can fail in three ways that R reports only indirectly:

* **collinearity** - a regressor is a linear combination of others.  R's ``glm`` silently
  drops it (its coefficient is ``NA``); statsmodels raises a singular-matrix error or returns
  a pseudo-inverse.  :func:`check_collinearity` names the column and the columns it is a
  combination of, before anything is fitted.
* **separation** - a regressor predicts the outcome perfectly within a category, so the
  likelihood keeps rising as a coefficient runs to infinity.  R stops with a huge
  coefficient and the warning "fitted probabilities numerically 0 or 1 occurred".
  :func:`check_dummy_separation` catches the common case (a 0/1 regressor whose rows all
  share one outcome, e.g. a year dummy for a year without events) in one pass over the
  data; :func:`find_separation` runs the exact linear-programming check of Konis (2007),
  through ``firthmodels.detect_separation``, for the cases a dummy check cannot see.
* **weak identification** - the fit stops, but the information matrix is nearly singular
  (a coefficient drifting off to infinity with a vanishing score).
  :func:`warn_if_ill_conditioned` warns and names the coefficients with absurd standard
  errors.

Every error here is a :class:`ConvergenceError`, so ``except ConvergenceError`` around a fit
catches all of them.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Sequence

import numpy as np

MAX_CONDITION = 1e12
"""Condition number of the (column-scaled) information matrix above which fits warn."""

COLLINEAR_TOL = 1e-10
"""A column is collinear when less than this share of its (uncentred) sum of squares is
left after projecting it on the columns before it."""

LP_SEPARATION_MAX_CELLS = 2_000_000
"""Largest ``n x k`` for which a failed fit runs the linear-programming separation check
automatically (it takes seconds on the paper's 420,000-row designs)."""


class ConvergenceError(RuntimeError):
    """The maximum-likelihood estimate could not be computed."""


class SeparationError(ConvergenceError):
    """A regressor predicts a binary outcome perfectly: the ML estimate does not exist."""


class CollinearityError(ConvergenceError):
    """A regressor is a linear combination of other regressors."""


class IllConditionedWarning(UserWarning):
    """The information matrix at the estimates is close to singular."""


def _names(names: Sequence[str] | None, k: int) -> list[str]:
    return [str(v) for v in names] if names is not None else [f"x{j}" for j in range(k)]


# --- data checks -------------------------------------------------------------------------
def check_finite(y: np.ndarray, X: np.ndarray) -> None:
    """Raise ``ValueError`` unless ``y`` and ``X`` are finite and have matching rows."""
    if X.ndim != 2:
        raise ValueError(f"X must be two-dimensional, got shape {X.shape}")
    n, k = X.shape
    if y.shape != (n,):
        raise ValueError(f"y has shape {y.shape}, X has {n} rows")
    if n <= k:
        raise ValueError(f"{n} observations for {k} parameters")
    if not (np.isfinite(y).all() and np.isfinite(X).all()):
        raise ValueError("y and X must be finite (drop missing rows first)")


def check_binary_outcome(y: np.ndarray) -> None:
    """Raise unless ``y`` holds only 0 and 1, and both."""
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("the outcome of a binary model must be 0/1")
    if y.min() == y.max():
        raise SeparationError("the outcome has no variation")


def column_reduce(ufunc: np.ufunc, A: np.ndarray, block: int = 256) -> np.ndarray:
    """``ufunc.reduce(A, axis=0)`` for a tall ``A``, fast in either memory order.

    A column-major ``A`` is reduced column by column as it is.  Reducing a row-major n x k
    array over its rows runs an inner loop of length k per row; viewing it as
    ``(n / block) x (block * k)`` first gives the inner loop ``block * k`` elements, then a
    second reduction folds the ``block`` partial rows (five times faster).
    """
    A = np.asarray(A)
    if A.ndim != 2 or A.flags.f_contiguous:
        return ufunc.reduce(A, axis=0)
    A = np.ascontiguousarray(A)
    n, k = A.shape
    q = n // block
    if q == 0:
        return ufunc.reduce(A, axis=0)
    out = ufunc.reduce(ufunc.reduce(A[: q * block].reshape(q, block * k), axis=0).reshape(block, k), axis=0)
    if n > q * block:
        out = ufunc(out, ufunc.reduce(A[q * block:], axis=0))
    return out


@dataclass(frozen=True)
class ColumnProfile:
    """What a few passes over the design reveal: each column's range, sum, scale and type."""

    minimum: np.ndarray
    maximum: np.ndarray
    total: np.ndarray
    rms: np.ndarray  # root mean square: the unit in which a coefficient is judged
    binary: np.ndarray  # holds only 0 and 1, and both (bool)
    ones: np.ndarray  # identically 1: an intercept (bool)


def column_profile(X: np.ndarray) -> ColumnProfile:
    """Range, sum, root mean square and 0/1-ness of every column of ``X`` (about 6 ms on a
    column-major 423,000 x 10 design).

    A column is 0/1 when its range is [0, 1] and the sum of ``x(1 - x)`` is exactly zero:
    every term is non-negative for ``0 <= x <= 1`` and zero only at 0 and 1, and a sum of
    non-negative floating-point numbers is zero only if every term is.
    """
    X = np.asarray(X, dtype=float)
    n = max(X.shape[0], 1)
    mn = column_reduce(np.minimum, X)
    mx = column_reduce(np.maximum, X)
    total = column_reduce(np.add, X)
    rms = np.sqrt(np.einsum("ij,ij->j", X, X) / n)
    in01 = (mn == 0.0) & (mx == 1.0)
    binary = np.zeros(X.shape[1], dtype=bool)
    for j in np.flatnonzero(in01):
        x = X[:, j]
        binary[j] = np.add.reduce(x - x * x) == 0.0  # x(1 - x) = x - x^2, exactly 0 only at 0 and 1
    return ColumnProfile(mn, mx, total, rms, binary, (mn == 1.0) & (mx == 1.0))


def constant_columns(X: np.ndarray) -> np.ndarray:
    """Indices of the columns that are identically one (an intercept)."""
    X = np.asarray(X, dtype=float)
    return np.flatnonzero((column_reduce(np.minimum, X) == 1.0) & (column_reduce(np.maximum, X) == 1.0))


def binary_columns(X: np.ndarray) -> np.ndarray:
    """Indices of the columns that hold only 0 and 1, and both."""
    return np.flatnonzero(column_profile(X).binary)


def check_dummy_separation(
    y: np.ndarray, X: np.ndarray, names: Sequence[str] | None = None, profile: ColumnProfile | None = None
) -> None:
    """Raise :class:`SeparationError` if a 0/1 regressor separates a 0/1 outcome.

    If every row with ``x = 1`` (or every row with ``x = 0``) has the same outcome, the
    likelihood keeps rising as that coefficient runs to plus or minus infinity: the ML
    estimate does not exist.  Typical case: a year dummy for a year without events.
    """
    names = _names(names, X.shape[1])
    profile = profile or column_profile(X)
    binary = np.flatnonzero(profile.binary)
    if binary.size == 0:
        return
    n1 = profile.total[binary]
    events = y == 1
    e1 = X[events][:, binary].sum(axis=0)
    n0 = y.shape[0] - n1
    e0 = events.sum() - e1
    bad = (e1 == 0) | (e1 == n1) | (e0 == 0) | (e0 == n0)
    if bad.any():
        cols = [names[j] for j in binary[bad]]
        raise SeparationError(
            "quasi-complete separation: the outcome is constant within one category of "
            f"{cols}; the ML estimate does not exist. Drop those rows or the regressor "
            "(for year dummies use absorb_years, which drops event-less years)."
        )


def collinear_columns(
    X: np.ndarray, names: Sequence[str] | None = None, *, gram: np.ndarray | None = None,
    tol: float = COLLINEAR_TOL,
) -> dict[str, list[str]]:
    """Columns that are linear combinations of earlier columns, and of which.

    Works on the Gram matrix ``X'X`` (or ``gram``, e.g. a weighted ``X'WX``), scaled to unit
    diagonal, column by column in order: column ``j`` is collinear when the share of its sum
    of squares left after projecting it on the independent columns before it is below
    ``tol``.  This is the order in which R's ``lm``/``glm`` alias coefficients (``NA``).
    Returns ``{column: [columns it is a combination of]}``; empty when ``X`` has full rank.
    """
    k = X.shape[1] if gram is None else gram.shape[0]
    names = _names(names, k)
    G = X.T @ X if gram is None else np.asarray(gram, dtype=float)
    d = np.sqrt(np.clip(np.diag(G), 0.0, None))
    out: dict[str, list[str]] = {}
    keep: list[int] = []
    for j in range(k):
        if d[j] == 0:
            out[names[j]] = []  # a column of zeros
            continue
        if keep:
            C = G[np.ix_(keep, keep)] / np.outer(d[keep], d[keep])
            c = G[keep, j] / (d[keep] * d[j])
            coef = np.linalg.solve(C, c)
            resid = 1.0 - c @ coef
        else:
            coef, resid = np.zeros(0), 1.0
        if resid < tol:
            out[names[j]] = [names[i] for i, a in zip(keep, coef) if abs(a) > 1e-8]
        else:
            keep.append(j)
    return out


def check_collinearity(X: np.ndarray, names: Sequence[str] | None = None, *, gram: np.ndarray | None = None) -> None:
    """Raise :class:`CollinearityError` naming every collinear column (see :func:`collinear_columns`)."""
    bad = collinear_columns(X, names, gram=gram)
    if bad:
        parts = [f"{col!r} is all zeros" if not of else f"{col!r} is a linear combination of {of}"
                 for col, of in bad.items()]
        raise CollinearityError("the regressors are collinear: " + "; ".join(parts)
                                + ". R's glm would report NA for these coefficients; drop them.")


def check_design(y: np.ndarray, X: np.ndarray, names: Sequence[str] | None = None, *, binary: bool = True) -> None:
    """All checks that can run before a fit: finite data, 0/1 outcome, dummy separation, collinearity."""
    check_finite(y, X)
    if binary:
        check_binary_outcome(y)
        check_dummy_separation(y, X, names)
    check_collinearity(X, names)


def find_separation(y: np.ndarray, X: np.ndarray, names: Sequence[str] | None = None) -> dict[str, str]:
    """Coefficients whose ML estimate is infinite, by Konis's (2007) linear program.

    Uses ``firthmodels.detect_separation`` (the method of R's ``detectseparation``).
    Returns ``{column: "+Inf" or "-Inf"}``; empty when the ML estimate exists.  An intercept
    column in ``X`` is handled like any other column.
    """
    from firthmodels import detect_separation

    names = _names(names, X.shape[1])
    res = detect_separation(np.asarray(X, dtype=float), np.asarray(y, dtype=float), fit_intercept=False)
    return {names[j]: ("+Inf" if res.directions[j] > 0 else "-Inf")
            for j in np.flatnonzero(~np.asarray(res.is_finite))}


def nonconvergence_error(
    what: str, y: np.ndarray, X: np.ndarray, names: Sequence[str] | None, params: np.ndarray, detail: str,
    *, binary: bool = True,
) -> ConvergenceError:
    """The error to raise when a fit did not converge, with the best diagnosis available.

    For binary outcomes on designs up to :data:`LP_SEPARATION_MAX_CELLS` cells, runs
    :func:`find_separation` and names the separated columns; otherwise names the largest
    coefficients.
    """
    names = _names(names, X.shape[1])
    if binary and X.size <= LP_SEPARATION_MAX_CELLS:
        try:
            infinite = find_separation(y, X, names)
        except Exception:  # the diagnosis must not hide the original failure
            infinite = {}
        if infinite:
            cols = ", ".join(f"{c} ({v})" for c, v in infinite.items())
            return SeparationError(
                f"{what}: {detail}; the data are separated and the ML estimates of {cols} are "
                "infinite. Drop or merge the offending regressor, or use a penalised (Firth) fit."
            )
    big = np.argsort(-np.abs(params))[:3]
    hint = ", ".join(f"{names[j]}={params[j]:.3g}" for j in big)
    extra = "" if not binary else " (run coupproof.models.diagnostics.find_separation to check)"
    return ConvergenceError(
        f"{what}: {detail}; largest coefficients {hint} - a sign of (quasi-)separation or of a "
        f"badly scaled regressor{extra}"
    )


# --- after the fit -----------------------------------------------------------------------
def warn_if_ill_conditioned(
    information: np.ndarray, cov: np.ndarray, params: np.ndarray, names: Sequence[str] | None,
    scale: np.ndarray, what: str, stacklevel: int = 3,
) -> bool:
    """Warn (:class:`IllConditionedWarning`) when the information matrix is nearly singular.

    A coefficient that runs off towards infinity while its score vanishes (a dummy that is 1
    on a single row whose outcome is at the boundary, e.g. y = 1 in a zero-truncated count
    model) leaves the information nearly singular.  R reports such a coefficient with an
    absurd standard error; so does the book, with this warning.  The condition number is
    taken after scaling each column of X to unit root mean square (``scale``), so a
    regressor measured in large units (military spending in dollars) does not trigger it.
    Returns True when it warned.
    """
    names = _names(names, len(params))
    s = np.where(scale > 0, 1.0 / np.where(scale > 0, scale, 1.0), 1.0)
    cond = np.linalg.cond(information * np.outer(s, s))
    if np.isfinite(cond) and cond <= MAX_CONDITION:
        return False
    se = np.sqrt(np.abs(np.diag(cov)))
    worst = [names[j] for j in np.argsort(-se)[:3] if se[j] > 1e3 * (1 + np.median(se))]
    warnings.warn(
        f"{what}: the information matrix is nearly singular (condition number {cond:.2g}); "
        f"coefficients not identified by the data: {worst or 'unclear'} "
        f"(largest |coef| {np.max(np.abs(params)):.3g}). A sign of (quasi-)separation.",
        IllConditionedWarning,
        stacklevel=stacklevel,
    )
    return True


def column_scale(X: np.ndarray) -> np.ndarray:
    """Root mean square of each column of ``X`` (the unit in which its coefficient is judged)."""
    X = np.asarray(X, dtype=float)
    return np.sqrt(np.einsum("ij,ij->j", X, X) / max(X.shape[0], 1))


def check_count_boundary(y: np.ndarray, X: np.ndarray, names: Sequence[str] | None = None, *, boundary: float = 1.0) -> None:
    """Raise :class:`SeparationError` if a 0/1 regressor is 1 only on rows at the truncation boundary.

    In a zero-truncated count model a row with ``y = 1`` is fitted best by a mean that goes to
    zero; a dummy that is 1 on such rows only therefore drives its coefficient to minus
    infinity (R's pscl prints a coefficient near -20 with an absurd standard error).
    """
    names = _names(names, X.shape[1])
    profile = column_profile(X)
    for j in np.flatnonzero(profile.binary):
        on = X[:, j] == 1.0
        if np.all(y[on] == boundary):
            raise SeparationError(
                f"separation in the count model: every row with {names[j]} = 1 has y = {boundary:g}, "
                f"so the coefficient of {names[j]!r} runs to minus infinity; the ML estimate does not exist"
            )


def checked_fit(model, *, what: str, names: Sequence[str] | None = None, binary: bool = True, **fit_kwargs):
    """``model.fit(**fit_kwargs)`` for a statsmodels likelihood model, with failures as errors.

    statsmodels reports a failed fit with warnings (``ConvergenceWarning``,
    ``PerfectSeparationWarning``, ``HessianInversionWarning``) and returns the last
    iterate; here each becomes a :class:`ConvergenceError` (:class:`SeparationError` for
    separation) with the best diagnosis :func:`nonconvergence_error` can give.  A fit that
    converges to a nearly singular information matrix warns (:class:`IllConditionedWarning`).
    """
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        HessianInversionWarning,
        PerfectSeparationWarning,
    )

    y = np.asarray(model.endog, dtype=float)
    X = np.asarray(model.exog, dtype=float)
    names = _names(names if names is not None else model.exog_names, X.shape[1])
    fit_kwargs.setdefault("disp", 0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = model.fit(**fit_kwargs)
    params = np.asarray(res.params, dtype=float)
    kinds = {w.category for w in caught}
    for w in caught:  # pass on anything that is not a failure report
        if not issubclass(w.category, (ConvergenceWarning, HessianInversionWarning, PerfectSeparationWarning,
                                       RuntimeWarning)):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    converged = bool(res.mle_retvals.get("converged", True))
    if PerfectSeparationWarning in kinds:
        raise SeparationError(f"{what}: statsmodels detected perfect separation or prediction; "
                              + str(nonconvergence_error(what, y, X, names, params, "separation", binary=binary)))
    if not converged or ConvergenceWarning in kinds or not np.all(np.isfinite(params)):
        iters = res.mle_retvals.get("iterations", "?")
        raise nonconvergence_error(what, y, X, names, params, f"no convergence after {iters} iterations",
                                   binary=binary)
    cov = np.asarray(res.normalized_cov_params, dtype=float)
    if HessianInversionWarning in kinds or not np.all(np.isfinite(cov)):
        raise ConvergenceError(f"{what}: the Hessian at the estimates is not invertible; "
                               + str(nonconvergence_error(what, y, X, names, params, "singular Hessian", binary=binary)))
    warn_if_ill_conditioned(np.linalg.pinv(cov), cov, params, names, column_scale(X), what, stacklevel=3)
    return res
