"""Search the declared space for the constructions nearest the published record.

Two stages, both on the multiverse runner (every candidate is a specification of the declared
space — no rule is invented to hit a number):

1. **Coordinate-wise descent** from the book's default: for each choice in turn, try every
   option with the others at the current best, keep the best; sweep until a whole pass
   changes nothing (or ``sweeps`` passes).
2. **A seeded random sample around the best**: ``n_random`` specifications that change one
   to three randomly chosen choices of the best.

The estimation stays at Table 1's own definition (ML logit, the paper's controls): those are
known, not open, for Table 1.  The clustering unit does not move the distance (coefficients
are compared in published SEs) and is calibrated separately, on the ratio of clustered to
model-based standard errors.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from coupproof.multiverse import DISTANCE as DISTANCE_HOOK
from coupproof.multiverse import space as S
from coupproof.multiverse.runner import close, connect, run
from coupproof.multiverse.store import ResultStore
from coupproof.params import Choices

#: Choices the search does not vary (Table 1's own estimation).
FIXED = ("cluster", "estimator", "controls")


def search_dimensions(space: Sequence[S.Dimension] = S.SPACE) -> tuple[S.Dimension, ...]:
    return tuple(d for d in space if d.name not in FIXED)


def _evaluate(specs: list[Choices], store: ResultStore, client) -> pd.DataFrame:
    return run(specs, store, client=client, progress=False, distance=DISTANCE_HOOK)


def _best(records: pd.DataFrame) -> pd.Series:
    ok = records[records["distance"].notna()]
    return ok.loc[ok["distance"].idxmin()]


def coordinate_search(store: ResultStore, start: Choices | None = None, sweeps: int = 2,
                      dims: Sequence[S.Dimension] | None = None, client=None,
                      lookahead: int = 2) -> tuple[Choices, pd.DataFrame]:
    """Coordinate-wise descent; returns the best construction and every record visited
    (with a ``step`` column: the sweep and choice at which it was evaluated).

    The candidates of a choice are evaluated together with those of the next ``lookahead``
    choices around the same current best, so that every worker has work; when a choice
    moves the best, the candidates evaluated ahead of it are set aside and the following
    choices are tried around the new best.  The path, and so the result, is that of one
    choice at a time.
    """
    dims = tuple(dims or search_dimensions())
    best = start or Choices()
    visited = []
    for sweep in range(sweeps):
        changed = False
        i = 0
        while i < len(dims):
            batch = dims[i:i + 1 + lookahead]
            candidates = {d.name: [best.replace(**{d.name: v}) for v in d.values()] for d in batch}
            recs_all = _evaluate([c for cs in candidates.values() for c in cs], store, client)
            for d in batch:
                i += 1
                keys = [c.key() for c in candidates[d.name]]
                recs = (recs_all[recs_all["key"].isin(keys)].drop_duplicates("key")
                        .assign(step=f"sweep {sweep + 1}: {d.name}"))
                visited.append(recs)
                winner = _best(recs)
                if winner["key"] == best.key():
                    continue
                current = recs.loc[recs["key"] == best.key(), "distance"]
                if current.empty or winner["distance"] < float(current.iloc[0]) - 1e-12:
                    best = next(c for c in candidates[d.name] if c.key() == winner["key"])
                    changed = True
                    break   # the rest of the batch was evaluated around the old best
        if not changed:
            break
    return best, pd.concat(visited, ignore_index=True)


def neighbourhood(best: Choices, n: int, seed: int, dims: Sequence[S.Dimension] | None = None,
                  max_changes: int = 3) -> list[Choices]:
    """``n`` distinct specifications changing 1 … ``max_changes`` random choices of ``best``."""
    dims = tuple(dims or search_dimensions())
    rng = np.random.default_rng(seed)
    out, seen = [], {best.key()}
    attempts = 0
    while len(out) < n and attempts < 50 * n:
        attempts += 1
        k = int(rng.integers(1, max_changes + 1))
        picked = rng.choice(len(dims), size=k, replace=False)
        change = {}
        for j in picked:
            d = dims[int(j)]
            others = [v for v in d.values() if v != best.value(d.name)]
            change[d.name] = others[int(rng.integers(len(others)))]
        c = best.replace(**change)
        if c.key() not in seen:
            seen.add(c.key())
            out.append(c)
    return out


def calibrate(store: ResultStore, *, n_random: int = 64, seed: int = 2023, sweeps: int = 2,
              workers: int | None = None, client=None) -> dict:
    """Run both stages; return the best construction, every record, and the nearest ones.
    ``client``: a Dask client to run on (default: a local cluster of ``workers`` processes,
    started and closed here)."""
    own = client is None
    client = client or connect(None, workers)
    try:
        best, visited = coordinate_search(store, sweeps=sweeps, client=client)
        around = _evaluate(neighbourhood(best, n_random, seed), store, client).assign(step="around the best")
    finally:
        if own:
            close(client)
    records = pd.concat([visited, around], ignore_index=True).drop_duplicates("key")
    overall = _best(records)
    return {"best": best, "records": records, "best_record": overall}


def shared_by(records: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """For the ``top`` nearest constructions: each choice's most common option and how many
    of them use it (what the nearest constructions share)."""
    near = records[records["distance"].notna()].nsmallest(top, "distance")
    rows = []
    for col in [c for c in near.columns if c.startswith("choice.") and c[7:] not in FIXED]:
        counts = near[col].value_counts()
        name = col[7:]
        rows.append({"choice": S.label_of(name), "most common option": counts.index[0],
                     "share of the nearest": counts.iloc[0] / len(near),
                     "book's default": S.option_text(Choices().value(name))})
    return pd.DataFrame(rows).sort_values("share of the nearest", ascending=False, kind="stable")


def option_profile(records: pd.DataFrame) -> pd.DataFrame:
    """For every searched choice and option: how many evaluated constructions used it, the
    smallest distance among them, and its gap to the overall best."""
    ok = records[records["distance"].notna()]
    overall = float(ok["distance"].min())
    rows = []
    for d in search_dimensions():
        col = f"choice.{d.name}"
        if col not in ok:
            continue
        for option, g in ok.groupby(col):
            rows.append({"choice": d.label, "option": option, "constructions": len(g),
                         "best distance": float(g["distance"].min()),
                         "gap to the overall best": float(g["distance"].min()) - overall})
    return pd.DataFrame(rows)
