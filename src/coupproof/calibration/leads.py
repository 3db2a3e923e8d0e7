"""What the published numbers imply about the authors' data, worked out from the numbers.

* :func:`implied_events`: King & Zeng's correction moves a rare-events logit's estimates by
  an amount of order 1/(number of events) — so the shift of Table 5's constant against
  Table 1's says how many events the authors' sample held, given the shift our own data
  produce with our own event count.
* :func:`implied_positives`: the hurdle's binary part (Table 2) has Table 1 Model 2's N and
  regressors; its log-likelihood, plus the count part's, is published.  Across concession
  codings the total log-likelihood falls almost linearly with the number of pacts that carry
  a concession, so the published total pins down that number.
* :func:`cluster_se_ratio`: the ratio of the clustered to the model-based standard error of
  shared defense pacts (published: 0.413 / 0.297) under each clustering unit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coupproof.analysis import CLUSTER_COLUMNS, estimation_frame, fit_table
from coupproof.models.design import build_design
from coupproof.models.hurdle import hurdle
from coupproof.models.specs import TABLE1, formation
from coupproof.params import Choices
from coupproof.report.compare import published_estimates

#: The hurdle specifications of Table 2 (and 12): DV and regressors of each model.
HURDLE_SPECS = {"1": ("concessionsA", formation(moderator="threatA", other="threatB")),
                "2": ("concessionsB", formation(moderator="threatB", other="threatA"))}


def intercept_shift(choices: Choices | None = None) -> dict:
    """Our King–Zeng shift of Model 2's constant, and its events and N."""
    choices = choices or Choices()
    frame = estimation_frame(choices)
    ml = fit_table(frame, {2: TABLE1[2]}, choices.estimation, model_se=True)["2"]
    kz = fit_table(frame, {2: TABLE1[2]}, choices.estimation.replace(estimator="relogit"))["2"]
    return {"shift": float(kz.params["const"] - ml.params["const"]), "events": ml.info["events"],
            "N": ml.nobs}


def implied_events(ours: dict, published_shift: float | None = None) -> float:
    """Events in the authors' Model 2 sample implied by the published shift of the constant
    (Table 5 Model 1 minus Table 1 Model 2), scaling our events by our shift / theirs."""
    if published_shift is None:
        est = published_estimates().set_index(["table", "model", "term"])["coef"]
        published_shift = float(est[(5, 1, "const")] - est[(1, 2, "const")])
    return float(ours["events"] * ours["shift"] / published_shift)


def hurdle_by_coding(choices: Choices, codings) -> pd.DataFrame:
    """Hurdle models (Table 2/12 specifications) under each concession coding: pacts with a
    concession (positive rows), events, binary, count and total log-likelihoods."""
    rows = []
    for coding in codings:
        ch = choices.replace(concession_items=coding)
        frame = estimation_frame(ch)
        for m, (dv, terms) in HURDLE_SPECS.items():
            zeros = frame.assign(**{dv: frame[dv].fillna(0)})
            d = build_design(zeros, dv, terms)
            row = {"coding": coding, "model": m, "events": int(build_design(frame, "def", terms).y.sum()),
                   "positive": int((d.y > 0).sum())}
            try:
                h = hurdle(d, name=m)
                row.update(binary_llf=h.zero.llf, count_llf=h.count.llf, total_llf=h.llf)
            except Exception as err:  # no ML estimate for this coding (named in the message)
                row.update(binary_llf=np.nan, count_llf=np.nan, total_llf=np.nan,
                           note=str(err).splitlines()[0][:120])
            rows.append(row)
    return pd.DataFrame(rows)


def implied_positives(by_coding: pd.DataFrame, published_llf: float) -> float:
    """The number of pacts with a concession at which a straight line through (positive,
    total log-likelihood) of the codings reaches the published total log-likelihood."""
    ok = by_coding.dropna(subset=["total_llf"])
    if len(ok) < 2 or ok["positive"].nunique() < 2:
        return float("nan")
    slope, intercept = np.polyfit(ok["positive"].to_numpy(float), ok["total_llf"].to_numpy(float), 1)
    return float((published_llf - intercept) / slope)


def cluster_se_ratio(choices: Choices | None = None, term: str = "shared_def") -> dict:
    """Clustered / model-based SE of ``term`` in Model 2, for each clustering unit."""
    choices = choices or Choices()
    frame = estimation_frame(choices)
    out = {}
    for unit in CLUSTER_COLUMNS:
        fit = fit_table(frame, {2: TABLE1[2]}, choices.estimation.replace(cluster=unit))["2"]
        model_se = float(np.sqrt(fit.info["cov_model"].loc[term, term]))
        out[unit] = float(fit.bse[term]) / model_se
    est = published_estimates().set_index(["table", "model", "term"])["se"]
    out["paper"] = float(est[(1, 2, term)] / est[(5, 1, term)])
    return out
