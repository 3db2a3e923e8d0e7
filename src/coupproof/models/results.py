"""One result object for every estimator in the book, on top of statsmodels' results.

A :class:`ModelResult` wraps a statsmodels results instance (``LogitResults``,
``ProbitResults``, ``TruncatedLFPoissonResults``, ``RegressionResults``) and adds the few
things the book's tables need: a model ``name`` (the table column), extra table rows
(``stats``: AIC, BIC, deviance, number of clusters, rho, ...), fitting details (``info``) and
tidy output.  Everything else is the statsmodels API, reached through the wrapped object::

    res = logit(design, cov="cluster", groups=dyads, name="4")
    res.params, res.bse, res.cov_params(), res.llf, res.nobs      # as statsmodels
    res.summary(); res.t_test("cb + 0.5 * cb:threatB = 0"); res.get_prediction(x0)
    res.model                                                     # the sm.Logit model
    res.results                                                   # the statsmodels results itself

Estimators without a statsmodels counterpart (the LPM from linearmodels, results built
from arrays in tests) construct a ModelResult from ``params`` and ``cov`` alone; then
``model`` and ``results`` are None and only the book's accessors exist.

Inference is a two-sided normal (z) test throughout.  That is what R's ``coeftest`` on a
``glm``, ``summary.glm`` for binomial/Poisson families, texreg and stargazer used for the
published stars (estimation notes, section 3.1): every published star agrees with a
normal p-value at its table's thresholds.  statsmodels' discrete models use the normal too;
for least-squares results the book sets ``use_t=False`` so that both agree.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats as _st

DEFAULT_STARS: tuple[float, ...] = (0.1, 0.05, 0.01)
"""Star thresholds of every table except Table 5: one star below .1, two below .05, three below .01."""

TIDY_COLUMNS = ["model", "term", "coef", "se", "z", "p", "stars", "nobs", "llf"]

#: statsmodels' name of a covariance type -> the book's (``ModelResult.cov_type``).
_COV_TYPE_NAMES = {"nonrobust": "model"}
#: Attributes of a statsmodels results object that depend on the covariance.
_COV_CACHED = ("bse", "tvalues", "pvalues", "zvalues")


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


def _deprecated_model_label(name: str, model: Any, where: str) -> str:
    """Map the old ``model=`` label keyword to ``name=`` (with a pending-deprecation warning)."""
    if model is None:
        return name
    if not isinstance(model, str):
        raise TypeError(f"{where}: model= is the deprecated name label and must be a string; use name=")
    if name and name != model:
        raise TypeError(f"{where}: give the label once, as name= (model= is its deprecated alias)")
    warnings.warn(f"{where}: the label keyword model= is now name=", PendingDeprecationWarning, stacklevel=3)
    return model


# --- statsmodels results with another covariance ------------------------------------------
def _unwrap(res: Any) -> tuple[Any, type | None]:
    """The raw statsmodels results instance and its wrapper class (None if not wrapped)."""
    raw = getattr(res, "_results", None)
    if raw is not None and hasattr(raw, "model"):
        return raw, type(res)
    return res, None


def replace_cov(res: Any, cov: np.ndarray | pd.DataFrame, cov_type: str, *, description: str | None = None,
                **cov_kwds: Any) -> Any:
    """A copy of a statsmodels results object whose covariance is ``cov``.

    The point estimates, the model and every cached quantity that does not depend on the
    covariance are shared; ``bse``, ``tvalues``, ``pvalues``, ``conf_int()``, ``t_test()``,
    ``wald_test()``, ``get_prediction()`` and ``summary()`` of the copy use ``cov``, exactly
    as if statsmodels had computed it with ``fit(cov_type=...)``.  Inference stays normal
    (``use_t=False``).  ``cov_kwds`` (e.g. ``groups``) are stored in ``cov_kwds`` for the record.
    """
    raw, wrapper = _unwrap(res)
    new = copy.copy(raw)
    new._cache = {k: v for k, v in getattr(raw, "_cache", {}).items() if k not in _COV_CACHED}
    V = np.asarray(cov, dtype=float)
    k = len(np.asarray(raw.params))
    if V.shape != (k, k):
        raise ValueError(f"covariance is {V.shape}, expected {(k, k)}")
    new.cov_params_default = (V + V.T) / 2.0
    new.cov_type = cov_type
    new.use_t = False
    new.cov_kwds = {"use_t": False, "description": description or f"covariance: {cov_type}", **cov_kwds}
    if "n_groups" in cov_kwds:
        new.n_groups = cov_kwds["n_groups"]
    return wrapper(new) if wrapper is not None else new


def is_statsmodels_results(res: Any) -> bool:
    """True for a statsmodels results instance (wrapped or not)."""
    from statsmodels.base.model import LikelihoodModelResults

    return isinstance(_unwrap(res)[0], LikelihoodModelResults)


def _as_series(values: Any, names: Sequence[str]) -> pd.Series:
    if isinstance(values, pd.Series):
        return values.astype(float)
    return pd.Series(np.asarray(values, dtype=float), index=list(names))


class ModelResult:
    """Estimates of one model: a statsmodels results object plus the book's bookkeeping.

    Parameters
    ----------
    params
        Point estimates, a Series indexed by term name (``"cb"``, ``"cb:threatB"``, ``"const"``).
    cov
        Covariance matrix of ``params`` (DataFrame or array in the order of ``params``).
    nobs
        Number of observations the model was fitted on.
    llf
        Log-likelihood (NaN for estimators without one, e.g. two-step OLS).  For the
        rare-events logit it is the ML fit's, as R printed it.
    name
        The model's label in tables and comparisons (``"T1-M2"``, ``"2"``).
    stats
        Extra table rows: AIC, BIC, deviance, rho, IMR, number of clusters, ...
    cov_type
        ``"model"``, ``"cluster"``, ``"heckit"``... as a reminder of what ``bse`` means.
    info
        Fitting details that are not table rows (iterations, the model-based covariance
        ``"cov_model"``, the design's row report ``"design"``, ...).
    results
        The statsmodels results object (with the same ``params`` and covariance), or None.
        Attributes that a ModelResult does not define itself are looked up on it, so
        ``summary()``, ``t_test()``, ``wald_test()``, ``get_prediction()``, ``predict()``,
        ``llnull``, ``prsquared``... work as in statsmodels.
    model
        Deprecated alias of ``name`` (the label used to be called ``model``); ``.model`` is
        now the statsmodels model.

    Use :meth:`from_statsmodels` to wrap a statsmodels fit.
    """

    def __init__(
        self,
        params: pd.Series | np.ndarray | Sequence[float],
        cov: pd.DataFrame | np.ndarray,
        nobs: int,
        llf: float = float("nan"),
        *,
        name: str = "",
        stats: Mapping[str, Any] | None = None,
        cov_type: str = "model",
        info: Mapping[str, Any] | None = None,
        results: Any = None,
        model: str | None = None,
    ) -> None:
        name = _deprecated_model_label(name, model, "ModelResult")
        params = pd.Series(params, dtype=float) if not isinstance(params, pd.Series) else params.astype(float)
        names = list(params.index)
        cov = pd.DataFrame(np.asarray(cov, dtype=float)) if not isinstance(cov, pd.DataFrame) else cov
        if cov.shape != (len(names), len(names)):
            raise ValueError(f"covariance is {cov.shape}, expected {(len(names), len(names))}")
        if isinstance(cov.index, pd.RangeIndex) or list(cov.index) != names:
            cov = pd.DataFrame(cov.to_numpy(dtype=float), index=names, columns=names)
        self.params = params
        self.cov = cov.astype(float)
        self.nobs = int(nobs)
        self.llf = float(llf)
        self.name = str(name)
        self.stats = dict(stats or {})
        self.cov_type = cov_type
        self.info = dict(info or {})
        self.results = results

    # --- construction --------------------------------------------------------------------
    @classmethod
    def from_statsmodels(
        cls,
        res: Any,
        *,
        name: str = "",
        cov_type: str | None = None,
        llf: float | None = None,
        stats: Mapping[str, Any] | None = None,
        info: Mapping[str, Any] | None = None,
        model: str | None = None,
    ) -> "ModelResult":
        """Wrap a statsmodels results object (its params, covariance, nobs and llf)."""
        name = _deprecated_model_label(name, model, "ModelResult.from_statsmodels")
        names = list(res.model.exog_names)
        params = _as_series(res.params, names)
        V = np.asarray(res.cov_params(), dtype=float)
        sm_type = str(getattr(res, "cov_type", "nonrobust"))
        return cls(
            params,
            pd.DataFrame(V, index=names, columns=names),
            nobs=int(res.nobs),
            llf=float(res.llf) if llf is None else float(llf),
            name=name,
            stats=stats,
            cov_type=cov_type or _COV_TYPE_NAMES.get(sm_type, sm_type),
            info=info,
            results=res,
        )

    @classmethod
    def from_arrays(
        cls, beta: np.ndarray | Sequence[float], cov: np.ndarray, names: Sequence[str], **kwargs: Any
    ) -> "ModelResult":
        """Build a result from a coefficient vector, its covariance and the term names."""
        names = list(names)
        return cls(
            pd.Series(np.asarray(beta, dtype=float), index=names),
            pd.DataFrame(np.asarray(cov, dtype=float), index=names, columns=names),
            **kwargs,
        )

    # --- delegation to statsmodels --------------------------------------------------------
    def __getattr__(self, attr: str) -> Any:
        # only called when normal lookup fails; never for the wrapped object itself
        if attr.startswith("__") or attr == "results":
            raise AttributeError(attr)
        res = self.__dict__.get("results")
        if res is None:
            raise AttributeError(
                f"{type(self).__name__} {self.__dict__.get('name', '')!r} has no {attr!r} "
                "(it was not fitted by statsmodels)"
            )
        return getattr(res, attr)

    def __dir__(self) -> list[str]:
        extra = dir(self.results) if self.results is not None else []
        return sorted(set(super().__dir__()) | set(extra))

    @property
    def model(self) -> Any:
        """The statsmodels model (``sm.Logit``, ``sm.Probit``, ...), or None."""
        return getattr(self.results, "model", None)

    # --- statsmodels-like accessors -------------------------------------------------------
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
        """Alias of :attr:`zvalues`, statsmodels' name for them."""
        return self.zvalues

    @property
    def pvalues(self) -> pd.Series:
        """Two-sided normal p-values."""
        return pd.Series(two_sided_normal_p(self.zvalues.to_numpy()), index=self.params.index)

    @property
    def terms(self) -> list[str]:
        return list(self.params.index)

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Normal confidence intervals, one row per term, columns ``0`` (lower) and ``1`` (upper) as in statsmodels."""
        q = _st.norm.ppf(1 - alpha / 2)
        return pd.DataFrame({0: self.params - q * self.bse, 1: self.params + q * self.bse})

    def summary(self, *args: Any, **kwargs: Any) -> Any:
        """statsmodels' summary of the fit (a plain coefficient table when there is no statsmodels fit)."""
        if self.results is not None:
            return self.results.summary(*args, **kwargs)
        from statsmodels.iolib.summary2 import Summary

        s = Summary()
        s.add_title(f"{self.name or 'model'}: N = {self.nobs}, log-likelihood = {self.llf:.3f}, cov = {self.cov_type}")
        s.add_df(self.tidy()[["term", "coef", "se", "z", "p"]].set_index("term"), float_format="%.4f")
        return s

    # --- variants -----------------------------------------------------------------------
    def _replace(self, **changes: Any) -> "ModelResult":
        new = copy.copy(self)
        new.stats = dict(self.stats)
        new.info = dict(self.info)
        for k, v in changes.items():
            setattr(new, k, v)
        return new

    def with_cov(self, cov: np.ndarray | pd.DataFrame, cov_type: str, **stats: Any) -> "ModelResult":
        """The same estimates with another covariance matrix (e.g. clustered instead of model-based).

        The wrapped statsmodels results (if any) is replaced by a copy that uses ``cov``,
        so ``summary()``, ``t_test()`` and ``get_prediction()`` agree with ``bse``.
        """
        names = self.terms
        V = np.asarray(cov.loc[names, names] if isinstance(cov, pd.DataFrame) else cov, dtype=float)
        results = self.results
        if is_statsmodels_results(results):
            results = replace_cov(results, V, "nonrobust" if cov_type == "model" else cov_type)
        else:  # another library's results object would keep its own covariance: drop it
            results = None
        new = self._replace(cov=pd.DataFrame(V, index=names, columns=names), cov_type=cov_type, results=results)
        new.stats.update(stats)
        return new

    def renamed(self, name: str) -> "ModelResult":
        """The same result under another name."""
        return self._replace(name=str(name))

    # --- tidy output ------------------------------------------------------------------
    def tidy(self, stars: Sequence[float] = DEFAULT_STARS) -> pd.DataFrame:
        """One row per term: model (the name), term, coef, se, z, p, stars (0-3), nobs, llf."""
        p = self.pvalues.to_numpy()
        return pd.DataFrame(
            {
                "model": self.name,
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
        kind = type(self.results).__name__ if self.results is not None else "arrays"
        head = (f"ModelResult(name={self.name!r}, nobs={self.nobs}, llf={self.llf:.3f}, "
                f"cov_type={self.cov_type!r}, results={kind})")
        table = self.tidy()[["term", "coef", "se", "p", "stars"]].to_string(index=False)
        return head + "\n" + table


def tidy_many(results: Mapping[str, ModelResult] | Sequence[ModelResult],
              stars: Sequence[float] = DEFAULT_STARS) -> pd.DataFrame:
    """Stack the tidy frames of several results.

    A mapping renames each result to its key (``{"1": res_m1, "2": res_m2}``); a sequence
    keeps each result's own ``name``.
    """
    if isinstance(results, Mapping):
        frames = [r.renamed(str(k)).tidy(stars) for k, r in results.items()]
    else:
        frames = [r.tidy(stars) for r in results]
    if not frames:
        return pd.DataFrame(columns=TIDY_COLUMNS)
    return pd.concat(frames, ignore_index=True)
