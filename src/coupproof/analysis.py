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


#: Named alternatives to the default panel, as flat notebook parameters.
SENSITIVITY_VARIANTS = {
    "default": {},
    "alliance dyad-years from the member file": {"alliance_dyads": "members"},
    "mean S from 1946": {"s_mean_start": 1946},
    "land contiguity only": {"max_conttype": 1},
    "no colonial contiguity": {"colonial": False},
    "major powers not relevant to everyone": {"major_power_global": False},
    "CINC-weighted S": {"s_weighted": True},
    "squared-distance S": {"s_distance": "squared"},
    "NMC 5.0": {"nmc_version": "5.0"},
    "Polity5 instead of Polity IV": {"polity_version": "5"},
    "every new bilateral defense pact is an event": {"def_rule": "all"},
}


def sensitivity(variants: Mapping[str, Mapping] = SENSITIVITY_VARIANTS,
                cluster: str = "undirected") -> pd.DataFrame:
    """Refit Table 1, Models 2 and 4, on the panel of each variant (flat parameters, see
    :func:`coupproof.panel.params.panel_params`); one row per variant with N, events,
    log-likelihoods, the mean of threat to B in the Model 4 sample and key coefficients."""
    from coupproof.models.specs import TABLE1
    from coupproof.panel.params import panel_params

    rows = []
    for name, flat in variants.items():
        frame = estimation_frame(panel_params(**flat), verbose=False)
        fits = fit_table(frame, {2: TABLE1[2], 4: TABLE1[4]}, cluster=cluster)
        m2, m4 = fits["2"], fits["4"]
        rows.append({
            "variant": name, "N": m4.nobs, "events": m4.info["events"],
            "logL M2": m2.llf, "logL M4": m4.llf,
            "mean threat B (M4 sample)": float(frame.loc[m4.info["used_index"], "threatB"].mean()),
            "cb × threat A (M2)": m2.params["cb:threatA"], "cb × threat B (M4)": m4.params["cb:threatB"],
            "se cb × threat B (M4)": m4.bse["cb:threatB"], "threat B (M4)": m4.params["threatB"],
        })
    return pd.DataFrame(rows)
