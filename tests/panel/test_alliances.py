"""Alliance obligations and new defense pacts: the source switch, either-direction ties, the
signatories of a pact, and spells expanded into years."""

import numpy as np
import pandas as pd
import pytest

from coupproof import sources
from coupproof.cache import PieceCache
from coupproof.panel import alliances as al
from coupproof.sources.atop import ATOP_END

OBL = ["defense", "offense", "neutral", "nonagg", "consul"]


def dyads(rows):
    """Directed obligation dyad-years: (ccode1, ccode2, year, *obligations held)."""
    return pd.DataFrame([{"ccode1": a, "ccode2": b, "year": y, **{o: int(o in obls) for o in OBL}}
                         for a, b, y, *obls in rows], columns=["ccode1", "ccode2", "year", *OBL])


def members():
    # alliance 1: 1 and 2 (1 holds a defense obligation), 2000–2002 and ongoing
    # alliance 2: first phase 1 and 3; a third member (4) joins in phase 2
    # alliance 3: its first phase in the file is phase 2 (members 5 and 6)
    return pd.DataFrame({
        "atopid": [1, 1, 2, 2, 2, 3, 3], "member": [1, 2, 1, 3, 4, 5, 6],
        "phase": [1, 1, 1, 1, 2, 2, 2],
        "yrent": [2000, 2000, 2001, 2001, 2003, 2005, 2005],
        "yrexit": pd.array([2002, None, 2001, 2001, 2004, 2005, 2005], dtype="Int64"),
        "defense": [1, 0, 1, 1, 1, 1, 1], "offense": 0, "neutral": 0, "nonagg": 0, "consul": 0,
    })


# --- where obligations come from --------------------------------------------------------------

def test_obligation_sources_name_the_raw_files():
    assert al.obligation_sources("ddyr") == ("atop_dyad_summary",)
    assert al.obligation_sources("members") == ("atop_members",)
    with pytest.raises(ValueError, match="allowed: 'ddyr', 'members'"):
        al.obligation_sources("dyads")


def test_an_unknown_source_fails_before_any_file_is_read(monkeypatch):
    def no_read(*args, **kw):
        raise AssertionError("read a file")
    monkeypatch.setattr(sources, "read", no_read)
    with pytest.raises(ValueError, match="unknown alliance source 'dyads'"):
        al.obligation_dyads("dyads")


def test_ddyr_source_gives_int64_keys(monkeypatch):
    calls = []

    def read(dataset, version=None):
        calls.append((dataset, version))
        return dyads([(2, 20, 2000, "defense")]).astype("Int64")
    monkeypatch.setattr(sources, "read", read)
    out = al.obligation_dyads("ddyr")
    assert calls == [("atop_dyad_years", "5.1")]
    assert {c: str(out[c].dtype) for c in ("ccode1", "ccode2", "year")} == dict.fromkeys(
        ("ccode1", "ccode2", "year"), "int64")


def test_members_source_is_derived_from_the_member_file_and_cached(monkeypatch, tmp_path):
    monkeypatch.setattr(sources, "read", lambda dataset, version=None: members())
    cache = PieceCache(tmp_path)
    out = al.obligation_dyads("members", cache)
    pd.testing.assert_frame_equal(out, al.alliance_dyad_years(members(), last=ATOP_END))
    assert cache.builds == {"obligations_members": 1}
    al.obligation_dyads("members", PieceCache(tmp_path))        # loaded, not rebuilt
    again = PieceCache(tmp_path)
    al.obligation_dyads("members", again)
    assert again.builds == {} and again.loads == {"obligations_members": 1}


def test_member_spells_expand_into_years():
    out = al.alliance_dyad_years(members(), last=2003).set_index(["ccode1", "ccode2", "year"])
    # alliance 1: 1 and 2 share 2000–2002 (1 leaves in 2002; 2's open spell runs to 2003)
    assert [(1, 2, y) in out.index for y in (2000, 2002, 2003)] == [True, True, False]
    # member 4 of alliance 2 joins in 2003, after 1 and 3 left in 2001: no shared year
    assert not any(4 in k[:2] for k in out.index)
    # 1's obligation toward 2 is 1's own: defense; 2's toward 1 is 0 (max over alliances)
    assert out.loc[(1, 2, 2000), "defense"] == 1 and out.loc[(2, 1, 2000), "defense"] == 0
    assert out.loc[(1, 3, 2001), "defense"] == 1 and out.loc[(3, 1, 2001), "defense"] == 1
    bad = members().assign(yrexit=pd.array([1999] + [None] * 6, dtype="Int64"))
    with pytest.raises(ValueError, match="spells with yrexit before yrent"):
        al.alliance_dyad_years(bad)


# --- either-direction ties ----------------------------------------------------------------------

def test_symmetric_ties_levels_and_directions():
    d = dyads([(1, 2, 2000, "offense"), (3, 4, 2000, "nonagg"), (5, 6, 2000, "neutral"),
               (7, 8, 2000, "consul"), (8, 7, 2000, "defense")])
    t = al.symmetric_ties(d).set_index(["ccode1", "ccode2", "year"])
    assert list(t.columns) == ["defense_any", "allied", "tie_level"]
    # a one-directional tie holds in both directions
    for a, b in [(1, 2), (3, 4), (5, 6), (7, 8)]:
        assert (a, b, 2000) in t.index and (b, a, 2000) in t.index
    row = {k: tuple(t.loc[(k[0], k[1], 2000)]) for k in [(2, 1), (4, 3), (6, 5), (7, 8)]}
    # (defense_any, allied, tie_level): offense only -> (0, 1, 3); non-aggression only ->
    # (0, 0, 2), not allied; neutrality -> (0, 1, 2); consultation one way and defense the
    # other -> the maximum, (1, 1, 3)
    assert row == {(2, 1): (0, 1, 3), (4, 3): (0, 0, 2), (6, 5): (0, 1, 2), (7, 8): (1, 1, 3)}
    consult = al.symmetric_ties(dyads([(7, 8, 2000, "consul")]))
    assert consult["tie_level"].tolist() == [1, 1] and consult["allied"].tolist() == [1, 1]


# --- signatories and new pacts ------------------------------------------------------------------

def test_signatories_are_the_members_of_each_alliances_first_phase():
    sig = al.signatories(members())
    # alliance 2's phase-2 joiner (4) is not a signatory; alliance 3's first phase is 2
    assert sorted(zip(sig["atopid"], sig["member"])) == [(1, 1), (1, 2), (2, 1), (2, 3),
                                                         (3, 5), (3, 6)]


def test_new_defense_pacts_count_signatories_not_later_members():
    m = members().assign(notaiden=1, dipaid=np.nan, terrres=np.nan, seppeace=np.nan,
                         thirdcom=np.nan, noothall=np.nan)
    alliances = pd.DataFrame({"atopid": [1, 2, 3], "begyr": [2000, 2001, 2005],
                              "defense": [1, 1, 0]})
    out = al.new_defense_pacts(alliances, m, rule="all")
    # alliance 2 has three members in all but two signatories: a bilateral pact; alliance 3
    # has no alliance-level defense code
    assert out[["atopid", "ccode1", "ccode2", "year"]].values.tolist() == [[1, 1, 2, 2000],
                                                                           [2, 1, 3, 2001]]
    # "both": alliance 1's member 2 holds no defense obligation
    both = al.new_defense_pacts(alliances, m, rule="all", obligation="both")
    assert both["atopid"].tolist() == [2]
    with pytest.raises(ValueError, match="allowed: alliance, both"):
        al.new_defense_pacts(alliances, m, obligation="either")


# --- the real data ------------------------------------------------------------------------------

@pytest.mark.data
def test_member_file_obligations_agree_with_atops_dyad_years(raw_data, tmp_path):
    derived = al.obligation_dyads("members", PieceCache(tmp_path))
    posted = al.obligation_dyads("ddyr")
    keys = ["ccode1", "ccode2", "year"]
    both = derived.merge(posted, on=keys, how="outer", suffixes=("_m", "_d"), indicator=True)
    # every dyad-year of ATOP's own file is derived from the member file, and the defense
    # codes agree on all but a handful (measured: 99.92 % of 273,296 common dyad-years)
    assert (both["_merge"] == "right_only").sum() == 0
    common = both[both["_merge"] == "both"]
    assert (common["defense_m"] == common["defense_d"]).mean() > 0.999
    # ATOP 3538: the Egypt (651) – Syria (652) defense pact of November 1966
    for src in (derived, posted):
        row = src[(src["ccode1"] == 651) & (src["ccode2"] == 652) & (src["year"] == 1966)]
        assert row["defense"].tolist() == [1]
