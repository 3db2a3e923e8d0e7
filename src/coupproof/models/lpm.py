"""Linear probability model with dyad and year effects (a robustness check, not in the paper).

A thin wrapper around ``linearmodels.PanelOLS``: ``y = X beta + a_dyad + g_year + e`` with
both effects absorbed by the within transformation and standard errors clustered by the
entity (the dyad).  The R equivalent is ``fixest::feols(y ~ x | dyad + year, cluster =
~dyad)``; small-sample corrections follow linearmodels' defaults (``debiased=True``).
Rare-event dummies make the LPM a blunt instrument, but it needs no separation handling
and gives a quick check on the sign of the interaction terms.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from linearmodels import PanelOLS

from .design import CONST, build_design
from .results import ModelResult, _deprecated_model_label


def fit_lpm(
    df: pd.DataFrame,
    dv: str,
    terms: Sequence[str],
    *,
    entity: str,
    time: str,
    aliases: Mapping[str, str] | None = None,
    rows: np.ndarray | pd.Series | None = None,
    entity_effects: bool = True,
    time_effects: bool = True,
    name: str = "",
    model: str | None = None,
) -> ModelResult:
    """Two-way fixed-effects LPM, clustered by entity, as a :class:`ModelResult`.

    Parameters
    ----------
    df
        Analysis frame with columns ``entity`` (e.g. a directed-dyad id) and ``time`` (year).
    dv, terms, aliases, rows
        As :func:`~coupproof.models.design.build_design`.  ``const`` is dropped when both
        effects are absorbed (it is not identified separately from them).
    name
        The result's label (``model=`` is its deprecated alias).

    Returns
    -------
    ModelResult
        ``cov_type="cluster"``; ``stats`` holds ``r2_within`` and ``clusters``.
    """
    name = _deprecated_model_label(name, model, "fit_lpm")
    terms = [t for t in terms if not (t == CONST and entity_effects and time_effects)]
    design = build_design(df, dv, terms, aliases=aliases, rows=rows)
    ids = pd.MultiIndex.from_arrays(
        [design.align(df[entity].to_numpy(), entity), design.align(df[time].to_numpy(), time)],
        names=[entity, time],
    )
    y = pd.Series(design.y, index=ids, name=dv)
    X = pd.DataFrame(design.X, index=ids, columns=design.terms)
    fit = PanelOLS(y, X, entity_effects=entity_effects, time_effects=time_effects).fit(
        cov_type="clustered", cluster_entity=True
    )
    cov = fit.cov.loc[design.terms, design.terms]
    return ModelResult(
        params=fit.params.loc[design.terms],
        cov=cov,
        nobs=int(fit.nobs),
        llf=float(fit.loglik),
        name=name,
        stats={"r2_within": float(fit.rsquared_within), "clusters": int(fit.entity_info["total"])},
        cov_type="cluster",
        info={"design": design.report(), "linearmodels": fit},
    )
