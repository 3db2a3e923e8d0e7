"""Spell expansion: every covered year once, inclusive edges, empty spells cover nothing."""

import numpy as np

from coupproof.spells import spell_years


def test_spells_expand_to_inclusive_years():
    row, year = spell_years([2000, 1990, 2005], [2002, 1990, 2004])
    assert row.tolist() == [0, 0, 0, 1]
    assert year.tolist() == [2000, 2001, 2002, 1990]


def test_no_spells():
    row, year = spell_years(np.array([], dtype=int), np.array([], dtype=int))
    assert len(row) == len(year) == 0
