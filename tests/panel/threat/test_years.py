"""Who is in the system each year, and one array per year over its members: positions,
look-ups by code, the tidy long form and the storage round trip."""

import numpy as np
import pandas as pd
import pytest

from coupproof.panel.threat.years import (MAX_CCODE, SystemIndex, YearArrays, expand_spells,
                                          per_year_pairs, state_values, system_index)


def toy() -> SystemIndex:
    # 2 is a member 2000–2002; 20 in 2000 and 2002 (not 2001); 365 from 2001
    rows = [(2, 2000), (20, 2000), (2, 2001), (365, 2001), (2, 2002), (20, 2002), (365, 2002),
            (2, 2000)]                                 # a duplicated row is harmless
    return system_index(pd.DataFrame(rows, columns=["ccode", "year"]))


def pairs(index: SystemIndex) -> YearArrays:
    """Pair values 100·year-offset + 10·i + j, so every cell is recognisable."""
    arrays = tuple(np.add.outer(10 * np.arange(len(m)), np.arange(len(m))) + 100.0 * k
                   for k, m in enumerate(index.members))
    return YearArrays(index, arrays, "s")


def test_members_and_slots_by_year():
    idx = toy()
    assert (idx.first, idx.last) == (2000, 2002)
    assert [m.tolist() for m in idx.members] == [[2, 20], [2, 365], [2, 20, 365]]
    assert idx.codes(2001).tolist() == [2, 365] and idx.years.tolist() == [2000, 2001, 2002]
    assert idx.state_years().values.tolist() == [[2, 2000], [20, 2000], [2, 2001], [365, 2001],
                                                 [2, 2002], [20, 2002], [365, 2002]]


def test_locate_gives_the_position_or_minus_one():
    idx = toy()
    # 365 is second in 2001 and third in 2002; 20 is out in 2001; 1999 and 2003 lie outside
    # the index; 8152 (an ATOP non-state member) and −1 are not COW codes
    got = idx.locate([365, 365, 20, 2, 2, 8152, -1], [2001, 2002, 2001, 1999, 2003, 2000, 2000])
    assert got.tolist() == [1, 2, -1, -1, -1, -1, -1]
    assert idx.locate([2, 20, 365], 2002).tolist() == [0, 1, 2]          # broadcast year
    assert idx.locate(20, [2000, 2001, 2002]).tolist() == [1, -1, 1]     # broadcast code


def test_an_index_wider_than_its_data_has_empty_years_and_codes_are_checked():
    idx = system_index(pd.DataFrame({"ccode": [2], "year": [2000]}), first=1999, last=2001)
    assert [len(m) for m in idx.members] == [0, 1, 0]
    assert idx.locate(2, [1999, 2000, 2001]).tolist() == [-1, 0, -1]
    with pytest.raises(ValueError, match=f"0..{MAX_CCODE}"):
        system_index(pd.DataFrame({"ccode": [2, 1000], "year": [2000, 2000]}))


def test_state_values_from_a_frame():
    idx = toy()
    cinc = pd.DataFrame({"ccode": [2, 20, 20, 365, 2, None],
                         "year": [2001, 2001, 2002, 2002, 1990, 2002],
                         "cinc": [0.2, 0.9, 0.3, 0.4, 0.5, 0.6]})
    ya = state_values(cinc, "cinc", idx)
    # 2001: 2 -> 0.2; 365 has no row -> NaN; (20, 2001) is outside the system and ignored,
    # as are 1990 and the row without a code
    np.testing.assert_array_equal(ya[2001], [0.2, np.nan])
    np.testing.assert_array_equal(ya[2002], [np.nan, 0.3, 0.4])
    np.testing.assert_array_equal(ya[2000], [np.nan, np.nan])
    assert ya.name == "cinc" and len(ya) == 3 and list(ya) == [2000, 2001, 2002]
    np.testing.assert_array_equal(ya.state_values([2, 20, 365, 2], [2001, 2001, 2002, 1990]),
                                  [0.2, np.nan, 0.4, np.nan])
    with pytest.raises(KeyError):
        ya[2003]


def test_pair_values_by_code():
    ya = pairs(toy())
    # 2002: 20 is slot 1, 365 slot 2 -> 200 + 10·1 + 2 = 212; reverse 221; 2001: (365, 2)
    # = 100 + 10·1 + 0 = 110; 20 is not a member in 2001 -> NaN
    got = ya.pair_values([20, 365, 365, 20], [365, 20, 2, 2], [2002, 2002, 2001, 2001])
    np.testing.assert_array_equal(got, [212, 221, 110, np.nan])


def test_to_long_upper_and_all_ordered_pairs():
    ya = pairs(toy())
    up = ya.to_long()
    # one pair in 2000 and 2001, three in 2002; ccode1 < ccode2, values from the upper triangle
    assert up.values.tolist() == [[2, 20, 2000, 1.0], [2, 365, 2001, 101.0], [2, 20, 2002, 201.0],
                                  [2, 365, 2002, 202.0], [20, 365, 2002, 212.0]]
    full = ya.to_long(years=(2002, 2002), upper=False)
    assert len(full) == 6 and (full["ccode1"] != full["ccode2"]).all()
    assert full.set_index(["ccode1", "ccode2"]).loc[(365, 20), "s"] == 221.0
    assert ya.to_long(years=(1990, 1995)).empty


def test_storage_round_trip_for_state_and_pair_arrays():
    idx = toy()
    for ya in (pairs(idx), state_values(pd.DataFrame({"ccode": [2], "year": [2000], "x": [1.0]}),
                                        "x", idx)):
        stored = ya.to_arrays()
        assert set(stored) == {"values", "shapes", "ndim"}
        back = YearArrays.from_arrays(idx, stored, ya.name)
        assert [a.shape for a in back.arrays] == [a.shape for a in ya.arrays]
        for a, b in zip(ya.arrays, back.arrays):
            np.testing.assert_array_equal(a, b)
    assert pairs(idx).to_arrays()["shapes"].tolist() == [[2, 2], [2, 2], [3, 3]]
    other = system_index(pd.DataFrame({"ccode": [2], "year": [2000]}))
    with pytest.raises(ValueError, match="do not fit the system index"):
        YearArrays.from_arrays(other, pairs(idx).to_arrays(), "s")


def test_round_trip_keeps_an_empty_years_pair_matrix():
    idx = system_index(pd.DataFrame({"ccode": [2, 20], "year": [2000, 2000]}), 2000, 2001)
    ya = YearArrays(idx, (np.ones((2, 2)), np.zeros((0, 0))), "s")
    back = YearArrays.from_arrays(idx, ya.to_arrays(), "s")
    assert back[2001].shape == (0, 0)
    assert len(back.to_long()) == 1


def test_year_arrays_compare_by_identity():
    ya = pairs(toy())
    assert ya == ya and ya != pairs(toy())


def test_per_year_pairs_and_spells():
    idx = toy()
    got = {y: (pa.tolist(), pb.tolist(), rows.tolist())
           for y, pa, pb, rows in per_year_pairs(idx, [365, 2, 20, 2, 2], [2, 20, 2, 2, 365],
                                                 [2002, 2000, 2001, 2002, 2002])}
    # row 2 (20 in 2001) and row 3 (a = b) are dropped; rows grouped by year, in row order:
    # 2002 has row 0 (365 at slot 2, 2 at slot 0) and row 4 (2 -> 365)
    assert got == {2000: ([0], [1], [1]), 2001: ([], [], []), 2002: ([2, 0], [0, 2], [0, 4])}
    a, b, year = expand_spells([2, 20], [20, 365], [1998, 2001], [2001, 2005], 2000, 2002)
    # spells clipped to 2000–2002: 2–20 in 2000, 2001; 20–365 in 2001, 2002
    assert list(zip(a, b, year)) == [(2, 20, 2000), (2, 20, 2001), (20, 365, 2001), (20, 365, 2002)]
