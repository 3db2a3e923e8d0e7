"""PRIE membership on a toy system worked by hand."""

import numpy as np
import pandas as pd
import pytest

from coupproof.panel import threat as T

from .toys import PORTFOLIOS, TOY, TOY_SYSTEM, dyads, system, toy_s


# ------------------------------------------------------------------------------ PRIE

PRIE_SYSTEM = system([2, 20, 200, 365, 666], [1999, 2000, 2001])
CONTDIR = pd.DataFrame(
    [(2, 20, 1, 1999, 2000),      # land, ends in 2000
     (200, 365, 4, 2000, 2001),   # 150 miles of water, begins in 2000
     (2, 666, 5, 1999, 2001)],    # 400 miles of water
    columns=["state1", "state2", "conttype", "begin_year", "end_year"])
CONTCOL = pd.DataFrame(
    [(20, 666, 0, 0, 1, 1999, 2001),     # through a colonial holding, by land
     (200, 666, 5, 0, 5, 1999, 2001)],   # through a colonial holding, 400 miles of water
    columns=["state1", "state2", "dependl", "dependh", "conttype", "begin_year", "end_year"])
MAJORS = pd.DataFrame({"ccode": [365], "styear": [2000], "endyear": [2001]})


def prie_of(ccode, year, **kw):
    prie = T.politically_relevant(PRIE_SYSTEM, CONTDIR, CONTCOL, MAJORS, **kw)
    codes = PRIE_SYSTEM.codes(year)
    return set(codes[prie[year][PRIE_SYSTEM.locate(ccode, year)]].tolist())


def test_spell_edges_are_inclusive():
    assert 20 in prie_of(2, 2000)        # last year of the land spell
    assert 20 not in prie_of(2, 2001)    # the year after it ends
    assert 365 not in prie_of(200, 1999)  # the year before the water spell (365 not yet major)
    assert 365 in prie_of(200, 2000)     # its first year


def test_conttype_cut_off():
    assert 666 in prie_of(2, 1999, max_conttype=5)
    assert 666 not in prie_of(2, 1999, max_conttype=4)
    assert 20 in prie_of(2, 1999, max_conttype=1)


def test_colonial_contiguity_is_a_parameter():
    assert 666 in prie_of(20, 1999)
    assert 666 not in prie_of(20, 1999, colonial=False)


def test_conttype_cut_off_applies_to_colonial_contiguity_too():
    assert 666 in prie_of(200, 1999)
    assert 666 not in prie_of(200, 1999, max_conttype=4)
    assert 666 in prie_of(20, 1999, max_conttype=1)


def test_major_power_is_in_every_prie_from_its_first_year():
    assert 365 not in prie_of(20, 1999)
    for state in (2, 20, 200, 666):
        assert 365 in prie_of(state, 2000)


def test_major_power_global_rule():
    # 365 is a major power from 2000: with the global rule every state is in its PRIE
    assert prie_of(365, 2000) == {2, 20, 200, 666}
    # without it, only its neighbours (200) and other major powers (none) are
    assert prie_of(365, 2000, major_power_global=False) == {200}


def test_prie_never_contains_the_state_itself():
    prie = T.politically_relevant(PRIE_SYSTEM, CONTDIR, CONTCOL, MAJORS)
    for year in (1999, 2000, 2001):
        assert not np.diag(prie[year]).any()


def test_mean_s_over_relevant_pairs_by_hand():
    # 3 states in one year; only pairs (0, 1) and (1, 2) are relevant, one direction each
    idx = system([1, 2, 3], [2000])
    s = T.YearArrays(idx, (np.array([[1.0, 0.2, 0.9], [0.2, 1.0, 0.5], [0.9, 0.5, 1.0]]),), "s")
    prie = T.YearArrays(idx, (np.array([[0, 1, 0], [0, 0, 0], [0, 1, 0]], dtype=bool),), "prie")
    assert T.mean_s(s, prie) == pytest.approx((0.2 + 0.5) / 2)


