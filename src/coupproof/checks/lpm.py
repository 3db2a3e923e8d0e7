"""Linear probability models with pair or directed-dyad effects (chapter 16, not in the paper).

``linearmodels``' ``PanelOLS`` needs a unique (entity, time) index, and the undirected pair
{A, B} is not unique within a year (it holds both directions).  :func:`pair_lpm` therefore
indexes rows by the directed dyad and passes the undirected pair (or the directed dyad) as an
"other" effect beside the year effects, clustering by the undirected pair.
(:func:`coupproof.models.lpm.fit_lpm` absorbs effects of the index entity only.)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from linearmodels import PanelOLS

from coupproof.models.design import build_design
from coupproof.models.results import ModelResult

#: Which effects a model absorbs beside the year effects, and the column that holds them.
EFFECTS = {"none": None, "pair": "dyad_undirected", "directed": "dyad_directed"}


def pair_lpm(frame: pd.DataFrame, terms: Sequence[str], effects: str, name: str, dv: str = "def") -> ModelResult:
    """LPM of ``dv`` with year effects and, by ``effects`` (see :data:`EFFECTS`),
    undirected-pair or directed-dyad effects; standard errors clustered by undirected pair."""
    if effects not in EFFECTS:
        raise ValueError(f"effects must be one of {', '.join(EFFECTS)}")
    design = build_design(frame, dv, [t for t in terms if t != "const"])
    rows = frame.loc[design.index]
    idx = pd.MultiIndex.from_arrays([rows["dyad_directed"].to_numpy(), rows["year"].to_numpy()],
                                    names=["dyad", "year"])
    pair = pd.DataFrame({"pair": rows["dyad_undirected"].to_numpy()}, index=idx)
    other = (pd.DataFrame({"unit": rows[EFFECTS[effects]].to_numpy()}, index=idx)
             if EFFECTS[effects] else None)
    y = pd.Series(design.y, index=idx, name=dv)
    X = pd.DataFrame(design.X, index=idx, columns=design.terms)
    fit = PanelOLS(y, X, time_effects=True, other_effects=other).fit(cov_type="clustered", clusters=pair)
    return ModelResult(params=fit.params, cov=fit.cov, nobs=fit.nobs, llf=fit.loglik, name=name,
                       stats={"clusters": int(pair["pair"].nunique())}, cov_type="cluster",
                       info={"linearmodels": fit, "used_index": design.index, "events": int(design.y.sum())})


def scaled(result: ModelResult, factor: float) -> ModelResult:
    """The same fit with coefficients and standard errors multiplied by ``factor``."""
    return ModelResult(params=result.params * factor, cov=result.cov * factor**2, nobs=result.nobs,
                       llf=result.llf, name=result.name, stats=dict(result.stats),
                       cov_type=result.cov_type, info=result.info)


def within_shares(frame: pd.DataFrame, used_index, var: str = "cb", moderator: str = "threatB") -> pd.DataFrame:
    """Share of each regressor's variance left within undirected pairs and within directed dyads."""
    used = frame.loc[used_index]
    x = used[[var, moderator]].assign(**{f"{var}:{moderator}": used[var] * used[moderator]})
    return pd.DataFrame({
        f"within {label}": (x - x.groupby(used[col]).transform("mean")).var() / x.var()
        for label, col in (("undirected pair", "dyad_undirected"), ("directed dyad", "dyad_directed"))})


def pair_counts(frame: pd.DataFrame, used_index, dv: str = "def") -> dict[str, int]:
    """Undirected pairs in a fit's sample and those with at least one event."""
    used = frame.loc[used_index]
    pair = used["dyad_undirected"]
    return {"pairs": int(pair.nunique()), "pairs_with_event": int(used.groupby(pair)[dv].max().sum())}


def fitted_probabilities(result: ModelResult) -> np.ndarray:
    """Fitted probabilities of an effects model: slopes plus every absorbed effect."""
    pred = result.info["linearmodels"].predict(effects=True)
    return (pred["fitted_values"] + pred["estimated_effects"]).to_numpy().ravel()


__all__ = ["EFFECTS", "fitted_probabilities", "lpm_results", "pair_counts", "pair_lpm", "scaled", "within_shares"]


def lpm_results(fits, spec, per: float = 1.0):
    """The LPM fits as a results record (id ``"lpm"``, no published counterpart), with the
    coefficients also per ``per`` dyad-years; record it with
    ``record_results(rec, book_key=Choices().key())``."""
    from coupproof.models.results import tidy_many
    from coupproof.results import TableResults

    tidy = tidy_many(fits)
    tidy[f"coef_per_{per:g}"] = tidy["coef"] * per
    tidy[f"se_per_{per:g}"] = tidy["se"] * per
    stats = pd.DataFrame([(m, s, float(v)) for m, r in fits.items()
                          for s, v in {"N": r.nobs, "events": r.info["events"], **r.stats}.items()],
                         columns=["model", "stat", "value"])
    return TableResults(table="lpm", tidy=tidy, stats=stats, key=spec.key(), choices=spec.flat(),
                        differences=spec.differences(), chapter="16_lpm_fixed_effects")
