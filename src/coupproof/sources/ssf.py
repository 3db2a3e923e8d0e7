"""State Security Forces counterweights (De Bruin 2021) from the Mehrl & Choulis (2023) file.

The force-level SSF release is not used here; this replication file carries SSF's
country-year count of counterweights in ``cbcount`` (108 of the 110 SSF countries, 1960–2010).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coupproof.sources._common import typed
from coupproof.sources.registry import fetch


def read_ssf() -> pd.DataFrame:
    """Country-years with an SSF counterweight count.

    Columns: ``ccode`` (Int64, COW), ``year`` (Int64), ``cbcount`` (Int64, number of
    counterweights).  Rows with a missing count (non-SSF countries, years outside 1960–2010)
    are dropped.  Two codes are moved to COW's: the file's 255 before 1990 is West Germany
    (COW 260), and its 315 from 1993 on is the Czech Republic (COW 316).
    """
    raw = pd.read_stata(fetch("ssf_counterweights"), columns=["ccode", "year", "cbcount"])
    df = raw.dropna(subset=["cbcount"]).copy()
    df["ccode"] = np.select(
        [(df["ccode"] == 255) & (df["year"] < 1990), (df["ccode"] == 315) & (df["year"] >= 1993)],
        [260, 316], df["ccode"])
    df = typed(df, ints=["ccode", "year", "cbcount"])
    if df.duplicated(["ccode", "year"]).any():
        raise ValueError("SSF: duplicated (ccode, year) after recoding")
    return df.sort_values(["ccode", "year"]).reset_index(drop=True)
