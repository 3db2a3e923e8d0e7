"""Integer keys for dyads and dyad-years, shared by the panel, the models and the multiverse.

COW country codes are below 1,000, so ``A·1000 + B`` identifies a directed dyad and
``min·1000 + max`` an undirected one; ``year·10⁸ + min·10⁴ + max`` identifies an undirected
dyad-year.
"""

from __future__ import annotations

import numpy as np


def dyad_ids(a, b, *, directed: bool = True) -> np.ndarray:
    """Cluster ids for dyads of COW codes: ``a*1000 + b`` (directed) or ``min*1000 + max``."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    if not directed:
        a, b = np.minimum(a, b), np.maximum(a, b)
    return a * 1000 + b


def undirected_keys(ccode1, ccode2, year) -> np.ndarray:
    """year·10⁸ + min·10⁴ + max for each dyad-year (the same for (A, B) and (B, A))."""
    a, b = np.asarray(ccode1, dtype="int64"), np.asarray(ccode2, dtype="int64")
    return np.asarray(year, dtype="int64") * 100_000_000 + np.minimum(a, b) * 10_000 + np.maximum(a, b)
