"""From panel columns to the model terms used in tables (the paper-record names).

:func:`analysis_frame` adds one column per term of :data:`coupproof.codebook.CODEBOOK`
(``cb`` from ``lncb_l_A`` and so on), honouring the timing choices, plus the cluster ids.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coupproof.codebook import CODEBOOK, column
from coupproof.params import TermChoices

#: Columns carried over unchanged from the panel when present.
CARRIED = ("ccode1", "ccode2", "year", "def", "concessionsA", "concessionsB")


def term_columns(terms: TermChoices = TermChoices()) -> dict[str, str]:
    """term -> panel column for every variable of the codebook."""
    return {v.term: column(v.term, terms) for v in CODEBOOK}


def analysis_frame(frame: pd.DataFrame, terms: TermChoices = TermChoices()) -> pd.DataFrame:
    """``frame`` with one float column per model term present in it, the columns of
    :data:`CARRIED`, and the cluster ids ``dyad_directed`` (A·1000 + B) and
    ``dyad_undirected`` (min·1000 + max)."""
    cols = {t: c for t, c in term_columns(terms).items() if c in frame}
    out = pd.DataFrame({t: frame[c].astype("float64") for t, c in cols.items()}, index=frame.index)
    for c in CARRIED:
        if c in frame:
            out[c] = frame[c].to_numpy()
    a = frame["ccode1"].to_numpy(dtype="int64")
    b = frame["ccode2"].to_numpy(dtype="int64")
    out["dyad_directed"] = a * 1000 + b
    out["dyad_undirected"] = np.minimum(a, b) * 1000 + np.maximum(a, b)
    return out
