"""Estimators of the paper, each returning a statsmodels-shaped result.

* ``design``  - ``model.frame``/``model.matrix`` with ``a:b`` terms (all tables)
* ``logit``   - ``glm(binomial)`` + ``sandwich::vcovCL`` (Tables 1, 4, 6-9, 13-15)
* ``relogit`` - Zelig ``relogit``, the King-Zeng bias correction (Table 5)
* ``hurdle``  - ``pscl::hurdle``: logit zero hurdle + truncated Poisson (Tables 2, 12)
* ``heckit``  - ``sampleSelection::heckit``, two-step (Tables 10, 11)
* ``margins`` - ``interplot``-style effects and predicted probabilities (Figures 2, 3)
* ``lpm``     - two-way fixed-effects linear probability model (robustness; import it directly)
"""

from .design import Design, build_design
from .heckit import HeckitResult, fit_heckit, fit_probit, heckit
from .hurdle import HurdleResult, fit_hurdle, fit_truncated_poisson, hurdle
from .logit import absorb_years, cluster_cov, dyad_ids, fit_logit, logit
from .margins import conditional_effect, moderator_grid, predicted_probability, profile_matrix
from .newton import ConvergenceError, IllConditionedWarning, SeparationError
from .relogit import fit_relogit, relogit
from .results import ModelResult, tidy_many

__all__ = [
    "ConvergenceError",
    "Design",
    "HeckitResult",
    "HurdleResult",
    "IllConditionedWarning",
    "ModelResult",
    "SeparationError",
    "absorb_years",
    "build_design",
    "cluster_cov",
    "conditional_effect",
    "dyad_ids",
    "fit_heckit",
    "fit_hurdle",
    "fit_logit",
    "fit_probit",
    "fit_relogit",
    "fit_truncated_poisson",
    "heckit",
    "hurdle",
    "logit",
    "moderator_grid",
    "predicted_probability",
    "profile_matrix",
    "relogit",
    "tidy_many",
]
