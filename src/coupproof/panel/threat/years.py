"""Year-by-year containers: who is in the state system, and one array per year over its members.

At most 194 states are members in any year, so a year's K×K matrix has < 40,000 cells and
the matrices of all 195 years 1816–2010 hold 1.7 million cells (14 MB as float64).  Every
step of the threat measure works on these arrays, vectorised within a year; the only Python
loops run over years.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coupproof.spells import spell_years

#: Years the threat measure covers (the paper's S̄ period; DV years 1961–2010 use t−1).
THREAT_YEARS = (1816, 2010)
#: Largest COW country code (990 = Samoa); codes above it (ATOP's non-state members) are ignored.
MAX_CCODE = 999


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



    # --- storage (the piece cache keeps arrays, not objects) -----------------------------
    def to_arrays(self) -> dict[str, np.ndarray]:
        """The per-year arrays flattened into one vector, with each year's shape."""
        shapes = np.array([a.shape if a.ndim == 2 else (a.shape[0], 0) for a in self.arrays],
                          dtype=np.int64).reshape(-1, 2)
        ndim = np.array([a.ndim for a in self.arrays], dtype=np.int64)
        flat = (np.concatenate([a.ravel() for a in self.arrays]) if self.arrays
                else np.array([]))
        return {"values": flat, "shapes": shapes, "ndim": ndim}

    @classmethod
    def from_arrays(cls, index: SystemIndex, stored: Mapping[str, np.ndarray],
                    name: str) -> "YearArrays":
        """Inverse of :meth:`to_arrays` for the same system index."""
        shapes, flat = np.asarray(stored["shapes"]), np.asarray(stored["values"])
        ndim = np.asarray(stored["ndim"]) if "ndim" in stored else \
            np.where(shapes[:, 1] > 0, 2, 1) if len(shapes) else np.array([], dtype=np.int64)
        sizes = [int(r * c) if d == 2 else int(r) for (r, c), d in zip(shapes, ndim)]
        if len(sizes) != len(index.members) or sum(sizes) != flat.size:
            raise ValueError(f"stored {name} arrays do not fit the system index")
        bounds = np.concatenate([[0], np.cumsum(sizes)])
        arrays = []
        for k, ((r, c), d) in enumerate(zip(shapes, ndim)):
            part = flat[bounds[k]:bounds[k + 1]]
            arrays.append(part.reshape(int(r), int(c)) if d == 2 else part)
        return cls(index, tuple(arrays), name)


def state_values(frame: pd.DataFrame, column: str, system: SystemIndex) -> YearArrays:
    """A state-year column (e.g. NMC ``cinc``) as one (K,) float array per year; NaN if absent.

    ``frame`` has ``ccode``, ``year`` and ``column``; rows outside the system are ignored.
    """
    f = frame[["ccode", "year", column]].dropna(subset=["ccode", "year"])
    pos = system.locate(as_int(f["ccode"]), as_int(f["year"]))
    ok = pos >= 0
    yrs = as_int(f["year"])[ok] - system.first
    vals = f[column].to_numpy(dtype=float, na_value=np.nan)[ok]
    offsets = np.concatenate([[0], np.cumsum([len(m) for m in system.members])])
    flat = np.full(offsets[-1], np.nan)
    flat[offsets[yrs] + pos[ok]] = vals
    out = [flat[offsets[k]:offsets[k + 1]] for k in range(len(system.members))]
    return YearArrays(system, tuple(out), column)


def per_year_pairs(index: SystemIndex, a, b, year,
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


def expand_spells(a, b, begin, end, first: int, last: int):
    """Repeat each spell (a, b, begin, end) once per covered year inside [first, last]."""
    a, b, begin, end = (np.asarray(x, dtype=np.int64) for x in (a, b, begin, end))
    rep, year = spell_years(np.maximum(begin, first), np.minimum(end, last))
    return a[rep], b[rep], year


def as_int(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype=np.int64)


