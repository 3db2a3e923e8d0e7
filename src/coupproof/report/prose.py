"""Numbers and verdicts as the book's prose prints them.

Every result-dependent number and verdict in a chapter's text is glued from code; these
helpers make the strings: numbers with a true minus sign and fixed decimals, counts with
thousands separators, p-values, significance levels at a table's own star thresholds, and
the verdict of one of our estimates against the paper's.  A verdict is computed from the
estimates, never written by hand::

    verdict(coef_ours=-7.31, se_ours=1.84, coef_paper=-7.668, se_paper=1.897)
    # "the paper's sign and significance level (significant at 1 %)"
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from coupproof.models.results import DEFAULT_STARS, stars_from_p, two_sided_normal_p

MINUS = "\u2212"


def number(x: float | None, digits: int = 3) -> str:
    """``-7.3104`` -> "−7.310"; NaN or None -> "—"."""
    if x is None or not np.isfinite(float(x)):
        return "—"
    text = f"{float(x):.{digits}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", MINUS)


def count(n: float | int) -> str:
    """``423269`` -> "423,269"."""
    return f"{int(round(float(n))):,}".replace("-", MINUS)


def signed_count(n: float | int) -> str:
    """``2718`` -> "+2,718", ``-931`` -> "−931", ``0`` -> "0"."""
    n = int(round(float(n)))
    return "0" if n == 0 else f"{n:+,}".replace("-", MINUS)


def percent(share: float, digits: int = 1, signed: bool = False) -> str:
    """``0.0065`` -> "0.6 %" (``signed``: "+0.6 %")."""
    value = 100 * float(share)
    text = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    if float(text) == 0:
        text = text.lstrip("+-")
    return text.replace("-", MINUS) + " %"


def pvalue(p: float, digits: int = 3) -> str:
    """``0.0004`` -> "< 0.001", ``0.0312`` -> "0.031"."""
    if p is None or not np.isfinite(float(p)):
        return "—"
    floor = 10.0 ** -digits
    return f"< {floor:.{digits}f}" if float(p) < floor else f"{float(p):.{digits}f}"


def p_phrase(p: float, digits: int = 3) -> str:
    """"p < 0.001" or "p = 0.031"."""
    text = pvalue(p, digits)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def join(items: Sequence[str], conjunction: str = "and") -> str:
    """``["1", "3"]`` -> "1 and 3"; three or more with commas."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def percent_label(threshold: float) -> str:
    """``0.05`` -> "5 %", ``0.001`` -> "0.1 %"."""
    return f"{100 * threshold:g} %"


def significance(stars: int, thresholds: Sequence[float] = DEFAULT_STARS) -> str:
    """"significant at 1 %" for three stars at .1/.05/.01; "not significant at 10 %" for none."""
    cut = sorted(thresholds, reverse=True)        # loosest first
    stars = int(stars)
    if stars <= 0:
        return f"not significant at {percent_label(cut[0])}"
    return f"significant at {percent_label(cut[min(stars, len(cut)) - 1])}"


def stars_of(coef: float, se: float, thresholds: Sequence[float] = DEFAULT_STARS) -> int:
    return int(stars_from_p(two_sided_normal_p(float(coef) / float(se)), thresholds)[0])


def verdict(coef_ours: float, se_ours: float, coef_paper: float, se_paper: float,
            thresholds: Sequence[float] = DEFAULT_STARS, stars_paper: int | None = None) -> str:
    """Our estimate against the paper's: same sign and significance level, same sign only
    (with both levels), or the opposite sign."""
    ours = stars_of(coef_ours, se_ours, thresholds)
    paper = int(stars_paper) if stars_paper is not None else stars_of(coef_paper, se_paper, thresholds)
    if np.sign(coef_ours) != np.sign(coef_paper):
        return f"the opposite sign to the paper's ({significance(ours, thresholds)} here)"
    if ours == paper:
        return f"the paper's sign and significance level ({significance(ours, thresholds)})"
    return (f"the paper's sign but not its significance level ({significance(ours, thresholds)} "
            f"here, {significance(paper, thresholds)} in the paper)")


def support(coef: float, se: float, expected_sign: int, hypothesis: str, level: float = 0.05) -> str:
    """What our estimate says about a hypothesis: "in line with H1b" (predicted sign,
    p < ``level``), "the sign H1b predicts, but not significant at 5 %", or "the opposite of
    what H1b predicts"."""
    p = float(two_sided_normal_p(float(coef) / float(se)))
    if np.sign(coef) != np.sign(expected_sign):
        return f"the opposite of what {hypothesis} predicts"
    if p < level:
        return f"in line with {hypothesis}"
    return f"the sign {hypothesis} predicts, but not significant at {percent_label(level)}"


__all__ = ["MINUS", "count", "join", "number", "p_phrase", "percent", "percent_label", "pvalue",
           "significance", "signed_count", "stars_of", "support", "verdict"]
