"""Small, tested building blocks: validated merges, lags within a unit, event windows.

Every function takes and returns plain DataFrames and never loops over rows in Python.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

log = logging.getLogger("coupproof")


def merge_validated(left: pd.DataFrame, right: pd.DataFrame, on, how: str, validate: str,
                    name: str = "") -> pd.DataFrame:
    """``pandas.merge`` that always states its cardinality and reports rows in and out.

    ``validate`` is passed to pandas (e.g. "many_to_one"): a duplicated key on the "one"
    side raises ``pandas.errors.MergeError`` instead of silently multiplying rows.
    """
    out = left.merge(right, on=on, how=how, validate=validate)
    log.info("merge %s (%s, %s): %d rows in, %d rows out", name, how, validate, len(left), len(out))
    return out


def int_keys(frames: list[pd.DataFrame], columns: list[list[str]]) -> list[pd.Index] | None:
    """One int64 key per row for each frame, combining integer key columns in mixed radix.

    Returns None when a key column is not integer-valued or the combined key would overflow;
    callers then fall back to a MultiIndex.  Equal keys in different frames get equal codes.
    """
    n_cols = len(columns[0])
    lo = np.zeros(n_cols, dtype=np.int64)
    hi = np.zeros(n_cols, dtype=np.int64)
    arrays = []
    for frame, cols in zip(frames, columns):
        arrs = []
        for j, c in enumerate(cols):
            s = frame[c]
            if not pd.api.types.is_integer_dtype(s.dtype) or s.isna().any():
                return None
            a = s.to_numpy(dtype=np.int64)
            if len(a):
                lo[j] = min(lo[j], a.min())
                hi[j] = max(hi[j], a.max())
            arrs.append(a)
        arrays.append(arrs)
    span = hi - lo + 1
    if np.prod(span.astype(float)) >= 2.0 ** 62:
        return None
    out = []
    for arrs in arrays:
        key = np.zeros(len(arrs[0]) if arrs else 0, dtype=np.int64)
        for j, a in enumerate(arrs):
            key = key * span[j] + (a - lo[j])
        out.append(pd.Index(key))
    return out


def with_columns(frame: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the columns of ``new`` (a frame on the same rows) added, or replacing
    those of the same name, copying neither.

    ``pd.concat([frame, new], axis=1, copy=False)`` gathers the columns of one dtype into one
    new block, which copies the whole frame: on the 1.3-million-row panel that held 0.8 GB
    of temporaries at the peak of every build (``scripts/benchmark.py``, panel section).
    Like ``concat(copy=False)``, the result may share memory with its inputs.
    """
    if len(new) != len(frame):
        raise ValueError(f"new columns have {len(new):,} rows, the frame {len(frame):,}")
    columns = {c: frame[c] for c in frame.columns if c not in new.columns}
    columns.update({c: pd.Series(new[c].array, index=frame.index, name=c, copy=False)
                    for c in new.columns})
    out = pd.DataFrame(columns, index=frame.index, copy=False)
    out.attrs = dict(frame.attrs)
    return out


def lookup_positions(left: pd.DataFrame, right: pd.DataFrame, left_on: list[str],
               right_on: list[str], name: str = "") -> np.ndarray:
    """Row position in ``right`` of each row of ``left`` by key (−1 when absent).

    The right-hand key must be unique (else ``pandas.errors.MergeError``).
    """
    keys = int_keys([right, left], [right_on, left_on])
    if keys is not None:
        index, probe = keys
    else:
        index = pd.MultiIndex.from_frame(right[right_on])
        probe = pd.MultiIndex.from_arrays([left[c] for c in left_on])
    if index.has_duplicates:
        raise pd.errors.MergeError(
            f"lookup {name}: keys {right_on} are not unique in the right frame; "
            "not a many-to-one join")
    return index.get_indexer(probe)


def lookup_join(left: pd.DataFrame, right: pd.DataFrame, left_on: list[str],
                right_on: list[str], columns: list[str], name: str = "") -> pd.DataFrame:
    """Left join of ``right[columns]`` onto ``left`` by key, many-to-one, by index lookup.

    Equivalent to ``left.merge(right, how="left", validate="many_to_one")`` but without
    copying ``left``'s columns (:func:`with_columns`), which matters on a 1.3-million-row
    panel.  The right-hand key must be unique (else ``pandas.errors.MergeError``); rows of
    ``left`` without a match get missing values.  Row count and order of ``left`` are
    unchanged.
    """
    pos = lookup_positions(left, right, left_on, right_on, name)
    log.info("lookup join %s (many_to_one): %d rows in, %d rows out, %d matched",
             name, len(left), len(left), int((pos >= 0).sum()))
    return with_columns(left, take_rows(right[columns], pos, left.index))


def take_rows(frame: pd.DataFrame, pos: np.ndarray, index: pd.Index | None = None) -> pd.DataFrame:
    """``frame``'s rows at positions ``pos`` (−1 gives a missing row), as a new frame.

    Integer columns become float and boolean columns object where a row is missing, as in a
    left merge.
    Float columns are taken together as one 2-D block (one copy, no consolidation later).
    """
    pos = np.asarray(pos)
    found = pos >= 0
    every = bool(found.all())
    safe = np.where(found, pos, 0) if not every else pos
    n = len(pos)
    if index is None:
        index = pd.RangeIndex(n)
    floats = [c for c in frame.columns if frame[c].dtype == np.float64]
    if floats and len(frame):
        block = frame[floats].to_numpy(dtype=np.float64).take(safe, axis=0)
        if not every:
            block[~found] = np.nan
    else:
        block = np.full((n, len(floats)), np.nan)
    out = pd.DataFrame(block, columns=floats, index=index, copy=False)
    for i, c in enumerate(frame.columns):
        if c in floats:
            continue
        src = frame[c]
        if len(src) == 0:
            values = pd.Series(np.nan, index=index)
        else:
            values = pd.Series(src.to_numpy()[safe], index=index, dtype=src.dtype)
            values = values if every else values.where(found)
        out.insert(i, c, values)
    return out


def lag_within(df: pd.DataFrame, unit, columns, years: int = 1, year: str = "year",
               suffix: str = "_l") -> pd.DataFrame:
    """Add ``<col><suffix>`` = the value of ``col`` in year t − ``years`` of the same unit.

    The lag is looked up by year, not by row position: if the unit has no row for
    t − ``years`` (a gap in its series, or its first year), the lag is missing.
    ``unit`` is a column name or a list of column names; (unit, year) must be unique.
    """
    unit = [unit] if isinstance(unit, str) else list(unit)
    keys = [*unit, year]
    target = df[unit].copy()
    target[year] = df[year] - years
    try:
        pos = lookup_positions(target, df, keys, keys, "lag")
    except pd.errors.MergeError:
        raise ValueError(f"lag_within: ({', '.join(keys)}) is not unique") from None
    out = df.copy()
    lagged = take_rows(df[list(columns)], pos, df.index)
    for c in columns:
        out[f"{c}{suffix}"] = lagged[c]
    return out


def window_any(units_years: pd.DataFrame, events: pd.DataFrame, window: tuple[int, int],
               unit: str = "ccode", year: str = "year", name: str = "event") -> pd.Series:
    """1 if ``events`` has a row for the unit in any year t+window[0] … t+window[1], else 0.

    ``units_years`` holds the (unit, year) rows to label; ``events`` holds (unit, year) of
    events.  Returns an int8 Series aligned with ``units_years``.  Edges are inclusive: with
    window (−4, 0) an event in t−4 counts, one in t−5 does not.
    """
    lo, hi = window
    ev = events[[unit, year]].drop_duplicates()
    n = hi - lo + 1
    marked = pd.DataFrame({
        unit: np.repeat(ev[unit].to_numpy(), n),
        year: (ev[year].to_numpy()[:, None] - np.arange(lo, hi + 1)[None, :]).ravel(),
    }).drop_duplicates()
    marked[name] = 1
    out = units_years[[unit, year]].merge(marked, on=[unit, year], how="left", validate="many_to_one")
    return pd.Series(out[name].fillna(0).astype("int8").to_numpy(), index=units_years.index, name=name)


class Attrition:
    """Records rows (and events) in and out of each filtering step, for the book's tables."""

    def __init__(self, event: str | None = "def"):
        self.event = event
        self.steps: list[dict] = []

    def start(self, df: pd.DataFrame, label: str) -> pd.DataFrame:
        self.steps.append({"step": label, "rows": len(df), "dropped": 0,
                           **self._events(df)})
        return df

    def apply(self, df: pd.DataFrame, mask, label: str) -> pd.DataFrame:
        mask = pd.Series(mask, index=df.index).fillna(False).astype(bool)
        out = df[mask]
        self.steps.append({"step": label, "rows": len(out), "dropped": len(df) - len(out),
                           **self._events(out)})
        log.info("filter %s: %d rows in, %d rows out", label, len(df), len(out))
        return out

    def record(self, label: str, rows: int, dropped: int, events: int | None = None) -> None:
        """Record a step from counts (for filters run on arrays rather than frames)."""
        step = {"step": label, "rows": int(rows), "dropped": int(dropped)}
        if self.event and events is not None:
            step["events"] = int(events)
        self.steps.append(step)
        log.info("filter %s: %d rows in, %d rows out", label, rows + dropped, rows)

    def _events(self, df):
        if self.event and self.event in df:
            return {"events": int(df[self.event].fillna(0).sum())}
        return {}

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.steps)
