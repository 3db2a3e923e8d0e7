"""The cross-check against the posted threat series, on a toy series (sources.read replaced)."""

import numpy as np
import pandas as pd
import pytest

from coupproof import sources
from coupproof.panel.threat import crosscheck as cc

POSTED = {
    # version 2018-10 is usable to 2002; 2018-08 to 2000
    "2018-10": pd.DataFrame({"ccode": [2, 2, 2, 2, 20, 20, 20],
                             "year": [1999, 2000, 2001, 2002, 2000, 2001, 2002],
                             "threat": [0.0, 2.0, 6.0, 12.0, 0.0, 2.0, 8.0]}),
    "2018-08": pd.DataFrame({"ccode": [2, 2], "year": [1999, 2000], "threat": [1.0, 3.0]}),
}
OURS = pd.DataFrame({"ccode": [2, 2, 2, 2, 2, 20, 20, 365],
                     "year": [1999, 2000, 2001, 2002, 2003, 2000, 2001, 2000],
                     "threat": [0.0, 1.0, 3.0, 6.0, 9.0, 0.0, 1.0, 5.0],
                     "other": 0})


@pytest.fixture
def posted(monkeypatch):
    calls = []

    def read(dataset, version=None):
        calls.append((dataset, version))
        return POSTED[version].astype({"ccode": "Int64", "year": "Int64"})
    monkeypatch.setattr(sources, "read", read)
    return calls


def test_paired_is_an_inner_join_within_the_usable_years(posted):
    p = cc.paired(OURS, "2018-10")
    assert posted == [("threat_series", "2018-10")]
    assert list(p.columns) == ["ccode", "year", "ours", "posted"]
    # (2, 2003) is past 2002 and not posted; (20, 2002) is not ours; 365 is not posted
    assert list(zip(p["ccode"], p["year"])) == [(2, 1999), (2, 2000), (2, 2001), (2, 2002),
                                                (20, 2000), (20, 2001)]
    assert p["ours"].tolist() == [0, 1, 3, 6, 0, 1] and p["posted"].tolist() == [0, 2, 6, 12, 0, 2]
    # a years window narrows it further
    assert cc.paired(OURS, "2018-10", years=(2000, 2001))["year"].tolist() == [2000, 2001, 2000, 2001]


def test_paired_rejects_duplicated_state_years(posted):
    with pytest.raises(pd.errors.MergeError):
        cc.paired(pd.concat([OURS, OURS.iloc[[0]]]), "2018-10")


def test_compare_with_series_on_a_toy(posted):
    t = cc.compare_with_series(OURS, years=(1999, 2010)).set_index("version")
    assert list(t.index) == ["2018-08", "2018-10"]
    row = t.loc["2018-10"]
    # the six pairs above: posted = 2 × ours exactly
    assert row["state-years"] == 6 and row["years"] == "1999–2002"
    assert row["mean (ours)"] == pytest.approx(11 / 6) and row["mean (posted)"] == pytest.approx(22 / 6)
    assert row["share zero (ours)"] == pytest.approx(2 / 6) == row["share zero (posted)"]
    assert row["Pearson r"] == pytest.approx(1.0) and row["Spearman r"] == pytest.approx(1.0)
    # yearly changes: ours +1, +2, +3 (state 2), +1 (state 20); posted twice that: r = 1
    assert row["r of yearly changes"] == pytest.approx(1.0)
    early = t.loc["2018-08"]
    # 2018-08 ends in 2000: (2, 1999) 0 vs 1 and (2, 2000) 1 vs 3; one change: no r
    assert early["state-years"] == 2 and early["years"] == "1999–2000"
    assert early["Pearson r"] == pytest.approx(1.0) and np.isnan(early["r of yearly changes"])


def test_country_series_long_form(posted):
    out = cc.country_series(OURS, [20], years=(1946, 2010))
    assert list(out.columns) == ["ccode", "year", "series", "threat"]
    assert out.values.tolist() == [[20, 2000, "ours", 0.0], [20, 2001, "ours", 1.0],
                                   [20, 2000, "posted", 0.0], [20, 2001, "posted", 2.0]]


def test_yearly_changes_do_not_span_a_missing_year(monkeypatch):
    posted = pd.DataFrame({
        # state 2: no posted value in 1992; states 20 and 200 complete
        "ccode": [2, 2, 2, 20, 20, 20, 200, 200],
        "year": [1990, 1991, 1993, 1990, 1991, 1992, 1990, 1991],
        "threat": [0.0, 2.0, -18.0, 0.0, 4.0, 10.0, 5.0, 7.0],
    }).astype({"ccode": "Int64", "year": "Int64"})
    monkeypatch.setattr(sources, "read", lambda dataset, version=None: posted.copy())
    ours = pd.DataFrame({"ccode": [2, 2, 2, 2, 20, 20, 20, 200, 200],
                         "year": [1990, 1991, 1992, 1993, 1990, 1991, 1992, 1990, 1991],
                         "threat": [0.0, 1.0, 5.0, 2.0, 0.0, 2.0, 5.0, 5.0, 6.0]})
    row = cc.compare_with_series(ours, versions=("2018-10",), years=(1990, 2010)).iloc[0]
    # one-year changes: ours +1 (2: 1990→91), +2, +3 (20), +1 (200); posted +2, +4, +6, +2:
    # exactly twice ours, r = 1.  The 1991→1993 step of state 2 (ours +1, posted −20) is a
    # two-year change and must not enter.
    assert row["r of yearly changes"] == pytest.approx(1.0)
