"""The sample restriction on a hand-made frame: DV years, A's regime filter (in t or t−1, or
none), the base-frame columns, and the attrition it records."""

import numpy as np
import pandas as pd
import pytest

from coupproof.panel.sample import (BASE_COLUMNS, filter_column, model_attrition,
                                    restrict_sample, sample_columns, sample_rows)
from coupproof.panel.transforms import Attrition
from coupproof.params import SampleChoices

NAN = np.nan


def panel():
    """Seven dyad-years, index 10 … 16 (row: what it tests)."""
    return pd.DataFrame({
        #            10     11    12     13    14      15     16
        "year":     [1960, 1961, 2000, 2010, 2005,   2011,  1990],
        "def":      [1,    1,    0,    1,    1,      1,     NAN],
        "polity2_A":   [-7, 6,   7,    NAN,  -5,     -7,    -10],
        "polity2_l_A": [-7, 7,   5,    -3,   -5,     -7,    -10],
        "threat_l_A":  [0.1] * 7,
        "threat_l_B":  [0.1, 0.1, 0.1, 0.1, NAN,   0.1,   0.1],
        "shared_def_l": [0.0] * 7,
        "recent_coup_A": [0.0] * 7,
        "other": list("abcdefg"),
    }, index=range(10, 17))


def kept(sample, attrition=None):
    return restrict_sample(panel(), sample, attrition).index.tolist()


def test_default_sample_years_polity_in_t_and_base_columns():
    att = Attrition()
    out = restrict_sample(panel(), SampleChoices(), att)
    # years 1961–2010 keep 11, 12, 13, 14, 16 (1960 and 2011 out); polity2_A ≤ 6 keeps 11 (6:
    # the edge), 14 and 16 (12 has 7, 13 is missing); 14 lacks threat_l_B
    assert out.index.tolist() == [11, 16]
    assert out["other"].tolist() == ["b", "g"]         # every column kept, rows by label
    t = att.table()
    assert t["rows"].tolist() == [5, 3, 2] and t["dropped"].tolist() == [0, 2, 1]
    # events: def of 11, 12, 13, 14, 16 = 1 + 0 + 1 + 1 + missing(0) = 3; then 11, 14, 16 = 2;
    # then 11, 16 = 1
    assert t["events"].tolist() == [3, 2, 1]
    assert t["step"].tolist()[1] == "A non-democratic: polity2_A ≤ 6"


def test_polity_filter_in_t_minus_1():
    # polity2_l_A ≤ 6 keeps 12 (5), 13 (−3), 14 and 16; 11 (7) is out; 14 lacks threat_l_B
    assert kept(SampleChoices(polity_filter_year="t-1")) == [12, 13, 16]
    assert filter_column(SampleChoices(polity_filter_year="t-1")) == "polity2_l_A"
    assert filter_column(SampleChoices()) == "polity2_A"


def test_no_regime_filter_and_other_thresholds_and_years():
    att = Attrition()
    assert kept(SampleChoices(polity_max=None), att) == [11, 12, 13, 16]
    assert len(att.table()) == 2            # no regime step is recorded
    # polity2_A ≤ −6: only 16 (−10); 11 (6) and 14 (−5) fail
    assert kept(SampleChoices(polity_max=-6)) == [16]
    # years 1990–2005: 12, 14, 16; 12 fails the filter (7), 14 the base columns
    assert kept(SampleChoices(years=(1990, 2005))) == [16]


@pytest.mark.parametrize("column", BASE_COLUMNS)
def test_each_base_column_is_required(column):
    frame = panel()
    frame.loc[11, column] = NAN
    assert restrict_sample(frame).index.tolist() == [16]


def test_the_filter_reads_only_the_sample_columns():
    assert BASE_COLUMNS == ["threat_l_A", "threat_l_B", "shared_def_l", "recent_coup_A"]
    assert sample_columns(SampleChoices()) == ["year", "def", "polity2_A", *BASE_COLUMNS]
    cols = {c: panel()[c].to_numpy() for c in sample_columns(SampleChoices(polity_filter_year="t-1"))}
    assert "polity2_A" not in cols
    # positions, not labels: rows 12, 13, 16 are positions 2, 3, 6
    assert sample_rows(cols, SampleChoices(polity_filter_year="t-1")).tolist() == [2, 3, 6]


def test_model_attrition_continues_with_nested_deletions():
    att = Attrition()
    frame = restrict_sample(panel(), SampleChoices(polity_max=None), att)   # 11, 12, 13, 16
    frame = frame.assign(reg_diff_l=[1.0, NAN, 2.0, 3.0], military_l_A=[0.0, 1.0, NAN, 0.0])
    model_attrition(frame, {"regime difference": ["reg_diff_l"],
                            "military": ["reg_diff_l", "military_l_A"]}, att)
    t = att.table()
    # 12 lacks reg_diff_l (events 1 + 1 + 0 left: 11, 13, 16), then 13 lacks military (11, 16)
    assert t["rows"].tolist()[-2:] == [3, 2] and t["dropped"].tolist()[-2:] == [1, 1]
    assert t["events"].tolist()[-2:] == [2, 1]


def test_a_column_reader_gives_the_same_rows_and_reads_each_filter_on_the_rows_still_in():
    frame, sample = panel(), SampleChoices()
    reads = []

    def take(names, at):
        reads.append((tuple(names), None if at is None else at.tolist()))
        return {c: frame[c].to_numpy() if at is None else frame[c].to_numpy()[at] for c in names}

    mapping = {c: frame[c].to_numpy() for c in sample_columns(sample)}
    a, b = Attrition(), Attrition()
    assert sample_rows(take, sample, a).tolist() == sample_rows(mapping, sample, b).tolist() == [1, 6]
    assert a.table().equals(b.table())
    # years first (all rows), then polity2_A on the years kept, then the base columns on the
    # rows that passed the regime filter
    assert reads == [(("year", "def"), None), (("polity2_A",), [1, 2, 3, 4, 6]),
                     (tuple(BASE_COLUMNS), [1, 4, 6])]
