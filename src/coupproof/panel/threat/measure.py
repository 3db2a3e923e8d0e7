"""The threat sum: Σ CINC of the potential adversaries in a state's environment.

A potential adversary of state i in year t is a state j in i's politically relevant
environment (:mod:`~coupproof.panel.threat.relevance`) that is not allied with i
(:func:`~coupproof.panel.threat.portfolios.alliance_ties`) and whose alliance portfolio is
less similar to i's than the average politically relevant dyad: S(i, j, t) below the single
cut-off S̄, the mean S over all politically relevant dyad-years of a period
(:func:`mean_s`).  The threat to i is the sum of those adversaries' CINC scores.

:func:`threat_components` assembles everything from the raw files for one
:class:`~coupproof.params.DataChoices` (it reads the threat settings, the NMC version and the
alliance source, nothing else), keeping the expensive parts (S scores, environments, allied
pairs, the threat frame) in the piece cache, each keyed by the choices it depends on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from coupproof import sources
from coupproof.cache import CACHE, PieceCache
from coupproof.panel.threat.portfolios import CODINGS, alliance_ties, valued_portfolios
from coupproof.panel.threat.relevance import politically_relevant
from coupproof.panel.threat.similarity import s_scores
from coupproof.panel.threat.years import (THREAT_YEARS, SystemIndex, YearArrays, state_values,
                                          system_index)
from coupproof.params import DataChoices

#: Modules whose code the threat pieces run (part of every threat piece's cache key).
MODULES = ("coupproof.panel.threat", "coupproof.panel.alliances")


def mean_s(s: YearArrays, prie: YearArrays, period: tuple[int, int] = THREAT_YEARS) -> float:
    """S̄: the mean S over all politically relevant dyad-years of ``period`` (inclusive).

    A dyad is politically relevant when either state is in the other's PRIE (for the default
    rule: contiguous, or either state a major power); each unordered pair counts once a year.
    """
    lo, hi = period
    total, count = 0.0, 0
    for year in range(max(lo, s.index.first), min(hi, s.index.last) + 1):
        rel = prie[year] | prie[year].T
        upper = np.triu(rel, 1)
        total += s[year][upper].sum()
        count += int(upper.sum())
    if count == 0:
        raise ValueError(f"no politically relevant dyad-years in {period}")
    return total / count


def relevant_dyads(s: YearArrays, prie: YearArrays,
                   period: tuple[int, int] = THREAT_YEARS) -> pd.DataFrame:
    """S of every politically relevant dyad-year in ``period``: the values :func:`mean_s` averages.

    Returns ``ccode1`` < ``ccode2``, ``year``, ``s``; one row per unordered pair and year.
    """
    lo, hi = period
    parts = []
    for year in range(max(lo, s.index.first), min(hi, s.index.last) + 1):
        i, j = np.nonzero(np.triu(prie[year] | prie[year].T, 1))
        codes = s.index.codes(year)
        parts.append(pd.DataFrame({"ccode1": codes[i], "ccode2": codes[j],
                                   "year": np.full(len(i), year, dtype=np.int64),
                                   "s": s[year][i, j]}))
    if not parts:
        return pd.DataFrame({"ccode1": [], "ccode2": [], "year": [], "s": []})
    return pd.concat(parts, ignore_index=True)


def external_threat(s: YearArrays, prie: YearArrays, allied: YearArrays, cinc: YearArrays,
                    s_bar: float | None = None,
                    s_mean_period: tuple[int, int] = THREAT_YEARS) -> pd.DataFrame:
    """Threat to each system state-year: Σ CINC_j over its potential adversaries j.

    j is a potential adversary of i in t when j ∈ PRIE(i, t), i and j are not allied in t, and
    S(i, j, t) < ``s_bar`` (default: :func:`mean_s` over ``s_mean_period``).  A missing CINC
    counts as 0.  Returns ``ccode``, ``year``, ``threat`` (0 when there is no adversary),
    ``n_adversaries``, ``n_prie``; ``attrs`` hold ``mean_s`` and ``s_mean_period``.
    """
    if s_bar is None:
        s_bar = mean_s(s, prie, s_mean_period)
    threat, n_adv, n_prie = [], [], []
    for k in range(len(s.arrays)):
        adv = prie.arrays[k] & ~allied.arrays[k] & (s.arrays[k] < s_bar)
        threat.append(adv @ np.nan_to_num(cinc.arrays[k], nan=0.0))
        n_adv.append(adv.sum(axis=1))
        n_prie.append(prie.arrays[k].sum(axis=1))
    out = s.index.state_years()
    out["threat"] = np.concatenate(threat) if threat else np.array([])
    out["n_adversaries"] = np.concatenate(n_adv).astype(np.int64)
    out["n_prie"] = np.concatenate(n_prie).astype(np.int64)
    out = out.sort_values(["ccode", "year"]).reset_index(drop=True)
    out.attrs.update(mean_s=float(s_bar), s_mean_period=tuple(s_mean_period))
    return out


# --------------------------------------------------------------------------------------------
# Parameters and the one-call builder
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Components from the raw files, cached by what each reads
# --------------------------------------------------------------------------------------------

_SYSTEM: dict[tuple[int, int], SystemIndex] = {}


def threat_system(first: int = THREAT_YEARS[0], last: int = THREAT_YEARS[1]) -> SystemIndex:
    """The COW system members 1816–2010 as a :class:`SystemIndex` (built once per process)."""
    if (first, last) not in _SYSTEM:
        _SYSTEM[(first, last)] = system_index(sources.system_years(first, last), first, last)
    return _SYSTEM[(first, last)]


def mean_s_period(data: DataChoices) -> tuple[int, int]:
    """The years over which S̄ is averaged: ``s_mean_from`` … 2010."""
    return (data.threat.s_mean_from, THREAT_YEARS[1])


def _alliance_files(data: DataChoices) -> tuple[str, ...]:
    from coupproof.panel.alliances import obligation_sources
    return obligation_sources(data.alliance_source)


def _nmc_file(data: DataChoices) -> str:
    return sources.file_id("nmc", data.nmc_version)


def cinc_scores(data: DataChoices, system: SystemIndex | None = None) -> YearArrays:
    """CINC of every system member, year by year (NMC ``data.nmc_version``; NaN if absent)."""
    system = system or threat_system()
    return state_values(sources.read("nmc", data.nmc_version), "cinc", system)


def similarity(data: DataChoices, cache: PieceCache = CACHE) -> YearArrays:
    """S for every pair and year under ``data``'s coding, weighting and distance (cached)."""
    from coupproof.panel.alliances import obligation_dyads

    t, system = data.threat, threat_system()
    coding = CODINGS[t.s_coding]
    reads = {"alliance_source": data.alliance_source, "s_coding": t.s_coding,
             "s_weighted": t.s_weighted, "s_distance": t.s_distance,
             "nmc_version": data.nmc_version if t.s_weighted else None}
    files = ["cow_states", *_alliance_files(data)] + ([_nmc_file(data)] if t.s_weighted else [])

    def build():
        portfolios = valued_portfolios(obligation_dyads(data.alliance_source, cache), system, coding)
        weights = cinc_scores(data, system) if t.s_weighted else None
        return s_scores(portfolios, delta=coding.delta, weighted=t.s_weighted, weights=weights,
                        distance=t.s_distance).to_arrays()

    stored = cache.get("s_scores", reads, build, modules=MODULES, sources=files, kind="arrays")
    return YearArrays.from_arrays(system, stored, "s")


def environment(data: DataChoices, cache: PieceCache = CACHE) -> YearArrays:
    """PRIE membership under ``data``'s contiguity and major-power rules (cached)."""
    t, system = data.threat, threat_system()
    reads = {"max_conttype": t.max_conttype, "colonial": t.colonial,
             "major_power_global": t.major_power_global}

    def build():
        return politically_relevant(
            system, sources.read("contdir"), sources.read("contcol"), sources.read("cow_majors"),
            max_conttype=t.max_conttype, colonial=t.colonial,
            major_power_global=t.major_power_global).to_arrays()

    stored = cache.get("prie", reads, build, modules=MODULES,
                       sources=("cow_states", "contdir", "contcol", "cow_majors"), kind="arrays")
    return YearArrays.from_arrays(system, stored, "prie")


def allied_pairs(data: DataChoices, cache: PieceCache = CACHE) -> YearArrays:
    """Allied pairs (any defense, offense, neutrality or consultation tie; cached)."""
    from coupproof.panel.alliances import obligation_dyads

    system = threat_system()
    stored = cache.get(
        "allied", {"alliance_source": data.alliance_source},
        lambda: alliance_ties(obligation_dyads(data.alliance_source, cache), system).to_arrays(),
        modules=MODULES, sources=("cow_states", *_alliance_files(data)), kind="arrays")
    return YearArrays.from_arrays(system, stored, "allied")


@dataclass(frozen=True, eq=False)
class ThreatComponents:
    """Everything the threat measure is made of, for one :class:`~coupproof.params.DataChoices`.

    ``s``, ``prie`` and ``allied`` are per-year K×K arrays and ``cinc`` per-year K vectors over
    the system members of :attr:`system` (1816–2010); ``mean_s`` is S̄.
    """

    data: DataChoices
    system: SystemIndex
    s: YearArrays
    prie: YearArrays
    allied: YearArrays
    cinc: YearArrays
    mean_s: float

    @cached_property
    def portfolios(self) -> YearArrays:
        """The valued portfolios behind :attr:`s` (computed on first use)."""
        from coupproof.panel.alliances import obligation_dyads
        return valued_portfolios(obligation_dyads(self.data.alliance_source), self.system,
                                 CODINGS[self.data.threat.s_coding])

    def threat(self) -> pd.DataFrame:
        """The threat frame (see :func:`external_threat`) with the choices in ``attrs``."""
        out = external_threat(self.s, self.prie, self.allied, self.cinc, s_bar=self.mean_s,
                              s_mean_period=mean_s_period(self.data))
        out.attrs["threat_choices"] = self.data.threat.to_dict()
        return out

    def relevant_s(self, period: tuple[int, int] | None = None) -> pd.DataFrame:
        """S of the politically relevant dyad-years (default: the S̄ period)."""
        return relevant_dyads(self.s, self.prie, period or mean_s_period(self.data))

    def environment(self, ccode: int, year: int) -> pd.DataFrame:
        """State ``ccode``'s PRIE in ``year``: one row per member j with ``s``, ``allied``,
        ``cinc`` and ``adversary`` (not allied and S below S̄), sorted by ccode."""
        i = int(self.system.locate(ccode, year))
        if i < 0:
            raise KeyError(f"state {ccode} is not a system member in {year}")
        j = np.flatnonzero(self.prie[year][i])
        s = self.s[year][i, j]
        allied = self.allied[year][i, j]
        return pd.DataFrame({
            "ccode": self.system.codes(year)[j], "s": s, "allied": allied,
            "cinc": self.cinc[year][j], "adversary": ~allied & (s < self.mean_s)})


def threat_components(data: DataChoices | None = None, cache: PieceCache = CACHE) -> ThreatComponents:
    """Every component of the threat measure under ``data`` (threat settings, NMC version,
    alliance source), from the piece cache or built from the raw files."""
    data = data or DataChoices()
    s, prie = similarity(data, cache), environment(data, cache)
    return ThreatComponents(data, threat_system(), s, prie, allied_pairs(data, cache),
                            cinc_scores(data), mean_s(s, prie, mean_s_period(data)))


def threat_reads(data: DataChoices) -> dict:
    """The choices the threat measure reads (the key of its cache entry)."""
    return {**data.threat.to_dict(), "nmc_version": data.nmc_version,
            "alliance_source": data.alliance_source}


def build_threat(data: DataChoices | None = None, cache: PieceCache = CACHE) -> pd.DataFrame:
    """External threat for every COW system state-year 1816–2010 under ``data``.

    Returns ``ccode``, ``year``, ``threat``, ``n_adversaries``, ``n_prie`` (sorted by ccode,
    year); ``attrs`` hold ``mean_s`` (S̄) and ``s_mean_period``.  Cached by
    :func:`threat_reads`.
    """
    data = data or DataChoices()
    files = ("cow_states", "contdir", "contcol", "cow_majors", _nmc_file(data),
             *_alliance_files(data))
    return cache.get("threat", threat_reads(data), lambda: threat_components(data, cache).threat(),
                     modules=MODULES, sources=files)
