"""A multiverse over every choice the paper leaves open.

* :mod:`.space` declares the choices, their options and where they come from;
* :mod:`.evaluate` fits Table 1's Models 2 and 4 for one specification and records them;
* :mod:`.store` keeps one record per specification (append-only, atomic);
* :mod:`.runner` runs specifications on dask.distributed (a local cluster by default);
* :mod:`.null` draws specification curves with the null imposed (inference under the null).

The chapter calls::

    records = run_sample(512, seed=2023)              # a seeded sample of the space
    neighbours = run_neighbours()                     # the default and its one-change variants
    null = run_null(records, specifications=32, draws=10)

and the command line (``python -m coupproof.multiverse --help``) runs bigger spaces.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coupproof import config
from coupproof.multiverse import space
from coupproof.multiverse.runner import run
from coupproof.multiverse.store import ResultStore
from coupproof.params import Choices

NULL_TASK = "coupproof.multiverse.null:null_draws"


def store_root() -> Path:
    """Where the book keeps multiverse results (``<results>/multiverse``)."""
    return config.results_dir() / "multiverse"


#: The hook that records each specification's distance to the published record.
DISTANCE = "coupproof.calibration.distance:distance"


def run_sample(n: int = 512, seed: int = 2023, workers: int | None = None,
               progress: bool = False, distance: str | None = DISTANCE, client=None) -> pd.DataFrame:
    """Records of ``n`` specifications sampled with ``seed`` (computed or read from the store),
    each with its distance to the published record (``distance=None`` skips it)."""
    return run(space.sample(n, seed), ResultStore(store_root()), workers=workers,
               progress=progress, distance=distance, client=client)


def run_neighbours(workers: int | None = None, progress: bool = False, client=None,
                   distance: str | None = DISTANCE) -> pd.DataFrame:
    """Records of the default and of every specification that changes one choice of it."""
    return run(space.neighbours(), ResultStore(store_root()), workers=workers, progress=progress,
               client=client, distance=distance)


def run_null(records: pd.DataFrame, specifications: int = 32, draws: int = 10, seed: int = 1,
             workers: int | None = None, progress: bool = False, client=None) -> pd.DataFrame:
    """Null draws (see :mod:`.null`) for the first ``specifications`` of ``records`` that have
    estimates (the book's default first), ``draws`` each."""
    ok = records[records["status"] == "ok"].head(specifications)
    specs = [Choices.from_overrides(flat) for flat in _flat_choices(ok)]
    store = ResultStore(store_root() / f"null-seed{seed}-draws{draws}")
    return run(specs, store, workers=workers, progress=progress, client=client, task=NULL_TASK,
               task_kwargs={"draws": draws, "seed": seed})


def choices_of(record: pd.Series) -> Choices:
    """The :class:`~coupproof.params.Choices` of a stored record."""
    return Choices.from_overrides(_flat_choices(record.to_frame().T)[0])


def _flat_choices(records: pd.DataFrame) -> list[dict]:
    """Stored choice columns (strings) back to typed overrides."""
    import yaml

    out = []
    for _, r in records.iterrows():
        flat = {}
        for col in [c for c in records.columns if c.startswith("choice.")]:
            name, text = col[7:], str(r[col])
            if ".." in text:
                lo, hi = text.split("..")
                flat[name] = (int(lo), int(hi))
            else:
                flat[name] = yaml.safe_load(text) if text not in ("None",) else None
        out.append(flat)
    return out


__all__ = ["DISTANCE", "ResultStore", "choices_of", "run", "run_neighbours", "run_null", "run_sample",
           "space", "store_root"]
