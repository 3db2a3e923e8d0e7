"""Dyad and dyad-year keys: worked out by hand on three dyads."""

import numpy as np

from coupproof.keys import dyad_ids, undirected_keys


def test_dyad_ids_directed_and_undirected():
    a = np.array([2, 365, 2])
    b = np.array([365, 2, 20])
    assert dyad_ids(a, b).tolist() == [2365, 365002, 2020]
    assert dyad_ids(a, b, directed=False).tolist() == [2365, 2365, 2020]


def test_undirected_keys_are_the_same_in_both_directions_and_differ_by_year():
    keys = undirected_keys([2, 365, 2], [365, 2, 365], [1990, 1990, 1991])
    assert keys.tolist() == [1990_0002_0365, 1990_0002_0365, 1991_0002_0365]
