"""Every table of the paper, defined once: the table registry.

A :class:`TableSpec` holds everything that is particular to one of the paper's tables: its
models (the regressors of each column), its estimator, its own choices (Table 6 drops the
regime filter, Table 9 is the polity2 ≤ 5 sample, Table 5 is the rare-events logit), the
star thresholds and row conventions of its printed version, the statistics it prints, which
other table shares its fit (Tables 2 and 12 are the two parts of one hurdle model, Tables
10 and 11 come from one Heckman routine) and which interaction carries which hypothesis.
Tables, comparisons, the scorecard and the chapters read these facts from :data:`TABLES`;
no other module keeps a special case for a table.

Fitting goes through the same registry, so any construction can be scored without running a
notebook::

    from coupproof.tables import all_results, fit_results
    from coupproof.params import Choices

    t9 = fit_results(9)                                   # the book's Table 9
    alt = all_results(Choices.from_overrides({"s_coding": "atop_3210"}))
    alt[1].tidy, alt[1].stats                             # coefficients and N, LL, ... by model

``choices`` are the *reader's* construction; each table's own definition is layered beneath
them exactly as :func:`coupproof.params.notebook_choices` does in a chapter (the reader's
differences from the book's defaults win).  A chapter passes the construction it already
resolved to :func:`fit_table_results`, which uses it as it is.

This module is longer than most by design: it is the one registry of the paper's tables, so
every per-table fact (models, own choices, star thresholds, row order) lives here and nowhere
else.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from coupproof.analysis import estimation_frame, fit_table, with_controls
from coupproof.cache import code_fingerprint
from coupproof.codebook import labels as codebook_labels
from coupproof.models.design import build_design
from coupproof.models.heckit import HeckitResult, heckit
from coupproof.models.hurdle import HurdleResult, hurdle
from coupproof.models.logit import logit
from coupproof.models.results import DEFAULT_STARS, tidy_many
from coupproof.models.specs import TABLE1, formation
from coupproof.panel.monadic import TABLE15, monadic_panel
from coupproof.params import Choices
from coupproof.results import TableResults

Estimator = Literal["logit", "hurdle_zero", "hurdle_count", "heckit", "monadic"]

#: Modules whose code determines the numbers of a table (beyond the data, which the
#: parameter set and the panel cache's own keys cover).  Every chapter that fits a table
#: imports all of them through this module, so the build reruns it when one changes.
FIT_CODE = (
    "coupproof.tables", "coupproof.analysis", "coupproof.params", "coupproof.codebook",
    "coupproof.models.design", "coupproof.models.logit", "coupproof.models.clustered",
    "coupproof.models.fixed_effects", "coupproof.models.relogit",
    "coupproof.models.hurdle", "coupproof.models.heckit", "coupproof.models.results",
    "coupproof.models.specs", "coupproof.panel.monadic", "coupproof.panel.sample",
    "coupproof.panel.variables",
)

#: Labels of the monadic design (Table 15), whose variables are not in the dyadic codebook.
MONADIC_LABELS: dict[str, str] = {
    "cb": "Counterbalancing", "threat": "External threat", "recent_coup": "Recent coup",
    "d_milper": "Change in military personnel", "d_milex": "Change in military expenditure",
    "existing_def": "Existing defense pact", "new_regime": "New regime", "polity2": "Polity2 score",
    "const": "Constant",
}

#: What each hypothesis says about its interaction term (paper §2.3).
HYPOTHESES: dict[str, str] = {
    "H1a": "counterbalancing lowers the chance of a new pact more as threat to A rises",
    "H1b": "counterbalancing lowers the chance of a new pact more as threat to B rises",
    "H2a": "counterbalancing raises A's concessions more as threat to A rises",
    "H2b": "counterbalancing lowers B's concessions more as threat to B rises",
}
#: The sign each hypothesis predicts for its interaction.
EXPECTED_SIGN = {"H1a": -1, "H1b": -1, "H2a": 1, "H2b": -1}


@dataclass(frozen=True)
class Test:
    """One hypothesis test in a table: the model column, its interaction term, the hypothesis."""

    model: str
    term: str
    hypothesis: str

    @property
    def expected_sign(self) -> int:
        return EXPECTED_SIGN[self.hypothesis]


@dataclass(frozen=True)
class TableSpec:
    """One of the paper's tables.

    ``models`` maps the paper's column label to its regressors (``"a:b"`` is a product) and
    ``dvs`` to its dependent variable.  ``choices`` is the table's own definition, layered
    over the book's defaults (and under the reader's changes); ``options`` are settings of
    its estimator that are not construction choices (Table 15's sample rules).  ``group``
    names the fit a table shares with others (the parts of one model); ``stars`` the p-value
    thresholds of its printed stars; ``const_first`` and ``labels`` its printed row order and
    row labels; ``stats`` the model statistics it prints; ``tests`` which interaction
    tests which hypothesis.
    """

    number: int
    title: str
    chapter: str
    estimator: Estimator
    models: Mapping[str, tuple[str, ...]]
    dvs: Mapping[str, str]
    dv_label: str = "Defense pacts"
    choices: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    group: str = ""
    year_effects: bool = False
    stars: tuple[float, ...] = DEFAULT_STARS
    const_first: bool = False
    labels: Mapping[str, str] = field(default_factory=dict)
    stats: tuple[str, ...] = ("N", "LL")
    se_note: str = "Standard errors clustered by dyad in parentheses."
    notes: tuple[str, ...] = ()
    tests: tuple[Test, ...] = ()
    hide_prefixes: tuple[str, ...] = ()

    @property
    def fit_group(self) -> str:
        return self.group or f"table{self.number}"

    @property
    def model_labels(self) -> list[str]:
        return list(self.models)

    def label_map(self) -> dict[str, str]:
        """Row labels of this table: the codebook's, with the table's own overrides."""
        return {**codebook_labels(), **dict(self.labels)}

    def test_for(self, model: str) -> Test | None:
        return next((t for t in self.tests if t.model == str(model)), None)


def _main(moderator_cb: str = "cb", extra: Iterable[str] = ()) -> dict[str, tuple[str, ...]]:
    """Models 1 and 2 of the appendix tables: Table 1's Models 2 and 4 with another
    counterbalancing measure or extra regressors."""
    extra = list(extra)
    return {"1": tuple(formation(cb=moderator_cb, moderator="threatA", other="threatB", extra=extra)),
            "2": tuple(formation(cb=moderator_cb, moderator="threatB", other="threatA", extra=extra))}


def _tests_main(cb: str = "cb") -> tuple[Test, ...]:
    return (Test("1", f"{cb}:threatA", "H1a"), Test("2", f"{cb}:threatB", "H1b"))


def _dvs(models: Mapping[str, Any], dv: str = "def") -> dict[str, str]:
    return {m: dv for m in models}


def _heckit_table(number: int, state: str, hypothesis: str) -> "TableSpec":
    """Tables 10 and 11: the Heckman two-step of the concessions made by ``state``."""
    dv = f"concessions{state}"
    term = f"cb:threat{state}"
    return TableSpec(
        number, f"Heckman two-step selection model, concessions made by {state}", "07_tables10_11_heckman",
        "heckit", _heckit_models(f"threat{state}"), {"1": "def", "2": dv, "3": dv},
        dv_label=f"Concessions made by {state}", group="heckit", stats=("N", "rho", "sigma"),
        tests=(Test("2", term, hypothesis), Test("3", term, hypothesis)),
        se_note="Model 1: probit selection equation (model-based standard errors). Models 2 and 3: "
                "OLS outcome equations on the dyad-years with a new pact, two-step corrected "
                "standard errors.",
        notes=("N counts every dyad-year of the selection equation; ρ and σ as sampleSelection "
               "reports them (ρ is not bounded to [−1, 1]). Model 1 shows the ρ of Model 3, its "
               "own outcome equation.",))


def _heckit_models(moderator: str) -> dict[str, tuple[str, ...]]:
    """Selection equation (Model 1), the short outcome equation (Model 2) and the full one
    (Model 3, every selection regressor except new regime, A: the exclusion restriction)."""
    selection = ("cb", "threatA", "threatB", f"cb:{moderator}", "shared_def", "regime_diff",
                 "recent_coupA", "new_regimeA", "militaryA", "const")
    return {"1": selection,
            "2": ("cb", "threatA", "threatB", f"cb:{moderator}", "const"),
            "3": tuple(t for t in selection if t != HECKIT_EXCLUDED)}


#: The regressor of the selection equation that the outcome equations leave out.
HECKIT_EXCLUDED = "new_regimeA"

_T1 = {str(m): tuple(v) for m, v in TABLE1.items()}
_T14 = {
    "1": ("cb", "midA", "midB", "cb:midA", "shared_def", "regime_diff", "recent_coupA", "new_regimeA",
          "militaryA", "const"),
    "2": ("cb", "midA", "midB", "cb:midB", "shared_def", "regime_diff", "recent_coupA", "new_regimeA",
          "militaryA", "const"),
    "3": ("cb", "rivalsA", "rivalsB", "cb:rivalsA", "shared_def", "regime_diff", "recent_coupA",
          "new_regimeA", "militaryA", "const"),
    "4": ("cb", "rivalsA", "rivalsB", "cb:rivalsB", "shared_def", "regime_diff", "recent_coupA",
          "new_regimeA", "militaryA", "const"),
}
_HURDLE = {"1": tuple(formation(moderator="threatA", other="threatB")),
           "2": tuple(formation(moderator="threatB", other="threatA"))}
_HURDLE_DVS = {"1": "concessionsA", "2": "concessionsB"}
_HURDLE_TESTS = (Test("1", "cb:threatA", "H2a"), Test("2", "cb:threatB", "H2b"))

TABLES: dict[int, TableSpec] = {t.number: t for t in (
    TableSpec(1, "Counterbalancing, external threat and new defense pacts", "04_alliance_formation",
              "logit", _T1, _dvs(_T1),
              tests=(Test("1", "cb:threatA", "H1a"), Test("2", "cb:threatA", "H1a"),
                     Test("3", "cb:threatB", "H1b"), Test("4", "cb:threatB", "H1b")),
              notes=("A is the potential coup-proofer, B the potential ally.",)),
    TableSpec(2, "Hurdle model, binary part: any concession", "05_alliance_negotiation", "hurdle_zero",
              _HURDLE, _HURDLE_DVS, dv_label="Any concession", group="hurdle", tests=_HURDLE_TESTS,
              se_note="Logit of count > 0 on all dyad-years; model-based standard errors.",
              notes=("N and log-likelihood are those of the whole hurdle model.",)),
    TableSpec(4, "Year fixed effects", "08_table04_year_effects", "logit", _main(), _dvs(_main()),
              year_effects=True, tests=_tests_main(), hide_prefixes=("year",),
              notes=("Year dummies not shown; years without a new pact are dropped before fitting.",)),
    TableSpec(5, "Rare-events logit", "06_table05_rare_events", "logit", _main(), _dvs(_main()),
              choices={"estimator": "relogit"}, stars=(0.05, 0.01, 0.001), const_first=True,
              labels={"const": "Intercept"}, stats=("N", "LL", "AIC", "BIC", "deviance"),
              tests=_tests_main(),
              se_note="Model-based standard errors; goodness of fit from the maximum-likelihood fit."),
    TableSpec(6, "Full sample: all regime types for State A", "09_table06_full_sample", "logit",
              _main(extra=["joint_dem"]), _dvs(_main()), choices={"polity_max": None}, tests=_tests_main()),
    TableSpec(7, "Raw count of counterweights", "10_table07_raw_count", "logit", _main("cb_count"),
              _dvs(_main()), tests=_tests_main("cb_count")),
    TableSpec(8, "New counterweights", "11_table08_new_counterweights", "logit", _main("new_cw"),
              _dvs(_main()), tests=_tests_main("new_cw")),
    TableSpec(9, "Non-democracy as polity2 ≤ 5", "12_table09_polity5", "logit", _main(), _dvs(_main()),
              choices={"polity_max": 5}, tests=_tests_main()),
    _heckit_table(10, "A", "H2a"),
    _heckit_table(11, "B", "H2b"),
    TableSpec(12, "Hurdle model, count part: number of concessions, given at least one",
              "05_alliance_negotiation", "hurdle_count", _HURDLE, _HURDLE_DVS,
              dv_label="Number of concessions", group="hurdle", tests=_HURDLE_TESTS,
              se_note="Zero-truncated Poisson on the dyad-years with at least one concession; "
                      "model-based standard errors.",
              notes=("N and log-likelihood are those of the whole hurdle model.",)),
    TableSpec(13, "Changes in military expenditure and personnel", "13_table13_military_spending", "logit",
              _main(extra=["d_milexA", "d_milperA"]), _dvs(_main()), tests=_tests_main()),
    TableSpec(14, "Recent MIDs and rivalries as threat measures", "14_table14_alternative_threats", "logit",
              _T14, _dvs(_T14),
              tests=(Test("1", "cb:midA", "H1a"), Test("2", "cb:midB", "H1b"),
                     Test("3", "cb:rivalsA", "H1a"), Test("4", "cb:rivalsB", "H1b"))),
    TableSpec(15, "Counterbalancing and new defense pacts, state-years", "15_table15_monadic", "monadic",
              {"1": tuple(TABLE15)}, {"1": "def"}, dv_label="New defense pact",
              options={"polity_filter": "t and t-1", "dv_rule": "any_defense", "polity2_year": "t-1"},
              labels=MONADIC_LABELS, stats=("N", "LL", "events"), tests=(Test("1", "cb:threat", "H1a"),),
              se_note="Model-based standard errors."),
)}
"""The paper's tables 1, 2 and 4–15 by number (Table 3, the summary statistics, is in
:mod:`coupproof.report.summary`)."""


class UnknownTableError(KeyError):
    """A table number the registry does not hold."""


def table(number: int | str) -> TableSpec:
    """The registry entry of a table (``1``, ``"1"``, ``"table01"``)."""
    key = int(str(number).removeprefix("table"))
    if key not in TABLES:
        raise UnknownTableError(f"no Table {number} in the registry; tables: "
                                f"{', '.join(str(t) for t in TABLES)}")
    return TABLES[key]


def group_tables(group: str) -> list[int]:
    """The tables fitted together as ``group`` (e.g. ``"hurdle"`` -> [2, 12])."""
    return [n for n, t in TABLES.items() if t.fit_group == group]


def table_choices(number: int, choices: Choices | None = None) -> Choices:
    """The construction a table is fitted under for the reader's ``choices``: the book's
    defaults, then the table's own definition, then the reader's differences from the
    defaults (as :func:`coupproof.params.notebook_choices` layers them in a chapter)."""
    t = table(number)
    reader = (choices or Choices()).differences()
    return Choices.from_overrides({**dict(t.choices), **reader})


def table_options(number: int, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The table's estimator options with any given ones replaced (unknown names rejected)."""
    t = table(number)
    options = dict(options or {})
    unknown = sorted(set(options) - set(t.options))
    if unknown:
        raise KeyError(f"Table {t.number} has no option {', '.join(unknown)}; "
                       f"its options: {', '.join(t.options) or 'none'}")
    return {**dict(t.options), **options}


def parameter_key(spec: Choices, options: Mapping[str, Any] | None = None) -> str:
    """The key of a parameter set: the construction's :meth:`Choices.key`, combined with the
    estimator options when there are any."""
    if not options:
        return spec.key()
    blob = json.dumps([spec.flat(), dict(sorted(options.items()))], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def book_key(number: int) -> str:
    """The key of the book's own parameter set for a table (its results in ``results/``)."""
    t = table(number)
    return parameter_key(table_choices(number), t.options)


def fit_code() -> str:
    """Fingerprint of the estimation code (:data:`FIT_CODE`)."""
    return code_fingerprint(FIT_CODE)


# ---------------------------------------------------------------------------------------------
# fitting
# ---------------------------------------------------------------------------------------------
@dataclass
class TableFit:
    """The fits behind one table: ``fits`` (one result per printed column, the object the
    column prints: a logit, a hurdle part, a Heckman equation), ``models`` (the whole model
    objects: hurdle and Heckman results, else the same as ``fits``), ``tidy`` and ``stats``
    (``model, stat, value``) as the table prints them."""

    table: TableSpec
    spec: Choices
    options: dict[str, Any]
    fits: dict[str, Any]
    models: dict[str, Any]
    tidy: pd.DataFrame
    stats: pd.DataFrame
    frame: pd.DataFrame | None = None

    def results(self) -> TableResults:
        """The record of this fit: tidy, statistics, parameter set and code fingerprint."""
        return TableResults(
            table=self.table.number, tidy=self.tidy.copy(), stats=self.stats.copy(),
            key=parameter_key(self.spec, self.options), choices=self.spec.flat(),
            differences=self.spec.differences(), options=dict(self.options), code=fit_code(),
            chapter=self.table.chapter)


def _stats_frame(rows: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    out = [(str(m), s, float(v)) for m, d in rows.items() for s, v in d.items()
           if v is not None and np.isfinite(float(v))]
    return pd.DataFrame(out, columns=["model", "stat", "value"])


class _Frames:
    """Estimation frames shared by the tables of one call, one per data/sample/terms."""

    def __init__(self) -> None:
        self._frames: dict[tuple, pd.DataFrame] = {}
        self._monadic_states: dict[str, pd.DataFrame] = {}

    def dyadic(self, spec: Choices) -> pd.DataFrame:
        key = (spec.data.key(), spec.sample.key(), spec.terms.key())
        if key not in self._frames:
            self._frames[key] = estimation_frame(spec)
        return self._frames[key]

    def monadic(self, spec: Choices, options: Mapping[str, Any]) -> pd.DataFrame:
        from coupproof.panel.monadic import monadic_state_years

        dk = spec.data.key()
        if dk not in self._monadic_states:
            self._monadic_states[dk] = monadic_state_years(spec.data)
        return monadic_panel(spec, states=self._monadic_states[dk], **options)


def _rows_before_year_effects(frame: pd.DataFrame, terms: Iterable[str], spec: Choices) -> int:
    """Rows of a model before the years without an event are dropped for its year dummies:
    the N that R's ``glm``, which keeps those rows, prints (Table 4)."""
    return build_design(frame, "def", with_controls(list(terms), spec.estimation.controls)).nobs


def _logit_group(t: TableSpec, spec: Choices, frames: _Frames) -> dict[int, TableFit]:
    frame = frames.dyadic(spec)
    fits = fit_table(frame, t.models, spec.estimation, year_effects=t.year_effects)
    tidy = tidy_many(fits, stars=t.stars)
    rows = {m: {**r.glance(), "events": r.info.get("events")} for m, r in fits.items()}
    if t.year_effects:
        for m, terms in t.models.items():
            rows[m] = {**rows[m], "N_used": rows[m]["N"],
                       "N": _rows_before_year_effects(frame, terms, spec)}
    stats = _stats_frame(rows)
    return {t.number: TableFit(t, spec, {}, fits, fits, tidy, stats, frame)}


def _hurdle_group(t: TableSpec, spec: Choices, frames: _Frames) -> dict[int, TableFit]:
    frame = frames.dyadic(spec)
    models: dict[str, HurdleResult] = {}
    for m, terms in t.models.items():
        dv = t.dvs[m]
        zeros = frame.assign(**{dv: frame[dv].fillna(0)})   # no pact, no concessions
        models[m] = hurdle(build_design(zeros, dv, list(terms)), name=m)
    out = {}
    for number in group_tables(t.fit_group):
        tt = table(number)
        part = "zero" if tt.estimator == "hurdle_zero" else "count"
        fits = {m: getattr(h, part) for m, h in models.items()}
        tidy = tidy_many(fits, stars=tt.stars).assign(
            part="binary (logit of count > 0)" if part == "zero" else "count (zero-truncated Poisson)")
        tidy["llf"] = tidy["model"].map({m: h.llf for m, h in models.items()})
        stats = _stats_frame({m: {"N": h.nobs, "LL": h.llf, "N_positive": h.count.nobs}
                              for m, h in models.items()})
        out[number] = TableFit(tt, spec, {}, fits, dict(models), tidy, stats, frame)
    return out


def _heckit_group(t: TableSpec, spec: Choices, frames: _Frames) -> dict[int, TableFit]:
    frame = frames.dyadic(spec)
    out = {}
    for number in group_tables(t.fit_group):
        tt = table(number)
        selection = list(tt.models["1"])
        full = heckit(frame, "def", selection, tt.dvs["3"], list(tt.models["3"]), name="3")
        short = heckit(frame, "def", selection, tt.dvs["2"], list(tt.models["2"]), name="2")
        models: dict[str, HeckitResult] = {"1": full, "2": short, "3": full}
        fits = {"1": full.selection, "2": short.outcome, "3": full.outcome}
        with warnings.catch_warnings():   # the outcome equations have no log-likelihood (NaN)
            warnings.filterwarnings("ignore", category=FutureWarning,
                                    message="The behavior of DataFrame concatenation with empty or all-NA")
            tidy = tidy_many(fits, stars=tt.stars)
        tidy["part"] = np.where(tidy["model"] == "1", "selection (probit)", "outcome (OLS)")
        tidy["nobs_total"] = tidy["model"].map({m: h.nobs for m, h in models.items()})
        stats = _stats_frame({m: {"N": h.nobs, "N_selected": h.nobs_selected, "rho": h.rho,
                                  "sigma": h.sigma, "IMR": h.imr, "IMR_se": h.imr_se,
                                  "LL": h.selection.llf if m == "1" else None}
                              for m, h in models.items()})
        out[number] = TableFit(tt, spec, {}, fits, models, tidy, stats, frame)
    return out


def _monadic_group(t: TableSpec, spec: Choices, frames: _Frames,
                   options: Mapping[str, Any]) -> dict[int, TableFit]:
    frame = frames.monadic(spec, options)
    design = build_design(frame, "def", list(t.models["1"]))
    fit = logit(design, cov="model", name="1")
    fit.info["events"] = int(design.y.sum())
    fit.info["used_index"] = design.index
    fits = {"1": fit}
    tidy = tidy_many(fits, stars=t.stars)
    stats = _stats_frame({"1": {**fit.glance(), "events": fit.info["events"]}})
    return {t.number: TableFit(t, spec, dict(options), fits, fits, tidy, stats, frame)}


def fit_group(number: int, spec: Choices | None = None, *, options: Mapping[str, Any] | None = None,
              frames: _Frames | None = None) -> dict[int, TableFit]:
    """Fit the tables that share ``number``'s fit (Tables 2 and 12 together, 10 and 11
    together, every other table alone) under the construction ``spec`` *as given* (the
    table's own definition is not layered in: pass :func:`table_choices` for that)."""
    t = table(number)
    spec = spec or table_choices(number)
    frames = frames or _Frames()
    if t.estimator == "logit":
        return _logit_group(t, spec, frames)
    if t.estimator in ("hurdle_zero", "hurdle_count"):
        return _hurdle_group(t, spec, frames)
    if t.estimator == "heckit":
        return _heckit_group(t, spec, frames)
    return _monadic_group(t, spec, frames, table_options(number, options))


def fit_table_results(number: int, spec: Choices | None = None, *,
                      options: Mapping[str, Any] | None = None) -> TableFit:
    """Fit one table under the construction ``spec`` as given (a chapter's resolved
    ``spec``; default: the table's own definition over the book's defaults)."""
    return fit_group(number, spec, options=options)[table(number).number]


def fit_results(table_id: int, choices: Choices | None = None, *,
                options: Mapping[str, Any] | None = None) -> TableResults:
    """The results of one table for the reader's construction ``choices`` (default: the
    book's), as the chapter that presents the table records them: a
    :class:`~coupproof.results.TableResults` with ``tidy`` (model, term, coef, se, ...),
    ``stats`` (model, stat, value) and the parameter set.  The table's own definition is
    layered beneath ``choices`` (see :func:`table_choices`)."""
    return fit_table_results(table_id, table_choices(table_id, choices), options=options).results()


def all_results(choices: Choices | None = None, *, tables: Iterable[int] | None = None,
                options: Mapping[int, Mapping[str, Any]] | None = None,
                skip_failed: bool = False) -> dict[int, TableResults]:
    """The results of every table (or of ``tables``) for the reader's construction
    ``choices``, without running a notebook: ``{table number: TableResults}``, ready for
    :func:`coupproof.report.scorecard.coefficient_scorecard` and
    :func:`~coupproof.report.scorecard.stats_scorecard`.

    Each table gets its own definition layered beneath ``choices`` (Table 9 stays the
    polity2 ≤ 5 sample unless ``choices`` changes ``polity_max``); estimation frames and
    shared fits (the hurdle of Tables 2 and 12, the Heckman fits of Tables 10 and 11) are
    computed once.  ``options`` gives estimator options by table (``{15: {"dv_rule":
    "bilateral"}}``).  With ``skip_failed`` a table whose models have no ML estimate under
    the construction (a :class:`~coupproof.models.diagnostics.ConvergenceError`, e.g. a
    dummy that separates the outcome) is left out instead of stopping the others.
    """
    from coupproof.models.diagnostics import ConvergenceError

    wanted = [table(n).number for n in (tables if tables is not None else TABLES)]
    frames = _Frames()
    out: dict[int, TableResults] = {}
    failed: set[int] = set()
    for number in wanted:
        if number in out or number in failed:
            continue
        try:
            fits = fit_group(number, table_choices(number, choices),
                             options=(options or {}).get(number), frames=frames)
        except ConvergenceError:
            if not skip_failed:
                raise
            failed.update(group_tables(table(number).fit_group))
            continue
        for n, fit in fits.items():
            if n in wanted:
                out[n] = fit.results()
    return {n: out[n] for n in wanted if n in out}


__all__ = [
    "EXPECTED_SIGN", "FIT_CODE", "HECKIT_EXCLUDED", "HYPOTHESES", "MONADIC_LABELS", "TABLES",
    "TableFit", "TableSpec", "Test", "UnknownTableError", "all_results", "book_key", "fit_code",
    "fit_group", "fit_results", "fit_table_results", "group_tables", "parameter_key", "table",
    "table_choices", "table_options",
]
