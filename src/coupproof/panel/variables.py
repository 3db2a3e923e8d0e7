"""From panel columns to the model terms used in tables (the paper-record names).

:func:`analysis_frame` adds one column per term of :data:`coupproof.codebook.CODEBOOK`
(``cb`` from ``lncb_l_A`` and so on), honouring the timing choices, plus the cluster ids.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coupproof.codebook import CODEBOOK, column
from coupproof.keys import dyad_ids
from coupproof.params import TermChoices

#: Columns carried over unchanged from the panel when present.
CARRIED = ("ccode1", "ccode2", "year", "def", "concessionsA", "concessionsB")


def term_columns(terms: TermChoices = TermChoices()) -> dict[str, str]:
    """term -> panel column for every variable of the codebook."""
    return {v.term: column(v.term, terms) for v in CODEBOOK}


def analysis_columns(columns, terms: TermChoices = TermChoices()) -> dict[str, np.ndarray]:
    """From panel columns (a mapping of arrays or a frame): one float array per model term
    present, the columns of :data:`CARRIED`, and the cluster ids ``dyad_directed``
    (A·1000 + B) and ``dyad_undirected`` (min·1000 + max)."""
    out = {t: np.asarray(columns[c], dtype="float64") for t, c in term_columns(terms).items()
           if c in columns}
    for c in CARRIED:
        if c in columns:
            out[c] = np.asarray(columns[c])
    out["dyad_directed"] = dyad_ids(columns["ccode1"], columns["ccode2"])
    out["dyad_undirected"] = dyad_ids(columns["ccode1"], columns["ccode2"], directed=False)
    return out


def analysis_frame(frame: pd.DataFrame, terms: TermChoices = TermChoices()) -> pd.DataFrame:
    """``frame`` with one float column per model term present in it, the columns of
    :data:`CARRIED`, and the cluster ids (see :func:`analysis_columns`)."""
    return pd.DataFrame(analysis_columns(frame, terms), index=frame.index)
