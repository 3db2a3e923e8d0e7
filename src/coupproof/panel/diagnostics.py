"""Checks and comparisons that the data-assembly chapter reports (and the tests assert)."""

from __future__ import annotations

import pandas as pd

from coupproof import sources
from coupproof.codebook import control_columns
from coupproof.panel import alliances as al
from coupproof.panel.sample import BASE_COLUMNS, restrict_sample
from coupproof.params import SampleChoices

#: Panel columns of Table 1's controls.
CONTROLS = control_columns("paper")


def invariants(panel: pd.DataFrame) -> pd.DataFrame:
    """Structural checks on the panel: each returns True when it holds."""
    keys = panel[["ccode1", "ccode2", "year"]]
    system = sources.system_years(int(panel["year"].min()), int(panel["year"].max()))
    members = pd.MultiIndex.from_frame(system[["ccode", "year"]])
    a_in = pd.MultiIndex.from_arrays([panel["ccode1"], panel["year"]]).isin(members)
    b_in = pd.MultiIndex.from_arrays([panel["ccode2"], panel["year"]]).isin(members)
    reverse = pd.MultiIndex.from_arrays([panel["ccode2"], panel["ccode1"], panel["year"]])
    both_dirs = reverse.isin(pd.MultiIndex.from_frame(keys))
    events = panel[panel["def"] == 1]
    rev_events = pd.MultiIndex.from_arrays([events["ccode2"], events["ccode1"], events["year"]])
    ev_index = pd.MultiIndex.from_frame(events[["ccode1", "ccode2", "year"]])
    return pd.DataFrame([
        ("(A, B, year) is unique", not keys.duplicated().any()),
        ("A is never B", bool((panel["ccode1"] != panel["ccode2"]).all())),
        ("A and B are COW system members in the year", bool(a_in.all() and b_in.all())),
        ("every dyad-year appears in both directions", bool(both_dirs.all())),
        ("every def event is coded in both directions", bool(rev_events.isin(ev_index).all())),
        ("number of directed dyad-years", len(panel)),
    ], columns=["check", "result"])


def event_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """How many def events each definition puts in ``frame`` (directed rows and pacts)."""
    alliances, members = sources.read("atop_alliances"), sources.read("atop_members")
    keys = pd.MultiIndex.from_frame(frame[["ccode1", "ccode2", "year"]])
    rows = []
    for rule in al.DEF_RULES:
        for obligation in al.DEF_OBLIGATION:
            p = al.new_defense_pacts(alliances, members, rule=rule, obligation=obligation)
            both = pd.concat([p, p.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})])
            hit = pd.MultiIndex.from_frame(both[["ccode1", "ccode2", "year"]]).isin(keys)
            rows.append({"def_rule": rule, "def_obligation": obligation,
                         "event rows in frame": int(hit.sum()),
                         "pacts in frame": both.loc[hit, "atopid"].nunique()})
    return pd.DataFrame(rows)


def regime_difference_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Non-missing regime differences and Model-2/4 N under each interregnum rule."""
    diff = (frame["polity2_l_A"] - frame["polity2_l_B"]).abs()
    rules = {"polity2": pd.Series(False, index=frame.index),
             "B_missing": frame["polity_l_B"] == -77,
             "both_missing": (frame["polity_l_A"] == -77) | (frame["polity_l_B"] == -77)}
    others = [c for c in CONTROLS if c != "reg_diff_l"] + ["lncb_l_A"]
    rest = frame[others].notna().all(axis=1)
    return pd.DataFrame([{"reg_diff_interregnum": k, "n(regime difference)": int(diff.mask(m).notna().sum()),
                          "N (Table 1, Models 2 and 4)": int((diff.mask(m).notna() & rest).sum())}
                         for k, m in rules.items()])


def filter_timing_counts(panel: pd.DataFrame, sample: SampleChoices = SampleChoices()) -> pd.DataFrame:
    """Frame size, events and model N with A's regime filter applied in t or in t−1."""
    rows = []
    for timing in ("t", "t-1"):
        f = restrict_sample(panel, sample.replace(polity_filter_year=timing))
        rows.append({"polity_filter_year": timing, "frame rows": len(f),
                     "events": int(f["def"].sum()),
                     "N (Models 1, 3)": int(f["lncb_l_A"].notna().sum()),
                     "N (Models 2, 4)": int(f[["lncb_l_A", *CONTROLS]].notna().all(axis=1).sum())})
    return pd.DataFrame(rows)


__all__ = ["invariants", "event_counts", "regime_difference_counts", "filter_timing_counts",
           "BASE_COLUMNS"]
