"""Design matrices from a data frame and a list of terms.

A term is a column name, a product of columns written ``"a:b"`` (R's ``a:b``), or
``"const"`` for the intercept.  The term names are kept exactly as given, so a model
written with the paper-record names (``cb``, ``threatA``, ``cb:threatA``, ``shared_def``,
``const``) produces estimates indexed by those names.  ``aliases`` maps a record name to the
data column that holds it (``{"cb": "lncbcount1_l"}``), so ``"cb:threatA"`` is the product
of ``lncbcount1_l`` and ``threat1_l`` but is still called ``"cb:threatA"``.

Rows are deleted listwise over the dependent variable and every column the terms use, as
R's ``model.frame(na.action = na.omit)`` does.  The :class:`Design` keeps the boolean mask
of kept rows so that callers can compute cluster ids, years or weights on exactly the same
rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

CONST = "const"


def split_term(term: str) -> list[str]:
    """Components of a term: ``"cb:threatB"`` -> ``["cb", "threatB"]``; ``"const"`` -> ``[]``."""
    if term == CONST:
        return []
    parts = [p.strip() for p in term.split(":")]
    if any(not p for p in parts):
        raise ValueError(f"malformed term {term!r}")
    return parts


def components(terms: Sequence[str]) -> list[str]:
    """Distinct components used by ``terms``, in order of first appearance."""
    seen: dict[str, None] = {}
    for t in terms:
        for c in split_term(t):
            seen.setdefault(c, None)
    return list(seen)


def _column_as_float(df: pd.DataFrame, column: str) -> np.ndarray:
    """A column as float64 with missing values (None, pd.NA, NaN) as NaN."""
    s = df[column]
    if s.dtype == object:
        try:
            return pd.to_numeric(s, errors="raise").to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"column {column!r} is not numeric") from exc
    return s.to_numpy(dtype=float, na_value=np.nan)


def component_arrays(
    df: pd.DataFrame, comps: Sequence[str], aliases: Mapping[str, str] | None = None
) -> dict[str, np.ndarray]:
    """Float arrays for each component, read from ``aliases.get(c, c)``."""
    aliases = dict(aliases or {})
    out: dict[str, np.ndarray] = {}
    for c in comps:
        col = aliases.get(c, c)
        if col not in df.columns:
            hint = f" (alias of {c!r})" if col != c else ""
            raise KeyError(f"column {col!r}{hint} is not in the data")
        out[c] = _column_as_float(df, col)
    return out


def term_matrix(
    df: pd.DataFrame, terms: Sequence[str], aliases: Mapping[str, str] | None = None
) -> np.ndarray:
    """The n x k matrix of ``terms`` over all rows of ``df`` (NaN where a component is missing).

    Products are formed column by column, so the result equals R's ``model.matrix`` for
    numeric columns and ``a:b`` interactions.
    """
    terms = list(terms)
    arrays = component_arrays(df, components(terms), aliases)
    return _assemble(arrays, terms, len(df))


def _assemble(arrays: Mapping[str, np.ndarray], terms: Sequence[str], n: int,
              rows: np.ndarray | None = None) -> np.ndarray:
    """Stack the terms as columns, multiplying the components of interaction terms.

    ``rows`` (positions) takes those rows of every component.  The matrix is column-major
    (Fortran order): each term is one contiguous column, so it is written in one sweep, a
    model's subset of columns is a cheap copy or a view, and the logit's Newton pass reads
    it as contiguous row blocks of ``X.T`` (``scripts/benchmark.py``, models section).
    """
    if len(set(terms)) != len(terms):
        raise ValueError(f"duplicated terms: {list(terms)}")
    X = np.empty((len(terms), n), dtype=float).T

    def take(c: str) -> np.ndarray:
        a = arrays[c]
        return a if rows is None else a.take(rows)

    for j, t in enumerate(terms):
        parts = split_term(t)
        col = X[:, j]
        if not parts:
            col[:] = 1.0
            continue
        col[:] = take(parts[0])
        for p in parts[1:]:
            col *= take(p)
    return X


@dataclass
class Design:
    """A response vector and design matrix after listwise deletion.

    Attributes
    ----------
    y, X
        Response and regressors of the kept rows (float64).
    terms
        Column names of ``X``, exactly as requested.
    dv
        Name of the response.
    mask
        Boolean array over the *input* rows: True where the row was kept.
    index
        Index labels of the kept rows in the input frame.
    rows_in
        Rows in the input frame.
    missing
        For each column that had missing values among the input rows, how many.
    notes
        Human-readable notes appended by later steps (e.g. dropped event-less years).
    """

    y: np.ndarray
    X: np.ndarray
    terms: list[str]
    dv: str
    mask: np.ndarray
    index: pd.Index
    rows_in: int
    missing: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    dropped_later: int = 0

    @property
    def nobs(self) -> int:
        """Rows used for estimation."""
        return int(self.y.shape[0])

    @property
    def rows_dropped(self) -> int:
        """Input rows not used (listwise deletion and any later drops)."""
        return int(self.rows_in - self.nobs)

    @property
    def rows_missing(self) -> int:
        """Input rows lost to listwise deletion alone."""
        return int(self.rows_dropped - self.dropped_later)

    def align(self, values: np.ndarray | pd.Series, name: str = "values") -> np.ndarray:
        """Bring a per-row array onto the kept rows.

        ``values`` may be as long as the input frame (it is then subset with ``mask``) or as
        long as the kept rows (returned as is).  Use it for cluster ids and years.
        """
        arr = np.asarray(values)
        if arr.shape[0] == self.mask.shape[0]:
            return arr[self.mask]
        if arr.shape[0] == self.nobs:
            return arr
        raise ValueError(
            f"{name} has {arr.shape[0]} rows; expected {self.mask.shape[0]} (input) or {self.nobs} (kept)"
        )

    def subset(self, keep: np.ndarray, note: str | None = None) -> "Design":
        """A design restricted to the kept rows where ``keep`` (over kept rows) is True."""
        keep = np.asarray(keep, dtype=bool)
        if keep.shape[0] != self.nobs:
            raise ValueError("keep must have one entry per kept row")
        new_mask = self.mask.copy()
        new_mask[np.flatnonzero(self.mask)[~keep]] = False
        return Design(
            y=self.y[keep],
            X=np.asfortranarray(self.X[keep]),  # stays column-major
            terms=list(self.terms),
            dv=self.dv,
            mask=new_mask,
            index=self.index[keep],
            rows_in=self.rows_in,
            missing=dict(self.missing),
            notes=[*self.notes, *([note] if note else [])],
            dropped_later=self.dropped_later + int((~keep).sum()),
        )

    def with_columns(self, M: np.ndarray, names: Sequence[str]) -> "Design":
        """A design with extra regressor columns appended (same rows)."""
        M = np.asarray(M, dtype=float).reshape(self.nobs, -1)
        names = list(names)
        clash = set(names) & set(self.terms)
        if clash:
            raise ValueError(f"terms already present: {sorted(clash)}")
        return Design(
            y=self.y,
            X=np.vstack([self.X.T, M.T]).T,  # column-major, as _assemble
            terms=[*self.terms, *names],
            dv=self.dv,
            mask=self.mask,
            index=self.index,
            rows_in=self.rows_in,
            missing=dict(self.missing),
            notes=list(self.notes),
            dropped_later=self.dropped_later,
        )

    @property
    def endog(self) -> pd.Series:
        """The response as a Series named ``dv``, indexed like the input (for ``sm.Logit(endog, exog)``)."""
        return pd.Series(self.y, index=self.index, name=self.dv)

    @property
    def exog(self) -> pd.DataFrame:
        """The regressors as a DataFrame with the term names as columns (for ``sm.Logit(endog, exog)``)."""
        return pd.DataFrame(self.X, columns=self.terms, index=self.index)

    def frame(self) -> pd.DataFrame:
        """The kept rows as a DataFrame (response first), indexed like the input."""
        out = pd.DataFrame(self.X, columns=self.terms, index=self.index)
        out.insert(0, self.dv, self.y)
        return out

    def report(self) -> str:
        """One line on rows in, rows dropped (and why) and rows used.

        Missing-value counts are per column and overlap, so they need not add up to the
        rows dropped for missing values.
        """
        why = ", ".join(f"{k}: {v:,}" for k, v in sorted(self.missing.items(), key=lambda kv: -kv[1]))
        text = f"{self.rows_in:,} rows in; {self.rows_missing:,} dropped for missing values"
        if why:
            text += f" ({why})"
        if self.notes:
            text += "; " + "; ".join(self.notes)
        return text + f"; {self.nobs:,} used"


def build_design(
    df: pd.DataFrame,
    dv: str,
    terms: Sequence[str],
    aliases: Mapping[str, str] | None = None,
    rows: np.ndarray | pd.Series | None = None,
) -> Design:
    """Response and design matrix with listwise deletion over ``dv`` and every used column.

    Parameters
    ----------
    df
        The analysis frame.
    dv
        Response name (looked up through ``aliases`` like the terms).
    terms
        Term names; ``"a:b"`` is the product of components ``a`` and ``b``; ``"const"`` is a
        column of ones.
    aliases
        Optional map from a component/response name to the data column holding it.
    rows
        Optional boolean pre-selection over ``df`` (a sample restriction); rows outside it are
        dropped before listwise deletion and counted as not in.

    Returns
    -------
    Design
        With ``mask`` over all rows of ``df``.
    """
    aliases = dict(aliases or {})
    terms = list(terms)
    n = len(df)
    pre = np.ones(n, dtype=bool) if rows is None else np.asarray(rows, dtype=bool)
    if pre.shape[0] != n:
        raise ValueError("rows must have one entry per row of df")
    y_all = component_arrays(df, [dv], aliases)[dv]
    comp = components(terms)
    arrays = component_arrays(df, comp, aliases)
    ok = pre & ~np.isnan(y_all)
    missing: dict[str, int] = {}
    n_y = int(np.isnan(y_all[pre]).sum())
    if n_y:
        missing[aliases.get(dv, dv)] = n_y
    for c, a in arrays.items():
        bad = np.isnan(a)
        k = int(bad[pre].sum())
        if k:
            missing[aliases.get(c, c)] = k
        ok &= ~bad
    kept = np.flatnonzero(ok)
    X = _assemble(arrays, terms, kept.size, kept)
    return Design(
        y=y_all[kept],
        X=X,
        terms=terms,
        dv=dv,
        mask=ok,
        index=df.index[ok],
        rows_in=int(pre.sum()),
        missing=missing,
    )
