"""Checks on the formation models (chapter 04): the clustering unit and the double count.

The paper clusters "by the dyad" without saying which.  Table 1 prints clustered standard
errors and Table 5 (the same specification, model-based standard errors) the uncorrected
ones, so their ratio for one term is a fingerprint of the clustering unit that
:func:`cluster_ratios` sets against ours under each unit.  :func:`events_both_ways` counts
how many events of a directed-dyad frame are also events in the reverse direction.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from coupproof.analysis import fit_table
from coupproof.params import EstimationChoices
from coupproof.report.compare import published_value


def model_se(result, term: str) -> float:
    """The model-based (inverse-information) standard error of ``term`` in a clustered fit."""
    cov = result.info["cov_model"]
    return float(np.sqrt(np.asarray(cov)[result.terms.index(term), result.terms.index(term)]))


def cluster_ratios(frame: pd.DataFrame, terms: Sequence[str], estimation: EstimationChoices,
                   term: str = "shared_def", units: Sequence[str] = ("undirected", "directed")) -> pd.DataFrame:
    """Clustered over model-based standard error of ``term`` under each clustering unit."""
    rows = []
    for unit in units:
        fit = fit_table(frame, {0: list(terms)}, estimation.replace(cluster=unit))["0"]
        rows.append({"clustering unit": unit, "clustered SE": float(fit.bse[term]),
                     "model-based SE": model_se(fit, term)})
    out = pd.DataFrame(rows)
    out["ratio"] = out["clustered SE"] / out["model-based SE"]
    return out


def paper_cluster_ratio(term: str = "shared_def", model_t1: int = 2, model_t5: int = 1) -> dict[str, float]:
    """The same ratio in the paper: Table 1's clustered SE over Table 5's model-based SE
    (Table 5's Model 1 is Table 1's Model 2 with model-based errors).  The King-Zeng
    correction leaves standard errors at the ML fit's, so the ratio compares like with like."""
    clustered = published_value(1, model_t1, term, "se")
    model = published_value(5, model_t5, term, "se")
    return {"clustered SE": clustered, "model-based SE": model, "ratio": clustered / model}


def events_both_ways(frame: pd.DataFrame, dv: str = "def") -> dict[str, int]:
    """Events of a directed-dyad frame whose reverse row (B, A, year) is an event too.

    Returns ``events``, ``both_ways`` (events whose reverse is also an event in the frame)
    and ``pairs`` (distinct undirected pair-years with an event)."""
    ev = frame.loc[frame[dv] == 1, ["ccode1", "ccode2", "year"]]
    keys = set(zip(ev["ccode1"], ev["ccode2"], ev["year"]))
    both = sum((b, a, y) in keys for a, b, y in keys)
    pairs = {(min(a, b), max(a, b), y) for a, b, y in keys}
    return {"events": len(keys), "both_ways": int(both), "pairs": len(pairs)}
