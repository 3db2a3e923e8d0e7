"""The monadic (state-year) panel of Table 15: each verb on a few hand-made rows, then the real data."""

import numpy as np
import pandas as pd
import pytest

from coupproof.panel import monadic as M
from coupproof.params import Choices, DataChoices, SampleChoices, TermChoices
from coupproof.panel.transforms import Attrition


def _pacts(rows):
    return pd.DataFrame(rows, columns=["atopid", "ccode1", "ccode2", "year"])


def test_each_pact_counts_once_for_each_signatory():
    pacts = _pacts([(1, 2, 20, 1970), (2, 2, 40, 1970), (3, 20, 40, 1975)])
    ev = M.pact_events(pacts).set_index(["ccode", "year"])["new_pacts"]
    assert ev.to_dict() == {(2, 1970): 2, (20, 1970): 1, (40, 1970): 1, (20, 1975): 1, (40, 1975): 1}


def test_a_pact_listed_twice_for_the_same_pair_is_one_pact():
    ev = M.pact_events(_pacts([(1, 2, 20, 1970), (1, 2, 20, 1970)]))
    assert ev["new_pacts"].tolist() == [1, 1]


def test_signatory_events_count_first_phase_members_of_defense_pacts_only():
    alliances_df = pd.DataFrame({"atopid": [1, 2, 3], "begyr": [1970, 1980, 1990], "defense": [1, 1, 0]})
    members = pd.DataFrame({
        "atopid": [1, 1, 1, 1, 2, 2, 3, 3],
        "member": [2, 20, 40, 60, 2, 20, 2, 20],
        "phase": [1, 1, 1, 2, 1, 1, 1, 1],  # 60 joins pact 1 in a later phase
    })
    ev = M.signatory_events(alliances_df, members).set_index(["ccode", "year"])["new_pacts"]
    # the multilateral pact 1 counts for its three signatories; pact 3 has no defense clause
    assert ev.to_dict() == {(2, 1970): 1, (20, 1970): 1, (40, 1970): 1, (2, 1980): 1, (20, 1980): 1}


def test_new_pacts_fill_zero_and_keep_every_state_year():
    states = pd.DataFrame({"ccode": [2, 2, 20, 30], "year": [1970, 1971, 1970, 1970]})
    events = pd.DataFrame({"ccode": [2, 20, 99], "year": [1970, 1970, 1970], "new_pacts": [2, 1, 1]})
    out = M.add_new_pacts(states, events)
    assert len(out) == 4
    assert out["new_pacts"].tolist() == [2, 0, 1, 0]
    assert out["def"].tolist() == [1, 0, 1, 0]


def test_defense_years_use_defense_ties_only():
    ties = pd.DataFrame({"ccode1": [2, 2, 20, 40], "ccode2": [20, 40, 2, 2],
                         "year": [1970, 1970, 1970, 1971], "defense_any": [1, 1, 1, 0]})
    out = M.defense_years(ties)
    assert sorted(map(tuple, out[["ccode", "year"]].to_numpy())) == [(2, 1970), (20, 1970)]


def test_existing_defense_is_the_previous_year_and_zero_otherwise():
    states = pd.DataFrame({"ccode": [2, 2, 2, 2, 20], "year": [1970, 1971, 1972, 1973, 1971]})
    defended = pd.DataFrame({"ccode": [2, 2, 20], "year": [1970, 1972, 1971]})
    out = M.add_existing_defense(states, defended)
    # a pact in 1970 shows in 1971; none in 1971 -> 0 in 1972; 20's 1971 pact would show in 1972
    assert out["existing_def"].tolist() == [0.0, 1.0, 0.0, 1.0, 0.0]
    assert out["existing_def"].notna().all()


def _states(n=6, **overrides):
    base = {
        "ccode": [2] * n, "year": list(range(1961, 1961 + n)),
        "lncb_l": [0.7] * n, "threat_l": [0.2] * n, "recent_coup": [0.0] * n,
        "d_milper": [1.0] * n, "d_milex": [10.0] * n, "d_milper_l": [2.0] * n, "d_milex_l": [20.0] * n,
        "existing_def": [0.0] * n, "new_regime": [0.0] * n, "polity2": [-7.0] * n,
        "polity2_l": [-6.0] * n, "cbcount": [1.0] * n, "new_pacts": [0] * n, "def": [0] * n,
    }
    base.update(overrides)
    return pd.DataFrame(base)


def test_terms_follow_the_timing_choices():
    st = _states(2)
    default = M.monadic_terms(st, TermChoices())
    assert default["d_milex"].tolist() == [10.0, 10.0]
    assert default["polity2"].tolist() == [-6.0, -6.0]  # t−1 by default
    lagged = M.monadic_terms(st, TermChoices(delta_timing="t-1"), polity2_year="t")
    assert lagged["d_milex"].tolist() == [20.0, 20.0]
    assert lagged["d_milper"].tolist() == [2.0, 2.0]
    assert lagged["polity2"].tolist() == [-7.0, -7.0]
    assert set(M.MONADIC_VARIABLES) <= set(default.columns)
    with pytest.raises(ValueError, match="polity2_year"):
        M.monadic_terms(st, TermChoices(), polity2_year="t-2")


def test_polity_filter_in_t_in_t_minus_1_or_both():
    frame = pd.DataFrame({"polity2_t": [5, 8, 5, np.nan], "polity2_l": [5, 5, 8, 5]})
    assert M.polity_filter_mask(frame, 6, "t").tolist() == [True, False, True, False]
    assert M.polity_filter_mask(frame, 6, "t-1").tolist() == [True, True, False, True]
    assert M.polity_filter_mask(frame, 6, "t and t-1").tolist() == [True, False, False, False]
    with pytest.raises(ValueError, match="polity filter"):
        M.polity_filter_mask(frame, 6, "t-2")


def test_restrict_records_each_filter_and_keeps_complete_rows():
    st = _states(
        6,
        year=[1960, 1961, 1962, 1963, 1964, 1965],
        cbcount=[1.0, 1.0, np.nan, 1.0, 1.0, 1.0],       # 1962 not in SSF
        polity2=[-7.0, -7.0, -7.0, 8.0, -7.0, -7.0],       # 1963 a democracy in t
        d_milex=[1.0, 1.0, 1.0, 1.0, np.nan, 1.0],         # 1964 lacks Δ milex
        new_pacts=[0, 1, 0, 1, 1, 1], **{"def": [0, 1, 0, 1, 1, 1]},
    )
    att = Attrition(event="def")
    out = M.restrict_monadic(M.monadic_terms(st, TermChoices()), SampleChoices(), att)
    assert out["year"].tolist() == [1961, 1965]             # 1960 is before the DV years
    table = att.table()
    assert table["rows"].tolist() == [5, 4, 3, 3, 2, 2]
    assert table["events"].tolist() == [4, 4, 3, 3, 2, 2]
    assert table["dropped"].sum() == 5 - 2
    # the polity filter in t−1 keeps 1963 (polity2_l = −6)
    lagged = M.restrict_monadic(M.monadic_terms(st, TermChoices()), SampleChoices(polity_filter_year="t-1"))
    assert 1963 in lagged["year"].tolist()
    # no listwise deletion on request
    kept = M.restrict_monadic(M.monadic_terms(st, TermChoices()), SampleChoices(), complete=False)
    assert 1964 in kept["year"].tolist()


def test_no_regime_filter_when_polity_max_is_none():
    st = _states(3, polity2=[8.0, 9.0, 10.0], polity2_l=[8.0, 9.0, 10.0])
    out = M.restrict_monadic(M.monadic_terms(st, TermChoices()), SampleChoices(polity_max=None))
    assert len(out) == 3


def test_unknown_dv_rule_fails_before_reading_data():
    with pytest.raises(ValueError, match="dv_rule"):
        M.monadic_events(DataChoices(), dv_rule="multilateral")


#: Documented band for N: the paper's 3,028 ± 2 % (our default gives 3,058; see the module).
N_PAPER = 3028
N_BAND = (round(N_PAPER * 0.98), round(N_PAPER * 1.02))


@pytest.mark.data
def test_monadic_panel_on_the_raw_data(raw_data):
    params = Choices()
    states = M.monadic_state_years(params.data)
    att = Attrition(event="def")
    frame = M.monadic_panel(params, att, states=states)
    assert not frame.duplicated(["ccode", "year"]).any()
    assert N_BAND[0] <= len(frame) <= N_BAND[1]
    assert frame[M.MONADIC_VARIABLES + ["def"]].notna().all().all()
    assert frame["year"].between(1961, 2010).all()
    assert (frame["polity2_t"] <= 6).all()
    assert 0 < frame["def"].sum() < 0.05 * len(frame)
    assert att.table()["rows"].iloc[-1] == len(frame)
    # the regime filter in both t and t−1 reproduces the paper's N on these data versions
    both = M.monadic_panel(params, states=states, polity_filter="t and t-1")
    assert abs(len(both) - N_PAPER) <= 0.01 * N_PAPER
    # any new defense pact (bilateral or multilateral) adds events, not rows
    wide = M.monadic_panel(params, states=states, dv_rule="any_defense")
    assert len(wide) == len(frame) and wide["def"].sum() > frame["def"].sum()
    with pytest.raises(ValueError, match="other data choices"):
        M.monadic_panel(params.replace(nmc_version="5.0"), states=states)
