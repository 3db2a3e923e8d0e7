"""Interaction effects on the probability scale, with delta-method intervals.

The paper's claim is an interaction in a logit: the effect of counterbalancing (``cb``) on
a new defense pact depends on external threat.  On the log-odds scale that effect is the
conditional coefficient ``beta_cb + beta_{cb:threat} z`` (Figure 2, :mod:`.margins`).  On
the probability scale, which is what a reader means by "more likely", a logit's effects
interact even without a product term, and the product term's sign need not be the sign of
the interaction in probabilities (Ai & Norton 2003; Berry, DeMeritt & Esarey 2010).  The
quantities here are the ones those papers and Brambor, Clark & Golder (2006) ask for:

* :func:`probability_effect` - the effect of ``var`` on Pr(y = 1) across the moderator,
  either the derivative ``dPr/dvar = lambda(eta) (beta_var + beta_{var:z} z)`` or the
  difference ``Pr(var = high) - Pr(var = low)``, at a covariate profile or averaged over the
  estimation sample (every row keeps its own covariates, the moderator is set to ``z``).
* :func:`second_difference` - ``[Pr(hi, hi) - Pr(lo, hi)] - [Pr(hi, lo) - Pr(lo, lo)]``:
  the effect of ``var`` at high minus at low moderator, with its interval and p-value: the
  test of the interaction on the probability scale (Berry et al. 2010).
* :func:`binned_effects` - the binning estimator of Hainmueller, Mummolo & Xu (2019):
  refit the logit with the moderator cut into three bins and the effect of ``var`` free in
  each, then compare with the linear interaction and Wald-test the linear form.

All intervals are delta-method: every quantity is a smooth function ``f(beta)``, its
standard error ``sqrt(g' V g)`` with ``g`` the gradient, computed analytically, and ``V``
the fit's covariance (dyad-clustered when the fit is).

The arithmetic works on plain arrays, for code that has no result object (a multiverse
runner holding only ``params`` and ``cov``):

    rows = interaction_rows(terms, "cb", "threatB", (0.0, 1.28), (0.0, 0.6), profile=profile)
    d2 = second_difference_arrays(params, cov, *rows)          # Difference(estimate, se, ...)

Each row argument is one design row (a profile) or a matrix of rows (then the
probabilities are averaged over them).  :func:`second_difference` and
:func:`probability_effect` on a fitted result call the same functions, with the rows built
from the fit's own design.

This module is longer than most because the array functions (for the multiverse, which holds
only parameters and covariances) and the result-level functions (for the chapters) share one
set of row builders; keeping them together keeps one implementation of each effect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats as _st
from scipy.special import expit

from .design import CONST, split_term
from .margins import BAND_COLUMNS, conditional_effect, effect_gradient, profile_matrix

SAMPLE = "sample"
"""``at=SAMPLE``: average over the estimation sample instead of evaluating at a profile."""

DEFAULT_QUANTILES = (0.1, 0.9)
"""Low and high levels, as quantiles in the estimation sample, when none are given."""


def _z(level: float) -> float:
    return float(_st.norm.ppf(0.5 + level / 2.0))


@dataclass(frozen=True)
class Difference:
    """A scalar function of the estimates with its delta-method interval.

    ``pvalue`` is the two-sided normal p-value of ``estimate = 0``; ``gradient`` the
    derivative of the quantity with respect to the coefficients.
    """

    estimate: float
    se: float
    lower: float
    upper: float
    pvalue: float
    level: float
    gradient: np.ndarray = field(repr=False, compare=False)

    def as_dict(self) -> dict[str, float]:
        """The numbers, without the gradient (for a results table)."""
        return {"estimate": self.estimate, "se": self.se, "lower": self.lower, "upper": self.upper,
                "p": self.pvalue, "level": self.level}


def _difference(estimate: float, gradient: np.ndarray, cov: np.ndarray, level: float) -> Difference:
    se = float(np.sqrt(max(gradient @ cov @ gradient, 0.0)))
    q = _z(level)
    p = float(2.0 * _st.norm.sf(abs(estimate) / se)) if se > 0 else float("nan")
    return Difference(float(estimate), se, float(estimate - q * se), float(estimate + q * se), p, level,
                      np.asarray(gradient, dtype=float))


# --- rows of the design -------------------------------------------------------------------
class _Rows:
    """Design rows, possibly a base matrix with some columns replaced.

    ``linear(beta)`` is ``X beta`` and ``tdot(v)`` is ``X'v`` for the rows ``X``; replacing a
    few columns of the n x k estimation design (the moderator and its interactions) costs
    O(n) per column instead of a copy of the whole matrix.  ``base=None`` means zeros.
    """

    def __init__(self, base: np.ndarray | None, columns: Mapping[int, np.ndarray | float] | None = None,
                 n: int | None = None, k: int | None = None, _cache: dict | None = None) -> None:
        if base is not None:
            base = np.asarray(base, dtype=float)
            base = base[None, :] if base.ndim == 1 else base
            n, k = base.shape
        if n is None or k is None:
            raise ValueError("rows need a base matrix or their shape")
        self.base, self.n, self.k = base, int(n), int(k)
        self.columns = {int(j): v for j, v in (columns or {}).items()}
        self._cache = _cache if _cache is not None else {}  # X beta of the base, shared by replaced()

    def _delta(self, j: int) -> np.ndarray | float:
        new = self.columns[j]
        return new - self.base[:, j] if self.base is not None else new

    def linear(self, beta: np.ndarray) -> np.ndarray:
        if self.base is None:
            eta = np.zeros(self.n)
        else:
            cached = self._cache.get("beta")
            if cached is None or not np.array_equal(cached, beta):
                self._cache["beta"], self._cache["eta"] = np.array(beta, dtype=float), self.base @ beta
            eta = self._cache["eta"].copy()
        for j in self.columns:
            eta += beta[j] * self._delta(j)
        return eta

    def tdot(self, v: np.ndarray) -> np.ndarray:
        out = self.base.T @ v if self.base is not None else np.zeros(self.k)
        for j in self.columns:
            d = self._delta(j)
            out[j] += float(np.sum(d * v)) if np.ndim(d) else float(d) * float(np.sum(v))
        return out

    def replaced(self, columns: Mapping[int, np.ndarray | float]) -> "_Rows":
        """The same base with other replaced columns (sharing the cached ``X beta``)."""
        return _Rows(self.base, columns, _cache=self._cache)


def _as_rows(x: np.ndarray | _Rows) -> _Rows:
    return x if isinstance(x, _Rows) else _Rows(np.asarray(x, dtype=float))


def _mean_probability(beta: np.ndarray, rows: _Rows) -> tuple[float, np.ndarray]:
    """Mean of ``Lambda(x'beta)`` over the rows, and its gradient ``mean(lambda(eta) x)``."""
    p = expit(rows.linear(beta))
    return float(p.mean()), rows.tdot(p * (1.0 - p)) / rows.n


def _mean_slope(beta: np.ndarray, rows: _Rows, drows: _Rows) -> tuple[float, np.ndarray]:
    """Mean of ``dPr/dvar = lambda(eta) d`` with ``d = (dx/dvar)'beta``, and its gradient.

    ``d/dbeta [lambda(eta) d] = lambda(eta) (1 - 2 Lambda(eta)) d x + lambda(eta) dx/dvar``.
    """
    p = expit(rows.linear(beta))
    lam = p * (1.0 - p)
    d = drows.linear(beta)
    value = float(np.mean(lam * d))
    grad = (rows.tdot(lam * (1.0 - 2.0 * p) * d) + drows.tdot(lam)) / rows.n
    return value, grad


# --- the array-level API -----------------------------------------------------------------
def _check(params: np.ndarray, cov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    b = np.asarray(params, dtype=float)
    V = np.asarray(cov, dtype=float)
    if V.shape != (b.size, b.size):
        raise ValueError(f"covariance is {V.shape}, expected {(b.size, b.size)}")
    return b, V


def average_probability(params: np.ndarray, cov: np.ndarray, rows: np.ndarray, *, level: float = 0.95) -> Difference:
    """Pr(y = 1) at a design row, or averaged over a matrix of rows, with a delta-method interval.

    (For a single profile :func:`coupproof.models.margins.predicted_probability` gives the
    interval on the logit scale, which stays inside (0, 1); this one is on the probability
    scale, like the effects below.)
    """
    b, V = _check(params, cov)
    value, grad = _mean_probability(b, _as_rows(rows))
    return _difference(value, grad, V, level)


def first_difference_arrays(params: np.ndarray, cov: np.ndarray, x_low: np.ndarray, x_high: np.ndarray,
                            *, level: float = 0.95) -> Difference:
    """``Pr(x_high) - Pr(x_low)`` (each a row or averaged over rows), with a delta-method interval."""
    b, V = _check(params, cov)
    p_hi, g_hi = _mean_probability(b, _as_rows(x_high))
    p_lo, g_lo = _mean_probability(b, _as_rows(x_low))
    return _difference(p_hi - p_lo, g_hi - g_lo, V, level)


def second_difference_arrays(
    params: np.ndarray,
    cov: np.ndarray,
    x_low_low: np.ndarray,
    x_low_high: np.ndarray,
    x_high_low: np.ndarray,
    x_high_high: np.ndarray,
    *,
    level: float = 0.95,
) -> Difference:
    """The second difference of Pr(y = 1), with its delta-method interval and p-value.

    ``x_a_b`` is the design at level ``a`` of the focal variable and level ``b`` of the
    moderator: one row (a covariate profile, k values) or a matrix of rows (n x k, the
    probabilities are averaged over them, e.g. the estimation sample with both variables
    set).  Returns ``[P(hh) - P(lh)] - [P(hl) - P(ll)]``: the effect of the focal variable at
    the high moderator level minus its effect at the low level (the expression is symmetric
    in the two variables).  Its gradient is the same combination of the four gradients
    ``mean(lambda(eta) x)``.
    """
    b, V = _check(params, cov)
    parts = [_mean_probability(b, _as_rows(x)) for x in (x_low_low, x_low_high, x_high_low, x_high_high)]
    (p_ll, g_ll), (p_lh, g_lh), (p_hl, g_hl), (p_hh, g_hh) = parts
    return _difference((p_hh - p_lh) - (p_hl - p_ll), (g_hh - g_lh) - (g_hl - g_ll), V, level)


def marginal_effect_arrays(params: np.ndarray, cov: np.ndarray, X: np.ndarray, dX: np.ndarray,
                           *, level: float = 0.95) -> Difference:
    """``dPr/dvar`` at a row (or averaged over rows) with a delta-method interval.

    ``dX`` holds the derivative of each row with respect to the focal variable: 1 in its
    own column, the moderator's value in the interaction column, 0 elsewhere (see
    :func:`coupproof.models.margins.effect_gradient`).
    """
    b, V = _check(params, cov)
    value, grad = _mean_slope(b, _as_rows(X), _as_rows(dX))
    return _difference(value, grad, V, level)


# --- rows from term names ----------------------------------------------------------------
def _term_value(term: str, values: Mapping[str, Any]) -> Any:
    out: Any = 1.0
    for c in split_term(term):
        out = out * values[c]
    return out


def _term_derivative(term: str, var: str, values: Mapping[str, Any]) -> Any:
    """d term / d var, from the component values (0 for a term without ``var``)."""
    parts = split_term(term)
    power = parts.count(var)
    if power == 0:
        return 0.0
    out: Any = float(power) * (values[var] ** (power - 1) if power > 1 else 1.0)
    for c in parts:
        if c != var:
            out = out * values[c]
    return out


def interaction_rows(
    terms: Sequence[str],
    var: str,
    moderator: str,
    var_levels: tuple[float, float],
    moderator_levels: tuple[float, float],
    *,
    profile: Mapping[str, float] | None = None,
    X: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The four designs ``(x_low_low, x_low_high, x_high_low, x_high_high)`` for :func:`second_difference_arrays`.

    With ``profile`` (a value for every component except ``var``, ``moderator`` and
    ``const``) each is one row; with ``X`` (the estimation design, columns named by
    ``terms``) each is a copy of ``X`` with ``var`` and ``moderator`` set and every term that
    contains them recomputed from its components (which must be columns of ``X``).
    """
    terms = list(terms)
    out = []
    for v in var_levels:
        for z in moderator_levels:
            if X is None:
                if profile is None:
                    raise ValueError("give a profile or the design X")
                row = profile_matrix(terms, {**{c: x for c, x in profile.items() if c != CONST}, var: v, moderator: z})
                out.append(row[0])
            else:
                cols = _replaced_columns(terms, np.asarray(X), {var: v, moderator: z})
                M = np.array(X, dtype=float, copy=True)
                for j, col in cols.items():
                    M[:, j] = col
                out.append(M)
    return tuple(out)  # type: ignore[return-value]


def _replaced_columns(terms: Sequence[str], X: np.ndarray, setting: Mapping[str, Any]) -> dict[int, Any]:
    """New values of every term that involves a set component, from the components' columns."""
    index = {t: j for j, t in enumerate(terms)}
    out: dict[int, Any] = {}
    for j, t in enumerate(terms):
        parts = split_term(t)
        if not any(p in setting for p in parts):
            continue
        values: dict[str, Any] = {}
        for c in parts:
            if c in setting:
                values[c] = setting[c]
            elif c in index:
                values[c] = X[:, index[c]]
            else:
                raise KeyError(f"term {t!r} needs the component {c!r}, which is not a column of the design")
        out[j] = _term_value(t, values)
    return out


def _derivative_columns(terms: Sequence[str], X: np.ndarray | None, var: str,
                        setting: Mapping[str, Any]) -> dict[int, Any]:
    """Columns of d x / d var (only terms containing ``var``) at the setting, components from ``X``."""
    index = {t: j for j, t in enumerate(terms)}
    out: dict[int, Any] = {}
    for j, t in enumerate(terms):
        parts = split_term(t)
        if var not in parts:
            continue
        values: dict[str, Any] = {}
        for c in parts:
            if c in setting:
                values[c] = setting[c]
            elif X is not None and c in index:
                values[c] = X[:, index[c]]
            else:
                raise KeyError(f"term {t!r} needs the component {c!r}")
        out[j] = _term_derivative(t, var, values)
    return out


# --- the result-object API ---------------------------------------------------------------
def _fit_parts(result: Any, cov: Any) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray | None]:
    """Term names, coefficients, covariance and (if the fit has one) the estimation design."""
    params = result.params
    names = [str(v) for v in params.index] if isinstance(params, pd.Series) else list(result.model.exog_names)
    b = np.asarray(params, dtype=float)
    if cov is None:
        V = np.asarray(result.cov_params(), dtype=float)
    elif isinstance(cov, pd.DataFrame):
        V = cov.loc[names, names].to_numpy(dtype=float)
    else:
        V = np.asarray(cov, dtype=float)
    model = getattr(result, "model", None)
    X = np.asarray(model.exog, dtype=float) if model is not None else None
    return names, b, V, X


def _levels(levels: tuple[float, float] | None, what: str, names: list[str], X: np.ndarray | None) -> tuple[float, float]:
    if levels is not None:
        lo, hi = levels
        return float(lo), float(hi)
    if X is None or what not in names:
        raise ValueError(f"give the levels of {what!r} (no estimation sample to take quantiles from)")
    lo, hi = np.quantile(X[:, names.index(what)], DEFAULT_QUANTILES)
    return float(lo), float(hi)


def _profile_values(profile: Mapping[str, float], names: list[str], skip: Sequence[str]) -> dict[str, float]:
    return {c: float(v) for c, v in profile.items() if c not in (*skip, CONST)}


def _base_rows(names: list[str], X: np.ndarray | None, at: Any) -> tuple[_Rows | None, dict[str, float]]:
    if isinstance(at, str):
        if at != SAMPLE:
            raise ValueError(f"at must be a profile (a mapping) or {SAMPLE!r}, not {at!r}")
        if X is None:
            raise ValueError("at='sample' needs a fit that keeps its design (model.exog)")
        return _Rows(X), {}
    return None, dict(at)


def _rows_at(names: list[str], base: _Rows | None, profile: Mapping[str, float], setting: Mapping[str, float]) -> _Rows:
    if base is not None:
        return base.replaced(_replaced_columns(names, base.base, setting))
    return _Rows(profile_matrix(names, {**_profile_values(profile, names, setting), **setting}))


def _drows_at(names: list[str], base: _Rows | None, profile: Mapping[str, float], var: str,
              setting: Mapping[str, float]) -> _Rows:
    """Rows of d x / d var at the setting (from the sample's columns, or at the profile)."""
    if base is not None:
        return _Rows(None, _derivative_columns(names, base.base, var, setting), n=base.n, k=base.k)
    values = {**_profile_values(profile, names, setting), **setting}
    try:
        row = [float(_term_derivative(t, var, values)) for t in names]
    except KeyError as err:
        raise KeyError(f"no value given for {err.args[0]!r} in the profile") from None
    return _Rows(np.array([row]))


def probability_effect(
    result: Any,
    var: str,
    moderator: str,
    grid: Sequence[float] | np.ndarray,
    *,
    at: Mapping[str, float] | str = SAMPLE,
    kind: str = "derivative",
    var_levels: tuple[float, float] | None = None,
    cov: pd.DataFrame | np.ndarray | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """The effect of ``var`` on Pr(y = 1) over a grid of the moderator, with delta-method bands.

    Parameters
    ----------
    result
        A fitted logit: a :class:`~coupproof.models.results.ModelResult` or a statsmodels
        results object (its ``params``, ``cov_params()`` and, for ``at="sample"``,
        ``model.exog``).
    var, moderator
        Component names (``"cb"``, ``"threatB"``); every term containing them is recomputed.
    grid
        Moderator values.
    at
        ``"sample"`` (default): average over the estimation sample, each row keeping its own
        covariates and ``var``, the moderator set to the grid value.  Or a covariate profile
        ``{"cb": 0.78, "threatA": 0.1, "shared_def": 1, ...}`` (every component except the
        moderator; ``var`` too for ``kind="derivative"``).
    kind
        ``"derivative"``: ``dPr/dvar``; ``"difference"``: ``Pr(var = high) - Pr(var = low)``
        with ``var_levels = (low, high)`` (default: its 10th and 90th percentiles).
    cov
        Covariance to use (default: the fit's, e.g. dyad-clustered).

    Returns
    -------
    DataFrame
        ``moderator, estimate, se, lower, upper`` (the :mod:`.margins` band columns) and ``p``;
        ``attrs`` record ``var``, ``moderator``, ``kind``, ``at``, ``level``, ``scale``.
    """
    if kind not in ("derivative", "difference"):
        raise ValueError("kind must be 'derivative' or 'difference'")
    names, b, V, X = _fit_parts(result, cov)
    base, profile = _base_rows(names, X, at)
    if kind == "difference":
        lo, hi = _levels(var_levels, var, names, X)
    rows = []
    for z in np.asarray(grid, dtype=float):
        if kind == "derivative":
            setting = {moderator: z} if base is not None else {moderator: z, var: float(profile[var])}
            r = _rows_at(names, base, profile, setting)
            d = _drows_at(names, base, profile, var, setting)
            value, grad = _mean_slope(b, r, d)
        else:
            p_hi, g_hi = _mean_probability(b, _rows_at(names, base, profile, {var: hi, moderator: z}))
            p_lo, g_lo = _mean_probability(b, _rows_at(names, base, profile, {var: lo, moderator: z}))
            value, grad = p_hi - p_lo, g_hi - g_lo
        e = _difference(value, grad, V, level)
        rows.append((z, e.estimate, e.se, e.lower, e.upper, e.pvalue))
    out = pd.DataFrame(rows, columns=[*BAND_COLUMNS, "p"])
    out.attrs.update(var=var, moderator=moderator, kind=kind, level=level, scale="probability",
                     at=SAMPLE if isinstance(at, str) else dict(at),
                     var_levels=(lo, hi) if kind == "difference" else None)
    return out


def second_difference(
    result: Any,
    var: str,
    moderator: str,
    *,
    var_levels: tuple[float, float] | None = None,
    moderator_levels: tuple[float, float] | None = None,
    at: Mapping[str, float] | str = SAMPLE,
    cov: pd.DataFrame | np.ndarray | None = None,
    level: float = 0.95,
) -> Difference:
    """The second difference of Pr(y = 1) for a fitted logit: :func:`second_difference_arrays` on its design.

    ``var_levels`` and ``moderator_levels`` are ``(low, high)``; by default each variable's
    10th and 90th percentiles in the estimation sample.  ``at="sample"`` averages the four
    probabilities over the estimation sample (each row with both variables set); a profile
    evaluates them at one covariate profile (values for the other components).
    """
    names, b, V, X = _fit_parts(result, cov)
    base, profile = _base_rows(names, X, at)
    v_lo, v_hi = _levels(var_levels, var, names, X)
    z_lo, z_hi = _levels(moderator_levels, moderator, names, X)
    rows = [_rows_at(names, base, profile, {var: v, moderator: z}) for v in (v_lo, v_hi) for z in (z_lo, z_hi)]
    return second_difference_arrays(b, V, *rows, level=level)


# --- Hainmueller, Mummolo & Xu (2019): the binning check ----------------------------------
@dataclass
class BinnedEffects:
    """The binning estimator's effects beside the linear interaction's, and the Wald test of linearity.

    ``table``: one row per bin with ``bin, lower_edge, upper_edge, moderator`` (the bin's
    median), ``n, events, estimate, se, lower, upper`` (the binned effect of ``var`` on the
    log-odds) and ``linear, linear_lower, linear_upper`` (the linear interaction model's
    conditional effect at the same moderator value).  ``wald``: statistic, df and p-value of
    the ``4 (bins - 1)`` linear restrictions under which the binned model reduces to the
    linear one.  ``fit``: the binned logit.
    """

    table: pd.DataFrame
    wald: dict[str, float]
    fit: Any


def binned_effects(
    result: Any,
    var: str,
    moderator: str,
    *,
    bins: int = 3,
    groups: np.ndarray | None = None,
    level: float = 0.95,
) -> BinnedEffects:
    """Hainmueller, Mummolo & Xu's (2019) binning estimator for a fitted logit with ``var:moderator``.

    The moderator is cut at its sample terciles (for ``bins=3``) and the model refitted as
    ``sum_j G_j [mu_j + a_j var + e_j (Z - z_j) + g_j var (Z - z_j)] + W d``, with ``G_j`` the
    bin dummies, ``z_j`` the bin medians and ``W`` the other regressors; ``a_j`` is the effect
    of ``var`` at ``z_j``.  If the linear interaction is right, ``a_j`` lies on the line
    ``beta_var + beta_{var:Z} z_j``: the linear model is the binned one with ``e_j = e_1``,
    ``g_j = g_1``, ``a_j - a_1 = g_1 (z_j - z_1)`` and ``mu_j - mu_1 = e_1 (z_j - z_1)``, which
    the Wald test checks (with the binned fit's covariance: clustered by ``groups``, which
    default to the clusters stored in a clustered fit).
    """
    from .logit import fit_logit

    res = result.results if hasattr(result, "results") and result.results is not None else result
    names = [str(v) for v in res.model.exog_names]
    X = np.asarray(res.model.exog, dtype=float)
    y = np.asarray(res.model.endog, dtype=float)
    inter = {f"{var}:{moderator}", f"{moderator}:{var}"}
    if var not in names or moderator not in names or not inter & set(names):
        raise KeyError(f"the fit needs the terms {var!r}, {moderator!r} and {var}:{moderator}")
    x = X[:, names.index(var)]
    z = X[:, names.index(moderator)]
    edges = np.unique(np.quantile(z, np.linspace(0, 1, bins + 1)))
    if len(edges) - 1 < 2:
        raise ValueError(f"the moderator {moderator!r} has too few distinct values for bins")
    which = np.clip(np.searchsorted(edges, z, side="right") - 1, 0, len(edges) - 2)
    J = len(edges) - 1
    others = [j for j, t in enumerate(names) if t not in {CONST, var, moderator, *inter}]
    cols, col_names, medians = [], [], []
    for j in range(J):
        G = (which == j).astype(float)
        zj = float(np.median(z[which == j]))
        medians.append(zj)
        cols += [G, G * x, G * (z - zj), G * x * (z - zj)]
        col_names += [f"bin{j + 1}", f"bin{j + 1}:{var}", f"bin{j + 1}:{moderator}", f"bin{j + 1}:{var}:{moderator}"]
    Xb = np.column_stack([*cols, X[:, others]])
    bnames = [*col_names, *[names[j] for j in others]]
    if groups is None and getattr(res, "cov_type", "") == "cluster":
        groups = getattr(res, "cov_kwds", {}).get("groups")
    fit = fit_logit(y, Xb, bnames, cov="cluster" if groups is not None else "model", groups=groups)

    # restrictions R theta = 0 on the binned coefficients (4 per bin after the first)
    k = len(bnames)
    R = []
    for j in range(1, J):
        dz = medians[j] - medians[0]
        for a, bterm, slope in ((f"bin{j + 1}:{moderator}", "bin1:" + moderator, None),
                                (f"bin{j + 1}:{var}:{moderator}", f"bin1:{var}:{moderator}", None),
                                (f"bin{j + 1}:{var}", f"bin1:{var}", f"bin1:{var}:{moderator}"),
                                (f"bin{j + 1}", "bin1", f"bin1:{moderator}")):
            r = np.zeros(k)
            r[bnames.index(a)] += 1.0
            r[bnames.index(bterm)] -= 1.0
            if slope is not None:
                r[bnames.index(slope)] -= dz
            R.append(r)
    R = np.array(R)
    wt = fit.results.wald_test(R, scalar=True)
    wald = {"statistic": float(wt.statistic), "df": int(R.shape[0]), "pvalue": float(wt.pvalue)}

    q = _z(level)
    linear = conditional_effect(result, var, moderator, medians, level=level)
    rows = []
    for j in range(J):
        t = f"bin{j + 1}:{var}"
        est, se = float(fit.params[t]), float(fit.bse[t])
        rows.append({"bin": j + 1, "lower_edge": float(edges[j]), "upper_edge": float(edges[j + 1]),
                     "moderator": medians[j], "n": int((which == j).sum()), "events": int(y[which == j].sum()),
                     "estimate": est, "se": se, "lower": est - q * se, "upper": est + q * se,
                     "linear": float(linear["estimate"].iloc[j]), "linear_lower": float(linear["lower"].iloc[j]),
                     "linear_upper": float(linear["upper"].iloc[j])})
    return BinnedEffects(pd.DataFrame(rows), wald, fit)


__all__ = [
    "BinnedEffects",
    "Difference",
    "SAMPLE",
    "average_probability",
    "binned_effects",
    "first_difference_arrays",
    "interaction_rows",
    "marginal_effect_arrays",
    "probability_effect",
    "second_difference",
    "second_difference_arrays",
]
