"""The state-year verbs on five-row frames, and the cached pieces that run them.

Every expected value is worked out by hand in the comment beside it.  The piece tests replace
``coupproof.sources.read`` and the COW system with toys, so they run without raw data; the
last tests (marked ``data``) check the same rules on the real files.
"""

import numpy as np
import pandas as pd
import pytest

from coupproof import sources
from coupproof.cache import PieceCache
from coupproof.panel import states as S
from coupproof.panel.states import (MILITARY_TYPES, STATE_PIECES, StatePiece, add_capabilities,
                                    add_coups, add_counterbalancing, add_military, add_mids,
                                    add_polity, add_rivalries, add_threat, state_years)
from coupproof.params import DataChoices, ThreatChoices

NAN = float("nan")


def states(*rows):
    return pd.DataFrame(list(rows), columns=["ccode", "year"]).astype("int64")


def ints(df, cols):
    """Reader dtypes: codes and years are nullable Int64."""
    return df.astype({c: "Int64" for c in cols})


def values(out, col):
    """{(ccode, year): value} with NaN kept, for readable assertions."""
    return {(int(c), int(y)): v for c, y, v in zip(out["ccode"], out["year"], out[col])}


def same(a: dict, b: dict) -> bool:
    """Dict equality with NaN == NaN."""
    return a.keys() == b.keys() and all(
        (np.isnan(a[k]) and np.isnan(b[k])) or a[k] == b[k] for k in a)


def keeps_rows(out, index):
    assert out[["ccode", "year"]].to_numpy().tolist() == index[["ccode", "year"]].to_numpy().tolist()


# --- add_polity ---------------------------------------------------------------------------

POLITY = ints(pd.DataFrame({
    # state 1: a new polity begins in 1995 (byear only in that row); no Polity row in 2001
    # state 3: a new polity begins in 2000 itself
    "ccode": [1, 1, 1, 1, 1, 1, 3],
    "year": [1995, 1996, 1997, 1998, 1999, 2000, 2000],
    "polity": [-7.0, -77.0, -7.0, -7.0, 7.0, 6.0, 8.0],
    "polity2": [-7.0, 0.0, -7.0, -7.0, 7.0, 6.0, 8.0],
    "byear": [1995, None, None, None, None, None, 2000],
}), ["ccode", "year", "byear"])


def test_new_regime_window_edges_and_missing_without_a_polity_row():
    idx = states((1, 1996), (1, 1999), (1, 2000), (1, 2001), (2, 2000), (3, 2000))
    out = add_polity(idx, POLITY, window=(-4, 0))
    keeps_rows(out, idx)
    # window t−4 … t: the 1995 begin counts for 1996 … 1999 (1999 − 4 = 1995, the edge) but
    # not for 2000 (1995 = t−5); 2001 and state 2 have no Polity row -> missing; state 3's
    # begin in t itself counts.
    assert same(values(out, "new_regime"), {(1, 1996): 1, (1, 1999): 1, (1, 2000): 0,
                                            (1, 2001): NAN, (2, 2000): NAN, (3, 2000): 1})
    assert "byear" not in out.columns


def test_new_regime_window_is_the_parameter():
    idx = states((1, 1996), (1, 1997), (1, 1998), (1, 1999), (1, 2000))
    out = add_polity(idx, POLITY, window=(-2, 0))
    # t−2 … t: 1995 is inside for 1996 (t−1) and 1997 (t−2), not for 1998 (t−3)
    assert out["new_regime"].tolist() == [1, 1, 0, 0, 0]
    lagged = add_polity(idx, POLITY, window=(-4, -1))
    # t−4 … t−1: 1995 counts from 1996 (t−1) to 1999 (t−4); a begin in t would not count
    assert lagged["new_regime"].tolist() == [1, 1, 1, 1, 0]
    s3 = add_polity(states((3, 2000)), POLITY, window=(-4, -1))
    assert s3["new_regime"].tolist() == [0]


def test_polity_scores_and_democracy():
    idx = states((1, 1996), (1, 1999), (1, 2000), (2, 2000))
    out = add_polity(idx, POLITY, window=(-4, 0))
    # raw −77 is kept in polity, polity2 is Polity's own 0; democracy is polity2 ≥ 7
    assert same(values(out, "polity"), {(1, 1996): -77, (1, 1999): 7, (1, 2000): 6, (2, 2000): NAN})
    assert same(values(out, "democracy"), {(1, 1996): 0, (1, 1999): 1, (1, 2000): 0, (2, 2000): NAN})


def test_polity_rejects_two_rows_for_one_state_year():
    with pytest.raises(pd.errors.MergeError):
        add_polity(states((1, 1996)), pd.concat([POLITY, POLITY.iloc[[1]]]), window=(-4, 0))


# --- add_coups ----------------------------------------------------------------------------

COUPS = ints(pd.DataFrame({"ccode": [1, 1, 1, 2], "year": [1956, 1956, 1966, 1961]}),
             ["ccode", "year"])   # two attempts in 1956 are one recent coup


def test_recent_coup_window_edges_and_years_before_the_data():
    idx = states((1, 1953), (1, 1954), (1, 1960), (1, 1961), (1, 1966))
    out = add_coups(idx, COUPS, window=(-4, 0))
    keeps_rows(out, idx)
    # Powell & Thyne start in 1950: with t−4 … t, years before 1954 are missing, 1954 is
    # covered (1950 … 1954, no coup -> 0).  1960 sees 1956 (t−4, edge), 1961 does not
    # (1956 = t−5, and state 2's 1961 coup is not state 1's), 1966 sees its own year.
    assert same(values(out, "recent_coup"), {(1, 1953): NAN, (1, 1954): 0, (1, 1960): 1,
                                             (1, 1961): 0, (1, 1966): 1})
    assert out["recent_coup"].max() == 1  # two coups in 1956 do not make 2


def test_recent_coup_window_t5_to_t1():
    idx = states((1, 1954), (1, 1955), (1, 1957), (1, 1961), (1, 1966))
    out = add_coups(idx, COUPS, window=(-5, -1))
    # t−5 … t−1: years before 1955 are missing; 1955 covers 1950 … 1954 -> 0; 1957 and
    # 1961 see 1956 (t−1 and t−5); 1966 covers 1961 … 1965 -> 0 (its own coup is in t)
    assert same(values(out, "recent_coup"), {(1, 1954): NAN, (1, 1955): 0, (1, 1957): 1,
                                             (1, 1961): 1, (1, 1966): 0})


# --- add_military -------------------------------------------------------------------------

GWF = pd.DataFrame({
    "ccode": [1] * 8, "year": range(2000, 2008),
    "regimetype": ["military", "indirect military", None, None, None, "personal", None, None],
    "nonautocracy": [None, None, "warlord", "not-independent", "democracy", None,
                     "foreign-occupied", "warlord/foreign-occupied"],
}).astype({"ccode": "Int64", "year": "Int64", "regimetype": "string", "nonautocracy": "string"})
MIL_IDX = states(*[(1, y) for y in range(2000, 2008)], (2, 2000))


def test_military_default_rule():
    out = add_military(MIL_IDX, GWF, MILITARY_TYPES["military"], "warlord_not_independent_na")
    keeps_rows(out, MIL_IDX)
    # pure military only; warlord and not-independent years missing; democracy, personal and
    # foreign-occupied years 0; state 2 is outside GWF's coverage -> missing.  The rule
    # matches GWF's labels exactly: the combined "warlord/foreign-occupied" (Lebanon
    # 1977–2005 in GWF) is not one of the two and is 0.
    assert same(values(out, "military"), {(1, 2000): 1, (1, 2001): 0, (1, 2002): NAN,
                                          (1, 2003): NAN, (1, 2004): 0, (1, 2005): 0,
                                          (1, 2006): 0, (1, 2007): 0, (2, 2000): NAN})
    assert not {"regimetype", "nonautocracy"} & set(out.columns)


def test_military_other_rules():
    out = add_military(MIL_IDX, GWF, MILITARY_TYPES["military+indirect"], "not_autocratic_is_0")
    # indirect military counts; warlord / not-independent years become 0; outside GWF stays missing
    assert same(values(out, "military"), {(1, 2000): 1, (1, 2001): 1, (1, 2002): 0,
                                          (1, 2003): 0, (1, 2004): 0, (1, 2005): 0,
                                          (1, 2006): 0, (1, 2007): 0, (2, 2000): NAN})


# --- add_counterbalancing -----------------------------------------------------------------

SSF = ints(pd.DataFrame({
    # state 1: 1, 2, (no 2002 row), 3, 3;  state 2: 2 then 1;  state 3: 1, 1, 2 but not a
    # system member in 2001 (so its 2001 row never reaches the state-year table)
    "ccode": [1, 1, 1, 1, 2, 2, 3, 3, 3],
    "year": [2000, 2001, 2003, 2004, 2000, 2001, 2000, 2001, 2002],
    "cbcount": [1, 2, 3, 3, 2, 1, 1, 1, 2],
}), ["ccode", "year", "cbcount"])
CB_IDX = states(*[(1, y) for y in range(2000, 2005)], (2, 2000), (2, 2001), (3, 2000), (3, 2002))


def test_counterbalancing_log_count_and_new_counterweights_across_a_gap():
    out = add_counterbalancing(CB_IDX, SSF)
    keeps_rows(out, CB_IDX)
    assert same(values(out, "lncb"), {(1, 2000): np.log(2), (1, 2001): np.log(3), (1, 2002): NAN,
                                      (1, 2003): np.log(4), (1, 2004): np.log(4),
                                      (2, 2000): np.log(3), (2, 2001): np.log(2),
                                      (3, 2000): np.log(2), (3, 2002): np.log(3)})
    # new_cw: first SSF year missing; 1 -> 2 is 1; no count in 2002 -> missing; 2003 follows
    # the gap -> missing, not 1 (3 > 2 would say 1); 3 -> 3 is 0; a fall 2 -> 1 is 0;
    # state 3's 2002 follows a gap in membership -> missing (not 2 > 1 from the 2001 row)
    assert same(values(out, "new_cw"), {(1, 2000): NAN, (1, 2001): 1, (1, 2002): NAN,
                                        (1, 2003): NAN, (1, 2004): 0, (2, 2000): NAN,
                                        (2, 2001): 0, (3, 2000): NAN, (3, 2002): NAN})


# --- add_capabilities ---------------------------------------------------------------------

NMC = pd.DataFrame({
    # state 1 has no 2002 row; state 2's 2001 milex is missing
    "ccode": [1, 1, 1, 2, 2], "year": [2000, 2001, 2003, 2000, 2001],
    "cinc": [0.1, 0.2, 0.3, 0.01, 0.02],
    "milex": [100.0, 150.0, 180.0, 5.0, NAN], "milper": [10.0, 8.0, 9.0, 1.0, 3.0],
}).astype({"ccode": "Int64", "year": "Int64"})


def test_capability_changes_are_missing_across_a_gap():
    idx = states((1, 2000), (1, 2001), (1, 2002), (1, 2003), (2, 2000), (2, 2001))
    out = add_capabilities(idx, NMC)
    keeps_rows(out, idx)
    # d_milex 2001 = 150 − 100 = 50; 2002 has no row; 2003's t−1 is the missing 2002 -> missing
    # (not 180 − 150); state 2's 2001 milex is missing -> missing
    assert same(values(out, "d_milex"), {(1, 2000): NAN, (1, 2001): 50, (1, 2002): NAN,
                                         (1, 2003): NAN, (2, 2000): NAN, (2, 2001): NAN})
    # d_milper: 8 − 10 = −2; state 2: 3 − 1 = 2
    assert same(values(out, "d_milper"), {(1, 2000): NAN, (1, 2001): -2, (1, 2002): NAN,
                                          (1, 2003): NAN, (2, 2000): NAN, (2, 2001): 2})
    assert out["cinc"].tolist()[:2] == [0.1, 0.2]


# --- add_mids -----------------------------------------------------------------------------

MIDS = ints(pd.DataFrame({
    "dispnum": [10, 11, 12],
    # state 1 takes part 1996–1997; state 2 in 2000 with no end year; state 3's row has no start
    "ccode": [1, 2, 3], "styear": [1996, 2000, None], "endyear": [1997, None, 2000],
}), ["dispnum", "ccode", "styear", "endyear"])


def test_recent_mid_window_edges_and_spells():
    idx = states((1, 1996), (1, 1997), (1, 2002), (1, 2003), (2, 2001), (2, 2006), (3, 2001))
    out = add_mids(idx, MIDS, window=(-5, -1))
    keeps_rows(out, idx)
    # t−5 … t−1 with state 1 active in 1996 and 1997: 1996 itself does not count (t), 1997
    # sees 1996 (t−1), 2002 sees 1997 (t−5: only because the spell counts in its second year
    # too), 2003 does not (1997 = t−6).  State 2's missing end year means 2000 only: 2001
    # sees it, 2006 does not.  State 3's row without a start year is dropped.
    assert values(out, "mid_recent") == {(1, 1996): 0, (1, 1997): 1, (1, 2002): 1, (1, 2003): 0,
                                         (2, 2001): 1, (2, 2006): 0, (3, 2001): 0}
    assert out["mid_recent"].dtype == "float64"


def test_recent_mid_window_t4_to_t():
    idx = states((1, 1996), (1, 2001), (1, 2002))
    out = add_mids(idx, MIDS, window=(-4, 0))
    # t−4 … t: 1996 counts itself, 2001 sees 1997 (t−4), 2002 does not (1997 = t−5)
    assert out["mid_recent"].tolist() == [1, 1, 0]


# --- add_rivalries ------------------------------------------------------------------------

RIVALRIES = ints(pd.DataFrame({
    "rivalryno": [1, 2], "ccode1": [1, 1], "ccode2": [2, 3],
    "styear": [1990, 1995], "endyear": [2000, 1998],
}), ["rivalryno", "ccode1", "ccode2", "styear", "endyear"])


def test_rivalries_count_for_both_states_and_add_up():
    idx = states((1, 1989), (1, 1990), (1, 1996), (2, 1996), (2, 2000), (2, 2001), (3, 1999))
    out = add_rivalries(idx, RIVALRIES)
    keeps_rows(out, idx)
    # state 1: none before 1990, one from 1990, two while both run (1995–1998);
    # state 2 (ccode2 of rivalry 1) counts it too, to its end year 2000 inclusive;
    # state 3's rivalry ended in 1998
    assert values(out, "rivals") == {(1, 1989): 0, (1, 1990): 1, (1, 1996): 2, (2, 1996): 1,
                                     (2, 2000): 1, (2, 2001): 0, (3, 1999): 0}


# --- add_threat ---------------------------------------------------------------------------

def test_threat_is_merged_one_to_one_and_missing_where_absent():
    idx = states((1, 2000), (1, 2001), (2, 2000))
    threat = pd.DataFrame({"ccode": [1, 2, 1], "year": [2000, 2000, 1999],
                           "threat": [0.25, 0.0, 9.0], "other": [1, 2, 3]})
    out = add_threat(idx, threat)
    keeps_rows(out, idx)
    assert same(values(out, "threat"), {(1, 2000): 0.25, (1, 2001): NAN, (2, 2000): 0.0})
    assert list(out.columns) == ["ccode", "year", "threat"]
    with pytest.raises(pd.errors.MergeError):
        add_threat(idx, pd.concat([threat, threat.iloc[[0]]]))


# --- the cached pieces --------------------------------------------------------------------

#: The toy COW system: state 1 is a member 2000, 2001 and 2003 (not 2002); state 2 2000–2001.
SYSTEM = states((1, 2000), (1, 2001), (1, 2003), (2, 2000), (2, 2001))

TOY_SOURCES = {
    "polity": ints(pd.DataFrame({
        # state 1 has a Polity row in 2002 although it is not a system member then
        "ccode": [1, 1, 1, 1, 2, 2], "year": [2000, 2001, 2002, 2003, 2000, 2001],
        "polity": [1.0, 2.0, 3.0, 4.0, -5.0, -6.0], "polity2": [1.0, 2.0, 3.0, 4.0, -5.0, -6.0],
        "byear": [None] * 6}), ["ccode", "year", "byear"]),
    "coups": ints(pd.DataFrame({"ccode": [1], "year": [2001]}), ["ccode", "year"]),
    "ssf": ints(pd.DataFrame({"ccode": [1, 1, 1, 1], "year": [2000, 2001, 2002, 2003],
                              "cbcount": [1, 1, 1, 2]}), ["ccode", "year", "cbcount"]),
}


@pytest.fixture
def toy_world(monkeypatch):
    """``sources.read`` and the COW system replaced by toys; records every read."""
    calls = []

    def read(dataset, version=None):
        calls.append((dataset, version))
        return TOY_SOURCES[dataset].copy()

    monkeypatch.setattr(sources, "read", read)
    monkeypatch.setattr(sources, "system_years", lambda first, last: SYSTEM.copy())
    monkeypatch.setattr(S, "_INDEX", {})
    return calls


def test_pieces_keep_the_canonical_rows_and_lag_within_each_states_own_series(toy_world, tmp_path):
    out = state_years(DataChoices(), cache=PieceCache(tmp_path),
                      pieces=("polity", "coups", "counterbalancing"))
    keeps_rows(out, SYSTEM)
    assert out.attrs["state_index"] == "cow-1946-2010"
    # polity2_l: state 1's 2003 follows a gap in membership -> missing, not the 2002 Polity
    # row's 3; state 2's first year missing, its 2001 takes its own 2000 value (−5), never
    # state 1's
    assert same(values(out, "polity2_l"), {(1, 2000): NAN, (1, 2001): 1, (1, 2003): NAN,
                                           (2, 2000): NAN, (2, 2001): -5})
    # the SSF count rises 1 -> 2 from 2002 to 2003, but 2002 is not a member year: missing
    assert same(values(out, "new_cw"), {(1, 2000): NAN, (1, 2001): 0, (1, 2003): NAN,
                                        (2, 2000): NAN, (2, 2001): NAN})
    # a piece without lagged columns (coups) adds no _l column; the 2001 coup is recent in
    # 2001 and 2003 (t−2) for state 1 only
    assert "recent_coup_l" not in out.columns
    assert values(out, "recent_coup") == {(1, 2000): 0, (1, 2001): 1, (1, 2003): 1,
                                          (2, 2000): 0, (2, 2001): 0}
    assert {("polity", "IV"), ("coups", "2022"), ("ssf", None)} == set(toy_world)


def test_only_the_named_pieces_are_built_and_unknown_names_fail(toy_world, tmp_path):
    out = state_years(DataChoices(), cache=PieceCache(tmp_path), pieces=("coups",))
    assert list(out.columns) == ["ccode", "year", "recent_coup"]
    with pytest.raises(KeyError, match="unknown state pieces.*known: polity"):
        state_years(DataChoices(), cache=PieceCache(tmp_path), pieces=("coups", "cups"))


def test_a_piece_that_changes_the_rows_is_rejected(toy_world, tmp_path):
    drops = StatePiece("drops", (), lambda d: ("cow_states",), lambda i, d: i.iloc[:-1])
    with pytest.raises(AssertionError, match="drops changed the state-year rows"):
        drops.columns(DataChoices(), PieceCache(tmp_path))
    shuffles = StatePiece("shuffles", (), lambda d: ("cow_states",),
                          lambda i, d: i.iloc[::-1].reset_index(drop=True))
    with pytest.raises(AssertionError, match="shuffles changed the state-year rows"):
        shuffles.columns(DataChoices(), PieceCache(tmp_path))


def test_a_piece_is_built_once_and_a_changed_choice_rebuilds_only_its_piece(toy_world, tmp_path):
    pieces = ("polity", "coups", "counterbalancing")
    first = PieceCache(tmp_path)
    state_years(DataChoices(), cache=first, pieces=pieces)
    assert first.builds == {"state_polity": 1, "state_coups": 1, "state_counterbalancing": 1}
    again = PieceCache(tmp_path)
    state_years(DataChoices(), cache=again, pieces=pieces)
    assert again.builds == {} and sum(again.loads.values()) == 3
    other = PieceCache(tmp_path)
    state_years(DataChoices(coup_window=(-5, -1), nmc_version="5.0"), cache=other, pieces=pieces)
    assert other.builds == {"state_coups": 1}   # the NMC version is not read by these pieces


# --- what each piece reads: the parameter translation and the cache key --------------------

PIECES = {p.name: p for p in STATE_PIECES}


def test_each_piece_reads_only_its_own_choices():
    d = DataChoices()
    assert PIECES["polity"].reads_of(d) == {"polity_version": "IV", "new_regime_window": (-4, 0)}
    assert PIECES["coups"].reads_of(d) == {"coups_version": "2022", "coup_window": (-4, 0)}
    assert PIECES["mids"].reads_of(d) == {"mid_version": "cow4.3", "mid_window": (-5, -1)}
    assert PIECES["counterbalancing"].reads_of(d) == {}
    # the nested threat stage is passed on as plain values (what the cache key hashes)
    assert PIECES["threat"].reads_of(d) == {"nmc_version": "6.0", "alliance_source": "ddyr",
                                            "threat": ThreatChoices().to_dict()}
    assert [p.name for p in STATE_PIECES] == ["polity", "coups", "military", "counterbalancing",
                                              "capabilities", "mids", "rivalries", "threat"]


def test_each_piece_names_the_raw_files_of_its_version():
    d = DataChoices(polity_version="5", coups_version="2015", nmc_version="5.0",
                    mid_version="gml2.2.1", alliance_source="members")
    assert PIECES["polity"].files(d) == ("cow_states", "polity5")
    assert PIECES["coups"].files(d) == ("cow_states", "coups_2015")
    assert PIECES["capabilities"].files(d) == ("cow_states", "nmc5")
    assert PIECES["mids"].files(d) == ("cow_states", "gml_participants")
    assert PIECES["threat"].files(d) == ("cow_states", "contdir", "contcol", "cow_majors", "nmc5",
                                         "atop_members")
    assert PIECES["threat"].files(DataChoices())[-2:] == ("nmc6", "atop_dyad_summary")


def piece_keys(data, cache):
    return {p.name: cache.key(f"state_{p.name}", p.reads_of(data),
                              modules=("coupproof.panel.states",), sources=p.files(data))
            for p in STATE_PIECES}


@pytest.mark.parametrize("change, changed", [
    ({"coup_window": (-5, -1)}, {"coups"}),
    ({"new_regime_window": (-3, 0)}, {"polity"}),
    ({"polity_version": "5"}, {"polity"}),
    ({"military_missing": "not_autocratic_is_0"}, {"military"}),
    ({"nmc_version": "5.0"}, {"capabilities", "threat"}),
    ({"mid_window": (-4, 0)}, {"mids"}),
    ({"max_conttype": 1}, {"threat"}),
    ({"def_rule": "all"}, set()),               # a dyad-level choice: no state piece reads it
])
def test_a_choice_changes_the_keys_of_exactly_the_pieces_that_read_it(tmp_path, change, changed):
    from coupproof.params import Choices
    cache = PieceCache(tmp_path)
    base = piece_keys(DataChoices(), cache)
    other = piece_keys(Choices.from_overrides(change).data, cache)
    assert {n for n in base if base[n] != other[n]} == changed


# --- the real data ------------------------------------------------------------------------

@pytest.mark.data
def test_real_state_years_on_the_canonical_index(raw_data, tmp_path):
    out = state_years(DataChoices(), cache=PieceCache(tmp_path),
                      pieces=("polity", "coups", "military", "rivalries"))
    index = S.state_index()
    keeps_rows(out, index)
    assert not index.duplicated(["ccode", "year"]).any()
    assert (index["year"].min(), index["year"].max()) == (1946, 2010)
    row = out.set_index(["ccode", "year"])

    def at(ccode, years, col):
        return [row.loc[(ccode, y), col] for y in years]

    # Polity IV: Syria (652) begins new polities in 1963, 1970 and 2000 (byear rows).
    # t−4 … t: 1967 sees 1963 (t−4), 1969 sees nothing, 1970–1974 see 1970, 1975 does not.
    assert at(652, [1967, 1969, 1970, 1974, 1975], "new_regime") == [1, 0, 1, 1, 0]
    # Powell & Thyne: Syrian attempts in 1966, 1968, 1969, 1970 and 1982, none 1971–1981.
    assert at(652, [1970, 1974, 1975, 1986, 1987], "recent_coup") == [1, 1, 0, 1, 0]
    # t−4 … t with data from 1950: years before 1954 are missing for every state, none after
    assert out.loc[out["year"] < 1954, "recent_coup"].isna().all()
    assert out.loc[out["year"] >= 1954, "recent_coup"].notna().all()
    # GWF codes Syria 1970 party-military-personal: not a "pure" military regime
    assert row.loc[(652, 1970), "military"] == 0
    assert set(out["military"].dropna().unique()) == {0.0, 1.0}
    # Thompson & Dreyer, United States (2): USSR 1945–89; + China 1949–72 and Cuba 1959–;
    # after 1989 Cuba alone; 2008: Cuba, China 2 (1996–) and Russia 2 (2007–).
    assert at(2, [1946, 1960, 1973, 1990, 2008], "rivals") == [1, 3, 2, 1, 3]
    # Cuba (40) is ccode2 of its one rivalry (with the United States) and counts it too
    assert row.loc[(40, 1960), "rivals"] == 1
    assert out["rivals"].notna().all()
