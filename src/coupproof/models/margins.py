"""Conditional marginal effects and predicted probabilities with delta-method bands.

Figure 2 of the paper plots the effect of counterbalancing on the log-odds of a new
defense pact over the range of external threat (an ``interplot``-style conditional
coefficient); Figure 3 plots predicted probabilities at three levels of counterbalancing.
Both are linear combinations ``g'beta`` of the estimates, so their standard errors are
``sqrt(g' V g)`` for a chosen covariance ``V`` (clustered or model-based):

* conditional effect of ``x`` at moderator value ``z``: ``d eta / d x`` evaluated at ``z``,
  i.e. ``beta_x + beta_{x:z} z`` for a single interaction;
* predicted probability at a covariate profile ``x0``: ``Lambda(x0'beta)``, with the band
  computed on the logit scale, ``x0'beta +/- q sqrt(x0'V x0)``, and then transformed, so it
  stays inside (0, 1).

Nothing here uses statsmodels' ``get_margeff`` (which averages probability-scale effects, a
different quantity).  Every function returns a tidy DataFrame with the columns
``moderator, estimate, se, lower, upper``.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats as _st
from scipy.special import expit

from .design import CONST, split_term
from .results import ModelResult

BAND_COLUMNS = ["moderator", "estimate", "se", "lower", "upper"]


def _z(level: float) -> float:
    return float(_st.norm.ppf(0.5 + level / 2.0))


def _coef_and_cov(result: ModelResult, cov: pd.DataFrame | np.ndarray | None) -> tuple[pd.Series, np.ndarray]:
    b = result.params
    if cov is None:
        V = result.cov_params().to_numpy()
    elif isinstance(cov, pd.DataFrame):
        V = cov.loc[b.index, b.index].to_numpy()
    else:
        V = np.asarray(cov, dtype=float)
    if V.shape != (len(b), len(b)):
        raise ValueError(f"covariance is {V.shape}, expected {(len(b), len(b))}")
    return b, V


def moderator_grid(values: np.ndarray | pd.Series, n: int = 100) -> np.ndarray:
    """``n`` evenly spaced points over the observed range of a moderator (missing ignored)."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    return np.linspace(v.min(), v.max(), n)


def _component_values(
    terms: Sequence[str],
    fixed: Mapping[str, float],
    over: str | None,
    grid: np.ndarray,
) -> dict[str, np.ndarray]:
    """Value of every component used by ``terms`` at each grid point."""
    m = len(grid)
    values: dict[str, np.ndarray] = {}
    for t in terms:
        for c in split_term(t):
            if c in values:
                continue
            if c == over:
                values[c] = np.asarray(grid, dtype=float)
            elif c in fixed:
                values[c] = np.full(m, float(fixed[c]))
            else:
                raise KeyError(f"no value given for {c!r} (needed by term {t!r})")
    return values


def profile_matrix(
    terms: Sequence[str],
    profile: Mapping[str, float],
    over: str | None = None,
    grid: Sequence[float] | np.ndarray | None = None,
) -> np.ndarray:
    """Rows ``x0`` of the design at a covariate profile, one row per grid value.

    ``profile`` gives a value for every *component* (``{"cb": 1.28, "threatB": 0, ...}``);
    interaction terms are the products of their components and ``const`` is 1, so the row
    is what the design matrix would hold for such an observation.  ``over``/``grid`` vary
    one component over a grid (overriding its profile value).
    """
    grid_arr = np.asarray([np.nan] if grid is None else grid, dtype=float)
    vals = _component_values(terms, profile, over, grid_arr)
    M = np.empty((len(grid_arr), len(terms)))
    for j, t in enumerate(terms):
        parts = split_term(t)
        col = np.ones(len(grid_arr))
        for p in parts:
            col = col * vals[p]
        M[:, j] = col
    return M


def effect_gradient(
    terms: Sequence[str],
    var: str,
    moderator: str,
    grid: Sequence[float] | np.ndarray,
    at: Mapping[str, float] | None = None,
) -> np.ndarray:
    """Rows ``d eta / d beta`` of the conditional effect ``d eta / d var`` at each grid value.

    For term ``t`` the entry is the derivative of ``t`` with respect to ``var``: 1 for
    ``var`` itself, the moderator value for ``var:moderator``, 0 for terms without ``var``.
    Other components that share a term with ``var`` need a value in ``at``.
    """
    grid = np.asarray(grid, dtype=float)
    at = dict(at or {})
    need = [t for t in terms if var in split_term(t)]
    if not need:
        raise KeyError(f"no term contains {var!r}")
    fixed = {k: v for k, v in at.items() if k != moderator}
    G = np.zeros((len(grid), len(terms)))
    for j, t in enumerate(terms):
        parts = split_term(t)
        if var not in parts:
            continue
        others = [p for p in parts if p != var]
        power = parts.count(var)
        vals = _component_values(others, fixed, moderator, grid) if others else {}
        col = np.full(len(grid), float(power))
        if power > 1:
            if var == moderator:
                col *= grid ** (power - 1)
            elif var in fixed:
                col *= fixed[var] ** (power - 1)
            else:
                raise KeyError(f"{var!r} enters {t!r} more than once; give its value in at=")
        for p in others:
            col = col * vals[p]
        G[:, j] = col
    return G


def _band(G: np.ndarray, b: np.ndarray, V: np.ndarray, level: float) -> tuple[np.ndarray, ...]:
    est = G @ b
    se = np.sqrt(np.einsum("ij,jk,ik->i", G, V, G))
    q = _z(level)
    return est, se, est - q * se, est + q * se


def conditional_effect(
    result: ModelResult,
    var: str,
    moderator: str,
    grid: Sequence[float] | np.ndarray,
    *,
    cov: pd.DataFrame | np.ndarray | None = None,
    at: Mapping[str, float] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Effect of ``var`` on the linear predictor (log-odds) as a function of ``moderator``.

    Reproduces what R's ``interplot`` draws for ``glm`` fits, but with delta-method bands
    from ``cov`` (default: the result's own covariance, e.g. dyad-clustered) instead of
    simulation: estimate ``= beta_var + beta_{var:moderator} z``, se ``= sqrt(g'Vg)``,
    bands ``estimate +/- q se`` with ``q`` the normal quantile for ``level``.

    Returns
    -------
    DataFrame
        Columns ``moderator`` (the grid), ``estimate``, ``se``, ``lower``, ``upper``;
        ``attrs`` records ``var``, ``moderator`` and ``level``.
    """
    b, V = _coef_and_cov(result, cov)
    G = effect_gradient(list(b.index), var, moderator, grid, at)
    est, se, lo, hi = _band(G, b.to_numpy(), V, level)
    out = pd.DataFrame(
        {"moderator": np.asarray(grid, dtype=float), "estimate": est, "se": se, "lower": lo, "upper": hi},
        columns=BAND_COLUMNS,
    )
    out.attrs.update(var=var, moderator=moderator, level=level, scale="log-odds")
    return out


def predicted_probability(
    result: ModelResult,
    profile: Mapping[str, float],
    *,
    over: str | None = None,
    grid: Sequence[float] | np.ndarray | None = None,
    cov: pd.DataFrame | np.ndarray | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Predicted probability ``Lambda(x0'beta)`` at a covariate profile, with a delta-method band.

    Parameters
    ----------
    profile
        A value for every component of the model's terms except ``const`` (and except
        ``over``, if given): ``{"cb": 1.28, "threatA": 0.1, "threatB": 0, "shared_def": 1,
        ...}``.  Interaction terms are computed from their components.
    over, grid
        Vary one component over ``grid`` (for Figure 3, ``over="threatB"``).

    Returns
    -------
    DataFrame
        ``moderator`` (the grid value; NaN without ``over``), ``estimate`` (probability),
        ``se`` (standard error of the linear predictor ``x0'beta``, i.e. on the logit
        scale), ``lower``/``upper`` (the logit-scale band transformed to probabilities) and
        ``eta`` (the linear predictor).
    """
    b, V = _coef_and_cov(result, cov)
    terms = list(b.index)
    if over is not None and grid is None:
        raise ValueError("give a grid for the component in over=")
    X0 = profile_matrix(terms, {k: v for k, v in profile.items() if k != CONST}, over, grid)
    eta, se, lo, hi = _band(X0, b.to_numpy(), V, level)
    out = pd.DataFrame(
        {
            "moderator": np.asarray([np.nan] if grid is None else grid, dtype=float),
            "estimate": expit(eta),
            "se": se,
            "lower": expit(lo),
            "upper": expit(hi),
            "eta": eta,
        }
    )
    out.attrs.update(profile=dict(profile), moderator=over, level=level, scale="probability")
    return out
