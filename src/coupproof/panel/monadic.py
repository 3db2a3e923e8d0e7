"""The monadic country-year panel of Table 15: does a coup-proofing state form a pact at all?

The paper's appendix re-estimates its formation model with the state-year as the unit
(Table 15, N = 3,028).  The paper gives no sample definition; the one built here follows
the dyadic design as closely as a monadic unit allows:

* one row per COW system member and DV year 1961–2010 that is in the SSF sample;
* the state is non-democratic: ``polity2 ≤ polity_max`` in t (the dyadic default), in t−1,
  or in both years (:data:`POLITY_FILTERS`);
* ``def`` = 1 if the state signs at least one new bilateral defense pact in t (the
  dyadic DV's events from :func:`~coupproof.panel.alliances.new_defense_pacts`, counted for
  both signatories), or — ``dv_rule="any_defense"`` — any new defense pact, bilateral or
  multilateral (:data:`DV_RULES`);
* listwise deletion over the Table 15 regressors.

Sample size (ATOP 5.1, Polity IV, NMC 6.0, SSF as read by :func:`coupproof.sources.read_ssf`):
the dyadic default (filter in t, Δ between t−1 and t) gives 3,058 state-years, 30 (1.0 %)
more than the paper; the filter in t−1 gives 3,082, lagged Δs 3,035, Polity5 3,099.  Requiring
polity2 ≤ 6 in *both* t and t−1 gives exactly 3,028.  The DV rule and the NMC version do not
change N.  The published standard errors fit "any new defense pact" (about 140 events) far
better than bilateral pacts only (about 65); see the Table 15 chapter.

Each step is a small verb on a plain frame::

    frame = (state_years(data)                                  # lncb_l, threat_l, ...
             .pipe(add_existing_defense, defense_years(ties))   # existing_def (t−1)
             .pipe(add_new_pacts, pact_events(pacts)))          # new_pacts, def (t)
    sample = restrict_monadic(monadic_terms(frame, terms), sample, attrition)

:func:`monadic_panel` runs the whole pipeline (from cached pieces);
:func:`monadic_state_years` builds its first half once for several sample choices.
"""

from __future__ import annotations

import pandas as pd

from coupproof import sources
from coupproof.cache import CACHE, PieceCache
from coupproof.panel import alliances
from coupproof.panel.build import defense_pacts
from coupproof.panel.states import state_years
from coupproof.panel.transforms import Attrition, merge_validated
from coupproof.params import Choices, DataChoices, SampleChoices, TermChoices

#: Table 15's regressors in the paper-record term names (see ``data/published``).
TABLE15 = ["cb", "threat", "recent_coup", "d_milper", "d_milex", "existing_def", "new_regime",
           "polity2", "cb:threat", "const"]
#: The variables behind Table 15's terms (the interaction and the constant need nothing more).
MONADIC_VARIABLES = ["cb", "threat", "recent_coup", "d_milper", "d_milex", "existing_def",
                     "new_regime", "polity2"]
#: Which new pacts count as events of the monadic DV.
DV_RULES = {
    "bilateral": "new bilateral defense pacts, as the dyadic DV (DataChoices def_rule and def_obligation)",
    "any_defense": "any new defense pact the state signs in t, bilateral or multilateral",
}
#: Year of the polity2 regressor (the sample filter's year is SampleChoices.polity_filter_year).
POLITY2_YEARS = {"t-1": "polity2_l", "t": "polity2"}
#: Years in which the regime filter applies: the dyadic design's two choices, and both at once.
POLITY_FILTERS = ("t", "t-1", "t and t-1")


def pact_events(pacts: pd.DataFrame) -> pd.DataFrame:
    """New pacts per state-year from a pact table with one row per pact and pair.

    ``pacts`` has ``atopid``, ``ccode1``, ``ccode2``, ``year`` (the output of
    :func:`~coupproof.panel.alliances.new_defense_pacts`).  Each pact counts once for each of
    its two signatories.  Returns ``ccode``, ``year``, ``new_pacts`` (int64, ≥ 1), one row per
    state-year with at least one new pact.
    """
    sides = pd.concat([pacts[["atopid", c, "year"]].rename(columns={c: "ccode"})
                       for c in ("ccode1", "ccode2")], ignore_index=True)
    sides = sides.drop_duplicates(["atopid", "ccode"])
    out = sides.groupby(["ccode", "year"]).size().rename("new_pacts").reset_index()
    return out.astype({"ccode": "int64", "year": "int64", "new_pacts": "int64"})


def signatory_events(alliances_df: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Every new defense pact per state-year, bilateral or multilateral (``dv_rule="any_defense"``).

    A state counts when it is among the first-phase members of an alliance whose
    alliance-level ``defense`` code is 1, in the alliance's ``begyr``.  Same columns as
    :func:`pact_events`.
    """
    sig = alliances.signatories(members)[["atopid", "member"]]
    pacts = alliances_df.loc[alliances_df["defense"] == 1, ["atopid", "begyr"]]
    both = sig.merge(pacts, on="atopid", how="inner", validate="many_to_one")
    both = both.drop_duplicates(["atopid", "member"])
    out = (both.rename(columns={"member": "ccode", "begyr": "year"})
           .groupby(["ccode", "year"]).size().rename("new_pacts").reset_index())
    return out.astype({"ccode": "int64", "year": "int64", "new_pacts": "int64"})


def add_new_pacts(states: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """``new_pacts`` (number of new pacts in t, 0 if none) and the DV ``def`` (1 if ≥ 1).

    ``events`` is the output of :func:`pact_events` or :func:`signatory_events`.  Row count
    and order of ``states`` are unchanged.
    """
    out = merge_validated(states, events[["ccode", "year", "new_pacts"]], on=["ccode", "year"],
                          how="left", validate="one_to_one", name="monadic pacts")
    out["new_pacts"] = out["new_pacts"].fillna(0).astype("int64")
    out["def"] = (out["new_pacts"] > 0).astype("int8")
    return out


def defense_years(ties: pd.DataFrame) -> pd.DataFrame:
    """State-years in which the state shares any defense pact with anyone.

    ``ties`` is :func:`~coupproof.panel.alliances.symmetric_ties` output (``defense_any`` per
    directed dyad-year, either direction, bilateral or multilateral).  Returns ``ccode``,
    ``year`` (int64), unique.
    """
    d = ties.loc[ties["defense_any"] == 1, ["ccode1", "year"]].rename(columns={"ccode1": "ccode"})
    return d.drop_duplicates().astype("int64").reset_index(drop=True)


def add_existing_defense(states: pd.DataFrame, defended: pd.DataFrame) -> pd.DataFrame:
    """``existing_def`` = 1 if the state had any defense pact in t−1, else 0.

    ATOP records every alliance of every state, so a state-year absent from ``defended``
    (the output of :func:`defense_years`) had no defense pact: 0, not missing — also in a
    state's first year of independence.
    """
    prev = defended.assign(year=defended["year"] + 1, existing_def=1.0)
    out = merge_validated(states, prev, on=["ccode", "year"], how="left", validate="one_to_one",
                          name="existing defense pacts")
    out["existing_def"] = out["existing_def"].fillna(0.0)
    return out


def monadic_terms(states: pd.DataFrame, terms: TermChoices = TermChoices(),
                  polity2_year: str = "t-1") -> pd.DataFrame:
    """One column per Table 15 term, plus ``ccode``, ``year``, ``def``, ``new_pacts`` and
    the filter columns ``cbcount``, ``polity2_t`` (polity2 in t) and ``polity2_l`` (in t−1).

    ``cb`` = ln(1 + counterweights) in t−1, ``threat`` = own threat in t−1, ``d_milex`` and
    ``d_milper`` = x_t − x_{t−1} (or the same change one year earlier with
    ``terms.delta_timing="t-1"``), ``polity2`` in ``polity2_year`` ("t-1" | "t"),
    ``recent_coup`` and ``new_regime`` over their windows (not lagged), ``existing_def``
    (t−1).
    """
    if polity2_year not in POLITY2_YEARS:
        raise ValueError(f"unknown polity2_year {polity2_year!r}; allowed: {', '.join(POLITY2_YEARS)}")
    lag = "_l" if terms.delta_timing == "t-1" else ""
    source = {
        "cb": "lncb_l", "threat": "threat_l", "recent_coup": "recent_coup",
        "d_milper": f"d_milper{lag}", "d_milex": f"d_milex{lag}", "existing_def": "existing_def",
        "new_regime": "new_regime", "polity2": POLITY2_YEARS[polity2_year],
    }
    out = pd.DataFrame({t: states[c].astype("float64") for t, c in source.items()}, index=states.index)
    out.insert(0, "ccode", states["ccode"].astype("int64"))
    out.insert(1, "year", states["year"].astype("int64"))
    out["def"] = states["def"].to_numpy()
    out["new_pacts"] = states["new_pacts"].to_numpy()
    out["cbcount"] = states["cbcount"].astype("float64")
    out["polity2_t"] = states["polity2"].astype("float64")
    out["polity2_l"] = states["polity2_l"].astype("float64")
    return out


def polity_filter_mask(frame: pd.DataFrame, polity_max: int, when: str) -> pd.Series:
    """True where the state counts as non-democratic: polity2 ≤ ``polity_max`` in t ("t"), in
    t−1 ("t-1") or in both years ("t and t-1"; see :data:`POLITY_FILTERS`).  Missing polity2
    (no Polity row, foreign occupation) is never non-democratic."""
    if when not in POLITY_FILTERS:
        raise ValueError(f"unknown polity filter {when!r}; allowed: {', '.join(POLITY_FILTERS)}")
    now = frame["polity2_t"] <= polity_max
    before = frame["polity2_l"] <= polity_max
    return {"t": now, "t-1": before, "t and t-1": now & before}[when]


def restrict_monadic(frame: pd.DataFrame, sample: SampleChoices = SampleChoices(),
                     attrition: Attrition | None = None, complete: bool = True,
                     polity_filter: str | None = None) -> pd.DataFrame:
    """DV years, SSF states, non-democracies, then listwise deletion, each step recorded.

    ``frame`` is :func:`monadic_terms` output.  A state-year is "in SSF" when SSF records its
    counterweight count in t.  The regime filter keeps polity2 ≤ ``sample.polity_max`` (no
    filter when ``polity_max`` is None) in the year(s) named by ``polity_filter`` (default:
    ``sample.polity_filter_year``).  With ``complete=True`` rows missing any Table 15
    variable are dropped in three recorded steps (lagged counterbalancing and threat; Δ
    military expenditure and personnel; the remaining controls).
    """
    att = attrition if attrition is not None else Attrition(event="def")
    when = sample.polity_filter_year if polity_filter is None else polity_filter
    first, last = sample.years
    df = att.start(frame[(frame["year"] >= first) & (frame["year"] <= last)],
                   f"COW state-years {first}–{last}")
    df = att.apply(df, df["cbcount"].notna(), "in the SSF sample (counterweights recorded in t)")
    if sample.polity_max is not None:
        df = att.apply(df, polity_filter_mask(df, sample.polity_max, when),
                       f"non-democratic: polity2 ≤ {sample.polity_max} in {when}")
    if complete:
        steps = {
            "counterbalancing and threat (t−1) present": ["cb", "threat"],
            "Δ military expenditure and personnel present": ["d_milex", "d_milper"],
            "recent coup, new regime, existing pact and polity2 present":
                ["recent_coup", "new_regime", "existing_def", "polity2"],
        }
        for label, cols in steps.items():
            df = att.apply(df, df[cols].notna().all(axis=1), label)
    return df


def monadic_state_years(data: DataChoices = DataChoices(), cache: PieceCache = CACHE) -> pd.DataFrame:
    """State-years 1946–2010 with every monadic variable and ``existing_def`` under ``data``.

    Built from the same cached state-year pieces as the dyadic panel; the DV is not attached
    yet (see :func:`monadic_events`).
    """
    dyads = alliances.obligation_dyads(data.alliance_source, cache)
    out = add_existing_defense(state_years(data, cache), defense_years(alliances.symmetric_ties(dyads)))
    out.attrs["data_key"] = data.key()
    return out


def monadic_events(data: DataChoices = DataChoices(), dv_rule: str = "bilateral") -> pd.DataFrame:
    """New pacts per state-year under ``dv_rule`` (see :data:`DV_RULES`), from ATOP 5.1.

    "bilateral" uses ``data.def_rule`` and ``data.def_obligation``, as the dyadic DV.
    """
    if dv_rule not in DV_RULES:
        raise ValueError(f"unknown dv_rule {dv_rule!r}; allowed: {', '.join(DV_RULES)}")
    if dv_rule == "bilateral":
        return pact_events(defense_pacts(data))
    return signatory_events(sources.read("atop_alliances"), sources.read("atop_members"))


def monadic_panel(choices: Choices | None = None, attrition: Attrition | None = None,
                  dv_rule: str = "bilateral", polity2_year: str = "t-1",
                  complete: bool = True, states: pd.DataFrame | None = None,
                  polity_filter: str | None = None) -> pd.DataFrame:
    """The Table 15 estimation frame.

    Parameters
    ----------
    choices
        Data versions, windows, ``def_rule``/``def_obligation`` (which bilateral pacts are
        events), ``alliance_source`` (source of existing pacts), ``delta_timing``,
        ``polity_max``, ``polity_filter_year``, ``years`` and the threat settings.
    attrition
        Receives one row per filtering step (rows in and out, events kept).
    dv_rule
        "bilateral" (default) or "any_defense"; see :data:`DV_RULES`.
    polity2_year
        Year of the polity2 regressor: "t-1" (default) or "t".
    complete
        Drop rows with a missing Table 15 variable (default).
    states
        A table from :func:`monadic_state_years` built with the same data choices; saves
        assembling it again when only sample or timing choices change.
    polity_filter
        Year(s) of the regime filter, one of :data:`POLITY_FILTERS`; default
        ``choices.sample.polity_filter_year``.

    Returns
    -------
    DataFrame
        One row per (``ccode``, ``year``); columns of :func:`monadic_terms`.
    """
    choices = choices or Choices()
    if states is None:
        states = monadic_state_years(choices.data)
    elif states.attrs.get("data_key", choices.data.key()) != choices.data.key():
        raise ValueError("states were built with other data choices; rebuild them with "
                         "monadic_state_years(choices.data)")
    frame = add_new_pacts(states, monadic_events(choices.data, dv_rule))
    out = restrict_monadic(monadic_terms(frame, choices.terms, polity2_year), choices.sample,
                           attrition, complete, polity_filter)
    return out.reset_index(drop=True)
