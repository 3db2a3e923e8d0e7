"""The few calls every results chapter makes: the estimation frame and a table of fits.

    choices = Choices.from_overrides({"polity_max": 5})    # or Choices() for the book
    frame = estimation_frame(choices)                        # restricted panel + model terms
    fits = fit_table(frame, TABLE1, choices.estimation)      # {"1": result, ...}
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

import pandas as pd

from coupproof.codebook import CONTROL_SETS
from coupproof.models.design import build_design, components
from coupproof.models.fixed_effects import absorb_years
from coupproof.models.logit import logit
from coupproof.models.relogit import relogit
from coupproof.panel.build import DYAD_COLUMNS, panel_columns
from coupproof.panel.sample import sample_columns, sample_rows
from coupproof.panel.transforms import Attrition
from coupproof.panel.variables import CARRIED, analysis_columns, term_columns
from coupproof.params import Choices, EstimationChoices

#: Cluster id column of each ``EstimationChoices.cluster`` option.
CLUSTER_COLUMNS = {
    "undirected": "dyad_undirected",  # {A, B}: both directions of a pair form one cluster
    "directed": "dyad_directed",      # (A, B) and (B, A) are separate clusters
}


def frame_columns(choices: Choices, terms: Sequence[str] | None = None) -> list[str]:
    """Panel columns the estimation frame needs: the sample filter and the model terms
    (every term of the codebook and the outcomes, or only the components of ``terms`` and
    the DV ``def``)."""
    by_term = term_columns(choices.terms)
    carried = [c for c in CARRIED if c in DYAD_COLUMNS]
    if terms is not None:
        comps = components(terms)
        unknown = [t for t in comps if t not in by_term and t not in CARRIED]
        if unknown:
            raise KeyError(f"unknown model terms {unknown}; the codebook has {', '.join(by_term)}")
        by_term = {t: c for t, c in by_term.items() if t in comps}
        carried = [c for c in carried if c == "def" or c in comps]
    cols = [*sample_columns(choices.sample), *by_term.values(), *carried]
    return list(dict.fromkeys(c for c in cols if c not in ("ccode1", "ccode2", "year")))


def estimation_frame(choices: Choices | None = None, attrition: Attrition | None = None,
                     verbose: bool = False, terms: Sequence[str] | None = None) -> pd.DataFrame:
    """The panel under ``choices.data``, restricted by ``choices.sample``, with one column per
    model term (timing from ``choices.terms``) and the cluster ids.

    The same frame as ``analysis_frame(restrict_sample(build_panel(data), sample), terms)``
    (tests check it), built faster: each sample filter reads its columns only on the rows
    still in, then only the kept rows get the model columns.  ``terms`` limits the columns
    to those a set of model terms needs (and the DV ``def``).
    """
    from coupproof.panel.threat import build_threat

    choices = choices or Choices()
    t0 = time.perf_counter()
    data = choices.data
    needed = frame_columns(choices, terms)
    rows = sample_rows(lambda names, at: panel_columns(data, names, at), choices.sample, attrition)
    columns = panel_columns(data, ["ccode1", "ccode2", "year", *needed], rows)
    # copy=False: the columns are fresh arrays (one copy where two terms share a column), so
    # the frame need not copy them into consolidated blocks, which cost more than the rest of
    # the frame's assembly (scripts/benchmark.py, panel section)
    arrays, seen = analysis_columns(columns, choices.terms), set()
    for c, v in arrays.items():
        if id(v) in seen:
            arrays[c] = v.copy()
        seen.add(id(arrays[c]))
    frame = pd.DataFrame(arrays, index=pd.Index(rows), copy=False)
    frame.attrs.update(data_choices=data.to_dict(), mean_s=float(build_threat(data).attrs["mean_s"]),
                       choices_key=choices.key(), choices=choices.flat())
    if verbose:
        print(f"estimation frame: {len(frame):,} directed dyad-years, "
              f"{int(frame['def'].sum())} events ({choices.describe()}; "
              f"{time.perf_counter() - t0:.1f} s)")
    return frame


def with_controls(terms: Sequence[str], controls: str) -> list[str]:
    """A specification with Table 1's controls replaced by the control set ``controls``
    (terms that are not among the paper's controls are kept as they are)."""
    paper, chosen = CONTROL_SETS["paper"], set(CONTROL_SETS[controls])
    return [t for t in terms if t not in paper or t in chosen]


def fit_table(frame: pd.DataFrame, specs: Mapping[int, Sequence[str]],
              estimation: EstimationChoices | None = None, *, dv: str = "def",
              year_effects: bool = False, model_se: bool = False) -> dict[str, object]:
    """Fit one model per spec (model number -> regressors) on ``frame``.

    ``estimation`` gives the clustering unit (dyad-clustered covariance as R's ``vcovCL``),
    the estimator ("logit" = ML; "relogit" = King–Zeng bias-corrected with model-based SEs
    and the ML fit's goodness of fit, as the paper's Table 5) and the control set (which
    replaces Table 1's controls wherever they appear).  ``model_se``: model-based instead of
    clustered standard errors.  ``year_effects``: add year dummies, after dropping years
    without any event (their dummies diverge in R's glm and those rows carry no
    information).
    """
    est = estimation or EstimationChoices()
    groups = frame[CLUSTER_COLUMNS[est.cluster]]
    out = {}
    for model, terms in specs.items():
        design = build_design(frame, dv, with_controls(terms, est.controls))
        if year_effects:
            design, _ = absorb_years(design, frame["year"])
        if est.estimator == "relogit":
            res = relogit(design, name=str(model))
        elif model_se:
            res = logit(design, cov="model", name=str(model))
        else:
            res = logit(design, cov="cluster", groups=groups, name=str(model))
        res.info["events"] = int((design.y > 0).sum())
        res.info["used_index"] = design.index
        out[str(model)] = res
    return out


def fit_summary(results: Mapping[str, object]) -> pd.DataFrame:
    """N, events and log-likelihood of each fit."""
    return pd.DataFrame([{"model": k, "N": r.nobs, "events": r.info.get("events"),
                          "log-likelihood": round(r.llf, 3)} for k, r in results.items()])


__all__ = ["CLUSTER_COLUMNS", "estimation_frame", "fit_summary", "fit_table", "frame_columns",
           "with_controls"]
