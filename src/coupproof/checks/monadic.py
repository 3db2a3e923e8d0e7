"""Checks on the monadic design of Table 15 (chapter 15).

The paper states neither the sample nor the event definition nor the standard-error type
of Table 15.  Its N and its standard errors pin them down:

* :func:`sample_sizes` — N and events under each reading of the sample (the year of the
  regime filter, the timing of the military changes, the year of the Polity2 regressor);
* :func:`event_rule_evidence` — in a logit the standard errors shrink roughly with the
  square root of the number of events, so with the same rows the median ratio of our
  standard errors to the published ones tracks the ratio of events under each event rule;
* :func:`se_type_check` — model-based and state-clustered standard errors beside the
  published ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from coupproof.models.design import build_design
from coupproof.models.logit import logit
from coupproof.panel.monadic import TABLE15, monadic_panel
from coupproof.params import Choices
from coupproof.report.compare import published_estimates

#: Terms whose published SE carries information (Δ military expenditure prints as 0.00000).
SE_TERMS = [t for t in TABLE15 if t != "d_milex"]


def fit_monadic(frame: pd.DataFrame, *, cov: str = "model", name: str = "1"):
    """The Table 15 logit on a monadic frame (model-based or state-clustered SEs)."""
    design = build_design(frame, "def", TABLE15)
    groups = frame["ccode"] if cov == "cluster" else None
    fit = logit(design, cov=cov, groups=groups, name=name)
    fit.info["events"] = int(design.y.sum())
    return fit


def sample_sizes(spec: Choices, states: pd.DataFrame, options: Mapping[str, str],
                 variants: Mapping[str, tuple[Mapping, Mapping]], paper_n: int) -> pd.DataFrame:
    """N and events of the monadic frame when one choice changes at a time.

    ``variants``: label -> (changes of the construction, changes of the chapter's options);
    ``options``: the chapter's options (``polity_filter``, ``dv_rule``, ``polity2_year``)."""
    rows = []
    for label, (change, opts) in variants.items():
        frame = monadic_panel(spec.replace(**change), states=states, **{**options, **opts})
        rows.append({"reading": label, "N": len(frame), "events": int(frame["def"].sum()),
                     "N − paper": len(frame) - paper_n})
    return pd.DataFrame(rows)


def event_rule_evidence(spec: Choices, states: pd.DataFrame, polity2_year: str,
                        rules: Sequence[str] = ("bilateral", "any_defense"),
                        filters: Sequence[str] = ("t", "t and t-1")) -> tuple[pd.DataFrame, dict]:
    """The Table 15 fit under each event rule and regime filter, with the median ratio of our
    standard errors to the published ones; returns the table and the fits by (rule, filter)."""
    pub = published_estimates(15).set_index("term")
    rows, fits = [], {}
    for rule in rules:
        for when in filters:
            frame = monadic_panel(spec, dv_rule=rule, polity2_year=polity2_year, states=states,
                                  polity_filter=when)
            fit = fit_monadic(frame)
            fits[(rule, when)] = (frame, fit)
            rows.append({"events counted": rule, "regime filter": when, "N": fit.nobs,
                         "events": fit.info["events"], "cb": float(fit.params["cb"]),
                         "threat": float(fit.params["threat"]), "cb × threat": float(fit.params["cb:threat"]),
                         "SE of cb × threat": float(fit.bse["cb:threat"]),
                         "median SE ratio, ours / paper": float((fit.bse[SE_TERMS] / pub.loc[SE_TERMS, "se"]).median())})
    return pd.DataFrame(rows), fits


def paper_row() -> dict:
    """The paper's Table 15 in the layout of :func:`event_rule_evidence`."""
    pub = published_estimates(15).set_index("term")
    return {"events counted": "paper", "cb": pub.loc["cb", "coef"], "threat": pub.loc["threat", "coef"],
            "cb × threat": pub.loc["cb:threat", "coef"], "SE of cb × threat": pub.loc["cb:threat", "se"]}


def se_type_check(model_fit, cluster_fit) -> pd.DataFrame:
    """Published standard errors beside our model-based and state-clustered ones, with ratios."""
    pub = published_estimates(15).set_index("term")["se"]
    out = pd.DataFrame({"SE (paper)": pub.loc[SE_TERMS], "model-based": model_fit.bse[SE_TERMS],
                        "clustered by state": cluster_fit.bse[SE_TERMS]})
    out["model-based / paper"] = out["model-based"] / out["SE (paper)"]
    out["clustered / paper"] = out["clustered by state"] / out["SE (paper)"]
    out.index.name = "term"
    return out


__all__ = ["SE_TERMS", "event_rule_evidence", "fit_monadic", "paper_row", "sample_sizes", "se_type_check"]
