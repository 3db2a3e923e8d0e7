"""Thompson & Dreyer (2011) strategic rivalries, as shipped by peacesciencer."""

from __future__ import annotations

import pandas as pd

from coupproof.sources._common import read_rda, typed


def read_rivalries() -> pd.DataFrame:
    """One row per rivalry: ``rivalryno``, ``ccode1``, ``ccode2``, ``styear``, ``endyear``
    (Int64), ``rivalryname``, ``region``, ``type1``–``type3`` (string).  ``endyear`` is 2010
    for rivalries ongoing at the end of the data."""
    df = read_rda("rivalries")
    return typed(df, ints=["rivalryno", "ccode1", "ccode2", "styear", "endyear"],
                 strings=["rivalryname", "region", "type1", "type2", "type3"])
