"""Concession counts on small synthetic ATOP frames, and the verb that puts them on event rows."""

import numpy as np
import pandas as pd
import pytest

from coupproof.panel import concessions as cn
from coupproof.panel.concessions import (CONCESSION_ITEMS, DEFAULT_ITEMS, ITEMS, add_concessions,
                                         concessions_by_member, item_list, item_table)
from coupproof.panel.dyads import add_new_pacts, directed_dyad_years
from coupproof.params import ChoiceError, DataChoices, allowed

MEMBER_COLS = ["notaiden", "dipaid", "terrres", "seppeace", "thirdcom", "noothall"]
ALLIANCE_COLS = ["interv", "ecaid", "milaid", "base", "intcom", "subord", "milcon", "armred", "divgains"]


def members(rows):
    """Member file rows: (atopid, member, phase, {item: code})."""
    out = []
    for atopid, member, phase, codes in rows:
        row = {"atopid": atopid, "member": member, "phase": phase}
        row.update({c: codes.get(c, 0) for c in MEMBER_COLS})
        out.append(row)
    df = pd.DataFrame(out)
    return df.astype({c: "Int64" for c in df.columns})


def alliances(rows):
    """Alliance file rows: (atopid, {item: code})."""
    out = []
    for atopid, codes in rows:
        row = {"atopid": atopid}
        row.update({c: codes.get(c, 0) for c in ALLIANCE_COLS})
        out.append(row)
    df = pd.DataFrame(out)
    return df.astype({c: "Int64" for c in df.columns})


def counts(m, a, items):
    out = concessions_by_member(a, m, items)
    return out.set_index(["atopid", "member"])["concessions"]


# --- the item lists ---------------------------------------------------------------------

def test_named_lists_use_known_items_and_the_default_has_ten():
    assert DEFAULT_ITEMS in CONCESSION_ITEMS
    assert len(CONCESSION_ITEMS[DEFAULT_ITEMS]) == 10
    assert set(CONCESSION_ITEMS["member6"]) == set(MEMBER_COLS)
    for name, items in CONCESSION_ITEMS.items():
        assert set(items) <= set(ITEMS), name
        assert len(set(items)) == len(items), name


def test_panel_parameter_allows_exactly_the_named_lists():
    assert set(allowed(DataChoices, "concession_items")) == set(CONCESSION_ITEMS)
    assert DataChoices().concession_items == DEFAULT_ITEMS
    with pytest.raises(ChoiceError, match="concession_items"):
        DataChoices(concession_items="eleven")


def test_unknown_list_or_item_fails_with_the_allowed_ones():
    with pytest.raises(ValueError, match="allowed: ten"):
        item_list("twelve")
    with pytest.raises(ValueError, match="unknown concession item"):
        item_list(["notaiden", "nosuchthing"])
    with pytest.raises(ValueError, match="duplicated"):
        item_list(["base", "base"])


def test_item_table_states_level_and_cut_off():
    t = item_table("ten").set_index("item")
    assert t.loc["notaiden", "cut-off"] == "notaiden > 0"
    assert t.loc["thirdcom", "cut-off"] == "thirdcom = 1"
    assert t.loc["milcon", "cut-off"] == "milcon in {2, 3}"
    assert t.loc["interv", "level"] == "alliance" and t.loc["terrres", "level"] == "member"


# --- counting ---------------------------------------------------------------------------

def test_member_items_count_for_their_member_and_alliance_items_for_both():
    m = members([(1, 2, 1, {"notaiden": 2, "noothall": 1}), (1, 20, 1, {})])
    a = alliances([(1, {"interv": 1, "base": 0})])
    c = counts(m, a, ["notaiden", "noothall", "interv", "base"])
    assert c.loc[(1, 2)] == 3      # notaiden, noothall (own) + interv (treaty)
    assert c.loc[(1, 20)] == 1     # interv only


def test_cut_offs():
    m = members([(1, 2, 1, {"notaiden": 4, "thirdcom": 0, "seppeace": 3}),
                 (2, 2, 1, {"notaiden": 0}), (3, 2, 1, {})])
    a = alliances([(1, {"milcon": 1}), (2, {"milcon": 2}), (3, {"milcon": 3, "subord": 2})])
    c = counts(m, a, ["notaiden", "thirdcom", "seppeace", "milcon", "subord"])
    assert c.loc[(1, 2)] == 2      # notaiden 4 and seppeace 3 count; thirdcom 0 and milcon 1 (wartime only) do not
    assert c.loc[(2, 2)] == 1      # peacetime contact
    assert c.loc[(3, 2)] == 2      # common defence policy + conditional subordination


def test_missing_items_do_not_count_and_all_missing_is_missing():
    m = members([(1, 2, 1, {"notaiden": 1, "noothall": pd.NA}),
                 (1, 20, 1, {"notaiden": pd.NA, "noothall": pd.NA})])
    a = alliances([(1, {"interv": pd.NA})])
    c = counts(m, a, ["notaiden", "noothall", "interv"])
    assert c.loc[(1, 2)] == 1
    assert np.isnan(c.loc[(1, 20)])
    # with a coded treaty-wide item, the second member has a count again
    a2 = alliances([(1, {"interv": 0})])
    assert counts(m, a2, ["notaiden", "noothall", "interv"]).loc[(1, 20)] == 0


def test_only_signatories_count():
    m = members([(1, 2, 1, {"notaiden": 1}), (1, 20, 1, {}), (1, 30, 2, {"notaiden": 1})])
    a = alliances([(1, {})])
    c = counts(m, a, ["notaiden"])
    assert list(c.index) == [(1, 2), (1, 20)]


def test_output_columns_and_dtype():
    m = members([(1, 2, 1, {}), (1, 20, 1, {})])
    out = concessions_by_member(alliances([(1, {})]), m, "member6")
    assert list(out.columns) == ["atopid", "member", "concessions"]
    assert out["concessions"].dtype == "float64"
    assert (out["concessions"] == 0).all()


# --- the verb ---------------------------------------------------------------------------

def event_panel():
    system = pd.DataFrame({"ccode": [2, 20, 30] * 2, "year": [2000] * 3 + [2001] * 3})
    d = directed_dyad_years(system, 2000, 2001)
    pacts = pd.DataFrame({"atopid": [1], "ccode1": [2], "ccode2": [20], "year": [2001]})
    return add_new_pacts(d, pacts)


def test_verb_puts_counts_only_on_event_rows_with_roles_swapped():
    panel = event_panel()
    pc = pd.DataFrame({"atopid": [1, 1, 7], "member": [2, 20, 30], "concessions": [3.0, 1.0, 5.0]})
    out = add_concessions(panel, pc)
    assert len(out) == len(panel) and (out.index == panel.index).all()
    ev = out[out["def"] == 1].set_index(["ccode1", "ccode2"])
    assert ev.loc[(2, 20), "concessionsA"] == 3 and ev.loc[(2, 20), "concessionsB"] == 1
    assert ev.loc[(20, 2), "concessionsA"] == 1 and ev.loc[(20, 2), "concessionsB"] == 3
    rest = out[out["def"] != 1]
    assert rest[["concessionsA", "concessionsB"]].isna().all().all()
    # the same dyad in the year before the pact is not an event
    before = out[(out["ccode1"] == 2) & (out["ccode2"] == 20) & (out["year"] == 2000)]
    assert before["concessionsA"].isna().all()


def test_event_without_a_count_stays_missing():
    panel = event_panel()
    pc = pd.DataFrame({"atopid": [1], "member": [2], "concessions": [np.nan]})
    out = add_concessions(panel, pc).set_index(["ccode1", "ccode2", "year"])
    assert np.isnan(out.loc[(2, 20, 2001), "concessionsA"])
    assert np.isnan(out.loc[(2, 20, 2001), "concessionsB"])  # member 20 not in the counts


def test_verb_rejects_duplicates_and_needs_the_event_columns():
    panel = event_panel()
    dup = pd.DataFrame({"atopid": [1, 1], "member": [2, 2], "concessions": [1.0, 2.0]})
    with pytest.raises(pd.errors.MergeError):
        add_concessions(panel, dup)
    with pytest.raises(KeyError, match="add_new_pacts"):
        add_concessions(panel.drop(columns="def_atopid"), dup.iloc[:1])


def test_counts_flow_from_atop_frames_to_the_panel():
    m = members([(1, 2, 1, {"notaiden": 1}), (1, 20, 1, {"terrres": 1, "noothall": 1})])
    a = alliances([(1, {"interv": 1})])
    out = add_concessions(event_panel(), concessions_by_member(a, m, "ten"))
    ev = out[out["def"] == 1].set_index(["ccode1", "ccode2"])
    assert ev.loc[(2, 20), ["concessionsA", "concessionsB"]].tolist() == [2.0, 3.0]


# --- the real data ----------------------------------------------------------------------

@pytest.mark.data
def test_default_coding_gives_the_papers_114_rows_in_the_table3_frame(raw_data):
    from coupproof.panel.build import load_panel
    from coupproof.panel.sample import restrict_sample

    frame = restrict_sample(load_panel())
    for col in ("concessionsA", "concessionsB"):
        values = frame[col].dropna()
        assert len(values) == 114, col
        assert values.median() == 1 and values.max() == 9
    assert frame.loc[frame["def"] != 1, ["concessionsA", "concessionsB"]].isna().all().all()
    assert cn.DEFAULT_ITEMS == DataChoices().concession_items
