"""Readers return typed frames whose values match the raw files (values looked up by hand).

Each expected value below was read directly from the raw file named in the comment.
"""

import pandas as pd
import pytest

from coupproof import sources

pytestmark = pytest.mark.data


def one(df, **where):
    mask = pd.Series(True, index=df.index)
    for k, v in where.items():
        mask &= df[k] == v
    assert mask.sum() == 1, f"expected one row for {where}, got {mask.sum()}"
    return df[mask].iloc[0]


def test_polity_codes_scores_and_begin_years(raw_data):
    p = sources.read_polity("IV")
    assert p["ccode"].dtype == "Int64" and p["year"].dtype == "Int64"
    # polityIV.rda: Syria (652) 1970 polity2 = -9 with byear = 1970 (Assad's takeover)
    syr = one(p, ccode=652, year=1970)
    assert syr["polity2"] == -9 and syr["byear"] == 1970
    # Polity codes the USSR 364; COW codes it 365.  polity2 in 1980 = -7.
    assert one(p, ccode=365, year=1980)["polity2"] == -7
    # Cuba 1959: raw polity = -77 (interregnum), polity2 = 0
    cub = one(p, ccode=40, year=1959)
    assert cub["polity"] == -77 and cub["polity2"] == 0
    assert not p.duplicated(["ccode", "year"]).any()


def test_coups(raw_data):
    c = sources.read_coups("2022")
    # ptcoups csv line 389: Egypt,651,1952,7,23,2 (successful coup of the Free Officers)
    e = one(c, ccode=651, year=1952)
    assert (e["month"], e["day"], e["coup"]) == (7, 23, 2)
    assert set(c["coup"].unique()) == {1, 2}
    assert len(sources.read_coups("2015")) == 473


def test_atop_egypt_syria_1966(raw_data):
    a = sources.read_atop_alliances()
    # atop5_1a.csv line 343: atopid 3538 begins 1966-11-04, ends 1967-06-10, bilateral, defense
    row = one(a, atopid=3538)
    assert (row["begyr"], row["begmo"], row["begday"], row["endyr"]) == (1966, 11, 4, 1967)
    assert row["defense"] == 1 and row["bilat"] == 1
    assert not any(c.startswith("mem") and c[3:].isdigit() for c in a.columns)
    m = sources.read_atop_members()
    assert sorted(m.loc[m["atopid"] == 3538, "member"]) == [651, 652]
    # endyr 0 in the raw file means "in force": recoded to NA + ongoing
    assert a.loc[a["ongoing"], "endyr"].isna().all() and a["ongoing"].sum() > 0
    # member code 8152 is not a COW state and is flagged
    assert (m.loc[m["member"] == 8152, "cowsys"] == 0).all()


def test_capabilities(raw_data):
    n6 = sources.read_nmc("6.0")
    # cow_nmc v6.0: USA 1816 cinc = 0.039697; Syria 1966 milex 82723, milper 80
    assert one(n6, ccode=2, year=1816)["cinc"] == pytest.approx(0.039697, abs=1e-6)
    syr = one(n6, ccode=652, year=1966)
    assert (syr["milex"], syr["milper"]) == (82723, 80)
    # v5.0 keeps -9 in the raw file (Bahamas 1993 milex); the reader recodes it
    n5 = sources.read_nmc("5.0")
    assert pd.isna(one(n5, ccode=31, year=1993)["milex"])
    assert (n5[["milex", "milper", "cinc"]] != -9).all().all()
    with pytest.raises(ValueError, match="allowed: 6.0, 5.0"):
        sources.read_nmc("4.0")


def test_contiguity_dates(raw_data):
    d = sources.read_contdir()
    # contdir.csv: 2 (USA) - 20 (CAN), conttype 1, begin 192001, end 201612
    usa = one(d, state1=2, state2=20)
    assert (usa["conttype"], usa["begin_year"], usa["begin_month"], usa["end_year"]) == (1, 1920, 1, 2016)
    c = sources.read_contcol()
    # contcol.csv: 2 - 20 through dependency 3, conttype 1, 1920-1959 (years, not YYYYMM)
    row = one(c, state1=2, state2=20)
    assert (row["begin_year"], row["end_year"], row["dependl"]) == (1920, 1959, 3)


def test_gwf_and_ssf_recode_country_codes(raw_data):
    g = sources.read_gwf()
    # gwf_all: GWF code 255 in 1960 is West Germany (COW 260), a democracy
    wg = one(g, ccode=260, year=1960)
    assert wg["gwf_code"] == 255 and wg["nonautocracy"] == "democracy"
    assert one(g, ccode=679, year=1995)["gwf_code"] == 678
    s = sources.read_ssf()
    # Mehrl & Choulis file: Syria 1970 cbcount 3, 1971 cbcount 4; "255" in 1975 = West Germany
    assert one(s, ccode=652, year=1971)["cbcount"] == 4
    assert one(s, ccode=260, year=1975)["cbcount"] == 1
    # 108 SSF countries; West Germany and Czechoslovakia/Czech Republic split into two COW codes
    assert s["ccode"].nunique() == 110


def test_system_years_and_majors(raw_data):
    sy = sources.cow_system_years()
    assert not sy.duplicated().any()
    assert {(2, 1816), (652, 1966)} <= set(map(tuple, sy[["ccode", "year"]].to_numpy()))
    assert (2, 1817) in set(map(tuple, sy[["ccode", "year"]].to_numpy()))
    maj = sources.read_cow_majors()
    assert 2 in set(maj["ccode"]) and 365 in set(maj["ccode"])


def test_rivalries_and_mids(raw_data):
    r = sources.read_rivalries()
    assert r["ccode1"].dtype == "Int64" and len(r) == 197
    m = sources.read_mid_participants("cow4.3")
    assert (m["styear"] <= m["endyear"]).all()
    with pytest.raises(ValueError, match="allowed"):
        sources.read_mid_participants("cow5.0")
