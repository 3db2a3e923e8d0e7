"""Every choice the paper leaves open, as typed parameters split by the stage that reads them.

A replication of McWard & Yoon (2023) has to decide a dozen things the paper never states
(which S-score coding, which contiguity types, which windows, which data versions, which
clustering unit ...).  Each decision is a field of one of five frozen dataclasses:

=====================  =============================================================
:class:`ThreatChoices`  how the external-threat measure is built (nested in the data)
:class:`DataChoices`    data versions, codings and windows of the dyad-year panel
:class:`SampleChoices`  which dyad-years enter the models (regime filter, years)
:class:`TermChoices`    timing of derived regressors
:class:`EstimationChoices`  clustering unit, estimator and control set
=====================  =============================================================

:class:`Choices` bundles the five.  A field says what it may be *once*, in its type::

    s_coding: Literal["atop_3210", "atop_release", "defense_only"] = "atop_release"

and everything else — validation, error messages, :func:`allowed`, the multiverse's list of
options — is derived from that type.  Values are coerced strictly (:func:`coerce`):

* a number given for a string option matches the option it spells (``5.0`` → ``"5.0"``,
  ``5`` → ``"5"``): papermill's ``-p nmc_version 5.0`` and YAML's unquoted ``5.0`` work;
* ``True``/``False`` are never integers, and integers are never booleans;
* a list where a scalar is expected, or a scalar where a pair is expected, fails with a
  message naming the parameter and what it may be — never a ``TypeError`` from deep inside.

Every check runs when a :class:`Choices` is made, before any data is read.  Each stage has a
:meth:`~Stage.key` (a hash of its fields), and each cached piece of the panel hashes only the
fields it reads (see :mod:`coupproof.panel.pieces`), so changing the regime filter reuses
the whole data panel.

Overrides use flat names, unique across stages (``{"polity_max": 5, "max_conttype": 1}``);
:meth:`Choices.from_overrides` routes each to its stage and rejects unknown names with the
list of known ones and a "did you mean" for near misses.

This module is longer than most by design: it is the one home of every parameter, and the
coercion that derives allowed values and error messages from the declared types sits beside
the types it reads.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import numbers
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Optional, Union

__all__ = [
    "Between", "ChoiceError", "Choices", "DataChoices", "EstimationChoices", "Pair",
    "SampleChoices", "Stage", "TermChoices", "ThreatChoices", "allowed", "coerce",
    "describe_allowed", "field_type",
]


class ChoiceError(ValueError):
    """A parameter name or value that is not allowed (raised before any data is read)."""


# ---------------------------------------------------------------------------------------------
# Constraint markers used inside Annotated[...] types
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Between:
    """An integer in ``lo`` … ``hi`` (inclusive)."""

    lo: int
    hi: int

    def describe(self) -> str:
        return f"an integer from {self.lo} to {self.hi}"


@dataclass(frozen=True)
class Pair:
    """A pair ``(first, last)`` of integers with ``lo <= first <= last <= hi``.

    Used for year windows relative to t (``Pair(-10, 0)``: ``(-4, 0)`` is t−4 … t) and for
    calendar year ranges (``Pair(1961, 2010)``).
    """

    lo: int
    hi: int
    example: tuple[int, int]

    def describe(self) -> str:
        return (f"a pair (first, last) of integers with {self.lo} <= first <= last <= {self.hi}, "
                f"e.g. {list(self.example)}")


#: A window of years relative to t, e.g. (-4, 0) for t−4 … t.
Window = Annotated[tuple[int, int], Pair(-10, 0, (-4, 0))]


# ---------------------------------------------------------------------------------------------
# Strict coercion, driven by the declared type
# ---------------------------------------------------------------------------------------------

def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) \
        and type(value).__name__ != "bool_"


def _is_bool(value) -> bool:
    return isinstance(value, bool) or type(value).__name__ == "bool_"


def _unwrap(tp) -> tuple[Any, tuple]:
    """``Annotated[T, m1, m2]`` -> ``(T, (m1, m2))``; other types -> ``(tp, ())``."""
    if typing.get_origin(tp) is Annotated:
        base, *meta = typing.get_args(tp)
        return base, tuple(meta)
    return tp, ()


def _optional(tp) -> tuple[Any, bool]:
    """``Optional[T]`` -> ``(T, True)``; other types -> ``(tp, False)``."""
    if typing.get_origin(tp) in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(tp)) == 2:
            return args[0], True
    return tp, False


def describe_allowed(tp) -> str:
    """What a value of type ``tp`` may be, in words (used in every error message)."""
    base, meta = _unwrap(tp)
    base, optional = _optional(base)
    tail = " or None" if optional else ""
    for m in meta:
        if isinstance(m, (Between, Pair)):
            return m.describe() + tail
    if typing.get_origin(base) is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(base)) + tail
    if base is bool:
        return "True or False" + tail
    if base is int:
        return "an integer" + tail
    return getattr(base, "__name__", str(base)) + tail


def _literal_match(value, options: tuple):
    """The option ``value`` stands for, or raise KeyError.

    Strings match themselves; a number matches a string option that spells the same number
    (``5.0`` -> ``"5.0"``, ``5`` -> ``"5"``) and an integer option equal to it.  Booleans match
    only boolean options.
    """
    for opt in options:
        if _is_bool(opt) or _is_bool(value):
            if _is_bool(opt) and _is_bool(value) and bool(value) == opt:
                return opt
            continue
        if isinstance(opt, str):
            if isinstance(value, str) and value == opt:
                return opt
            if isinstance(value, numbers.Real) and not isinstance(value, str):
                try:
                    if float(opt) == float(value):
                        return opt
                except ValueError:
                    pass
        elif _is_int(opt):
            if _is_int(value) and int(value) == opt:
                return opt
    raise KeyError(value)


def coerce(name: str, value, tp):
    """``value`` checked against the declared type ``tp`` of parameter ``name``, normalised.

    Raises :class:`ChoiceError` naming the parameter, the value and what it may be.
    """
    base, meta = _unwrap(tp)
    base, optional = _optional(base)

    def fail(why: str = ""):
        raise ChoiceError(f"{name}: {value!r} is not allowed{why}; {name} must be "
                          f"{describe_allowed(tp)}")

    if value is None:
        if optional:
            return None
        fail()
    if dataclasses.is_dataclass(base) and isinstance(base, type):
        if isinstance(value, base):
            return value
        if isinstance(value, Mapping):
            return base(**value)
        fail(f" (expected a mapping of {base.__name__} fields)")
    if typing.get_origin(base) is Literal:
        if isinstance(value, (list, tuple, set, dict)):
            fail(" (a list where a single value is expected)")
        try:
            return _literal_match(value, typing.get_args(base))
        except KeyError:
            fail()
    if base is bool:
        if _is_bool(value):
            return bool(value)
        fail(" (only True or False, not a number or a string)")
    if base is int:
        if isinstance(value, (list, tuple, set, dict)):
            fail(" (a list where a single value is expected)")
        if not _is_int(value):
            fail(" (True/False and non-integers are not integers here)")
        value = int(value)
        for m in meta:
            if isinstance(m, Between) and not m.lo <= value <= m.hi:
                fail()
        return value
    if typing.get_origin(base) is tuple:
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            fail(" (expected a pair)")
        items = tuple(value)
        if len(items) != 2 or not all(_is_int(v) for v in items):
            fail(" (expected two integers)")
        items = tuple(int(v) for v in items)
        for m in meta:
            if isinstance(m, Pair) and not m.lo <= items[0] <= items[1] <= m.hi:
                fail()
        return items
    raise TypeError(f"parameter {name}: unsupported declared type {tp!r}")  # a bug, not user input


def allowed(cls, name: str) -> tuple:
    """The allowed values of a field, derived from its type (``Literal`` and ``bool`` fields).

    For range-typed fields (integers in a range, year pairs) there is no finite list; this
    raises ``TypeError`` and :func:`describe_allowed` says what the field may be.
    """
    base, _ = _unwrap(field_type(cls, name))
    base, optional = _optional(base)
    extra = (None,) if optional else ()
    if typing.get_origin(base) is Literal:
        return tuple(typing.get_args(base)) + extra
    if base is bool:
        return (False, True) + extra
    raise TypeError(f"{cls.__name__}.{name} has no finite list of values "
                    f"({describe_allowed(field_type(cls, name))})")


def field_type(cls, name: str):
    """The declared type of a field (with its ``Annotated`` constraints)."""
    hints = typing.get_type_hints(cls, include_extras=True)
    if name not in hints:
        raise ChoiceError(f"{cls.__name__} has no parameter {name!r}")
    return hints[name]


# ---------------------------------------------------------------------------------------------
# Stages
# ---------------------------------------------------------------------------------------------

class Stage:
    """Shared behaviour of the frozen stage dataclasses: strict checks, hashing, comparison."""

    def __post_init__(self):
        hints = typing.get_type_hints(type(self), include_extras=True)
        for f in dataclasses.fields(self):
            object.__setattr__(self, f.name, coerce(f.name, getattr(self, f.name), hints[f.name]))

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        """Plain values (tuples become lists, nested stages dicts), JSON-ready."""
        return json.loads(json.dumps(dataclasses.asdict(self)))

    def key(self, fields: tuple[str, ...] | None = None) -> str:
        """Stable 16-hex-digit hash of the stage (or of the named ``fields`` only)."""
        values = self.to_dict()
        if fields is not None:
            values = {k: values[k] for k in fields}
        blob = json.dumps([type(self).__name__, values], sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def differences(self) -> dict:
        """Fields that differ from the defaults, as {name: value} (nested stages flattened)."""
        base, mine = type(self)().to_dict(), self.to_dict()
        out = {}
        for k, v in mine.items():
            if isinstance(v, dict):
                out.update({kk: vv for kk, vv in v.items() if base[k][kk] != vv})
            elif base[k] != v:
                out[k] = v
        return out


@dataclass(frozen=True)
class ThreatChoices(Stage):
    """How the external-threat measure is built (paper §3.2; estimation notes §2.3).

    ``max_conttype``: widest COW direct-contiguity type that puts a neighbour in a state's
    politically relevant environment (1 = land or river … 5 = up to 400 miles of water).
    ``colonial``: contiguity through colonial holdings counts too.
    ``major_power_global``: every state is relevant to a major power (peacesciencer's
    politically-relevant-dyad rule), not only major powers to everyone.
    ``s_coding``: how a dyad's ATOP obligations become one value of an alliance portfolio —
    "atop_release" (the default: the scale of the ATOP similarity-score release notes,
    3 defense/offense, 2 neutrality and/or consultation, 1 non-aggression only; chosen by the
    calibration against the paper's statistics and the held-out tables), "atop_3210" (the
    book's earlier default: 3 defense/offense, 2 neutrality or non-aggression,
    1 consultation) or "defense_only" (1 defense pact, 0 else).
    ``s_weighted``: weight S by CINC (the release's ``s_wt_atop``); ``s_distance``:
    absolute or squared differences; ``s_mean_from``: first year of the period over which
    the cut-off S̄ (mean S of politically relevant dyad-years, to 2010) is taken.
    """

    max_conttype: Literal[1, 2, 3, 4, 5] = 5
    colonial: bool = True
    major_power_global: bool = True
    s_coding: Literal["atop_3210", "atop_release", "defense_only"] = "atop_release"
    s_weighted: bool = False
    s_distance: Literal["absolute", "squared"] = "absolute"
    s_mean_from: Annotated[int, Between(1816, 2010)] = 1816


@dataclass(frozen=True)
class DataChoices(Stage):
    """Data versions, codings and windows of the directed dyad-year panel.

    Versions: ``polity_version`` (Polity IV p4v2018 | Polity5), ``nmc_version`` (COW NMC),
    ``coups_version`` (Powell & Thyne release), ``mid_version`` (COW MID 4.3 | GML 2.2.1),
    ``alliance_source`` (shared-pact and allied dyad-years from ATOP's own dyad-year file,
    "ddyr", or derived here from the member file, "members").

    Codings: ``def_rule`` (which new bilateral defense pacts are events: those whose
    member-level concession items ATOP codes, or all), ``def_obligation`` (the alliance-level
    defense code, or both members' own), ``military_types`` (GWF "pure" military regimes, or
    with indirect-military ones), ``military_missing`` (GWF warlord / not-independent years
    missing, or 0), ``reg_diff_interregnum`` (a Polity interregnum in t−1 makes regime
    difference missing for B, for either state, or counts as polity2 = 0),
    ``concession_items`` (the item list of the concession counts).

    Windows (years relative to t, inclusive): ``coup_window``, ``new_regime_window``,
    ``mid_window``.  ``threat``: see :class:`ThreatChoices`.
    """

    polity_version: Literal["IV", "5"] = "IV"
    nmc_version: Literal["6.0", "5.0"] = "6.0"
    coups_version: Literal["2022", "2015"] = "2022"
    mid_version: Literal["cow4.3", "gml2.2.1"] = "cow4.3"
    alliance_source: Literal["ddyr", "members"] = "ddyr"
    def_rule: Literal["concessions_coded", "all"] = "concessions_coded"
    def_obligation: Literal["alliance", "both"] = "alliance"
    military_types: Literal["military", "military+indirect"] = "military"
    military_missing: Literal["warlord_not_independent_na", "not_autocratic_is_0"] = \
        "warlord_not_independent_na"
    reg_diff_interregnum: Literal["B_missing", "polity2", "both_missing"] = "B_missing"
    concession_items: Literal["ten", "member6", "notes10", "ten_no_interv"] = "ten"
    coup_window: Window = (-4, 0)
    new_regime_window: Window = (-4, 0)
    mid_window: Window = (-5, -1)
    threat: ThreatChoices = field(default_factory=ThreatChoices)


@dataclass(frozen=True)
class SampleChoices(Stage):
    """Which dyad-years enter the models.

    ``polity_max``: State A is non-democratic when its polity2 ≤ this (None: no filter);
    ``polity_filter_year``: polity2 in t or in t−1; ``years``: first and last DV year.
    """

    polity_max: Annotated[Optional[int], Between(-10, 10)] = 6
    polity_filter_year: Literal["t", "t-1"] = "t"
    years: Annotated[tuple[int, int], Pair(1961, 2010, (1961, 2010))] = (1961, 2010)


@dataclass(frozen=True)
class TermChoices(Stage):
    """Timing of derived regressors: the new-counterweight indicator and the milex/milper
    changes measured in t (x_t − x_{t−1}) or one year earlier."""

    new_cw_timing: Literal["t", "t-1"] = "t"
    delta_timing: Literal["t", "t-1"] = "t"


@dataclass(frozen=True)
class EstimationChoices(Stage):
    """How the formation models are estimated.

    ``cluster``: dyad-clustered standard errors on the undirected pair {A, B} or the directed
    dyad (A, B); ``estimator``: ML logit or King–Zeng bias-corrected logit; ``controls``: the
    control set of Table 1 Models 2 and 4 ("paper": shared defense pacts, regime difference,
    recent coup, new regime, military regime), without the military-regime dummy, without
    regime difference, or none (both threats only).
    """

    cluster: Literal["undirected", "directed"] = "undirected"
    estimator: Literal["logit", "relogit"] = "logit"
    controls: Literal["paper", "no_military", "no_regime_diff", "none"] = "paper"


STAGES = {"data": DataChoices, "sample": SampleChoices, "terms": TermChoices,
          "estimation": EstimationChoices}


def _flat_names() -> dict[str, tuple[str, ...]]:
    """Flat parameter name -> path of attributes from a :class:`Choices` (e.g. threat fields)."""
    out: dict[str, tuple[str, ...]] = {}
    for stage, cls in STAGES.items():
        for name in cls.names():
            if name == "threat":
                for tname in ThreatChoices.names():
                    out[tname] = (stage, "threat", tname)
            else:
                out[name] = (stage, name)
    return out


FLAT = _flat_names()


@dataclass(frozen=True)
class Choices:
    """All open choices of one analysis: data (with threat), sample, terms and estimation.

    ``Choices()`` is the book's default construction.  Build variants from flat names::

        Choices.from_overrides({"polity_max": 5, "max_conttype": 1})
        Choices().replace(cluster="directed")
    """

    data: DataChoices = field(default_factory=DataChoices)
    sample: SampleChoices = field(default_factory=SampleChoices)
    terms: TermChoices = field(default_factory=TermChoices)
    estimation: EstimationChoices = field(default_factory=EstimationChoices)

    def __post_init__(self):
        for stage, cls in STAGES.items():
            value = getattr(self, stage)
            if isinstance(value, Mapping):
                object.__setattr__(self, stage, cls(**value))
            elif not isinstance(value, cls):
                raise ChoiceError(f"{stage} must be a {cls.__name__}, not {type(value).__name__}")

    # --- flat names -------------------------------------------------------------------------
    @staticmethod
    def names() -> tuple[str, ...]:
        """Every flat parameter name, in stage order."""
        return tuple(FLAT)

    @staticmethod
    def check_names(names) -> None:
        """Raise :class:`ChoiceError` for names that are not parameters (with suggestions)."""
        unknown = [n for n in names if n not in FLAT]
        if unknown:
            raise ChoiceError(unknown_names_message(unknown, FLAT))

    @classmethod
    def type_of(cls, name: str):
        """Declared type of a flat parameter name."""
        cls.check_names([name])
        path = FLAT[name]
        owner = STAGES[path[0]] if len(path) == 2 else ThreatChoices
        return field_type(owner, path[-1])

    @classmethod
    def from_overrides(cls, overrides: Mapping | None = None, **more) -> "Choices":
        """The default construction with some flat-named parameters changed.

        Every name and value is checked (unknown names list the known ones) before
        anything else happens.
        """
        return cls().replace(**{**dict(overrides or {}), **more})

    def replace(self, **changes) -> "Choices":
        """A copy with flat-named parameters changed (``replace(polity_max=5)``)."""
        self.check_names(changes)
        stages = {s: getattr(self, s) for s in STAGES}
        per_stage: dict[str, dict] = {s: {} for s in STAGES}
        threat_changes: dict = {}
        for name, value in changes.items():
            path = FLAT[name]
            if len(path) == 3:
                threat_changes[name] = value
            else:
                per_stage[path[0]][name] = value
        if threat_changes:
            per_stage["data"]["threat"] = stages["data"].threat.replace(**threat_changes)
        return Choices(**{s: (stages[s].replace(**per_stage[s]) if per_stage[s] else stages[s])
                          for s in STAGES})

    def flat(self) -> dict:
        """Every parameter by flat name (JSON-ready values)."""
        out = {}
        for name, path in FLAT.items():
            value = self
            for p in path:
                value = getattr(value, p)
            out[name] = list(value) if isinstance(value, tuple) else value
        return out

    def value(self, name: str):
        self.check_names([name])
        value = self
        for p in FLAT[name]:
            value = getattr(value, p)
        return value

    def differences(self) -> dict:
        """Flat names whose values differ from the book's defaults."""
        base = Choices().flat()
        return {k: v for k, v in self.flat().items() if base[k] != v}

    def is_default(self) -> bool:
        return not self.differences()

    def key(self) -> str:
        """Stable 16-hex-digit hash of every choice (names result sets and multiverse rows)."""
        blob = json.dumps(self.flat(), sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def describe(self) -> str:
        """The choices that differ from the book's defaults, in one line."""
        diff = self.differences()
        if not diff:
            return "the book's default construction"
        return ", ".join(f"{k} = {v!r}" for k, v in diff.items())


def unknown_names_message(unknown, known) -> str:
    """``unknown parameter 'poliy_max' (did you mean 'polity_max'?); known: …``."""
    parts = []
    for n in unknown:
        near = difflib.get_close_matches(str(n), list(known), n=2, cutoff=0.6)
        hint = f" (did you mean {' or '.join(repr(x) for x in near)}?)" if near else ""
        parts.append(f"{n!r}{hint}")
    label = "parameter" if len(unknown) == 1 else "parameters"
    return f"unknown {label} {', '.join(parts)}; known: {', '.join(known)}"


def notebook_choices(choices: Mapping | None = None, namespace: Mapping | None = None, *,
                     table: Mapping | None = None) -> Choices:
    """The choices of one notebook run, in three layers:

    1. the book's defaults (:class:`Choices`);
    2. the table's own definition, ``table`` (Table 9 is the polity2 ≤ 5 sample:
       ``table={"polity_max": 5}``);
    3. the reader's changes: the notebook's ``choices`` mapping, plus any choice that
       papermill injected under its own name into ``namespace`` (``papermill … -p polity_max 5``
       arrives as a variable ``polity_max``; pass ``globals()``).

    Every name and value is checked before anything else runs.
    """
    injected = {k: namespace[k] for k in FLAT if namespace is not None and k in namespace}
    return Choices.from_overrides({**dict(table or {}), **dict(choices or {}), **injected})
