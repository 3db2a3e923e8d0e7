"""Every choice the paper leaves open, as one validated, hashable parameter set.

A :class:`PanelParams` names the data versions, windows, codings and sample filters used
to build the dyad-year panel.  Unknown values fail fast with the list of allowed ones.
Its :meth:`~PanelParams.key` names the cached parquet file, so each parameter set is built
once.  Defaults are the choices the data-assembly chapter defends with evidence.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from coupproof.panel._parameters import ParameterSet

ALLOWED = {
    "polity_version": ("IV", "5"),
    "nmc_version": ("6.0", "5.0"),
    "coups_version": ("2022", "2015"),
    "mid_version": ("cow4.3", "gml2.2.1"),
    "alliance_dyads": ("ddyr", "members"),
    "def_rule": ("concessions_coded", "all"),
    "def_obligation": ("alliance", "both"),
    "military_types": (("military",), ("military", "indirect military")),
    "military_missing": ("not_autocratic_is_0", "warlord_not_independent_na"),
    "reg_diff_interregnum": ("B_missing", "polity2", "both_missing"),
    "polity_filter_year": ("t", "t-1"),
    "new_cw_timing": ("t", "t-1"),
    "delta_timing": ("t", "t-1"),
    "concession_items": ("ten", "member6", "notes10", "ten_no_interv"),
}


def _check_window(name: str, w) -> None:
    if not (isinstance(w, tuple) and len(w) == 2 and all(isinstance(v, int) for v in w)
            and w[0] <= w[1] <= 0):
        raise ValueError(
            f"{name} must be a tuple (first, last) of year offsets with first <= last <= 0, "
            f"e.g. (-4, 0) for t-4 … t; got {w!r}")


@dataclass(frozen=True)
class PanelParams(ParameterSet):
    """Parameters of the directed dyad-year panel (see the data-assembly chapter).

    Data versions: ``polity_version`` ("IV" = p4v2018 | "5"), ``nmc_version`` ("6.0" | "5.0"),
    ``coups_version`` ("2022" | "2015"), ``mid_version`` ("cow4.3" | "gml2.2.1").

    Codings: ``alliance_dyads`` — source of shared-pact and allied dyad-years ("ddyr" =
    ATOP's own dyad-year file | "members" = derived here from the member file);
    ``def_rule``/``def_obligation`` — which new bilateral defense pacts count as events;
    ``military_types`` — GWF regime types counted as military; ``military_missing`` — whether
    GWF's warlord / not-independent years are 0 or missing; ``reg_diff_interregnum`` —
    whether a Polity interregnum (−77, which polity2 turns into 0) in t−1 enters regime
    difference as 0 ("polity2") or as missing, for B only ("B_missing", the rule that
    reproduces the paper's count of non-missing regime differences) or for either state
    ("both_missing"); ``new_cw_timing`` and ``delta_timing`` — whether the
    new-counterweight indicator and the milex/milper changes are measured at t or t−1.

    Windows (year offsets relative to t, inclusive): ``coup_window``, ``new_regime_window``,
    ``mid_window``.

    Sample: ``polity_max`` (A's polity2 ceiling; None = no filter), ``polity_filter_year``
    ("t" | "t-1"), ``years`` (first and last DV year).
    """

    polity_version: str = "IV"
    nmc_version: str = "6.0"
    coups_version: str = "2022"
    mid_version: str = "cow4.3"
    alliance_dyads: str = "ddyr"
    def_rule: str = "concessions_coded"
    def_obligation: str = "alliance"
    military_types: tuple = ("military",)
    military_missing: str = "warlord_not_independent_na"
    reg_diff_interregnum: str = "B_missing"
    new_cw_timing: str = "t"
    delta_timing: str = "t"
    concession_items: str = "ten"
    coup_window: tuple = (-4, 0)
    new_regime_window: tuple = (-4, 0)
    mid_window: tuple = (-5, -1)
    polity_max: int | None = 6
    polity_filter_year: str = "t"
    years: tuple = (1961, 2010)
    threat: dict = field(default_factory=dict)

    def __post_init__(self):
        for name, allowed in ALLOWED.items():
            value = getattr(self, name)
            if isinstance(value, list):
                object.__setattr__(self, name, tuple(value))
                value = tuple(value)
            if value not in allowed:
                raise ValueError(
                    f"unknown value {value!r} for {name}; allowed: "
                    + ", ".join(repr(a) for a in allowed))
        for name in ("coup_window", "new_regime_window", "mid_window"):
            w = getattr(self, name)
            if isinstance(w, list):
                w = tuple(w)
                object.__setattr__(self, name, w)
            _check_window(name, w)
        if self.polity_max is not None and not (isinstance(self.polity_max, int)
                                                and -10 <= self.polity_max <= 10):
            raise ValueError(f"polity_max must be an integer in -10..10 or None; got {self.polity_max!r}")
        y = tuple(self.years)
        object.__setattr__(self, "years", y)
        if not (len(y) == 2 and 1961 <= y[0] <= y[1] <= 2010):
            raise ValueError(f"years must be (first, last) within 1961..2010; got {self.years!r}")
        object.__setattr__(self, "threat", dict(self.threat))


#: Flat parameter names that belong to the threat measure (see coupproof.panel.threat).
THREAT_KEYS = ("max_conttype", "colonial", "major_power_global", "s_scale", "s_weighted",
               "s_distance", "s_mean_period")


def panel_params(**flat) -> PanelParams:
    """Build :class:`PanelParams` from the flat names used in notebooks' parameters cells.

    Threat settings (``max_conttype``, ``colonial``, ``major_power_global``, ``s_scale``,
    ``s_weighted``, ``s_distance``, ``s_mean_start``) go into ``threat``; only values that
    differ from the threat defaults are kept, so equal settings share one cache file.
    Unknown names raise with the list of allowed ones.
    """
    from coupproof.panel.threat import ThreatParams

    flat = dict(flat)
    if "s_mean_start" in flat:
        start = flat.pop("s_mean_start")
        default_end = ThreatParams().s_mean_period[1]
        flat["s_mean_period"] = (int(start), default_end)
    if "years" in flat:
        flat["years"] = tuple(flat["years"])
    fields = {f.name for f in dataclasses.fields(PanelParams)} - {"threat"}
    unknown = set(flat) - fields - set(THREAT_KEYS)
    if unknown:
        raise ValueError(f"unknown panel parameter(s) {sorted(unknown)}; allowed: "
                         + ", ".join(sorted(fields | set(THREAT_KEYS) | {"s_mean_start"})))
    defaults = dataclasses.asdict(ThreatParams())
    threat = {k: (tuple(v) if isinstance(v, list) else v) for k, v in flat.items() if k in THREAT_KEYS}
    threat = {k: v for k, v in threat.items() if defaults.get(k) != v}
    ThreatParams(**threat)  # validate now, with the threat module's own messages
    return PanelParams(**{k: v for k, v in flat.items() if k in fields}, threat=threat)


#: Flat names a notebook's parameters cell may set (see :func:`panel_params`).
NOTEBOOK_PARAMETERS = (
    "polity_max", "polity_filter_year", "def_rule", "def_obligation", "reg_diff_interregnum",
    "military_missing", "alliance_dyads", "polity_version", "nmc_version", "coups_version",
    "mid_version", "new_cw_timing", "delta_timing", "max_conttype", "colonial",
    "major_power_global", "s_weighted", "s_distance", "s_mean_start", "concession_items",
)


def params_from_namespace(namespace: dict) -> PanelParams:
    """:func:`panel_params` from the variables of a notebook's parameters cell
    (pass ``globals()``); names not in :data:`NOTEBOOK_PARAMETERS` are ignored."""
    return panel_params(**{k: namespace[k] for k in NOTEBOOK_PARAMETERS if k in namespace})
