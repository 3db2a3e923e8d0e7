"""The held-out check: the scorecard of a construction on the tables the search did not see.

The calibration chooses constructions on Table 1, Table 3's counts and the text's mean only.
Tables 2 and 4–15 are then an out-of-sample test: every published coefficient of those
tables beside ours, counted as the scorecard counts them (same sign, same stars, within one
published standard error).  All tables are fitted from the package's table registry
(:func:`coupproof.tables.all_results`), without running a notebook.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from coupproof.params import Choices

#: The tables the calibration holds out.
HELD_OUT = (2, *range(4, 16))


def scorecard_counts(card: pd.DataFrame) -> dict:
    """Coefficients compared, and the shares with the paper's sign, stars, and within one
    published SE (published zeros and missing estimates are not counted)."""
    known = card[card["coef_ours"].notna()]
    sign = known["sign_agree"].dropna().astype(bool)
    stars = known["stars_agree"].dropna().astype(bool)
    within = known["diff_in_paper_se"].dropna().abs() <= 1
    return {"coefficients": int(len(card)), "estimated": int(len(known)),
            "same sign": float(sign.mean()) if len(sign) else float("nan"),
            "same stars": float(stars.mean()) if len(stars) else float("nan"),
            "within one published SE": float(within.mean()) if len(within) else float("nan")}


def heldout_results(choices: Choices, tables: Iterable[int] = HELD_OUT) -> dict:
    """The results of ``tables`` under ``choices``: the book's own results from the results
    store when ``choices`` is the book's construction and the store holds them for the
    current code, else fitted from the table registry (estimation frames shared).  Tables
    with no ML estimate are missing from the result."""
    from coupproof.results import ResultsError, book_results
    from coupproof.tables import all_results

    wanted = list(tables)
    if choices.key() == Choices().key():
        try:
            return book_results(wanted)
        except ResultsError:
            pass
    return all_results(choices, tables=wanted, skip_failed=True)


def heldout_card(choices: Choices, tables: Iterable[int] = HELD_OUT) -> pd.DataFrame:
    """The scorecard rows of ``tables`` for the construction ``choices``.

    A table with no ML estimate under the construction (e.g. a dummy that separates the
    outcome in its sample) keeps its published rows with missing estimates, and its number
    is listed in the card's ``attrs["no_estimate"]``.
    """
    from coupproof.report.scorecard import coefficient_scorecard

    wanted = list(tables)
    results = heldout_results(choices, wanted)
    card = coefficient_scorecard(results)
    card = card[card["table"].isin(wanted)].reset_index(drop=True)
    card.attrs["no_estimate"] = [n for n in dict.fromkeys(wanted) if n not in results]
    return card


def scorecard_row(choices: Choices, tables: Iterable[int] = HELD_OUT) -> dict:
    """The held-out scorecard counts of one construction, and the tables it has no estimate for."""
    card = heldout_card(choices, list(tables))
    return {**scorecard_counts(card),
            "tables without an estimate": ", ".join(map(str, card.attrs["no_estimate"])) or "none"}


def compare_scorecards(constructions: Mapping[str, Choices],
                       tables: Iterable[int] = HELD_OUT, client=None) -> pd.DataFrame:
    """One row per named construction: the held-out scorecard counts.  With a Dask
    ``client`` the constructions are scored on its workers, one each."""
    wanted = list(tables)
    if client is None:
        rows = [scorecard_row(c, wanted) for c in constructions.values()]
    else:
        rows = client.gather(client.map(scorecard_row, list(constructions.values()),
                                        tables=wanted, pure=False))
    return pd.DataFrame([{"construction": name, **row} for name, row in zip(constructions, rows)])
