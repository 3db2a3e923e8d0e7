"""Checks on the Heckman two-step models (chapter 07).

In the two-step estimator the inverse Mills ratio λ enters the outcome equation as a
regressor.  Beyond the normality assumption, what separates it from the other regressors is
the exclusion restriction: a selection regressor left out of the outcome equation.  When λ
is nearly a linear combination of the outcome regressors on the selected rows, the
correction is barely identified; :func:`imr_collinearity` measures that by the R² of λ
regressed on the outcome regressors.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from coupproof.models.design import term_matrix
from coupproof.models.heckit import IMR, HeckitResult, inverse_mills
from coupproof.report.compare import published_model_stats


def imr_collinearity(frame: pd.DataFrame, fit: HeckitResult) -> float:
    """R² of the inverse Mills ratio regressed on the outcome equation's regressors, on the
    selected rows of ``fit`` (fitted on ``frame`` by :func:`coupproof.models.heckit.heckit`)."""
    keep = fit.info["mask"]
    selected = frame["def"].to_numpy()[keep] == 1
    lam = inverse_mills(fit.selection.info["eta"][selected])
    terms = [t for t in fit.outcome.terms if t != IMR]
    X = term_matrix(frame, terms)[keep][selected]
    beta, *_ = np.linalg.lstsq(X, lam, rcond=None)
    resid = lam - X @ beta
    centred = lam - lam.mean()
    return float(1.0 - resid @ resid / (centred @ centred))


def collinearity_table(frames: Mapping[int, pd.DataFrame], models: Mapping[int, Mapping[str, HeckitResult]]) -> pd.DataFrame:
    """R² of λ on the outcome regressors for the outcome equations (Models 2 and 3) of each table."""
    rows = []
    for table, fits in models.items():
        for m in ("2", "3"):
            h = fits[m]
            rows.append({"table": table, "model": int(m), "outcome regressors": len(h.outcome.terms) - 1,
                         "R² of λ": imr_collinearity(frames[table], h)})
    return pd.DataFrame(rows)


def selection_statistics(table: int, models: Mapping[str, HeckitResult]) -> pd.DataFrame:
    """ρ, σ, the inverse Mills ratio coefficient and its SE, ours beside the paper's (σ of
    the paper from its printed IMR coefficient, ρσ, divided by its ρ)."""
    pub = published_model_stats(table).pivot(index="model", columns="stat", values="value")
    rows = []
    for m, h in models.items():
        p = pub.loc[int(m)]
        rows.append({"table": table, "model": int(m), "ρ (paper)": p["rho"], "ρ (ours)": h.rho,
                     "σ (paper, IMR / ρ)": p["IMR"] / p["rho"], "σ (ours)": h.sigma,
                     "IMR (paper)": p["IMR"], "IMR (ours)": h.imr, "IMR SE (paper)": p["IMR_se"],
                     "IMR SE (ours)": h.imr_se, "pacts (ours)": h.nobs_selected,
                     "N (paper)": int(p["N"]), "N (ours)": h.nobs})
    return pd.DataFrame(rows)


__all__ = ["collinearity_table", "imr_collinearity", "selection_statistics"]
