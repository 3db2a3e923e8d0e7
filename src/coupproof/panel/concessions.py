"""Foreign-policy concessions written into new alliances, counted for each member (ATOP 5.1).

The paper's concession counts (Tables 2, 3, 10–12) follow Johnson (2015): the number of
ten foreign-policy concessions a member makes in a new alliance — promises that restrict
its dealings with third parties, commit it to peace and cooperation, or surrender policy
decisions to its partner.  Neither paper lists the ten items, and Johnson's data are not
public, so the list is a documented choice here, not a reconstruction:

* :data:`ITEMS` names every candidate item: the ATOP variable, whether ATOP codes it for
  each member (``"member"``) or for the treaty as a whole (``"alliance"``), the cut-off
  that makes it a concession, and what the code means (ATOP 5.1 codebook).
* :data:`CONCESSION_ITEMS` names the item lists the book compares; :data:`DEFAULT_ITEMS`
  is the one the panel uses unless ``DataChoices.concession_items`` says otherwise.

A **member-level** item counts only for the member that makes the promise, so State A's
and State B's counts can differ.  An **alliance-level** item binds every member, so it
counts for both.  The data-assembly verb :func:`add_concessions` puts the counts on the
dyad-years where a new pact forms::

    counts = concessions_by_member(read_atop_alliances(), read_atop_members(), "ten")
    panel = panel.pipe(add_concessions, counts)   # concessionsA, concessionsB on def == 1

Missing codes: ATOP codes a provision as missing when it has not seen the treaty text.
A member's count is the number of its *coded* items that pass their cut-off; it is missing
only when every item of the list is missing for that member.  (A coded-but-missing item
therefore counts as "not promised".)  With the default event rule this leaves the 114
non-missing values of the paper's Table 3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coupproof.panel.alliances import signatories
from coupproof.panel.transforms import with_columns


@dataclass(frozen=True)
class Item:
    """One candidate concession: an ATOP variable and the cut-off that makes it a concession.

    ``level`` is ``"member"`` (coded per member in the member file; counts for that member
    only) or ``"alliance"`` (coded once per treaty in the alliance file; counts for every
    member).  The item is a concession when the ATOP code is in ``codes``.  ``category`` is
    one of the paper's three kinds: "third parties" (restrict dealings with third parties),
    "cooperation" (commit to peace and cooperation) or "policy" (surrender policy decisions).
    """

    variable: str
    level: str
    codes: tuple[int, ...]
    category: str
    meaning: str

    @property
    def cutoff(self) -> str:
        """The cut-off in words, e.g. ``"notaiden > 0"`` or ``"milcon in {2, 3}"``."""
        if len(self.codes) == 1:
            return f"{self.variable} = {self.codes[0]}"
        lo, hi = min(self.codes), max(self.codes)
        if list(self.codes) == list(range(lo, hi + 1)) and lo == 1:
            return f"{self.variable} > 0"
        return f"{self.variable} in {{{', '.join(map(str, self.codes))}}}"


#: Every candidate item, keyed by its ATOP variable (meanings from the ATOP 5.1 codebook).
ITEMS: dict[str, Item] = {
    # --- member level (member file): promises made by one member -------------------------
    "notaiden": Item("notaiden", "member", (1, 2, 3, 4), "third parties",
                     "denies support to the partner's enemies (1 general, 2 states, 3 non-state "
                     "actors, 4 both) — e.g. no use of its territory against the partner"),
    "thirdcom": Item("thirdcom", "member", (1,), "third parties",
                     "makes no commitments to third parties, or none without consulting the partner"),
    "noothall": Item("noothall", "member", (1,), "third parties",
                     "joins no alliance whose purpose runs against this one"),
    "seppeace": Item("seppeace", "member", (1, 2, 3), "third parties",
                     "concludes no separate peace (1 prohibited, 2 only with the partner's "
                     "approval, 3 consults on the terms)"),
    "dipaid": Item("dipaid", "member", (1,), "cooperation",
                   "answers threats to the partner with diplomatic action (breaking relations, "
                   "sanctions, support in international organisations)"),
    "terrres": Item("terrres", "member", (1,), "policy",
                    "makes part of its territory or resources available to the partner"),
    # --- alliance level (alliance file): provisions that bind every member ---------------
    "interv": Item("interv", "alliance", (1, 2, 3, 4), "cooperation",
                   "commitments on intervention in the members' domestic affairs (1 mutual "
                   "non-intervention, 2 mutual intervention under conditions, 3 one-sided "
                   "intervention, 4 one-sided non-intervention)"),
    "ecaid": Item("ecaid", "alliance", (1, 2, 3), "cooperation",
                  "economic aid (1 general, 2 post-war recovery, 3 trade concessions incl. MFN status)"),
    "milaid": Item("milaid", "alliance", (1, 2, 3, 4), "cooperation",
                   "military aid (1 general, 2 grants or loans, 3 training or technology, 4 both)"),
    "base": Item("base", "alliance", (1, 2, 3), "policy",
                 "troop stationing (1 joint placements on neutral territory, 2 each may station "
                 "troops or use facilities on the other's territory, 3 one-sided basing)"),
    "intcom": Item("intcom", "alliance", (1,), "policy",
                   "integrated command in peace and war"),
    "subord": Item("subord", "alliance", (1, 2), "policy",
                   "one party's forces subordinated to another's in war (1 named commander, 2 conditional)"),
    "milcon": Item("milcon", "alliance", (2, 3), "policy",
                   "military coordination in peacetime (2 required peacetime contact of the armed "
                   "services, 3 common defence policy); wartime-only contact (1) does not count"),
    "armred": Item("armred", "alliance", (1, 2), "policy",
                   "arms limits (1) or a coordinated arms increase (2)"),
    "divgains": Item("divgains", "alliance", (1,), "policy",
                     "how gains from a future war will be divided"),
}

#: Named item lists (see the alliance-negotiation chapter for the evidence behind the default).
CONCESSION_ITEMS: dict[str, tuple[str, ...]] = {
    # Default: ten items.  Four member-level promises (three that restrict dealings with third
    # parties, one that opens the member's territory) plus six treaty-wide provisions on
    # non-intervention, aid, basing, command and peacetime military coordination.  The
    # member-level items dipaid and seppeace are left out: they are promises about conduct in
    # a crisis or war — the alliance's core obligation — rather than concessions of policy,
    # and neither is ever coded 1 in a new bilateral defense pact of 1961–2010, so leaving
    # them out changes no count in the sample.
    "ten": ("notaiden", "thirdcom", "noothall", "terrres",
            "interv", "ecaid", "milaid", "base", "intcom", "milcon"),
    # Only the six member-level items: the purely directional count.
    "member6": ("notaiden", "thirdcom", "noothall", "seppeace", "dipaid", "terrres"),
    # The provisional list of the estimation notes (section 2.11), without the companion-
    # agreement flag compag (a container of other provisions, not a promise).
    "notes10": ("notaiden", "thirdcom", "noothall",
                "interv", "ecaid", "milaid", "base", "intcom", "subord", "divgains"),
    # The default without the non-intervention clause, which most new pacts carry: shows
    # how much the share of pacts with at least one concession rests on that one item.
    "ten_no_interv": ("notaiden", "thirdcom", "noothall", "terrres",
                      "ecaid", "milaid", "base", "intcom", "milcon"),
}
DEFAULT_ITEMS = "ten"


def item_list(items: str | Sequence[str]) -> tuple[str, ...]:
    """The item variables of a named list (:data:`CONCESSION_ITEMS`) or of an explicit list."""
    if isinstance(items, str):
        if items not in CONCESSION_ITEMS:
            raise ValueError(f"unknown concession item list {items!r}; allowed: "
                             + ", ".join(CONCESSION_ITEMS))
        return CONCESSION_ITEMS[items]
    items = tuple(items)
    unknown = [i for i in items if i not in ITEMS]
    if unknown:
        raise ValueError(f"unknown concession item(s) {unknown}; allowed: {', '.join(ITEMS)}")
    if len(set(items)) != len(items):
        raise ValueError(f"duplicated concession items: {list(items)}")
    if not items:
        raise ValueError("a concession item list needs at least one item")
    return items


def item_table(items: str | Sequence[str] = DEFAULT_ITEMS) -> pd.DataFrame:
    """The items of a list as a table: variable, level, cut-off, category, meaning."""
    return pd.DataFrame([{"item": v, "level": ITEMS[v].level, "cut-off": ITEMS[v].cutoff,
                          "category": ITEMS[v].category, "ATOP meaning": ITEMS[v].meaning}
                         for v in item_list(items)])


def _indicator(values: pd.Series, item: Item) -> pd.Series:
    """1.0 where the code passes the item's cut-off, 0.0 where it does not, NaN where missing."""
    v = pd.to_numeric(values, errors="coerce").astype("float64")
    return pd.Series(np.where(v.isin(item.codes), 1.0, 0.0), index=values.index).where(v.notna())


def item_indicators(alliances: pd.DataFrame, members: pd.DataFrame,
                    items: str | Sequence[str] = DEFAULT_ITEMS) -> pd.DataFrame:
    """One row per alliance and signatory: ``atopid``, ``member`` and a 0/1/NaN column per item.

    Signatories are the members of each alliance's first phase
    (:func:`coupproof.panel.alliances.signatories`).  Member-level items are read from the
    member's own row; alliance-level items are copied to every member of the treaty.
    """
    names = item_list(items)
    sig = signatories(members)
    mem_items = [v for v in names if ITEMS[v].level == "member"]
    all_items = [v for v in names if ITEMS[v].level == "alliance"]
    missing = [v for v in mem_items if v not in sig] + [v for v in all_items if v not in alliances]
    if missing:
        raise KeyError(f"ATOP columns not found: {missing}")
    out = pd.DataFrame({"atopid": sig["atopid"].to_numpy(dtype="int64"),
                        "member": sig["member"].to_numpy(dtype="int64")})
    for v in mem_items:
        out[v] = _indicator(sig[v], ITEMS[v]).to_numpy()
    # a member listed twice in its first phase keeps the larger (a promise made once counts)
    out = out.groupby(["atopid", "member"], as_index=False, sort=True).max()
    if all_items:
        treaty = pd.DataFrame({"atopid": alliances["atopid"].to_numpy(dtype="int64")})
        for v in all_items:
            treaty[v] = _indicator(alliances[v], ITEMS[v]).to_numpy()
        if treaty["atopid"].duplicated().any():
            raise ValueError("the alliance file has duplicated atopid values")
        out = out.merge(treaty, on="atopid", how="left", validate="many_to_one")
    return out[["atopid", "member", *names]]


def concessions_by_member(alliances: pd.DataFrame, members: pd.DataFrame,
                          items: str | Sequence[str] = DEFAULT_ITEMS) -> pd.DataFrame:
    """Concessions made by each signatory of each alliance: ``atopid``, ``member``, ``concessions``.

    ``concessions`` is the number of items of ``items`` (a name in :data:`CONCESSION_ITEMS`
    or a list of :data:`ITEMS` keys) that pass their cut-off for that member; items ATOP
    codes as missing do not count, and the count is missing (NaN) only when all of them
    are missing.  Float64, so that missing values survive the merge into the panel.
    """
    names = item_list(items)
    ind = item_indicators(alliances, members, names)
    flags = ind[list(names)]
    count = flags.sum(axis=1, min_count=1)
    return pd.DataFrame({"atopid": ind["atopid"], "member": ind["member"],
                         "concessions": count.astype("float64")})


def add_concessions(panel: pd.DataFrame, pacts_concessions: pd.DataFrame) -> pd.DataFrame:
    """``concessionsA`` (made by State A, ``ccode1``) and ``concessionsB`` (made by State B,
    ``ccode2``) in the pact that forms in the dyad-year.

    Needs ``def`` and ``def_atopid`` (from :func:`coupproof.panel.dyads.add_new_pacts`).
    Values go only on rows with ``def == 1``; every other row gets NaN, as do event rows
    whose pact has no count for that member.  The same pact seen from (B, A) swaps the two
    columns.  ``pacts_concessions`` comes from :func:`concessions_by_member` and must have
    one row per (``atopid``, ``member``).  Row count and order are unchanged.
    """
    need = {"def", "def_atopid", "ccode1", "ccode2"} - set(panel.columns)
    if need:
        raise KeyError(f"add_concessions needs columns {sorted(need)} (run add_new_pacts first)")
    atopid = panel["def_atopid"].to_numpy(dtype="float64", na_value=np.nan)
    atopid = np.where(panel["def"].fillna(0).to_numpy() == 1, atopid, np.nan)
    new = pd.DataFrame({f"concessions{side}": concession_values(
        atopid, panel[code].to_numpy(dtype="int64"), pacts_concessions)
        for side, code in (("A", "ccode1"), ("B", "ccode2"))}, index=panel.index)
    return with_columns(panel, new)   # an earlier count is replaced, not duplicated


def concession_values(atopid: np.ndarray, member: np.ndarray,
                      pacts_concessions: pd.DataFrame) -> np.ndarray:
    """The concessions ``member`` makes in pact ``atopid`` (arrays; NaN where ``atopid`` is
    NaN or the pact has no count for that member)."""
    pc = pacts_concessions[["atopid", "member", "concessions"]]
    if pc.duplicated(["atopid", "member"]).any():
        raise pd.errors.MergeError("pacts_concessions has more than one row per (atopid, member)")
    index = pd.MultiIndex.from_arrays([pc["atopid"].to_numpy(dtype="int64"),
                                       pc["member"].to_numpy(dtype="int64")])
    values = pc["concessions"].to_numpy(dtype="float64")
    out = np.full(len(atopid), np.nan)
    rows = np.flatnonzero(~np.isnan(atopid))
    if len(rows):
        keys = pd.MultiIndex.from_arrays([atopid[rows].astype("int64"), member[rows]])
        pos = index.get_indexer(keys)
        found = pos >= 0
        out[rows[found]] = values[pos[found]]
    return out


def _check_lists_match_choices() -> None:
    """Every item list named in ``DataChoices.concession_items`` has a definition here."""
    from coupproof.params import DataChoices, allowed

    declared = set(allowed(DataChoices, "concession_items"))
    if declared != set(CONCESSION_ITEMS):
        raise RuntimeError(f"concession item lists {sorted(CONCESSION_ITEMS)} do not match "
                           f"DataChoices.concession_items {sorted(declared)}")


_check_lists_match_choices()
