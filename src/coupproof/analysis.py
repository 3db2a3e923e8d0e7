"""The few calls every results chapter makes: the estimation frame and a table of fits.

    frame = estimation_frame(params)                       # restricted panel + model terms
    fits = fit_table(frame, TABLE1, cluster="undirected")  # {"1": ModelResult, ...}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from coupproof.models.design import build_design
from coupproof.models.logit import absorb_years, logit
from coupproof.models.relogit import relogit
from coupproof.models.results import ModelResult
from coupproof.panel.build import load_panel
from coupproof.panel.params import PanelParams
from coupproof.panel.sample import restrict_sample
from coupproof.panel.transforms import Attrition
from coupproof.panel.variables import analysis_frame

#: Clustering units for dyad-clustered standard errors.
CLUSTER_UNITS = {
    "undirected": "dyad_undirected",  # {A, B}: both directions of a pair form one cluster
    "directed": "dyad_directed",      # (A, B) and (B, A) are separate clusters
}
ESTIMATORS = ("logit", "relogit")


def estimation_frame(params: PanelParams = PanelParams(), attrition: Attrition | None = None,
                     verbose: bool = True) -> pd.DataFrame:
    """The cached panel restricted to the paper's frame, with one column per model term."""
    panel = load_panel(params, verbose=verbose)
    return analysis_frame(restrict_sample(panel, params, attrition), params)


def cluster_column(cluster: str) -> str:
    if cluster not in CLUSTER_UNITS:
        raise ValueError(f"unknown cluster unit {cluster!r}; allowed: {', '.join(CLUSTER_UNITS)}")
    return CLUSTER_UNITS[cluster]


def fit_table(frame: pd.DataFrame, specs: Mapping[int, Sequence[str]], dv: str = "def",
              cluster: str | None = "undirected", estimator: str = "logit",
              year_effects: bool = False) -> dict[str, ModelResult]:
    """Fit one model per spec (model number -> regressors) on ``frame``.

    ``cluster``: "undirected" or "directed" dyad-clustered covariance as R's ``vcovCL``;
    None for model-based standard errors.  ``estimator``: "logit" (ML) or "relogit"
    (King–Zeng bias-corrected, model-based SEs, goodness of fit from the ML fit).
    ``year_effects``: add year dummies, after dropping years without any event (their
    dummies diverge in R's glm and those rows then carry no information).
    """
    if estimator not in ESTIMATORS:
        raise ValueError(f"unknown estimator {estimator!r}; allowed: {', '.join(ESTIMATORS)}")
    col = cluster_column(cluster) if cluster else None
    out = {}
    for model, terms in specs.items():
        design = build_design(frame, dv, list(terms))
        if year_effects:
            design, _ = absorb_years(design, frame["year"])
        if estimator == "relogit":
            res = relogit(design, model=str(model))
        elif col:
            res = logit(design, cov="cluster", groups=frame[col], model=str(model))
        else:
            res = logit(design, cov="model", model=str(model))
        res.info["events"] = int((design.y > 0).sum())
        res.info["used_index"] = design.index
        out[str(model)] = res
    return out


def fit_summary(results: Mapping[str, ModelResult]) -> pd.DataFrame:
    """N, events and log-likelihood of each fit."""
    return pd.DataFrame([{"model": k, "N": r.nobs, "events": r.info.get("events"),
                          "log-likelihood": round(r.llf, 3)} for k, r in results.items()])
