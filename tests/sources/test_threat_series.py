"""The posted threat series: rows without a code or year dropped, each version cut to its
usable years, typed and sorted."""

import pandas as pd
import pytest

from coupproof.sources import threat_series as ts
from coupproof.sources.threat_series import USABLE_YEARS, read_threat_series

CSV = """ccode,year,lsthreat,extra
20,2001,0.5,x
2,1999,0.1,x
,2000,0.3,x
20,,0.2,x
2,2001,0.4,x
2,2003,0.9,x
2,1815,0.7,x
2,2002,0.0,x
"""


@pytest.fixture
def posted(monkeypatch, tmp_path):
    path = tmp_path / "threat.csv"
    path.write_text(CSV)
    fetched = []

    def fetch(file_id):
        fetched.append(file_id)
        return path
    monkeypatch.setattr(ts, "fetch", fetch)
    return fetched


def test_reader_drops_rows_without_codes_and_keeps_usable_years(posted):
    out = read_threat_series("2018-10")
    assert posted == ["leeds_savun_threat_v2"]
    # the two rows without a ccode or a year are dropped; 1815 and 2003 fall outside
    # 1816–2002; sorted by ccode then year
    assert list(zip(out["ccode"], out["year"], out["threat"])) == [
        (2, 1999, 0.1), (2, 2001, 0.4), (2, 2002, 0.0), (20, 2001, 0.5)]
    assert str(out["ccode"].dtype) == "Int64" and str(out["year"].dtype) == "Int64"
    assert out["threat"].dtype == "float64" and list(out.index) == [0, 1, 2, 3]


def test_the_earlier_version_ends_in_2000(posted):
    out = read_threat_series("2018-08")
    assert posted == ["leeds_savun_threat_v1"]
    assert list(zip(out["ccode"], out["year"])) == [(2, 1999)]
    assert USABLE_YEARS == {"2018-08": (1816, 2000), "2018-10": (1816, 2002)}


def test_unknown_version_fails_before_fetching(posted):
    with pytest.raises(ValueError, match="allowed: 2018-08, 2018-10"):
        read_threat_series("2019")
    assert posted == []


@pytest.mark.data
@pytest.mark.parametrize("version", list(USABLE_YEARS))
def test_real_series_within_its_usable_years(raw_data, version):
    out = read_threat_series(version)
    lo, hi = USABLE_YEARS[version]
    assert out["year"].min() >= lo and out["year"].max() == hi
    assert out[["ccode", "year"]].notna().all().all()
    assert not out.duplicated(["ccode", "year"]).any()
    assert (out["threat"].dropna() >= 0).all()
