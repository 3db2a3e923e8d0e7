"""The space of constructions: every choice the paper leaves open, declared once.

Each :class:`Dimension` names a parameter of :class:`coupproof.params.Choices`, the options
the multiverse crosses (by default every value its type allows; explicit for windows and
ranges) and where the choice comes from.  The book's default is the parameter's default, so
the space and the parameters cannot drift apart (a test checks that the default is among the
options).  :func:`full`, :func:`sample` and :func:`neighbours` turn the space into lists of
:class:`~coupproof.params.Choices`.

Only choices that can change Table 1's Models 2 and 4 are crossed.  Those that cannot (the
MID data and window, which only Table 14 reads; the concession items, which only the
negotiation models read; the timing of the new-counterweight indicator and of the
milex/milper changes) stay at the book's defaults and are varied by the chapters that use
them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coupproof.params import ChoiceError, Choices, allowed, coerce

#: Where a choice is discussed (cited in the space table).
NOTES = "estimation notes"
PAPER = "McWard & Yoon (2023)"


@dataclass(frozen=True)
class Dimension:
    """One open choice: a flat parameter name, the options crossed, and its provenance.

    ``options`` defaults to every value the parameter's type allows.  ``group`` is the stage
    ("threat", "data", "sample", "estimation") used to colour the indicator panel.
    """

    name: str
    label: str
    group: str
    source: str
    options: tuple | None = None

    def values(self) -> tuple:
        """The options, checked against the parameter's type (default first)."""
        opts = self.options
        if opts is None:
            opts = tuple(allowed_for(self.name))
        opts = tuple(coerce(self.name, o, Choices.type_of(self.name)) for o in opts)
        default = Choices().value(self.name)
        if default not in opts:
            raise ChoiceError(f"the space's options for {self.name} {opts} omit the book's "
                              f"default {default!r}")
        return (default, *[o for o in opts if o != default])

    @property
    def default(self):
        return Choices().value(self.name)


def allowed_for(name: str) -> tuple:
    """Allowed values of a flat parameter name (Literal and bool fields)."""
    from coupproof.params import FLAT, STAGES, ThreatChoices

    path = FLAT[name]
    owner = ThreatChoices if len(path) == 3 else STAGES[path[0]]
    return allowed(owner, path[-1])


#: The declared space.  Order = order of the indicator panel's rows.
SPACE: tuple[Dimension, ...] = (
    # --- the threat measure (paper §3.2; estimation notes §2.3, §7 U1–U2) -------------------
    Dimension("s_coding", "S-score coding of alliance ties", "threat",
              f"{NOTES} §2.3; ATOP similarity-score release notes (Chiba, Johnson & Leeds 2022)"),
    Dimension("s_weighted", "S weighted by CINC", "threat",
              f"{NOTES} §2.3 (weighted S); release notes (s_wt_atop, NMC 6.0 weights)"),
    Dimension("s_distance", "S distance", "threat", "Signorino & Ritter (1999)"),
    Dimension("s_mean_from", "period of the mean-S cut-off", "threat",
              f"{PAPER} §3.2 (1816–2010); {NOTES} §8 (1946–2010)", (1816, 1946)),
    Dimension("max_conttype", "contiguity types in the PRIE", "threat",
              f"{NOTES} §7 U2; peacesciencer filter_prd (types 1–5)", (5, 1)),
    Dimension("colonial", "colonial contiguity counts", "threat", f"{NOTES} §2.3; Maoz (1996)"),
    Dimension("major_power_global", "major powers relevant to all", "threat",
              f"{NOTES} §2.3 (peacesciencer's politically relevant dyads)"),
    # --- data versions and codings (estimation notes §2, §7, §8) --------------------------------
    Dimension("nmc_version", "COW NMC version", "data", f"{NOTES} §2.3 (not stated in the paper)"),
    Dimension("polity_version", "Polity version", "data", "Polity IV p4v2018 vs Polity5"),
    Dimension("coups_version", "Powell & Thyne release", "data", "Powell & Thyne (2011) releases"),
    Dimension("alliance_source", "source of shared pacts and allies", "data",
              "ATOP 5.1 dyad-year file vs the member file"),
    Dimension("def_rule", "which new pacts are events", "data", f"{NOTES} §8 (114 vs 130 event rows)"),
    Dimension("def_obligation", "who holds the defense obligation", "data", "ATOP alliance vs member codes"),
    Dimension("military_types", "military-regime coding", "data", f"{NOTES} §2.8, §7 U6"),
    Dimension("military_missing", "GWF warlord / not-independent years", "data", f"{NOTES} §8"),
    Dimension("reg_diff_interregnum", "regime difference in interregna", "data", f"{NOTES} §8"),
    Dimension("coup_window", "recent-coup window", "data", f"{NOTES} §1.3, §7 U4",
              ((-4, 0), (-5, -1))),
    Dimension("new_regime_window", "new-regime window", "data", f"{NOTES} §1.3, §7 U4",
              ((-4, 0), (-5, -1))),
    # --- sample -------------------------------------------------------------------------------
    Dimension("polity_filter_year", "year of A's regime filter", "sample", f"{NOTES} §1.2, §7 U5"),
    Dimension("polity_max", "A's polity2 ceiling", "sample", f"{PAPER} (≤ 6; Table 9: ≤ 5)", (6, 5)),
    # --- estimation ---------------------------------------------------------------------------
    Dimension("cluster", "clustering unit", "estimation", f"{NOTES} §3.1, §7 U3"),
    Dimension("estimator", "estimator", "estimation", f"{PAPER} Table 5 (rare-events logit)"),
    Dimension("controls", "control set", "estimation", f"{PAPER} Table 1 (Models 2, 4)"),
)

BY_NAME = {d.name: d for d in SPACE}


def label_of(name: str) -> str:
    """The words for a choice in tables and prose (its flat name if it is not in the space)."""
    return BY_NAME[name].label if name in BY_NAME else name


def option_text(value) -> str:
    """An option as the records store it and the tables print it: pairs as "a..b", else ``str``."""
    if isinstance(value, tuple):
        return f"{value[0]}..{value[1]}"
    return str(value)


def check_space(space: Sequence[Dimension] = SPACE) -> None:
    """Every dimension names a real parameter, once, with the default among its options."""
    names = [d.name for d in space]
    Choices.check_names(names)
    if len(set(names)) != len(names):
        raise ChoiceError(f"a choice is declared twice in the space: {names}")
    for d in space:
        d.values()


def size(space: Sequence[Dimension] = SPACE) -> int:
    """Number of specifications in the full factorial space."""
    return math.prod(len(d.values()) for d in space)


def table(space: Sequence[Dimension] = SPACE) -> pd.DataFrame:
    """The space as a table: choice, label, stage, default, alternatives, source."""
    return pd.DataFrame([{
        "choice": d.name, "what": d.label, "stage": d.group, "default": repr(d.default),
        "alternatives": ", ".join(repr(v) for v in d.values()[1:]), "options": len(d.values()),
        "source": d.source} for d in space])


def _choices(combo: dict) -> Choices:
    return Choices.from_overrides(combo)


def full(space: Sequence[Dimension] = SPACE) -> Iterator[Choices]:
    """Every specification of the full factorial space (a generator: it can be huge)."""
    check_space(space)
    names = [d.name for d in space]
    for values in itertools.product(*(d.values() for d in space)):
        yield _choices(dict(zip(names, values)))


def sample(n: int, seed: int = 2023, space: Sequence[Dimension] = SPACE,
           include_default: bool = True) -> list[Choices]:
    """``n`` distinct specifications drawn uniformly from the full space with ``seed``.

    The same ``n`` and ``seed`` always give the same list (and a larger ``n`` with the same
    seed extends it).  With ``include_default`` the book's default comes first.
    """
    check_space(space)
    total = size(space)
    if n > total:
        raise ValueError(f"asked for {n} specifications; the space has only {total:,}")
    rng = np.random.default_rng(seed)
    options = [d.values() for d in space]
    seen: set[str] = set()
    out: list[Choices] = []
    if include_default:
        out.append(Choices())
        seen.add(Choices().key())
    while len(out) < n:
        combo = {d.name: opts[rng.integers(len(opts))] for d, opts in zip(space, options)}
        c = _choices(combo)
        if c.key() not in seen:
            seen.add(c.key())
            out.append(c)
    return out


def neighbours(space: Sequence[Dimension] = SPACE) -> list[Choices]:
    """The default and every specification that changes exactly one choice of it."""
    check_space(space)
    out = [Choices()]
    for d in space:
        out += [Choices.from_overrides({d.name: v}) for v in d.values()[1:]]
    return out


def describe(choices: Choices, space: Sequence[Dimension] = SPACE) -> dict:
    """The value of every dimension in ``choices`` (for the indicator panel)."""
    return {d.name: choices.value(d.name) for d in space}
