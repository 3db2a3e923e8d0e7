"""Spells to years: the one array trick every source with begin/end years needs."""

from __future__ import annotations

import numpy as np


def spell_years(begin, end) -> tuple[np.ndarray, np.ndarray]:
    """Expand spells [begin, end] (inclusive, integer years) into one entry per covered year.

    Returns ``(row, year)``: for every spell i and year t with begin_i ≤ t ≤ end_i, the spell's
    position ``i`` and the year ``t``.  Spells with end < begin cover no year.  Vectorised:
    no loop over spells.
    """
    lo = np.asarray(begin, dtype=np.int64)
    hi = np.asarray(end, dtype=np.int64)
    n = np.clip(hi - lo + 1, 0, None)
    row = np.repeat(np.arange(len(lo)), n)
    offset = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    return row, lo[row] + offset
