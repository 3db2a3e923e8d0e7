"""Checks beyond the paper's own tables.

Each module holds the analyses a chapter runs besides fitting its table: reconstructing a
choice the paper leaves unstated from its published numbers, or diagnosing an estimator.

==================  ==========================================================================
:mod:`.concessions`  which item lists reproduce Table 3; the hurdle under each list (chapter 05)
:mod:`.heckit`       how much the exclusion restriction identifies; ρ, σ and λ (chapter 07)
:mod:`.monadic`      the sample and the event rule behind Table 15's N and SEs (chapter 15)
:mod:`.lpm`          linear probability models with pair or dyad effects (chapter 16)
:mod:`.formation`    the clustering unit, events seen from both directions (chapter 04)
==================  ==========================================================================
"""
