"""Deprecated location of the fitting errors; the book's own Newton solver is gone.

Every estimator now fits through statsmodels (or :func:`coupproof.models.logit.fit_logit_arrays`,
whose estimates become statsmodels results).  The errors live in
:mod:`coupproof.models.diagnostics`; this module only re-exports them so that
``from coupproof.models.newton import ConvergenceError`` keeps working until its last
callers import from ``coupproof.models.diagnostics``.  It will be removed then.
"""

from .diagnostics import CollinearityError, ConvergenceError, IllConditionedWarning, SeparationError

__all__ = ["CollinearityError", "ConvergenceError", "IllConditionedWarning", "SeparationError"]
