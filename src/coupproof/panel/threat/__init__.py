"""External threat to a state: the capabilities of potential adversaries in its neighbourhood.

The paper (§3.2) follows Leeds & Savun (2007) and Mattes (2012): the threat to state i in
year t is the sum of the CINC scores of every *potential adversary* in i's politically
relevant international environment (PRIE, Maoz 1996).  A potential adversary is a state j in
the PRIE that is not allied with i and whose alliance portfolio is less similar to i's than
the average politically relevant dyad (Signorino & Ritter's S below its mean).

One module per idea, each small enough to test on a toy system:

==================================  ===================================================
:mod:`.years`                       who is in the system each year; one array per year
:mod:`.portfolios`                  valued alliance ties (the S-score codings) and allies
:mod:`.similarity`                  Signorino–Ritter S for every pair, every year
:mod:`.relevance`                   PRIE(i, t): contiguous states and major powers
:mod:`.measure`                     the cut-off S̄, the threat sum, and the cached
                                    components for one set of choices
==================================  ===================================================

The choices themselves are :class:`coupproof.params.ThreatChoices` (nested in
:class:`~coupproof.params.DataChoices`).
"""

from coupproof.panel.threat.measure import (ThreatComponents, allied_pairs, build_threat,
                                            cinc_scores, environment, external_threat, mean_s,
                                            mean_s_period, relevant_dyads, similarity,
                                            threat_components, threat_reads, threat_system)
from coupproof.panel.threat.portfolios import (ALLY_OBLIGATIONS, CODINGS, Coding, alliance_ties,
                                               coding_named, valued_portfolios)
from coupproof.panel.threat.relevance import contiguity, major_powers, politically_relevant
from coupproof.panel.threat.similarity import DISTANCES, pair_distance, s_scores
from coupproof.panel.threat.years import (MAX_CCODE, THREAT_YEARS, SystemIndex, YearArrays,
                                          state_values, system_index)

__all__ = [
    "ALLY_OBLIGATIONS", "CODINGS", "Coding", "DISTANCES", "MAX_CCODE", "SystemIndex",
    "THREAT_YEARS", "ThreatComponents", "YearArrays", "alliance_ties", "allied_pairs",
    "build_threat", "cinc_scores", "coding_named", "contiguity", "environment",
    "external_threat", "major_powers", "mean_s", "mean_s_period", "pair_distance",
    "politically_relevant", "relevant_dyads", "s_scores", "similarity", "state_values",
    "system_index", "threat_components", "threat_reads", "threat_system", "valued_portfolios",
]
