"""Churn-risk models: penalised logistic regression, Cox proportional hazards, Kaplan-Meier, metrics.

``LogisticRegression`` is a scikit-learn estimator (get_params/set_params/clone, Pipeline,
cross_val_score) with scikit-learn's meaning of ``C``; ``CoxPH`` and ``KaplanMeier`` follow
lifelines' conventions (Efron ties, lifelines' penalty scaling, log-log Greenwood intervals) and
give lifelines' numbers. See docs/churn_models.md.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

from cxkit import _core

__all__ = ["CoxPH", "KaplanMeier", "LogisticRegression", "metrics"]


def _matrix(X: Any) -> tuple[np.ndarray, list[str] | None]:
    names = [str(c) for c in X.columns] if isinstance(X, pd.DataFrame) else None
    A = np.asarray(X, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"X must be 2-dimensional, got shape {A.shape}")
    return np.asfortranarray(A), names  # Eigen is column-major: no copy inside


class LogisticRegression(ClassifierMixin, BaseEstimator):
    """Binary logistic regression with an L2 penalty on the coefficients (not the intercept).

    Minimises ``C * sum_i w_i * logloss_i + ||beta||^2 / 2``, scikit-learn's objective, solved to
    the optimum by Newton's method (Cholesky) or L-BFGS for wide data.

    Parameters
    ----------
    C : float, inverse penalty strength (> 0; ``np.inf`` for none)
    fit_intercept : bool
    class_weight : None, "balanced" or dict {label: weight}
    tol : float, gradient tolerance of the scaled objective (scikit-learn's lbfgs scaling)
    max_iter : int
    solver : {"auto", "newton", "lbfgs"}

    Examples
    --------
    >>> import numpy as np, cxkit
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]]); y = np.array([0, 0, 1, 1])
    >>> m = cxkit.churn.LogisticRegression(C=1.0).fit(X, y)
    >>> m.predict(X).tolist()
    [0, 0, 1, 1]
    """

    def __init__(self, C: float = 1.0, fit_intercept: bool = True, class_weight: Any = None, tol: float = 1e-4,
                 max_iter: int = 100, solver: str = "auto") -> None:
        self.C = C
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.tol = tol
        self.max_iter = max_iter
        self.solver = solver

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LogisticRegression:
        A, names = _matrix(X)
        labels = np.asarray(y)
        if labels.shape[0] != A.shape[0]:
            raise ValueError(f"X has {A.shape[0]} rows but y has {labels.shape[0]}")
        classes = np.unique(labels)
        if len(classes) != 2:
            raise ValueError(f"LogisticRegression needs exactly 2 classes in y, got {len(classes)}: {classes[:5]}")
        y01 = (labels == classes[1]).astype(np.float64)
        kind, w0, w1 = "none", 1.0, 1.0
        if isinstance(self.class_weight, str):
            if self.class_weight != "balanced":
                raise ValueError(f"class_weight must be None, 'balanced' or a dict, not {self.class_weight!r}")
            kind = "balanced"
        elif isinstance(self.class_weight, Mapping):
            kind = "given"
            w0, w1 = float(self.class_weight.get(classes[0], 1.0)), float(self.class_weight.get(classes[1], 1.0))
        elif self.class_weight is not None:
            raise ValueError(f"class_weight must be None, 'balanced' or a dict, not {self.class_weight!r}")
        core = _core.LogisticRegression(float(self.C), bool(self.fit_intercept), kind, w0, w1, float(self.tol),
                                        int(self.max_iter), str(self.solver))
        w = None if sample_weight is None else np.ascontiguousarray(sample_weight, dtype=np.float64)
        core.fit(A, y01, w)
        self.classes_ = classes
        self.coef_ = np.asarray(core.coef, dtype=np.float64).reshape(1, -1)
        self.intercept_ = np.array([core.intercept], dtype=np.float64)
        self.n_iter_ = np.array([core.n_iter], dtype=np.int32)
        self.converged_ = bool(core.converged)
        self.objective_ = float(core.objective)
        self.n_features_in_ = A.shape[1]
        if names is not None:
            self.feature_names_in_ = np.asarray(names, dtype=object)
        return self

    def _check(self, X: Any) -> np.ndarray:
        if not hasattr(self, "coef_"):
            from sklearn.exceptions import NotFittedError
            raise NotFittedError("This LogisticRegression instance is not fitted yet; call fit first")
        A = np.asarray(X, dtype=np.float64)
        if A.ndim != 2 or A.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {A.shape[-1] if A.ndim else 0} features, the model expects {self.n_features_in_}")
        return A

    def decision_function(self, X: Any) -> np.ndarray:
        """Log-odds of the second class: X @ coef_ + intercept_."""
        return self._check(X) @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities of ``classes_[0]`` and ``classes_[1]``, shape (n, 2)."""
        z = self.decision_function(X)
        p1 = np.where(z >= 0, 1.0 / (1.0 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1.0 + np.exp(-np.abs(z))))
        return np.column_stack([1.0 - p1, p1])

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


class CoxPH:
    """Cox proportional hazards with Efron ties, an optional L2 penalty and strata, as lifelines fits it.

    Examples
    --------
    >>> import pandas as pd, cxkit
    >>> df = pd.DataFrame({"t": [5, 8, 3, 9, 4, 7], "e": [1, 1, 0, 1, 1, 0], "x": [1.0, 0.2, 0.4, 0.1, 1.5, 0.3]})
    >>> m = cxkit.churn.CoxPH().fit(df, duration_col="t", event_col="e")
    >>> list(m.params_.index)
    ['x']
    """

    def __init__(self, penalizer: float = 0.0, strata: Sequence[str] | str | None = None, alpha: float = 0.05,
                 max_iter: int = 100, tol: float = 1e-9) -> None:
        self.penalizer = penalizer
        self.strata = [strata] if isinstance(strata, str) else (list(strata) if strata else None)
        self.alpha = alpha
        self.max_iter = max_iter
        self.tol = tol

    def _strata_codes(self, df: pd.DataFrame, fitting: bool) -> np.ndarray | None:
        if not self.strata:
            return None
        keys = pd.MultiIndex.from_frame(df[self.strata]) if len(self.strata) > 1 else pd.Index(df[self.strata[0]])
        if fitting:
            self._strata_levels = pd.Index(keys.unique())
        codes = self._strata_levels.get_indexer(keys)
        if (codes < 0).any():
            bad = keys[int(np.argmax(codes < 0))]
            raise KeyError(f"stratum {bad!r} was not seen when fitting")
        return codes.astype(np.int64)

    def fit(self, df: pd.DataFrame, duration_col: str, event_col: str) -> CoxPH:
        """Fit on a DataFrame: every column other than the duration, event and strata columns is a covariate."""
        for c in [duration_col, event_col] + (self.strata or []):
            if c not in df.columns:
                raise KeyError(f"column '{c}' not in the DataFrame")
        covariates = [c for c in df.columns if c not in {duration_col, event_col, *(self.strata or [])}]
        X, _ = _matrix(df[covariates])
        core = _core.CoxPH(float(self.penalizer), float(self.alpha), int(self.max_iter), float(self.tol))
        core.fit(X, np.asarray(df[duration_col], dtype=np.float64), np.asarray(df[event_col], dtype=np.float64),
                 self._strata_codes(df, fitting=True))
        self._core = core
        self.__dict__.pop("_concordance", None)
        self.covariates_ = covariates
        idx = pd.Index(covariates, name="covariate")
        self.params_ = pd.Series(np.asarray(core.params), index=idx, name="coef")
        self.standard_errors_ = pd.Series(np.asarray(core.standard_errors), index=idx, name="se(coef)")
        ci = np.asarray(core.confidence_intervals())
        pct = round(100 * (1 - self.alpha))
        self.confidence_intervals_ = pd.DataFrame(ci, index=idx, columns=[f"{pct}% lower-bound", f"{pct}% upper-bound"])
        self.log_likelihood_ = float(core.log_likelihood)
        times = np.asarray(core.baseline_times)
        cols = list(self._strata_levels) if self.strata else ["baseline survival"]
        self.baseline_survival_ = pd.DataFrame(np.asarray(core.baseline_survival()), index=pd.Index(times, name="time"),
                                               columns=cols)
        return self

    @property
    def concordance_index_(self) -> float:
        """Harrell's C on the training data (computed on first use: O(n log n))."""
        if not hasattr(self, "_concordance"):
            self._concordance = float(self._core.concordance_index())
        return self._concordance

    @property
    def hazard_ratios_(self) -> pd.Series:
        return np.exp(self.params_).rename("exp(coef)")

    @property
    def summary(self) -> pd.DataFrame:
        """Coefficients, hazard ratios, standard errors, z, p and the confidence interval."""
        out = pd.DataFrame({"coef": self.params_, "exp(coef)": self.hazard_ratios_, "se(coef)": self.standard_errors_,
                            "z": np.asarray(self._core.z_scores()), "p": np.asarray(self._core.p_values())})
        return out.join(self.confidence_intervals_)

    def _X(self, df: pd.DataFrame) -> np.ndarray:
        missing = [c for c in self.covariates_ if c not in df.columns]
        if missing:
            raise KeyError(f"covariate column(s) {missing} not in the DataFrame")
        return _matrix(df[self.covariates_])[0]

    def predict_partial_hazard(self, df: pd.DataFrame) -> pd.Series:
        """exp((x - mean) beta), relative to the training means, as lifelines reports it."""
        return pd.Series(np.asarray(self._core.predict_partial_hazard(self._X(df))), index=df.index)

    def predict_survival_function(self, df: pd.DataFrame, times: Sequence[float] | None = None) -> pd.DataFrame:
        """S(t | x): one column per row of ``df``, one row per time (lifelines' layout)."""
        t = np.asarray(self._core.baseline_times if times is None else times, dtype=np.float64)
        S = np.asarray(self._core.predict_survival_function(self._X(df), t, self._strata_codes(df, fitting=False)))
        return pd.DataFrame(S.T, index=pd.Index(t, name="time"), columns=df.index)

    def predict_event_probability(self, df: pd.DataFrame, times: Any) -> pd.Series:
        """1 - S(t_i | x_i): the probability of the event (churn) before each row's own time
        (e.g. days until its renewal date)."""
        t = np.broadcast_to(np.asarray(times, dtype=np.float64), (len(df),)).copy()
        p = self._core.predict_event_probability(self._X(df), t, self._strata_codes(df, fitting=False))
        return pd.Series(np.asarray(p), index=df.index, name="probability")


class KaplanMeier:
    """Kaplan-Meier survival curve with lifelines' log-log (exponential Greenwood) interval."""

    def __init__(self, alpha: float = 0.05) -> None:
        self.alpha = alpha

    def fit(self, durations: Any, event_observed: Any = None, weights: Any = None,
            label: str = "KM_estimate") -> KaplanMeier:
        T = np.asarray(durations, dtype=np.float64)
        E = np.ones_like(T) if event_observed is None else np.asarray(event_observed, dtype=np.float64)
        core = _core.KaplanMeier(float(self.alpha))
        core.fit(T, E, None if weights is None else np.asarray(weights, dtype=np.float64))
        self._core, self.label = core, label
        idx = pd.Index(np.asarray(core.timeline), name="timeline")
        self.survival_function_ = pd.DataFrame({label: np.asarray(core.survival)}, index=idx)
        pct = 1 - self.alpha
        self.confidence_interval_ = pd.DataFrame({f"{label}_lower_{pct:g}": np.asarray(core.lower),
                                                  f"{label}_upper_{pct:g}": np.asarray(core.upper)}, index=idx)
        self.median_survival_time_ = float(core.median_survival_time)
        table = core.table()
        self.event_table = pd.DataFrame({k: np.asarray(table[k]) for k in
                                         ("removed", "observed", "censored", "entrance", "at_risk")},
                                        index=pd.Index(np.asarray(table["time"]), name="event_at"))
        return self

    def survival_at(self, times: Any) -> np.ndarray:
        return np.asarray(self._core.survival_at(np.atleast_1d(np.asarray(times, dtype=np.float64))))

    def plot(self, ax: Any = None, ci: bool = True) -> Any:
        import matplotlib.pyplot as plt
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 3.5))
        s = self.survival_function_[self.label]
        ax.step(s.index, s.to_numpy(), where="post", label=self.label)
        if ci:
            lo, hi = self.confidence_interval_.iloc[:, 0], self.confidence_interval_.iloc[:, 1]
            ax.fill_between(s.index, lo.to_numpy(), hi.to_numpy(), step="post", alpha=0.2)
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("survival")
        ax.legend()
        return ax


class _Metrics:
    """Evaluation metrics equal to scikit-learn's and lifelines' on shared inputs."""

    @staticmethod
    def _v(x: Any) -> np.ndarray:
        return np.ascontiguousarray(np.asarray(x, dtype=np.float64))

    def roc_auc_score(self, y_true: Any, y_score: Any, sample_weight: Any = None) -> float:
        return float(_core.metrics.roc_auc_score(self._v(y_true), self._v(y_score),
                                                 None if sample_weight is None else self._v(sample_weight)))

    def average_precision_score(self, y_true: Any, y_score: Any, sample_weight: Any = None) -> float:
        return float(_core.metrics.average_precision_score(self._v(y_true), self._v(y_score),
                                                           None if sample_weight is None else self._v(sample_weight)))

    def brier_score(self, y_true: Any, y_prob: Any, sample_weight: Any = None) -> float:
        return float(_core.metrics.brier_score(self._v(y_true), self._v(y_prob),
                                               None if sample_weight is None else self._v(sample_weight)))

    def log_loss(self, y_true: Any, y_prob: Any, sample_weight: Any = None) -> float:
        return float(_core.metrics.log_loss(self._v(y_true), self._v(y_prob),
                                            None if sample_weight is None else self._v(sample_weight)))

    def concordance_index(self, event_times: Any, predicted_scores: Any, event_observed: Any = None) -> float:
        """Harrell's C with lifelines' argument order: higher score = longer survival. O(n log n)."""
        return float(_core.metrics.concordance_index(self._v(event_times), self._v(predicted_scores),
                                                     None if event_observed is None else self._v(event_observed)))

    def calibration_table(self, y_true: Any, y_prob: Any, n_bins: int = 10, strategy: str = "uniform") -> pd.DataFrame:
        rows = _core.metrics.calibration_table(self._v(y_true), self._v(y_prob), int(n_bins), strategy)
        return pd.DataFrame(rows, columns=["lower", "upper", "count", "mean_predicted", "observed_rate"])

    def lift_at_k(self, y_true: Any, y_score: Any, k: int) -> dict[str, float]:
        r = _core.metrics.lift_at_k(self._v(y_true), self._v(y_score), int(k))
        return dict(zip(["k", "positives_in_top", "precision", "base_rate", "lift", "capture"], r))


metrics = _Metrics()
