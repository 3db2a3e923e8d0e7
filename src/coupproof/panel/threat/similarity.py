"""Signorino & Ritter's (1999) S: how similar two states' alliance portfolios are.

For portfolio rows x_i, x_j over the K system members and Δ the range of the value scale,

    S = 1 − 2·Σ_k |x_ik − x_jk| / (K·Δ)                        (unweighted, absolute)
    S_w = 1 − 2·Σ_k w_k |x_ik − x_jk| / (Σ_k w_k·Δ)            (weighted, e.g. by CINC)

and ``distance="squared"`` uses squared differences and Δ².  All pairs of a year come out of
one sparse matrix product (:func:`pair_distance`).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from coupproof.panel.threat.years import YearArrays

DISTANCES = ("absolute", "squared")


def pair_distance(x: np.ndarray, w: np.ndarray, distance: str) -> np.ndarray:
    """Σ_k w_k·d(x_ik, x_jk) for all pairs of rows of x, as one sparse matrix product.

    Both distances reduce to Σ w z_i² + Σ w z_j² − 2 Σ w z_i z_j over suitable columns z:

    * squared: z = x itself, since (a − b)² = a² + b² − 2ab;
    * absolute: |a − b| = Σ_l (v_l − v_{l−1})·|1[a ≥ v_l] − 1[b ≥ v_l]| over the sorted distinct
      values v_l, and for 0/1 indicators |a − b| = a + b − 2ab; so z stacks one indicator
      block per level, weighted by the step v_l − v_{l−1}.

    Portfolios are mostly zeros, so the product runs on sparse matrices (which also keeps
    multithreaded BLAS start-up costs out of ~200 small products).
    """
    x = np.asarray(x, dtype=np.float64)
    if distance == "squared":
        z, wz = x, w
    else:
        levels = np.unique(x)
        if len(levels) < 2:
            return np.zeros((len(x), len(x)))
        z = np.hstack([(x >= hi).astype(np.float64) for hi in levels[1:]])
        wz = np.concatenate([(hi - lo) * w for lo, hi in zip(levels[:-1], levels[1:])])
    zs = sparse.csr_array(z)
    zw = sparse.csr_array((zs.data * wz[zs.indices], zs.indices, zs.indptr), shape=zs.shape)
    cross = (zs @ zw.T).toarray()
    own = (z * z) @ wz
    return own[:, None] + own[None, :] - 2.0 * cross


def s_scores(portfolios: YearArrays, *, delta: float | None = None, weighted: bool = False,
             weights: YearArrays | None = None, distance: str = "absolute") -> YearArrays:
    """Signorino & Ritter's S for every pair of system members, year by year.

    With portfolio rows x_i over the K members and Δ the range of the value scale (``delta``;
    default: the portfolios' largest value, i.e. a state's tie to itself, minus 0):

    * unweighted, absolute: S = 1 − 2·Σ_k |x_ik − x_jk| / (K·Δ);
    * weighted (``weighted=True``, ``weights`` = per-state weights such as CINC; a missing
      weight counts as 0): S_w = 1 − 2·Σ_k w_k|x_ik − x_jk| / (Σ_k w_k·Δ);
    * ``distance="squared"`` replaces |x_ik − x_jk| by (x_ik − x_jk)² and Δ by Δ².

    S runs from −1 (opposite portfolios) to 1 (identical); the diagonal is 1.  Returns a
    :class:`YearArrays` of (K, K) float64 matrices named ``"s"``.
    """
    if distance not in DISTANCES:
        raise ValueError(f"unknown distance {distance!r}; allowed: {', '.join(DISTANCES)}")
    if weighted and weights is None:
        raise ValueError("weighted S needs weights (e.g. CINC scores by state-year)")
    if delta is None:
        delta = float(max((a.max() for a in portfolios.arrays if a.size), default=0))
    if delta <= 0:
        raise ValueError(f"delta (the range of the value scale) must be positive; got {delta!r}")
    index = portfolios.index
    scale_range = delta ** 2 if distance == "squared" else delta
    mats = []
    for k, year in enumerate(index.years):
        x = portfolios.arrays[k]
        w = np.nan_to_num(weights.arrays[k], nan=0.0) if weighted else np.ones(len(x))
        total = w.sum()
        if total <= 0:
            s = np.full(x.shape, np.nan)
        else:
            s = 1.0 - 2.0 * pair_distance(x, w, distance) / (total * scale_range)
        np.fill_diagonal(s, 1.0)
        mats.append(s)
    return YearArrays(index, tuple(mats), "s")


# --------------------------------------------------------------------------------------------
# The politically relevant international environment
