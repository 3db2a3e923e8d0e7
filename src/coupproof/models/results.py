"""One result object for every estimator in the book.

The shape follows statsmodels' results classes: ``params``, ``bse``, ``cov_params()``,
``zvalues``, ``pvalues``, ``nobs``, ``llf``.  Tables, comparisons with the paper and
figures read from this object and never from printed output.

Inference is a two-sided normal (z) test throughout.  That is what R's ``coeftest`` on a
``glm``, ``summary.glm`` for binomial/Poisson families, texreg and stargazer used for the
published stars (estimation notes, section 3.1): every published star agrees with a
normal p-value at its table's thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats as _st

DEFAULT_STARS: tuple[float, ...] = (0.1, 0.05, 0.01)
"""Star thresholds of every table except Table 5: one star below .1, two below .05, three below .01."""

TIDY_COLUMNS = ["model", "term", "coef", "se", "z", "p", "stars", "nobs", "llf"]


def two_sided_normal_p(z: np.ndarray | float) -> np.ndarray:
    """Two-sided p-value of a z statistic, ``2 * (1 - Phi(|z|))`` (R: ``2 * pnorm(-abs(z))``)."""
    return 2.0 * _st.norm.sf(np.abs(np.asarray(z, dtype=float)))


def stars_from_p(p: np.ndarray | float, thresholds: Sequence[float] = DEFAULT_STARS) -> np.ndarray:
    """Number of stars (0 to ``len(thresholds)``) for each p-value.

    A p-value earns one star for every threshold it falls strictly below, which is how
    texreg and stargazer assign stars (``p < .1`` gives one star with the default set).
    Missing p-values get 0 stars.
    """
    p = np.atleast_1d(np.asarray(p, dtype=float))
    cut = np.sort(np.asarray(thresholds, dtype=float))[::-1]  # loosest first
    n = (p[:, None] < cut[None, :]).sum(axis=1)
    return n.astype(int)


@dataclass
class ModelResult:
    """Estimates of one model, shaped like a statsmodels results object.

    Parameters
    ----------
    params
        Point estimates, a Series indexed by term name (``"cb"``, ``"cb:threatB"``, ``"const"``).
    cov
        Covariance matrix of ``params`` as a DataFrame with the same index and columns.
    nobs
        Number of observations the model was fitted on.
    llf
        Log-likelihood at the estimates (NaN for estimators without one, e.g. two-step OLS).
    model
        A short name that tables and comparisons use as the model key (``"T1-M2"``, ``"2"``).
    stats
        Extra table rows: AIC, BIC, deviance, rho, IMR, number of clusters, ...
    cov_type
        ``"model"``, ``"cluster"``, ``"heckit"``... as a reminder of what ``bse`` means.
    info
        Fitting details that are not table rows (iterations, dropped rows, the ML fit behind
        a bias-corrected estimate, ...).
    """

    params: pd.Series
    cov: pd.DataFrame
    nobs: int
    llf: float = float("nan")
    model: str = ""
    stats: dict[str, Any] = field(default_factory=dict)
    cov_type: str = "model"
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.params = pd.Series(self.params, dtype=float)
        names = list(self.params.index)
        cov = pd.DataFrame(self.cov)
        if cov.shape != (len(names), len(names)):
            raise ValueError(f"covariance is {cov.shape}, expected {(len(names), len(names))}")
        cov.index = names
        cov.columns = names
        self.cov = cov.astype(float)
        self.nobs = int(self.nobs)
        self.llf = float(self.llf)

    # --- statsmodels-like accessors -----------------------------------------------------
    @classmethod
    def from_arrays(
        cls,
        beta: np.ndarray,
        cov: np.ndarray,
        names: Sequence[str],
        **kwargs: Any,
    ) -> "ModelResult":
        """Build a result from a coefficient vector, its covariance and the term names."""
        names = list(names)
        return cls(
            params=pd.Series(np.asarray(beta, dtype=float), index=names),
            cov=pd.DataFrame(np.asarray(cov, dtype=float), index=names, columns=names),
            **kwargs,
        )

    def cov_params(self) -> pd.DataFrame:
        """Covariance matrix of the estimates (a copy)."""
        return self.cov.copy()

    @property
    def bse(self) -> pd.Series:
        """Standard errors: square roots of the covariance diagonal."""
        return pd.Series(np.sqrt(np.diag(self.cov.to_numpy())), index=self.params.index)

    @property
    def zvalues(self) -> pd.Series:
        """z statistics, ``params / bse``."""
        return self.params / self.bse

    @property
    def tvalues(self) -> pd.Series:
        """Alias of :attr:`zvalues` for code written against statsmodels."""
        return self.zvalues

    @property
    def pvalues(self) -> pd.Series:
        """Two-sided normal p-values."""
        return pd.Series(two_sided_normal_p(self.zvalues.to_numpy()), index=self.params.index)

    @property
    def terms(self) -> list[str]:
        return list(self.params.index)

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Normal confidence intervals with columns ``lower`` and ``upper``."""
        q = _st.norm.ppf(1 - alpha / 2)
        return pd.DataFrame(
            {"lower": self.params - q * self.bse, "upper": self.params + q * self.bse}
        )

    def with_cov(self, cov: np.ndarray | pd.DataFrame, cov_type: str, **stats: Any) -> "ModelResult":
        """The same estimates with another covariance matrix (e.g. clustered instead of model-based)."""
        new_stats = {**self.stats, **stats}
        return ModelResult(
            params=self.params.copy(),
            cov=pd.DataFrame(np.asarray(cov, dtype=float), index=self.terms, columns=self.terms),
            nobs=self.nobs,
            llf=self.llf,
            model=self.model,
            stats=new_stats,
            cov_type=cov_type,
            info=dict(self.info),
        )

    def renamed(self, model: str) -> "ModelResult":
        """The same result under another model name."""
        return ModelResult(
            params=self.params.copy(),
            cov=self.cov.copy(),
            nobs=self.nobs,
            llf=self.llf,
            model=model,
            stats=dict(self.stats),
            cov_type=self.cov_type,
            info=dict(self.info),
        )

    # --- tidy output ------------------------------------------------------------------
    def tidy(self, stars: Sequence[float] = DEFAULT_STARS) -> pd.DataFrame:
        """One row per term: model, term, coef, se, z, p, stars (0-3), nobs, llf."""
        p = self.pvalues.to_numpy()
        return pd.DataFrame(
            {
                "model": self.model,
                "term": self.terms,
                "coef": self.params.to_numpy(),
                "se": self.bse.to_numpy(),
                "z": self.zvalues.to_numpy(),
                "p": p,
                "stars": stars_from_p(p, stars),
                "nobs": self.nobs,
                "llf": self.llf,
            },
            columns=TIDY_COLUMNS,
        )

    def glance(self) -> dict[str, Any]:
        """Model-level numbers (N, log-likelihood and every entry of ``stats``) as a dict."""
        return {"N": self.nobs, "LL": self.llf, **self.stats}

    def __repr__(self) -> str:  # pragma: no cover - convenience only
        head = f"ModelResult(model={self.model!r}, nobs={self.nobs}, llf={self.llf:.3f}, cov_type={self.cov_type!r})"
        table = self.tidy()[["term", "coef", "se", "p", "stars"]].to_string(index=False)
        return head + "\n" + table


def tidy_many(results: Mapping[str, ModelResult] | Sequence[ModelResult],
              stars: Sequence[float] = DEFAULT_STARS) -> pd.DataFrame:
    """Stack the tidy frames of several results.

    A mapping renames each result to its key (``{"1": res_m1, "2": res_m2}``); a sequence
    keeps each result's own ``model`` name.
    """
    if isinstance(results, Mapping):
        frames = [r.renamed(str(k)).tidy(stars) for k, r in results.items()]
    else:
        frames = [r.tidy(stars) for r in results]
    if not frames:
        return pd.DataFrame(columns=TIDY_COLUMNS)
    return pd.concat(frames, ignore_index=True)
