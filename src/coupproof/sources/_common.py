"""Helpers shared by the readers: typed columns and documented schemas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyreadr

from coupproof.sources.registry import fetch


def read_rda(file_id: str) -> pd.DataFrame:
    """Read the single object stored in a registered ``.rda`` file."""
    objects = pyreadr.read_r(str(fetch(file_id)))
    if len(objects) != 1:
        raise ValueError(f"{file_id}: expected one object in the .rda file, got {list(objects)}")
    return next(iter(objects.values()))


def to_int(s: pd.Series) -> pd.Series:
    """Whole numbers stored as floats -> nullable Int64 (NA stays NA); fails on fractions."""
    if isinstance(s.dtype, pd.Int64Dtype):
        return s
    values = pd.to_numeric(s, errors="raise").to_numpy(dtype="float64", na_value=np.nan)
    mask = np.isnan(values)
    filled = np.where(mask, 0.0, values)
    frac = filled % 1 != 0
    if frac.any():
        raise ValueError(f"column {s.name!r} has non-integer values, e.g. {filled[frac][0]}")
    return pd.Series(pd.arrays.IntegerArray(filled.astype("int64"), mask), index=s.index, name=s.name)


def typed(df: pd.DataFrame, ints=(), floats=(), strings=(), bools=()) -> pd.DataFrame:
    """Cast columns to their documented dtypes (Int64 for codes and years)."""
    df = df.copy()
    for c in ints:
        df[c] = to_int(df[c])
    for c in floats:
        df[c] = pd.to_numeric(df[c], errors="raise").astype("float64")
    for c in strings:
        df[c] = df[c].astype("string")
    for c in bools:
        df[c] = df[c].astype("boolean")
    return df
