"""Estimators of the paper, each returning statsmodels results wrapped in a :class:`ModelResult`.

* ``design``      - ``model.frame``/``model.matrix`` with ``a:b`` terms (all tables)
* ``logit``       - ``glm(binomial)`` + ``sandwich::vcovCL`` (Tables 1, 4, 6-9, 13-15);
  ``with_r_cluster_cov`` for any statsmodels fit, ``fit_logit_arrays`` the fast path
* ``relogit``     - Zelig ``relogit``, the King-Zeng bias correction of a logit (Table 5)
* ``firth``       - Firth's penalised logit, the cross-check beside Table 5
* ``hurdle``      - ``pscl::hurdle``: logit zero hurdle + statsmodels ``TruncatedLFPoisson`` (Tables 2, 12)
* ``heckit``      - ``sampleSelection::heckit``, two-step, from statsmodels Probit and OLS (Tables 10, 11)
* ``margins``     - ``interplot``-style log-odds effects and predicted probabilities (Figures 2, 3)
* ``interaction`` - effects on the probability scale, second differences, the binning check
* ``diagnostics`` - collinearity and separation checks that name the column
* ``lpm``         - two-way fixed-effects linear probability model (robustness; import it directly)
"""

from .design import Design, build_design
from .diagnostics import (
    CollinearityError,
    ConvergenceError,
    IllConditionedWarning,
    SeparationError,
    check_collinearity,
    check_design,
    find_separation,
)
from .firth import firth, fit_firth
from .heckit import HeckitResult, fit_heckit, fit_probit, heckit
from .hurdle import HurdleResult, fit_hurdle, fit_truncated_poisson, hurdle
from .interaction import (
    Difference,
    binned_effects,
    interaction_rows,
    probability_effect,
    second_difference,
    second_difference_arrays,
)
from .clustered import cluster_codes, cluster_cov, dyad_ids, with_r_cluster_cov
from .fixed_effects import absorb_years
from .logit import LeanLogit, fit_logit, fit_logit_arrays, logit
from .margins import conditional_effect, moderator_grid, predicted_probability, profile_matrix
from .relogit import fit_relogit, king_zeng, relogit
from .results import ModelResult, tidy_many

__all__ = [
    "CollinearityError",
    "ConvergenceError",
    "Design",
    "Difference",
    "HeckitResult",
    "HurdleResult",
    "IllConditionedWarning",
    "LeanLogit",
    "ModelResult",
    "SeparationError",
    "absorb_years",
    "binned_effects",
    "build_design",
    "check_collinearity",
    "check_design",
    "cluster_codes",
    "cluster_cov",
    "conditional_effect",
    "dyad_ids",
    "find_separation",
    "firth",
    "fit_firth",
    "fit_heckit",
    "fit_hurdle",
    "fit_logit",
    "fit_logit_arrays",
    "fit_probit",
    "fit_relogit",
    "fit_truncated_poisson",
    "heckit",
    "hurdle",
    "interaction_rows",
    "king_zeng",
    "logit",
    "moderator_grid",
    "predicted_probability",
    "probability_effect",
    "profile_matrix",
    "relogit",
    "second_difference",
    "second_difference_arrays",
    "tidy_many",
    "with_r_cluster_cov",
]
