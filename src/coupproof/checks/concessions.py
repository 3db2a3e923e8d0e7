"""Checks on the concession counts and the hurdle models (chapter 05).

The paper's ten concession items are not listed anywhere, and Table 3 prints only rounded
summaries of the counts (n, mean, sd, median, min, max).  :func:`search_item_lists` forms
every list of ``size`` items from a pool of candidates and keeps those whose counts,
rounded as Table 3 rounds, reproduce the printed summaries for both members.
:func:`hurdle_by_item_list` fits the hurdle models of Tables 2 and 12 under each item list
the parameters allow, and :func:`binary_part_against_formation` sets the hurdle's binary part
beside the formation model it nearly repeats.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coupproof.models.diagnostics import ConvergenceError
from coupproof.models.results import stars_from_p, two_sided_normal_p
from coupproof.panel.concessions import ITEMS, item_indicators, item_list
from coupproof.params import Choices, DataChoices, allowed
from coupproof.report.compare import published_estimates, published_summary

#: Table 3's names of the counts made by A and by B.
TABLE3_NAMES = {"A": "concessions1", "B": "concessions2"}
#: The summaries Table 3 prints for the counts and the search matches.
MATCHED = ("mean", "sd", "median", "max")


def half_up(x: np.ndarray | float) -> np.ndarray:
    """Rounding half up, as the paper's table rounded (0.5 -> 1)."""
    return np.floor(np.asarray(x, dtype=float) + 0.5)


def table3_targets() -> dict[str, dict[str, float]]:
    """The printed summaries of the two counts: ``{"A": {"n": 114, "mean": 2, ...}, "B": ...}``."""
    pub = published_summary().set_index("variable")
    return {side: {k: float(pub.loc[name, k]) for k in ("n", *MATCHED)} for side, name in TABLE3_NAMES.items()}


def count_summary(values: pd.Series) -> dict[str, float]:
    """n, mean, sd, median, max and the share of positive counts of a count variable."""
    v = values.dropna()
    return {"n": int(len(v)), "mean": float(v.mean()), "sd": float(v.std()), "median": float(v.median()),
            "max": float(v.max()), "share > 0": float((v > 0).mean())}


@dataclass(frozen=True)
class ItemListSearch:
    """Lists of ``size`` items from ``pool`` whose counts reproduce Table 3 (``matching``);
    ``common``: the items every matching list contains; ``n_lists``: lists tried."""

    pool: tuple[str, ...]
    size: int
    n_lists: int
    matching: tuple[tuple[str, ...], ...]

    @property
    def common(self) -> list[str]:
        if not self.matching:
            return []
        return [i for i in self.pool if all(i in m for m in self.matching)]

    def contains(self, items: Sequence[str]) -> bool:
        return sorted(items) in [sorted(m) for m in self.matching]


def side_indicators(events: pd.DataFrame, alliances: pd.DataFrame, members: pd.DataFrame,
                    pool: Sequence[str]) -> dict[str, np.ndarray]:
    """For the event rows (``def_atopid``, ``ccode1``, ``ccode2``): one 0/1 matrix per side
    (rows = events, columns = ``pool``), missing codes as 0 (a coded list counts them so)."""
    flags = item_indicators(alliances, members, list(pool)).fillna(0)
    out = {}
    for side, code in (("A", "ccode1"), ("B", "ccode2")):
        keys = pd.DataFrame({"atopid": events["def_atopid"].astype("int64").to_numpy(),
                             "member": events[code].astype("int64").to_numpy()})
        out[side] = keys.merge(flags, on=["atopid", "member"], how="left")[list(pool)].fillna(0).to_numpy()
    return out


def search_item_lists(events: pd.DataFrame, alliances: pd.DataFrame, members: pd.DataFrame, *,
                      pool: Sequence[str] | None = None, size: int = 10,
                      targets: Mapping[str, Mapping[str, float]] | None = None) -> ItemListSearch:
    """Every list of ``size`` items from ``pool`` (default: every candidate in
    :data:`~coupproof.panel.concessions.ITEMS`) whose counts on the event rows, rounded half
    up, give Table 3's mean, sd, median and maximum for both A and B."""
    pool = tuple(pool or ITEMS)
    targets = targets or table3_targets()
    sides = side_indicators(events, alliances, members, pool)
    combos = np.array(list(itertools.combinations(range(len(pool)), size)))
    select = np.zeros((len(pool), len(combos)))
    select[combos.T, np.arange(len(combos))] = 1
    ok = np.ones(len(combos), dtype=bool)
    for side, M in sides.items():
        C = M @ select                          # one column of counts per candidate list
        t = targets[side]
        ok &= ((half_up(C.mean(0)) == t["mean"]) & (half_up(C.std(0, ddof=1)) == t["sd"])
               & (np.median(C, 0) == t["median"]) & (C.max(0) == t["max"]))
    matching = tuple(tuple(pool[j] for j in combos[i]) for i in np.flatnonzero(ok))
    return ItemListSearch(pool, size, len(combos), matching)


def item_list_options() -> tuple[str, ...]:
    """The item lists ``DataChoices.concession_items`` allows, in its order."""
    return tuple(allowed(DataChoices, "concession_items"))


def counts_by_item_list(frame_for: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Summaries of the counts made by A and by B on the event rows of each item list's frame."""
    rows = []
    for name, frame in frame_for.items():
        ev = frame[frame["def"] == 1]
        for side in ("A", "B"):
            rows.append({"items": name, "item count": len(item_list(name)), "made by": side,
                         **count_summary(ev[f"concessions{side}"])})
    return pd.DataFrame(rows)


def _cell(result, term: str, stars: Sequence[float]) -> dict[str, float]:
    b, se = float(result.params[term]), float(result.bse[term])
    return {"coef": b, "se": se, "stars": int(stars_from_p(two_sided_normal_p(b / se), stars)[0])}


def hurdle_by_item_list(spec: Choices, lists: Sequence[str] | None = None) -> pd.DataFrame:
    """The hurdle models of Tables 2 and 12 under each item list: for each list and model,
    the positive counts, the binary and the count part's interaction (coef, se, stars) and
    the hurdle's log-likelihood; NaN where a part cannot be estimated."""
    from coupproof.tables import fit_group, table

    t2 = table(2)
    rows = []
    for name in lists or item_list_options():
        try:
            fits = fit_group(2, spec.replace(concession_items=name))
        except ConvergenceError:
            fits = None
        for test in t2.tests:
            row: dict = {"items": name, "model": test.model, "term": test.term}
            h = fits[2].models[test.model] if fits else None
            if h is None:
                rows.append(row)
                continue
            row["positive"] = int(h.count.nobs)
            row.update({f"binary {k}": v for k, v in _cell(h.zero, test.term, t2.stars).items()})
            try:
                row.update({f"count {k}": v for k, v in _cell(h.count, test.term, t2.stars).items()})
            except (KeyError, ValueError):
                pass
            row["LL"] = float(h.llf)
            rows.append(row)
    return pd.DataFrame(rows)


def published_hurdle_rows() -> pd.DataFrame:
    """The paper's Tables 2 and 12 in the layout of :func:`hurdle_by_item_list`."""
    from coupproof.report.compare import published_model_stats
    from coupproof.tables import table

    pub = published_estimates().set_index(["table", "model", "term"])
    ll = published_model_stats(2).query("stat == 'LL'").set_index("model")["value"]
    rows = []
    for test in table(2).tests:
        m = int(test.model)
        rows.append({"items": "paper", "model": test.model, "term": test.term,
                     "binary coef": pub.loc[(2, m, test.term), "coef"], "binary se": pub.loc[(2, m, test.term), "se"],
                     "binary stars": pub.loc[(2, m, test.term), "stars"],
                     "count coef": pub.loc[(12, m, test.term), "coef"], "count se": pub.loc[(12, m, test.term), "se"],
                     "count stars": pub.loc[(12, m, test.term), "stars"], "LL": float(ll.loc[m])})
    return pd.DataFrame(rows)


def binary_part_against_formation(hurdles: Mapping[str, object], formation: Mapping[str, object],
                                  terms: Sequence[str] = ("shared_def", "recent_coupA")) -> pd.DataFrame:
    """The hurdle's binary part beside the formation logit it nearly repeats (both with
    model-based SEs), ours and the paper's: Table 2 Model 1 against Table 1 Model 2, Table 2
    Model 2 against Table 1 Model 4, for the key interaction and ``terms``."""
    from coupproof.tables import table

    pub = published_estimates().set_index(["table", "model", "term"])["coef"]
    pairs = {"1": "2", "2": "4"}
    rows = []
    for test in table(2).tests:
        m, t1m = test.model, pairs[test.model]
        for term in (test.term, *terms):
            rows.append({"hurdle model": f"Model {m}", "term": term,
                         "Table 1 (paper)": pub[(1, int(t1m), term)], "Table 2 (paper)": pub[(2, int(m), term)],
                         "Table 1 (ours)": float(formation[t1m].params[term]),
                         "Table 2 (ours)": float(hurdles[m].zero.params[term])})
    return pd.DataFrame(rows)


__all__ = ["ItemListSearch", "MATCHED", "TABLE3_NAMES", "binary_part_against_formation", "count_summary",
           "counts_by_item_list", "half_up", "hurdle_by_item_list", "item_list_options",
           "published_hurdle_rows", "search_item_lists", "side_indicators", "table3_targets"]

