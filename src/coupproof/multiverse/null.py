"""Inference under the null for the specification curve (after Simonsohn, Simmons & Nelson 2020).

How surprising is the curve if counterbalancing × threat had no effect at all?  For each
specification, fit the model *without* the interaction (the null imposed), draw new outcomes
from its fitted probabilities, refit the model *with* the interaction, and keep the estimate:
a parametric bootstrap under the null.  Repeating this ``draws`` times for a set of
specifications gives, draw by draw, a whole specification curve under the null — its
median estimate and its share of significant estimates — to set beside the observed one.

The curves of one draw must be drawn *together*: the specifications share most of their
data, and their estimates are correlated.  So every specification takes the uniform numbers
behind its simulated outcomes from one stream per draw (:func:`stream`), indexed by the
undirected dyad-year (:func:`positions`): a dyad-year gets the same number in every
specification and in both directions.  A row's simulated event is ``u < p̂`` under that specification's own null fit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from coupproof.analysis import CLUSTER_COLUMNS, estimation_frame
from coupproof.keys import undirected_keys
from coupproof.models.clustered import cluster_codes
from coupproof.models.design import build_design
from coupproof.models.diagnostics import ConvergenceError
from coupproof.models.logit import fit_logit_arrays
from coupproof.multiverse.evaluate import (FIT_TOL, INTERACTIONS, column_order, model_terms,
                                          needed_terms)
from coupproof.panel.build import dyad_skeleton
from coupproof.params import Choices, EstimationChoices

_UNDIRECTED: dict[str, np.ndarray] = {}


def universe() -> np.ndarray:
    """The sorted undirected dyad-year keys of the whole skeleton (1960–2010), once per process."""
    if "keys" not in _UNDIRECTED:
        sk = dyad_skeleton()
        _UNDIRECTED["keys"] = np.unique(undirected_keys(sk["ccode1"], sk["ccode2"], sk["year"]))
    return _UNDIRECTED["keys"]


def positions(frame: pd.DataFrame, keys: np.ndarray | None = None) -> np.ndarray:
    """Where each row of ``frame`` sits among the undirected dyad-year ``keys`` (default
    :func:`universe`): the index of its number in every draw's stream."""
    keys = universe() if keys is None else keys
    wanted = undirected_keys(frame["ccode1"], frame["ccode2"], frame["year"])
    pos = np.searchsorted(keys, wanted)
    if pos.size and (pos.max() >= len(keys) or not np.array_equal(keys[pos], wanted)):
        raise ValueError("a row's undirected dyad-year is not among the keys of the stream")
    return pos


def stream(seed: int, draw: int, size: int) -> np.ndarray:
    """Draw ``draw`` of the uniform stream ``seed``: one number per undirected dyad-year."""
    return np.random.default_rng([seed, draw]).random(size)


def null_draws(choices: Choices, draws: int = 20, seed: int = 1) -> pd.DataFrame:
    """``draws`` estimates of each interaction (Models 2 and 4) with the null imposed.

    Returns one row per model and draw: ``key``, ``model``, ``draw``, ``estimate``, ``se``,
    ``p`` (NaN where a simulated data set, or the observed one, has no ML estimate, e.g.
    too few events).
    """
    frame = estimation_frame(choices, terms=needed_terms(choices))
    return null_draws_frame(frame, choices.estimation, choices.key(), draws, seed)


def null_draws_frame(frame: pd.DataFrame, estimation: EstimationChoices, key: str,
                     draws: int = 20, seed: int = 1, keys: np.ndarray | None = None) -> pd.DataFrame:
    """:func:`null_draws` on an estimation frame (``keys``: the stream's dyad-years, default
    :func:`universe`).

    Models 2 and 4 share one design (their rows are the same, as in
    :func:`~coupproof.multiverse.evaluate.fit_models`), and each draw's uniform numbers
    serve both.  Per model: the restricted fit (no interaction) gives the null
    probabilities p̂; a draw's outcomes are ``u < p̂``; its fit starts at the truth of the
    simulation, the restricted estimates with a zero interaction, and stops by the
    multiverse's rule (:data:`~coupproof.multiverse.evaluate.FIT_TOL`).
    """
    keys = universe() if keys is None else keys
    union, *ranges = column_order(*(model_terms(m, estimation.controls) for m in INTERACTIONS))
    out = pd.DataFrame({"key": key, "model": np.repeat(list(INTERACTIONS), draws),
                        "draw": np.tile(np.arange(draws), len(INTERACTIONS)),
                        "estimate": np.nan, "se": np.nan, "p": np.nan}).set_index(["model", "draw"])
    design = build_design(frame, "def", union)
    codes, n_clusters = cluster_codes(design.align(frame[CLUSTER_COLUMNS[estimation.cluster]]))
    models = {}
    for m, cols in zip(INTERACTIONS, ranges):
        terms = union[cols]
        X = design.X[:, cols]
        j = terms.index(INTERACTIONS[m])
        others = [i for i in range(len(terms)) if i != j]
        Xn = np.asfortranarray(X[:, others])
        try:
            observed = fit_logit_arrays(design.y, X)
            restricted = fit_logit_arrays(design.y, Xn, start=observed.params[others])
        except ConvergenceError:
            continue
        truth = np.insert(restricted.params, j, 0.0)
        models[m] = (X, j, 1.0 / (1.0 + np.exp(-(Xn @ restricted.params))), truth)
    where = positions(frame.iloc[np.flatnonzero(design.mask)], keys)
    for b in range(draws):
        u = stream(seed, b, len(keys))[where]
        for m, (X, j, p_null, truth) in models.items():
            y = (u < p_null).astype("float64")
            try:
                fit = fit_logit_arrays(y, X, start=truth, cluster_codes=codes,
                                       n_clusters=n_clusters, check=False, tol=FIT_TOL)
            except ConvergenceError:
                continue
            coef, se = fit.params[j], float(np.sqrt(fit.cov_cluster[j, j]))
            out.loc[(m, b), ["estimate", "se", "p"]] = (coef, se,
                                                       float(2 * stats.norm.sf(abs(coef / se))))
    return out.reset_index()[["key", "model", "draw", "estimate", "se", "p"]]


def summarise_draws(draws: pd.DataFrame, level: float = 0.05) -> pd.DataFrame:
    """Per model and draw: the median estimate across specifications and the shares of
    significant negative and positive estimates (the curve under the null)."""
    d = draws.dropna(subset=["estimate"])
    sig = d["p"] < level
    d = d.assign(neg=sig & (d["estimate"] < 0), pos=sig & (d["estimate"] > 0))
    return (d.groupby(["model", "draw"])
            .agg(median=("estimate", "median"), share_negative=("neg", "mean"),
                 share_positive=("pos", "mean"), specifications=("estimate", "size"))
            .reset_index())


def null_test(observed: pd.DataFrame, curves: pd.DataFrame, model: str) -> dict:
    """Observed curve statistics of ``model`` against the curves under the null.

    ``observed`` has one row per specification (``estimate``, ``p``); ``curves`` is
    :func:`summarise_draws` output.  The p-values are the shares of null curves at least as
    extreme as the observed one: a median as far from zero (two-sided), a share of
    significant negative estimates as large.
    """
    obs = observed.dropna(subset=["estimate"])
    sig = obs["p"] < 0.05
    median = float(obs["estimate"].median())
    share_neg = float((sig & (obs["estimate"] < 0)).mean())
    c = curves[curves["model"] == model]
    n = len(c)
    return {
        "model": model, "draws": n, "observed median": median,
        "observed share significant negative": share_neg,
        "null median (median of draws)": float(c["median"].median()) if n else np.nan,
        "null share significant negative (median of draws)": float(c["share_negative"].median()) if n else np.nan,
        "p (median)": float(((c["median"].abs() >= abs(median)).sum() + 1) / (n + 1)) if n else np.nan,
        "p (share negative)": float(((c["share_negative"] >= share_neg).sum() + 1) / (n + 1)) if n else np.nan,
    }
