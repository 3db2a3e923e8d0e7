"""One codebook: every variable's panel column, model term, the paper's name and its label.

The panel keeps descriptive column names (``lncb_l_A`` = ln(1 + counterweights) of A in
t−1); models use short *terms* (``cb``); the paper's Table 3 shows the authors' raw names
(``lncbcount1_l``) and its regression tables print labels ("Counterbalancing, A").  Each
variable is defined once here, and tables, summaries, figures and the analysis frame read
from :data:`CODEBOOK`.
"""

from __future__ import annotations

from dataclasses import dataclass

from coupproof.params import TermChoices


@dataclass(frozen=True)
class Variable:
    """One variable of the dyadic design.

    ``term`` is the model term (the name in ``data/published``), ``column`` the panel column
    (``column_lagged`` the alternative under a ``TermChoices`` timing, if any), ``paper`` the
    authors' name in Table 3 (None when Table 3 does not list it), ``label`` the row label of
    the paper's tables.
    """

    term: str
    column: str
    label: str
    paper: str | None = None
    timing: str | None = None  # the TermChoices field that switches to ``column_lagged``
    column_lagged: str | None = None

    def column_for(self, terms: TermChoices = TermChoices()) -> str:
        if self.timing and getattr(terms, self.timing) == "t-1":
            return self.column_lagged
        return self.column


CODEBOOK: tuple[Variable, ...] = (
    Variable("cb", "lncb_l_A", "Counterbalancing, A", "lncbcount1_l"),
    Variable("cb_count", "cbcount_l_A", "Counterbalancing, A", "cbcount1_l"),
    Variable("new_cw", "new_cw_A", "New counterweights, A", "newcb1", "new_cw_timing", "new_cw_l_A"),
    Variable("threatA", "threat_l_A", "External threat, A", "threat1_l"),
    Variable("threatB", "threat_l_B", "External threat, B", "threat2_l"),
    Variable("shared_def", "shared_def_l", "Shared defense pacts", "prev_def"),
    Variable("regime_diff", "reg_diff_l", "Regime difference", "reg_diff_l"),
    Variable("recent_coupA", "recent_coup_A", "Recent coup, A", "recent5_pt1"),
    Variable("new_regimeA", "new_regime_A", "New regime, A", "new_reg1"),
    Variable("militaryA", "military_l_A", "Military regime, A", "gwf_military1_l"),
    Variable("joint_dem", "joint_dem_l", "Joint democracy"),
    Variable("d_milexA", "d_milex_A", "Change in military expenditure, A", None, "delta_timing",
             "d_milex_l_A"),
    Variable("d_milperA", "d_milper_A", "Change in military personnel, A", None, "delta_timing",
             "d_milper_l_A"),
    Variable("midA", "mid_recent_A", "Recent MID, A"),
    Variable("midB", "mid_recent_B", "Recent MID, B"),
    Variable("rivalsA", "rivals_l_A", "Count of rivalries, A"),
    Variable("rivalsB", "rivals_l_B", "Count of rivalries, B"),
)
#: The dependent variable and the concession counts (Table 3 names them too).
OUTCOMES: tuple[Variable, ...] = (
    Variable("def", "def", "Defense pacts", "def"),
    Variable("concessionsA", "concessionsA", "Concessions, A", "concessions1"),
    Variable("concessionsB", "concessionsB", "Concessions, B", "concessions2"),
)
#: Labels of rows that are not variables.
EXTRA_LABELS = {"imr": "Inverse Mills ratio", "const": "Constant"}

BY_TERM: dict[str, Variable] = {v.term: v for v in (*CODEBOOK, *OUTCOMES)}


def variable(term: str) -> Variable:
    if term not in BY_TERM:
        raise KeyError(f"unknown term {term!r}; the codebook has {', '.join(BY_TERM)}")
    return BY_TERM[term]


def column(term: str, terms: TermChoices = TermChoices()) -> str:
    """The panel column behind a model term, honouring the timing choices."""
    return variable(term).column_for(terms)


def labels() -> dict[str, str]:
    """term -> printed label, for every variable and the constant."""
    return {**{v.term: v.label for v in CODEBOOK}, **EXTRA_LABELS}


def label(term: str) -> str:
    """Table label of a term; products become "X × Y"."""
    lab = labels()
    if term in lab:
        return lab[term]
    return " × ".join(lab.get(t, t) for t in term.split(":"))


def table3_columns() -> dict[str, str]:
    """The paper's Table 3 names -> panel columns, in Table 3's (alphabetical) order."""
    named = {v.paper: v.column for v in (*CODEBOOK, *OUTCOMES) if v.paper}
    return dict(sorted(named.items()))


#: The control sets of ``EstimationChoices.controls`` (terms); "paper" is Table 1's.
CONTROL_SETS: dict[str, tuple[str, ...]] = {
    "paper": ("shared_def", "regime_diff", "recent_coupA", "new_regimeA", "militaryA"),
    "no_military": ("shared_def", "regime_diff", "recent_coupA", "new_regimeA"),
    "no_regime_diff": ("shared_def", "recent_coupA", "new_regimeA", "militaryA"),
    "none": (),
}


def control_columns(controls: str = "paper", terms: TermChoices = TermChoices()) -> list[str]:
    """Panel columns of a control set (for attrition tables and sample counts)."""
    return [column(t, terms) for t in CONTROL_SETS[controls]]
