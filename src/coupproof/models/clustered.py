"""R's cluster-robust covariance (``sandwich::vcovCL``) for statsmodels fits, and dyad cluster ids.

What R did (estimation notes, section 3.1): ``glm(def ~ ..., family = binomial)`` and
``sandwich::vcovCL(fit, cluster = ~dyad)``.  What a reader writes in Python::

    d = build_design(frame, "def", TABLE1[4])
    fit = sm.Logit(d.endog, d.exog).fit(method="newton", disp=0)
    fit = with_r_cluster_cov(fit, groups=d.align(frame["dyad_undirected"]))
    fit.summary()

:func:`with_r_cluster_cov` is the one thing statsmodels lacks.  For a ``glm`` ``vcovCL``
uses ``type = "HC0"`` with ``cadjust = TRUE``::

    V_R = G/(G-1) * (X'WX)^-1 (sum_g s_g s_g') (X'WX)^-1,   s_g = sum_{i in g} (y_i - p_i) x_i

statsmodels' ``fit(cov_type="cluster", cov_kwds={"groups": g})`` (default
``use_correction=True``) multiplies the same matrix by a further ``(N-1)/(N-K)``, the
Stata-style CRV1 factor; with ``use_correction=False`` it drops ``G/(G-1)`` as well.  So
``V_R`` is statsmodels' ``use_correction=False`` matrix times ``G/(G-1)``; the tests pin
both relations on a sample small enough for the factors to show.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse as _sparse

from coupproof.keys import dyad_ids  # noqa: F401  (re-exported: the cluster ids of the book's models)

from .results import ModelResult, replace_cov

R_CLUSTER_DESCRIPTION = (
    "Standard errors robust to cluster correlation, as R's sandwich::vcovCL on a glm "
    "(HC0 x G/(G-1), no (N-1)/(N-K) factor)"
)


def cluster_codes(groups: np.ndarray | pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes 0..G-1 (int64) for cluster labels, and G.  Missing labels are an error."""
    codes, uniques = pd.factorize(np.asarray(groups), use_na_sentinel=True)
    if (codes < 0).any():
        raise ValueError("cluster ids contain missing values")
    return codes.astype(np.int64, copy=False), len(uniques)


def cluster_score_sums(X: np.ndarray, resid: np.ndarray, codes: np.ndarray, n_clusters: int) -> np.ndarray:
    """Per-cluster sums of the score contributions ``resid_i * x_i``: a G x k matrix.

    Computed as ``C @ X`` with the sparse G x n matrix ``C[codes_i, i] = resid_i``, stored by
    column (one entry per row of X, so no sorting): one pass over the rows of X, or one per
    column of a column-major X (scipy would copy it to row-major first; the sums are the
    same, added in the same order).
    """
    n = X.shape[0]
    C = _sparse.csc_matrix((np.asarray(resid, dtype=float), np.asarray(codes), np.arange(n + 1)),
                           shape=(n_clusters, n))
    if X.ndim == 2 and X.flags.f_contiguous and not X.flags.c_contiguous:
        S = np.empty((X.shape[1], n_clusters)).T
        for j in range(X.shape[1]):
            S[:, j] = C @ X[:, j]
        return S
    return np.asarray(C @ X)


def r_cluster_sandwich(S: np.ndarray, bread: np.ndarray, n_clusters: int) -> np.ndarray:
    """``G/(G-1) * bread @ S'S @ bread``, symmetrised: R's ``vcovCL`` from the cluster score sums ``S``."""
    if n_clusters < 2:
        raise ValueError("cluster covariance needs at least two clusters")
    V = bread @ (S.T @ S) @ bread * (n_clusters / (n_clusters - 1.0))
    return (V + V.T) / 2.0


def cluster_cov(
    X: np.ndarray, resid: np.ndarray, bread: np.ndarray, groups: np.ndarray | pd.Series
) -> tuple[np.ndarray, int]:
    """R's ``sandwich::vcovCL`` on a glm (HC0, ``cadjust=TRUE``), from arrays.

    ``bread`` is the inverse information ``(X'WX)^-1``; ``resid`` the working score per row
    (``y - p`` for the logit).  Returns ``G/(G-1) * bread @ (S'S) @ bread`` and G, where S
    holds the per-cluster sums of ``resid * X``.  There is no ``(N-1)/(N-K)`` factor.
    """
    codes, G = cluster_codes(groups)
    X = np.asarray(X, dtype=float)
    return r_cluster_sandwich(cluster_score_sums(X, np.asarray(resid, dtype=float), codes, G), bread, G), G


def statsmodels_cluster_factor(nobs: int, k: int) -> float:
    """The extra factor statsmodels' default cluster covariance applies over R's: (N-1)/(N-K)."""
    return (nobs - 1.0) / (nobs - k)


def r_cluster_cov(fit: Any, groups: np.ndarray | pd.Series) -> tuple[np.ndarray, int]:
    """R's ``vcovCL`` for a fitted statsmodels binary model (Logit, Probit), and G.

    The meat sums each cluster's score contributions ``model.score_obs(params)``; the bread
    is the model-based covariance ``normalized_cov_params`` (the inverse information), which
    statsmodels keeps even when the results carry another covariance.
    """
    res = fit.results if isinstance(fit, ModelResult) else fit
    model = res.model
    params = np.asarray(res.params, dtype=float)
    exog = np.asarray(model.exog, dtype=float)
    groups = np.asarray(groups)
    if groups.shape[0] != exog.shape[0]:
        raise ValueError(f"groups has {groups.shape[0]} entries, the model {exog.shape[0]} rows")
    codes, G = cluster_codes(groups)
    if type(model).__name__ == "Logit":  # the score of row i is (y_i - p_i) x_i
        resid = np.asarray(model.endog, dtype=float) - model.cdf(exog @ params)
        S = cluster_score_sums(exog, resid, codes, G)
    else:
        scores = np.asarray(model.score_obs(params), dtype=float)
        S = np.column_stack([np.bincount(codes, weights=scores[:, j], minlength=G) for j in range(scores.shape[1])])
    bread = np.asarray(res.normalized_cov_params, dtype=float)
    return r_cluster_sandwich(S, bread, G), G


def with_r_cluster_cov(fit: Any, groups: np.ndarray | pd.Series) -> Any:
    """The fit with R's ``sandwich::vcovCL`` covariance (HC0 x G/(G-1)).

    ``fit`` is a statsmodels results object (returned as a statsmodels results object of the
    same class, ``cov_type="cluster"``) or a :class:`ModelResult` (returned as one, with the
    model-based covariance kept in ``info["cov_model"]`` and G in ``stats["clusters"]``).
    Equals statsmodels' ``fit(cov_type="cluster", cov_kwds={"groups": g, "use_correction":
    False})`` times ``G/(G-1)``.
    """
    V, G = r_cluster_cov(fit, groups)
    if isinstance(fit, ModelResult):
        out = fit.with_cov(V, "cluster", clusters=G)
        out.info.setdefault("cov_model", fit.cov_params() if fit.cov_type == "model" else
                            pd.DataFrame(np.asarray(fit.results.normalized_cov_params), index=fit.terms,
                                         columns=fit.terms))
        return out
    return replace_cov(fit, V, "cluster", description=R_CLUSTER_DESCRIPTION,
                       groups=np.asarray(groups), use_correction=False, n_groups=G)



__all__ = ["R_CLUSTER_DESCRIPTION", "cluster_codes", "cluster_cov", "cluster_score_sums", "dyad_ids",
           "r_cluster_cov", "r_cluster_sandwich", "statsmodels_cluster_factor", "with_r_cluster_cov"]
