"""External threat to a state: the capabilities of potential adversaries in its neighbourhood.

The paper (§3.2) follows Leeds & Savun (2007) and Mattes (2012): the threat to state i in
year t is the sum of the CINC scores of every *potential adversary* in i's politically
relevant international environment (PRIE, Maoz 1996).  A potential adversary is a state j in
the PRIE that is not allied with i and whose alliance portfolio is less similar to i's than
the average politically relevant dyad (Signorino & Ritter's S below its 1816–2010 mean).

The measure is built from small steps, each a function that can be tested on a toy system:

==================================  ===================================================
:func:`system_index`                who is in the state system in each year
:func:`valued_portfolios`           each state's valued alliance ties to every member
:func:`s_scores`                    Signorino–Ritter S for every pair, every year
:func:`alliance_ties`               allied or not (non-aggression pacts do not count)
:func:`politically_relevant`        PRIE(i, t): contiguous states and major powers
:func:`mean_s`                      the single cut-off S̄ over politically relevant dyads
:func:`external_threat`             Σ CINC of PRIE members that are non-allies with S < S̄
:func:`threat_components`           all of the above from the raw sources, for one
                                    :class:`ThreatParams`; :func:`build_threat` returns
                                    the state-year threat frame
==================================  ===================================================

Per-year quantities are stored as one dense array per year over that year's system members
(:class:`YearArrays`): at most 194 members, so a year's K×K matrix has < 40,000 cells and the
S matrices of all 195 years hold 1.7 million cells (14 MB).  Every step is vectorised within a
year; the only Python loop runs over years.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from coupproof.panel._parameters import ParameterSet
from coupproof.sources.atop import OBLIGATIONS
from coupproof.spells import spell_years

#: Years the threat measure covers (the paper's S̄ period; DV years 1961–2010 use t−1).
THREAT_YEARS = (1816, 2010)
#: Obligations that make two states allies for the threat measure (paper fn 20).
ALLY_OBLIGATIONS = ("defense", "offense", "neutral", "consul")
#: Largest COW country code (990 = Samoa); codes above it (ATOP's non-state members) are ignored.
MAX_CCODE = 999
DISTANCES = ("absolute", "squared")


# --------------------------------------------------------------------------------------------
# Valued alliance scales
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AllianceScale:
    """How a directed dyad-year's ATOP obligations become one value of a portfolio.

    ``levels`` lists ``(value, obligations)`` pairs; a dyad-year gets the largest value whose
    obligation list contains any obligation it has, and 0 when it has none.  The scale's range
    Δ (:attr:`delta`) is the largest value minus 0; a state's tie to itself is the largest value.
    """

    name: str
    levels: tuple[tuple[int, tuple[str, ...]], ...]
    description: str

    @property
    def top(self) -> int:
        return max(v for v, _ in self.levels)

    @property
    def delta(self) -> int:
        return self.top

    def values(self, dyads: pd.DataFrame) -> np.ndarray:
        """The scale value of every row of an obligations frame (int8)."""
        out = np.zeros(len(dyads), dtype=np.int8)
        for value, obligations in self.levels:
            has = np.zeros(len(dyads), dtype=bool)
            for o in obligations:
                has |= dyads[o].fillna(0).to_numpy(dtype=np.int64) > 0
            out = np.where(has, np.maximum(out, value), out).astype(np.int8)
        return out


SCALES: dict[str, AllianceScale] = {
    "atop_3210": AllianceScale(
        "atop_3210",
        ((3, ("defense", "offense")), (2, ("neutral", "nonagg")), (1, ("consul",))),
        "3 = defense or offense pact, 2 = neutrality or non-aggression pact, "
        "1 = consultation pact only, 0 = no alliance"),
    "atop_defense": AllianceScale(
        "atop_defense", ((1, ("defense",)),),
        "1 = defense pact, 0 = anything else"),
}


def _scale(scale: str | AllianceScale) -> AllianceScale:
    if isinstance(scale, AllianceScale):
        return scale
    if scale not in SCALES:
        raise ValueError(f"unknown alliance scale {scale!r}; allowed: {', '.join(SCALES)}")
    return SCALES[scale]


# --------------------------------------------------------------------------------------------
# Year-by-year containers
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class SystemIndex:
    """The members of the state system, year by year, and where each sits in its year's arrays.

    ``members[y]`` is the sorted array of COW codes in year ``first + y``; ``slot[y, c]`` is the
    position of code ``c`` in it, or −1 when ``c`` is not a member that year.
    """

    first: int
    last: int
    members: tuple[np.ndarray, ...]
    slot: np.ndarray

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.first, self.last + 1)

    def codes(self, year: int) -> np.ndarray:
        return self.members[year - self.first]

    def locate(self, ccode, year) -> np.ndarray:
        """Position of each (ccode, year) in its year's arrays; −1 when not a system member."""
        ccode, year = np.broadcast_arrays(np.asarray(ccode, np.int64), np.asarray(year, np.int64))
        ok = (year >= self.first) & (year <= self.last) & (ccode >= 0) & (ccode <= MAX_CCODE)
        out = np.full(ccode.shape, -1, dtype=np.int64)
        out[ok] = self.slot[year[ok] - self.first, ccode[ok]]
        return out

    def state_years(self) -> pd.DataFrame:
        """One row per system state-year: ``ccode``, ``year`` (int64), sorted by year then code."""
        n = np.array([len(m) for m in self.members])
        return pd.DataFrame({"ccode": np.concatenate(self.members).astype(np.int64),
                             "year": np.repeat(self.years, n)})


def system_index(system_years: pd.DataFrame, first: int | None = None,
                 last: int | None = None) -> SystemIndex:
    """Index the state-years of ``system_years`` (columns ``ccode``, ``year``).

    ``first``/``last`` default to the frame's own range; years without members get empty arrays.
    """
    sy = system_years[["ccode", "year"]].astype("int64").drop_duplicates()
    first = int(sy["year"].min()) if first is None else first
    last = int(sy["year"].max()) if last is None else last
    sy = sy[(sy["year"] >= first) & (sy["year"] <= last)].sort_values(["year", "ccode"])
    if (sy["ccode"] < 0).any() or (sy["ccode"] > MAX_CCODE).any():
        raise ValueError(f"system codes must lie in 0..{MAX_CCODE}")
    y = sy["year"].to_numpy() - first
    c = sy["ccode"].to_numpy()
    bounds = np.searchsorted(y, np.arange(last - first + 2))
    members = tuple(c[bounds[k]:bounds[k + 1]] for k in range(last - first + 1))
    slot = np.full((last - first + 1, MAX_CCODE + 1), -1, dtype=np.int16)
    slot[y, c] = np.arange(len(c)) - bounds[y]
    return SystemIndex(first, last, members, slot)


@dataclass(frozen=True, eq=False)
class YearArrays(Mapping):
    """One array per year over that year's system members: (K,) per state or (K, K) per pair.

    Behaves as a read-only mapping ``year -> array``.  :meth:`pair_values` and
    :meth:`state_values` look values up by COW code; :meth:`to_long` flattens to a tidy frame.
    """

    index: SystemIndex
    arrays: tuple[np.ndarray, ...]
    name: str

    # identity, not Mapping's item-by-item comparison (arrays have no single truth value)
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __getitem__(self, year: int) -> np.ndarray:
        if not self.index.first <= year <= self.index.last:
            raise KeyError(year)
        return self.arrays[year - self.index.first]

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.index.first, self.index.last + 1))

    def __len__(self) -> int:
        return len(self.arrays)

    def state_values(self, ccode, year) -> np.ndarray:
        """Values of a per-state quantity for arrays of codes and years (NaN when absent)."""
        ccode, year = np.broadcast_arrays(np.asarray(ccode, np.int64), np.asarray(year, np.int64))
        pos = self.index.locate(ccode, year)
        out = np.full(ccode.shape, np.nan)
        for y in np.unique(year[pos >= 0]):
            at = (year == y) & (pos >= 0)
            out[at] = self[int(y)][pos[at]]
        return out

    def pair_values(self, ccode1, ccode2, year) -> np.ndarray:
        """Values of a per-pair quantity for arrays of (ccode1, ccode2, year) (NaN when absent)."""
        ccode1, ccode2, year = np.broadcast_arrays(
            np.asarray(ccode1, np.int64), np.asarray(ccode2, np.int64), np.asarray(year, np.int64))
        p1, p2 = self.index.locate(ccode1, year), self.index.locate(ccode2, year)
        ok = (p1 >= 0) & (p2 >= 0)
        out = np.full(ccode1.shape, np.nan)
        for y in np.unique(year[ok]):
            at = (year == y) & ok
            out[at] = self[int(y)][p1[at], p2[at]]
        return out

    def to_long(self, years: tuple[int, int] | None = None, upper: bool = True) -> pd.DataFrame:
        """Tidy frame of a per-pair quantity: ``ccode1``, ``ccode2``, ``year``, ``<name>``.

        ``upper=True`` keeps each unordered pair once (ccode1 < ccode2); otherwise every ordered
        pair with ccode1 ≠ ccode2.
        """
        lo, hi = years or (self.index.first, self.index.last)
        parts = []
        for year in range(max(lo, self.index.first), min(hi, self.index.last) + 1):
            codes, m = self.index.codes(year), self[year]
            if upper:
                i, j = np.triu_indices(len(codes), 1)
            else:
                i, j = np.nonzero(~np.eye(len(codes), dtype=bool))
            parts.append(pd.DataFrame({"ccode1": codes[i], "ccode2": codes[j],
                                       "year": np.full(len(i), year, dtype=np.int64),
                                       self.name: m[i, j]}))
        if not parts:
            return pd.DataFrame({"ccode1": [], "ccode2": [], "year": [], self.name: []})
        return pd.concat(parts, ignore_index=True)


def state_values(frame: pd.DataFrame, column: str, system: SystemIndex) -> YearArrays:
    """A state-year column (e.g. NMC ``cinc``) as one (K,) float array per year; NaN if absent.

    ``frame`` has ``ccode``, ``year`` and ``column``; rows outside the system are ignored.
    """
    f = frame[["ccode", "year", column]].dropna(subset=["ccode", "year"])
    pos = system.locate(_as_int(f["ccode"]), _as_int(f["year"]))
    ok = pos >= 0
    yrs = _as_int(f["year"])[ok] - system.first
    vals = f[column].to_numpy(dtype=float, na_value=np.nan)[ok]
    offsets = np.concatenate([[0], np.cumsum([len(m) for m in system.members])])
    flat = np.full(offsets[-1], np.nan)
    flat[offsets[yrs] + pos[ok]] = vals
    out = [flat[offsets[k]:offsets[k + 1]] for k in range(len(system.members))]
    return YearArrays(system, tuple(out), column)


def _per_year_pairs(index: SystemIndex, a, b, year,
                    ) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
    """For (a, b, year) arrays: yield (year, slots of a, slots of b, row numbers), year by year.

    Rows where either state is not a system member that year, or a = b, are dropped.
    """
    a, b, year = (np.asarray(x, dtype=np.int64) for x in (a, b, year))
    pa, pb = index.locate(a, year), index.locate(b, year)
    keep = np.flatnonzero((pa >= 0) & (pb >= 0) & (a != b))
    order = keep[np.argsort(year[keep], kind="stable")]
    ys = year[order]
    bounds = np.searchsorted(ys, index.years, side="left")
    ends = np.searchsorted(ys, index.years, side="right")
    for k, yr in enumerate(index.years):
        rows = order[bounds[k]:ends[k]]
        yield int(yr), pa[rows], pb[rows], rows


def _expand_spells(a, b, begin, end, first: int, last: int):
    """Repeat each spell (a, b, begin, end) once per covered year inside [first, last]."""
    a, b, begin, end = (np.asarray(x, dtype=np.int64) for x in (a, b, begin, end))
    rep, year = spell_years(np.maximum(begin, first), np.minimum(end, last))
    return a[rep], b[rep], year


def _as_int(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype=np.int64)


# --------------------------------------------------------------------------------------------
# Alliances: valued portfolios and allied pairs
# --------------------------------------------------------------------------------------------

def _clean_dyads(alliance_dyads: pd.DataFrame) -> pd.DataFrame:
    need = ["ccode1", "ccode2", "year", *OBLIGATIONS]
    missing = [c for c in need if c not in alliance_dyads.columns]
    if missing:
        raise ValueError(f"alliance dyad-years lack columns {missing}")
    return alliance_dyads[need].dropna(subset=["ccode1", "ccode2", "year"])


def valued_portfolios(alliance_dyads: pd.DataFrame, system: SystemIndex | pd.DataFrame,
                      scale: str | AllianceScale = "atop_3210") -> YearArrays:
    """Each year's symmetric K×K matrix of valued alliance ties among all system members.

    ``alliance_dyads`` has the ATOP dyad-year schema (``ccode1``, ``ccode2``, ``year`` and the
    0/1 obligations ``defense``, ``offense``, ``neutral``, ``nonagg``, ``consul``; directed:
    ccode1's obligation toward ccode2).  Each directed row becomes a value on ``scale`` (see
    :data:`SCALES`; default ``"atop_3210"``: 3 = defense or offense, 2 = neutrality or
    non-aggression, 1 = consultation only, 0 = none); the tie of i and j is the larger of the
    two directions; the diagonal (a state's tie to itself) is the scale's top value.  Dyads
    with a state outside the system that year are ignored.  Row i is state i's portfolio.
    """
    sc = _scale(scale)
    index = system if isinstance(system, SystemIndex) else system_index(system)
    d = _clean_dyads(alliance_dyads)
    value = sc.values(d)
    mats = []
    for year, p1, p2, rows in _per_year_pairs(index, _as_int(d["ccode1"]), _as_int(d["ccode2"]),
                                              _as_int(d["year"])):
        k = len(index.codes(year))
        m = np.zeros((k, k), dtype=np.int8)
        np.maximum.at(m, (p1, p2), value[rows])
        m = np.maximum(m, m.T)
        np.fill_diagonal(m, sc.top)
        mats.append(m)
    return YearArrays(index, tuple(mats), "portfolio")


def alliance_ties(alliance_dyads: pd.DataFrame, system: SystemIndex | pd.DataFrame,
                  obligations: tuple[str, ...] = ALLY_OBLIGATIONS) -> YearArrays:
    """Each year's symmetric K×K boolean matrix: are i and j allied?

    Allied = at least one of ``obligations`` (default: defense, offense, neutrality or
    consultation — not non-aggression, paper fn 20) in either direction.  Diagonal False.
    """
    bad = [o for o in obligations if o not in OBLIGATIONS]
    if bad:
        raise ValueError(f"unknown obligations {bad}; allowed: {', '.join(OBLIGATIONS)}")
    index = system if isinstance(system, SystemIndex) else system_index(system)
    d = _clean_dyads(alliance_dyads)
    has = (d[list(obligations)].fillna(0).to_numpy(dtype=np.int64) > 0).any(axis=1)
    d = d[has]
    mats = []
    for year, p1, p2, _ in _per_year_pairs(index, _as_int(d["ccode1"]), _as_int(d["ccode2"]),
                                           _as_int(d["year"])):
        k = len(index.codes(year))
        m = np.zeros((k, k), dtype=bool)
        m[p1, p2] = True
        mats.append(m | m.T)
    return YearArrays(index, tuple(mats), "allied")


# --------------------------------------------------------------------------------------------
# Signorino–Ritter S
# --------------------------------------------------------------------------------------------

def _pair_distance(x: np.ndarray, w: np.ndarray, distance: str) -> np.ndarray:
    """Σ_k w_k·d(x_ik, x_jk) for all pairs of rows of x, as one sparse matrix product.

    Both distances reduce to Σ w z_i² + Σ w z_j² − 2 Σ w z_i z_j over suitable columns z:

    * squared: z = x itself, since (a − b)² = a² + b² − 2ab;
    * absolute: |a − b| = Σ_l (v_l − v_{l−1})·|1[a ≥ v_l] − 1[b ≥ v_l]| over the sorted distinct
      values v_l, and for 0/1 indicators |a − b| = a + b − 2ab; so z stacks one indicator
      block per level, weighted by the step v_l − v_{l−1}.

    Portfolios are mostly zeros, so the product runs on sparse matrices (which also keeps
    multithreaded BLAS start-up costs out of ~200 small products).
    """
    x = np.asarray(x, dtype=np.float64)
    if distance == "squared":
        z, wz = x, w
    else:
        levels = np.unique(x)
        if len(levels) < 2:
            return np.zeros((len(x), len(x)))
        z = np.hstack([(x >= hi).astype(np.float64) for hi in levels[1:]])
        wz = np.concatenate([(hi - lo) * w for lo, hi in zip(levels[:-1], levels[1:])])
    zs = sparse.csr_array(z)
    zw = sparse.csr_array((zs.data * wz[zs.indices], zs.indices, zs.indptr), shape=zs.shape)
    cross = (zs @ zw.T).toarray()
    own = (z * z) @ wz
    return own[:, None] + own[None, :] - 2.0 * cross


def s_scores(portfolios: YearArrays, *, delta: float | None = None, weighted: bool = False,
             weights: YearArrays | None = None, distance: str = "absolute") -> YearArrays:
    """Signorino & Ritter's S for every pair of system members, year by year.

    With portfolio rows x_i over the K members and Δ the range of the value scale (``delta``;
    default: the portfolios' largest value, i.e. a state's tie to itself, minus 0):

    * unweighted, absolute: S = 1 − 2·Σ_k |x_ik − x_jk| / (K·Δ);
    * weighted (``weighted=True``, ``weights`` = per-state weights such as CINC; a missing
      weight counts as 0): S_w = 1 − 2·Σ_k w_k|x_ik − x_jk| / (Σ_k w_k·Δ);
    * ``distance="squared"`` replaces |x_ik − x_jk| by (x_ik − x_jk)² and Δ by Δ².

    S runs from −1 (opposite portfolios) to 1 (identical); the diagonal is 1.  Returns a
    :class:`YearArrays` of (K, K) float64 matrices named ``"s"``.
    """
    if distance not in DISTANCES:
        raise ValueError(f"unknown distance {distance!r}; allowed: {', '.join(DISTANCES)}")
    if weighted and weights is None:
        raise ValueError("weighted S needs weights (e.g. CINC scores by state-year)")
    if delta is None:
        delta = float(max((a.max() for a in portfolios.arrays if a.size), default=0))
    if delta <= 0:
        raise ValueError(f"delta (the range of the value scale) must be positive; got {delta!r}")
    index = portfolios.index
    scale_range = delta ** 2 if distance == "squared" else delta
    mats = []
    for k, year in enumerate(index.years):
        x = portfolios.arrays[k]
        w = np.nan_to_num(weights.arrays[k], nan=0.0) if weighted else np.ones(len(x))
        total = w.sum()
        if total <= 0:
            s = np.full(x.shape, np.nan)
        else:
            s = 1.0 - 2.0 * _pair_distance(x, w, distance) / (total * scale_range)
        np.fill_diagonal(s, 1.0)
        mats.append(s)
    return YearArrays(index, tuple(mats), "s")


# --------------------------------------------------------------------------------------------
# The politically relevant international environment
# --------------------------------------------------------------------------------------------

def contiguity(system: SystemIndex, contdir: pd.DataFrame, contcol: pd.DataFrame | None = None,
               max_conttype: int = 5) -> YearArrays:
    """Each year's symmetric K×K boolean matrix of contiguous pairs.

    A spell of COW Direct Contiguity (``state1``, ``state2``, ``conttype``, ``begin_year``,
    ``end_year``) links its two states in every year t with begin_year ≤ t ≤ end_year when
    ``conttype ≤ max_conttype`` (1 = land or river; 2, 3, 4, 5 = up to 12, 24, 150, 400 miles
    of water).  With ``contcol`` (COW Colonial Contiguity), a spell in which a dependency of one
    state touches the other state or its dependency links the two COW states ``state1`` and
    ``state2`` the same way; the same ``max_conttype`` cut-off applies to it.
    """
    if max_conttype not in (1, 2, 3, 4, 5):
        raise ValueError(f"max_conttype must be one of 1, 2, 3, 4, 5; got {max_conttype!r}")
    frames = [contdir] + ([contcol] if contcol is not None else [])
    spells = pd.concat([f[["state1", "state2", "conttype", "begin_year", "end_year"]]
                        for f in frames], ignore_index=True).dropna()
    spells = spells[spells["conttype"] <= max_conttype]
    a, b, year = _expand_spells(_as_int(spells["state1"]), _as_int(spells["state2"]),
                                _as_int(spells["begin_year"]), _as_int(spells["end_year"]),
                                system.first, system.last)
    mats = []
    for yr, p1, p2, _ in _per_year_pairs(system, a, b, year):
        k = len(system.codes(yr))
        m = np.zeros((k, k), dtype=bool)
        m[p1, p2] = True
        mats.append(m | m.T)
    return YearArrays(system, tuple(mats), "contiguous")


def major_powers(system: SystemIndex, majors: pd.DataFrame) -> YearArrays:
    """Each year's (K,) boolean vector: is the member a COW major power (styear ≤ t ≤ endyear)?"""
    c, _, year = _expand_spells(_as_int(majors["ccode"]), _as_int(majors["ccode"]),
                                _as_int(majors["styear"]), _as_int(majors["endyear"]),
                                system.first, system.last)
    flags = state_values(pd.DataFrame({"ccode": c, "year": year, "major": 1.0}), "major", system)
    return YearArrays(system, tuple(np.nan_to_num(v, nan=0.0) > 0 for v in flags.arrays), "major")


def politically_relevant(system: SystemIndex, contdir: pd.DataFrame,
                         contcol: pd.DataFrame | None, majors: pd.DataFrame, *,
                         max_conttype: int = 5, colonial: bool = True,
                         major_power_global: bool = True) -> YearArrays:
    """PRIE(i, t) as each year's K×K boolean matrix: ``m[i, j]`` is True when j ∈ PRIE(i, t).

    j is in i's politically relevant international environment (Maoz 1996) when

    * i and j are directly contiguous in t with ``conttype ≤ max_conttype``, or
    * ``colonial`` and they are contiguous through a colonial holding (same cut-off), or
    * j is a COW major power in t, or
    * ``major_power_global`` and i is a major power in t (the politically-relevant-dyad rule
      of peacesciencer's ``filter_prd``: every state is relevant to a major power).

    The diagonal is False.  Without ``major_power_global`` the matrix is not symmetric.
    """
    cont = contiguity(system, contdir, contcol if colonial else None, max_conttype)
    major = major_powers(system, majors)
    mats = []
    for c, mp in zip(cont.arrays, major.arrays):
        m = c | mp[None, :]
        if major_power_global:
            m = m | mp[:, None]
        np.fill_diagonal(m, False)
        mats.append(m)
    return YearArrays(system, tuple(mats), "prie")


# --------------------------------------------------------------------------------------------
# The cut-off and the threat sum
# --------------------------------------------------------------------------------------------

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

ALLOWED = {
    "max_conttype": (1, 2, 3, 4, 5),
    "colonial": (True, False),
    "major_power_global": (True, False),
    "s_scale": tuple(SCALES),
    "s_weighted": (False, True),
    "s_distance": DISTANCES,
    "nmc_version": ("6.0", "5.0"),
}


def _same_kind(value, allowed_value) -> bool:
    """Booleans, integers and strings kept apart (in Python True == 1 and 5.0 == 5)."""
    if isinstance(allowed_value, bool):
        return isinstance(value, (bool, np.bool_))
    if isinstance(allowed_value, int):
        return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    return isinstance(value, type(allowed_value))


def _allowed(value, allowed: tuple) -> bool:
    return any(_same_kind(value, a) and value == a for a in allowed)


@dataclass(frozen=True)
class ThreatParams(ParameterSet):
    """The open choices of the threat measure, validated.

    ``max_conttype`` (1–5): widest COW contiguity type that puts a neighbour in the PRIE
    (1 = land only, 5 = up to 400 miles of water); ``colonial``: also count contiguity through
    colonial holdings; ``major_power_global``: every state is in a major power's PRIE;
    ``s_scale``: valued alliance scale of the portfolios (see :data:`SCALES`);
    ``s_weighted``: CINC-weighted S; ``s_distance``: "absolute" or "squared";
    ``s_mean_period``: (first, last) years of the S̄ mean, inside 1816–2010;
    ``nmc_version``: COW NMC version of the CINC scores ("6.0" or "5.0").
    """

    max_conttype: int = 5
    colonial: bool = True
    major_power_global: bool = True
    s_scale: str = "atop_3210"
    s_weighted: bool = False
    s_distance: str = "absolute"
    s_mean_period: tuple = THREAT_YEARS
    nmc_version: str = "6.0"

    def __post_init__(self):
        for name, allowed in ALLOWED.items():
            value = getattr(self, name)
            if not _allowed(value, allowed):
                raise ValueError(f"unknown value {value!r} for {name}; allowed: "
                                 + ", ".join(repr(a) for a in allowed))
            if isinstance(value, (np.integer, np.bool_)):
                object.__setattr__(self, name, value.item())
        period = self.s_mean_period
        if isinstance(period, list):
            period = tuple(period)
            object.__setattr__(self, "s_mean_period", period)
        lo, hi = THREAT_YEARS
        if not (isinstance(period, tuple) and len(period) == 2
                and all(isinstance(v, int) and not isinstance(v, bool) for v in period)
                and lo <= period[0] <= period[1] <= hi):
            raise ValueError(f"s_mean_period must be a tuple (first, last) of years with "
                             f"{lo} <= first <= last <= {hi}; got {self.s_mean_period!r}")


def threat_variants(base: ThreatParams | None = None) -> dict[str, ThreatParams]:
    """``base`` (default: the defaults) and the one-at-a-time sensitivity variants the book
    reports, each changing one choice of ``base``."""
    base = base or ThreatParams()
    return {
        "baseline": base,
        "S̄ from 1946": base.replace(s_mean_period=(1946, THREAT_YEARS[1])),
        "land contiguity only": base.replace(max_conttype=1),
        "CINC-weighted S": base.replace(s_weighted=True),
        "squared distance": base.replace(s_distance="squared"),
        "NMC 5.0": base.replace(nmc_version="5.0"),
        "major powers not global": base.replace(major_power_global=False),
    }


@functools.lru_cache(maxsize=None)
def _sources(nmc_version: str):
    """The raw inputs other than alliances, read once per process and NMC version."""
    from coupproof.sources import (cow_system_years, read_contcol, read_contdir,
                                   read_cow_majors, read_nmc)
    system = system_index(cow_system_years(*THREAT_YEARS), *THREAT_YEARS)
    cinc = state_values(read_nmc(nmc_version), "cinc", system)
    return system, read_contdir(), read_contcol(), read_cow_majors(), cinc


@functools.lru_cache(maxsize=1)
def _default_alliances() -> pd.DataFrame:
    from coupproof.sources import read_atop_dyad_years
    return read_atop_dyad_years("5.1")


def _frame_token(df: pd.DataFrame) -> str:
    """Content hash of an alliance frame (keys the in-memory caches)."""
    h = pd.util.hash_pandas_object(df[["ccode1", "ccode2", "year", *OBLIGATIONS]], index=False)
    return hashlib.sha256(h.to_numpy().tobytes()).hexdigest()


_CACHE: dict[tuple, YearArrays] = {}


def _cached(key: tuple, make) -> YearArrays:
    if key not in _CACHE:
        if len(_CACHE) > 32:
            _CACHE.clear()
        _CACHE[key] = make()
    return _CACHE[key]


@dataclass(frozen=True, eq=False)
class ThreatComponents:
    """Everything the threat measure is made of, for one :class:`ThreatParams`.

    ``portfolios``, ``s``, ``prie`` and ``allied`` are per-year K×K arrays, ``cinc`` per-year
    K vectors, all over the system members of :attr:`system` (1816–2010); ``mean_s`` is S̄.
    """

    params: ThreatParams
    system: SystemIndex
    portfolios: YearArrays
    s: YearArrays
    prie: YearArrays
    allied: YearArrays
    cinc: YearArrays
    mean_s: float

    def threat(self) -> pd.DataFrame:
        """The threat frame (see :func:`external_threat`) with ``params`` in ``attrs``."""
        out = external_threat(self.s, self.prie, self.allied, self.cinc, s_bar=self.mean_s,
                              s_mean_period=self.params.s_mean_period)
        out.attrs["params"] = self.params.to_dict()
        return out

    def relevant_s(self, period: tuple[int, int] | None = None) -> pd.DataFrame:
        """S of the politically relevant dyad-years (default: the S̄ period)."""
        return relevant_dyads(self.s, self.prie, period or self.params.s_mean_period)

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


def threat_components(params: ThreatParams | None = None,
                      alliance_dyads: pd.DataFrame | None = None) -> ThreatComponents:
    """Read the sources and build every component of the threat measure under ``params``.

    Reads COW system membership, Direct and Colonial Contiguity, major powers and NMC
    (``params.nmc_version``).  ``alliance_dyads`` (ATOP dyad-year schema) defaults to ATOP
    5.1's own dyad-year file; pass the frame derived from the member file to use that instead.
    Portfolios, S, alliance and PRIE matrices are cached in memory per alliance frame and
    parameters, so variants that share a component build it once.
    """
    params = params or ThreatParams()
    system, contdir, contcol, majors, cinc = _sources(params.nmc_version)
    dyads = _default_alliances() if alliance_dyads is None else alliance_dyads
    token = _frame_token(dyads)
    scale = SCALES[params.s_scale]
    portfolios = _cached(("portfolios", token, scale.name),
                         lambda: valued_portfolios(dyads, system, scale))
    weight_key = params.nmc_version if params.s_weighted else None
    s = _cached(("s", token, scale.name, params.s_weighted, params.s_distance, weight_key),
                lambda: s_scores(portfolios, delta=scale.delta, weighted=params.s_weighted,
                                 weights=cinc if params.s_weighted else None,
                                 distance=params.s_distance))
    allied = _cached(("allied", token), lambda: alliance_ties(dyads, system))
    prie = _cached(("prie", params.max_conttype, params.colonial, params.major_power_global),
                   lambda: politically_relevant(
                       system, contdir, contcol, majors, max_conttype=params.max_conttype,
                       colonial=params.colonial, major_power_global=params.major_power_global))
    return ThreatComponents(params, system, portfolios, s, prie, allied, cinc,
                            mean_s(s, prie, params.s_mean_period))


def build_threat(params: ThreatParams | None = None,
                 alliance_dyads: pd.DataFrame | None = None) -> pd.DataFrame:
    """External threat for every COW system state-year 1816–2010 under ``params``.

    Returns ``ccode``, ``year``, ``threat``, ``n_adversaries``, ``n_prie`` (sorted by ccode,
    year); ``attrs`` hold ``mean_s`` (S̄), ``s_mean_period`` and ``params`` (a dict).  See
    :func:`threat_components` for the inputs.
    """
    return threat_components(params, alliance_dyads).threat()
