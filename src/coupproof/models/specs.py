"""Model specifications of every table, keyed as in the paper (table, model).

Each spec lists the dependent variable and the regressors in the paper-record term names
(see :mod:`coupproof.panel.variables`); ``"a:b"`` is the product of a and b.
"""

from __future__ import annotations

from coupproof.codebook import CONTROL_SETS

#: Table 1's controls (terms).
CONTROLS = list(CONTROL_SETS["paper"])


def interaction(cb: str, moderator: str) -> list[str]:
    return [cb, moderator, f"{cb}:{moderator}"]


def formation(cb: str = "cb", moderator: str = "threatA", other: str | None = "threatB",
              controls: list[str] | None = CONTROLS, extra: list[str] = ()) -> list[str]:
    """Regressors of an alliance-formation logit: cb, moderator, cb × moderator, the other
    threat, controls (+ extra), constant."""
    terms = interaction(cb, moderator)
    if other:
        terms.append(other)
    terms += list(controls or []) + list(extra)
    return terms + ["const"]


#: Table 1: (model) -> regressors.  DV: def.
TABLE1 = {
    1: formation(moderator="threatA", other=None, controls=None),
    2: formation(moderator="threatA", other="threatB"),
    3: formation(moderator="threatB", other=None, controls=None),
    4: formation(moderator="threatB", other="threatA"),
}
#: Models 2 and 4 of Table 1: the specification most appendix tables vary.
MAIN = {1: TABLE1[2], 2: TABLE1[4]}
