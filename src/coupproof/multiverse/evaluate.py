"""One specification of the multiverse: build its frame, fit Table 1's Models 2 and 4, record.

:func:`evaluate` returns one flat record per specification (a dict, one row of the results
store): N and events, the log-likelihoods, the two interactions the paper's hypotheses are
about — counterbalancing × threat to A in Model 2 (H1a) and × threat to B in Model 4 (H1b) —
with clustered SEs and p-values, the main threat terms, the mean threat to B in the Model 4
sample, the second difference on the probability scale, and (through a named hook) the
distance to the published record.

The fits use the lean Newton path of :func:`coupproof.models.logit.fit_logit_arrays`,
started from each specification's own case-control subsample fit (within about one
standard error of the estimate, where the default specification's estimates are often three
away: one Newton pass fewer per fit); its estimates equal the statsmodels fits the chapters
show (tests check this).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from coupproof.analysis import CLUSTER_COLUMNS, estimation_frame
from coupproof.codebook import CONTROL_SETS
from coupproof.models.clustered import cluster_codes
from coupproof.models.design import build_design
from coupproof.models.diagnostics import ConvergenceError
from coupproof.models.interaction import interaction_rows, second_difference_arrays
from coupproof.models.logit import fit_logit_arrays
from coupproof.models.relogit import king_zeng_bias
from coupproof.models.specs import formation
from coupproof.multiverse.space import SPACE, describe, option_text
from coupproof.params import Choices

#: Model -> (moderator of the interaction, the other threat), as Table 1's Models 2 and 4.
MODELS = {"M2": ("threatA", "threatB"), "M4": ("threatB", "threatA")}
#: The hypotheses' interaction terms.
INTERACTIONS = {"M2": "cb:threatA", "M4": "cb:threatB"}
#: The second difference: counterbalancing from none to the paper's mean + 1 sd (Figure 3),
#: at threat 0 and at threat 0.5 (where the paper's Model 4 effect has turned negative).
CB_LOW, CB_HIGH = 0.0, 1.28
THREAT_LOW, THREAT_HIGH = 0.0, 0.5

#: Newton's convergence rule for the multiverse's fits, in standard errors.  A step below
#: this is still taken and the information evaluated once more (``POLISH`` in
#: :mod:`coupproof.models.logit`), and Newton converges quadratically, so the estimates are
#: off by about 1e-8 SE, against 1e-16 at the chapters' 1e-8; this saves one pass over the
#: data in most fits (the record's tests hold it to the chapters' fits to 1e-7).
FIT_TOL = 1e-4


def model_terms(model: str, controls: str = "paper") -> list[str]:
    """Regressors of Table 1's Model 2 or 4 with a control set."""
    moderator, other = MODELS[model]
    return formation(moderator=moderator, other=other, controls=list(CONTROL_SETS[controls]))


def needed_terms(choices: Choices) -> list[str]:
    return list(dict.fromkeys(t for m in MODELS for t in model_terms(m, choices.estimation.controls)))


@dataclass
class Fit:
    """A fitted model of one specification (what the hooks and the record read)."""

    terms: list[str]
    params: pd.Series
    cov: pd.DataFrame
    llf: float
    nobs: int
    events: int
    used: np.ndarray  # positions of the estimation rows in the frame

    @property
    def bse(self) -> pd.Series:
        return pd.Series(np.sqrt(np.diag(self.cov.to_numpy())), index=self.params.index)


@dataclass
class Evaluation:
    """Everything known about one specification after fitting."""

    choices: Choices
    frame: pd.DataFrame
    fits: dict[str, Fit]
    record: dict = field(default_factory=dict)


def column_order(first: list[str], second: list[str]) -> tuple[list[str], slice, slice]:
    """One column order for two models that share most terms, and each model's columns in it.

    The terms only ``first`` has come first, then the shared terms, then those only ``second``
    has, so each model is a contiguous range of columns: a view of a column-major design,
    not a copy.
    """
    shared = [t for t in first if t in second]
    union = [t for t in first if t not in shared] + shared + [t for t in second if t not in shared]
    return union, slice(0, len(first)), slice(len(union) - len(second), len(union))


def fit_models(frame: pd.DataFrame, choices: Choices) -> dict[str, Fit]:
    """Fit Table 1's Models 2 and 4 on ``frame`` under ``choices.estimation``.

    The two models use the same components, so listwise deletion keeps the same rows: one
    design of the union of their terms serves both (each model's terms in the order of
    :func:`column_order`; the estimates are looked up by name).
    """
    est = choices.estimation
    union, *ranges = column_order(*(model_terms(m, est.controls) for m in MODELS))
    design = build_design(frame, "def", union)
    codes, n_clusters = cluster_codes(design.align(frame[CLUSTER_COLUMNS[est.cluster]]))
    used = np.flatnonzero(design.mask)
    out = {}
    for m, cols in zip(MODELS, ranges):
        X, ts = design.X[:, cols], union[cols]
        fit = fit_logit_arrays(design.y, X, cluster_codes=codes,
                               n_clusters=n_clusters, names=ts, tol=FIT_TOL)
        params = fit.params
        if est.estimator == "relogit":
            pi = 1.0 / (1.0 + np.exp(-(X @ params)))
            params = params - king_zeng_bias(X, pi, fit.cov_model)
        out[m] = Fit(ts, pd.Series(params, index=ts),
                     pd.DataFrame(fit.cov_cluster, index=ts, columns=ts), fit.llf,
                     design.nobs, int(design.y.sum()), used)
    return out


def second_difference(fit: Fit, frame: pd.DataFrame, moderator: str) -> dict:
    """Δ Pr(new pact) from no to high counterbalancing at high minus at low threat, with a
    delta-method SE from the clustered covariance, at Figure 3's profile (shared defense
    pact, no recent coup, new regime or military regime; other covariates at their
    estimation-sample means)."""
    profile = {c: float(frame[c].to_numpy()[fit.used].mean())
               for c in ("threatA", "threatB", "regime_diff") if c in frame}
    profile.update(shared_def=1.0, recent_coupA=0.0, new_regimeA=0.0, militaryA=0.0)
    profile = {c: v for c, v in profile.items() if c != moderator and
               any(c in t.split(":") for t in fit.terms)}
    rows = interaction_rows(fit.terms, "cb", moderator, (CB_LOW, CB_HIGH),
                            (THREAT_LOW, THREAT_HIGH), profile=profile)
    d = second_difference_arrays(fit.params.to_numpy(), fit.cov.to_numpy(), *rows)
    return {"estimate": float(d.estimate), "se": float(d.se), "p": float(d.pvalue)}


def _hook(path: str | None) -> Callable[[Evaluation], dict] | None:
    """``"package.module:function"`` -> the function (imported in the worker)."""
    if not path:
        return None
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def evaluate(choices: Choices, distance: str | None = None) -> dict:
    """Fit one specification and return its record (see the module docstring).

    ``distance`` names a function ``"module:function"`` that takes the :class:`Evaluation`
    and returns a dict of extra columns (the calibration's distance to the published
    record); it runs in the worker.
    """
    t0 = time.perf_counter()
    frame = estimation_frame(choices, terms=needed_terms(choices))
    record: dict = {"key": choices.key(), **{f"choice.{k}": option_text(v)
                                             for k, v in describe(choices, SPACE).items()}}
    record["frame_rows"] = len(frame)
    try:
        fits = fit_models(frame, choices)
    except ConvergenceError as err:  # e.g. separation: the ML estimate does not exist
        record.update({c: np.nan for c in RECORD_NUMBERS}, status="no estimate",
                      message=str(err).splitlines()[0][:300], seconds=time.perf_counter() - t0)
        return record
    record.update(status="ok", message="")
    for m, f in fits.items():
        term = INTERACTIONS[m]
        moderator = MODELS[m][0]
        z = f.params[term] / f.bse[term]
        sd = second_difference(f, frame, moderator)
        record.update({
            f"{m}.N": f.nobs, f"{m}.events": f.events, f"{m}.llf": f.llf,
            f"{m}.interaction": f.params[term], f"{m}.interaction_se": f.bse[term],
            f"{m}.interaction_p": float(2 * stats.norm.sf(abs(z))),
            f"{m}.cb": f.params["cb"], f"{m}.threat": f.params[moderator],
            f"{m}.threat_se": f.bse[moderator],
            f"{m}.second_difference": sd["estimate"], f"{m}.second_difference_se": sd["se"],
            f"{m}.second_difference_p": sd["p"],
        })
    record["M4.mean_threatB"] = float(frame["threatB"].to_numpy()[fits["M4"].used].mean())
    ev = Evaluation(choices, frame, fits, record)
    hook = _hook(distance)
    if hook is not None:
        record.update(hook(ev))
    record["seconds"] = time.perf_counter() - t0
    return record


#: The numeric fields of a record (NaN when the models have no estimate).
RECORD_NUMBERS = [f"{m}.{f}" for m in MODELS for f in (
    "N", "events", "llf", "interaction", "interaction_se", "interaction_p", "cb", "threat",
    "threat_se", "second_difference", "second_difference_se", "second_difference_p")] + \
    ["M4.mean_threatB"]
