"""Churn-risk models: penalised logistic regression, Cox proportional hazards, Kaplan-Meier, metrics.

``LogisticRegression`` is a scikit-learn estimator (get_params/set_params/clone, Pipeline,
cross_val_score) with scikit-learn's meaning of ``C``; ``CoxPH`` and ``KaplanMeier`` follow
lifelines' conventions (Efron ties, lifelines' penalty scaling, log-log Greenwood intervals) and
give lifelines' numbers. See docs/churn_models.md.
"""
from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

from cxkit import _core
from cxkit._describe import FeatureDescriptions, feature_descriptions
from cxkit._scorecard import Scorecard
from cxkit._churn_features import BacktestResult, backtest, build_features, expansion_signals, label, renewals
from cxkit._retention import cohort_retention
from cxkit._time import check_state_version, state_fields

__all__ = ["CoxPH", "FeatureDescriptions", "KaplanMeier", "LogisticRegression", "Scorecard", "feature_descriptions",
           "metrics", "BacktestResult", "backtest", "build_features", "cohort_retention", "expansion_signals", "label",
           "load_model", "renewals"]


try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data as _validate_data
except ImportError:  # scikit-learn < 1.6: the method it replaced
    def _validate_data(est: Any, *args: Any, **kwargs: Any) -> Any:
        return est._validate_data(*args, **kwargs)

_LR_VERSION = 1  # pickled state version of LogisticRegression (on top of scikit-learn's own)
_FIT_VERSION = 1  # CoxPH / KaplanMeier: the fit inputs, refitted on load (the C++ fit is deterministic)


try:  # NumPy >= 2.0
    from numpy.lib.array_utils import byte_bounds as _byte_bounds
except ImportError:  # NumPy 1.x: the top-level function (NumPy 2 removed it, and its stubs with it)
    _byte_bounds = getattr(np, "byte_bounds")


def _root(a: np.ndarray) -> Any:
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a


def _columns(df: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    """The columns as one float64 (n, p) array without copying when pandas holds them evenly
    spaced in one block (a DataFrame built from one 2-D array, or read by read_csv): a strided
    view that C++ reads in place. Otherwise one copy into a Fortran-ordered array (each column
    contiguous, as the C++ side prefers). ``df[columns]`` would copy (a gather that costs
    0.25 s at 1M x 10 on a C-ordered block) and ``np.asarray`` of it a second time."""
    n, p = len(df), len(columns)
    views = [df[c].to_numpy() for c in columns] if p else []
    if n and p and all(v.dtype == np.float64 and v.ndim == 1 for v in views):
        base = _root(views[0])
        rs = views[0].strides[0]
        ptr = [v.__array_interface__["data"][0] for v in views]
        cs = ptr[1] - ptr[0] if p > 1 else 8
        if (rs > 0 and cs > 0 and all(v.strides[0] == rs and _root(v) is base for v in views)
                and all(ptr[j] - ptr[0] == j * cs for j in range(p))):
            lo, hi = _byte_bounds(base) if isinstance(base, np.ndarray) else (None, None)
            end = ptr[0] + (n - 1) * rs + (p - 1) * cs + 8
            if lo is not None and lo <= ptr[0] and end <= hi:
                return np.lib.stride_tricks.as_strided(views[0], shape=(n, p), strides=(rs, cs), writeable=False)
    out = np.empty((n, p), dtype=np.float64, order="F")
    for j, c in enumerate(columns):
        out[:, j] = np.asarray(df[c], dtype=np.float64)
    return out


# ---- model files (docs/churn_models.md, "Model files"): versioned JSON, read and checked by the C++ reader ----
def _label(value: Any) -> Any:
    """A class label or stratum level as the model file stores it (numpy scalars become Python ones)."""
    return value.item() if isinstance(value, np.generic) else value


def _names(names: Sequence[Any], what: str) -> list[str]:
    bad = [n for n in names if not isinstance(n, str)]
    if bad:
        raise ValueError(f"a model file needs string {what} names; {bad[0]!r} is a {type(bad[0]).__name__}")
    return [str(n) for n in names]


def _read_model_file(text: str | bytes, want: type | tuple[type, ...], kind: str) -> Any:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ValueError(f"model file: not UTF-8 text ({e})") from None
    core = _core.read_model_file(text)
    if not isinstance(core, want):
        other = "logistic_regression" if isinstance(core, _core.LogisticModel) else "cox_ph"
        raise ValueError(f"model file: holds a {other} model, not a {kind}; use cxkit.churn.load_model")
    return core


def load_model(path: Any) -> LogisticRegression | CoxPH:
    """Read a model file written by ``save`` (either kind): a fitted ``LogisticRegression`` or ``CoxPH``.

    Raises cxkit.InputError (a ValueError) for a damaged file, another format, or a version newer
    than this cxkit reads.
    """
    from pathlib import Path
    core = _read_model_file(Path(path).read_bytes(), (_core.LogisticModel, _core.CoxModel), "model")
    return (LogisticRegression._from_core(core) if isinstance(core, _core.LogisticModel)
            else CoxPH._from_core(core))


def _explain_frame(X: Any, A: np.ndarray, names: Sequence[str], coef: np.ndarray, reference: np.ndarray, top: int,
                   descriptions: FeatureDescriptions | None) -> pd.DataFrame:
    """Each row's `top` largest |coef_j (x_ij - reference_j)| (C++ explain_linear), in words."""
    if int(top) < 1:
        raise ValueError(f"top must be >= 1, got {top}")
    words = descriptions if descriptions is not None else feature_descriptions
    feat, contrib = _core.explain_linear(np.asfortranarray(A), np.ascontiguousarray(coef, dtype=np.float64),
                                         np.ascontiguousarray(reference, dtype=np.float64), int(top))
    feat, contrib = np.asarray(feat), np.asarray(contrib)
    accounts = X.index if isinstance(X, pd.DataFrame) else pd.RangeIndex(A.shape[0])
    rows = []
    for i, account in enumerate(accounts):
        for r in range(feat.shape[1]):
            j = int(feat[i, r])
            if j < 0:
                break
            c = float(contrib[i, r])
            rows.append((account, r + 1, names[j], float(A[i, j]), c,
                         "raises risk" if c > 0 else ("lowers risk" if c < 0 else "no effect"),
                         words.describe(names[j], A[i, j], reference[j])))
    return pd.DataFrame(rows, columns=["account", "rank", "feature", "value", "contribution", "effect", "text"])


class LogisticRegression(ClassifierMixin, BaseEstimator):  # type: ignore[misc]  # scikit-learn ships no type stubs
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

    def __sklearn_tags__(self) -> Any:  # scikit-learn >= 1.6
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False  # a churn model: binary by design (fit says so for 3+ classes)
        return tags

    def _more_tags(self) -> dict[str, Any]:  # scikit-learn < 1.6
        return {"binary_only": True}

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LogisticRegression:
        """Fit on ``X`` (n, p) and binary labels ``y``; ``sample_weight`` >= 0 (a zero weight drops the row).

        Raises ValueError for NaN/inf, sparse, empty or complex input, a continuous target, or other
        than two classes.
        """
        from sklearn.utils.multiclass import check_classification_targets
        from sklearn.utils.validation import _check_sample_weight

        X, labels = _validate_data(self, X, y, dtype=np.float64, order="F", y_numeric=False)
        check_classification_targets(labels)
        w = None
        if sample_weight is not None:
            w = _check_sample_weight(sample_weight, X, dtype=np.float64)
            if (w < 0).any():
                raise ValueError("sample_weight must be >= 0")
            if not (w > 0).any():
                raise ValueError("sample_weight is zero for every row: nothing to fit")
            keep = w > 0  # a zero weight is the row left out (the C++ solver takes positive weights only)
            if not keep.all():
                X, labels, w = X[keep], labels[keep], w[keep]
        A = np.asfortranarray(X)
        classes = np.unique(labels)
        if len(classes) != 2:
            n = len(classes)
            raise ValueError(f"Only binary classification is supported: LogisticRegression needs exactly 2 classes "
                             f"in y, got {n} class{'es' if n != 1 else ''}: {classes[:5]}")
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
        core.fit(A, y01, None if w is None else np.ascontiguousarray(w))
        self.classes_ = classes
        self.coef_ = np.asarray(core.coef, dtype=np.float64).reshape(1, -1)
        self.intercept_ = np.array([core.intercept], dtype=np.float64)
        self.n_iter_ = np.array([core.n_iter], dtype=np.int32)
        self.converged_ = bool(core.converged)
        self.objective_ = float(core.objective)
        self.feature_means_ = A.mean(axis=0)  # the reference account of explain()
        return self

    def _check(self, X: Any) -> npt.NDArray[np.float64]:
        from sklearn.utils.validation import check_is_fitted
        check_is_fitted(self, "coef_")
        A: npt.NDArray[np.float64] = _validate_data(self, X, dtype=np.float64, reset=False)
        return A

    # ---- pickling: scikit-learn's state (it records its own version) plus cxkit's format version ----
    def __getstate__(self) -> dict[str, Any]:
        return {**super().__getstate__(), "_cxkit_version": _LR_VERSION}

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        check_state_version({"version": state.pop("_cxkit_version", _LR_VERSION)}, "LogisticRegression", _LR_VERSION)
        super().__setstate__(state)

    # ---- model files: to_json / from_json, save / load (the C++ reader validates both ways) ----
    def _model_file(self) -> _core.LogisticModel:
        from sklearn.utils.validation import check_is_fitted
        check_is_fitted(self, "coef_")
        cw = self.class_weight
        if isinstance(cw, Mapping):
            cw = [(_label(k), float(v)) for k, v in cw.items()]
        names = _names(getattr(self, "feature_names_in_", []), "feature")
        return _core.LogisticModel(names, np.asarray(self.coef_[0], dtype=np.float64), float(self.intercept_[0]),
                                   [_label(c) for c in self.classes_], np.asarray(self.feature_means_, dtype=np.float64),
                                   float(self.C), bool(self.fit_intercept), cw, float(self.tol), int(self.max_iter),
                                   str(self.solver), int(self.n_iter_[0]), bool(self.converged_), float(self.objective_))

    def to_json(self, indent: int | None = None) -> str:
        """The fitted model as a cxkit model file (``"kind": "logistic_regression"``), for C++ or Python.

        Numbers are written so that they read back bit for bit: ``from_json(m.to_json())`` predicts
        exactly what ``m`` predicts. Raises NotFittedError before fit, ValueError for labels or
        feature names a model file cannot hold (labels: str, int, float, bool; names: str).

        Examples
        --------
        >>> import numpy as np, cxkit
        >>> m = cxkit.churn.LogisticRegression().fit(np.array([[0.0], [1.0], [2.0], [3.0]]), [0, 0, 1, 1])
        >>> back = cxkit.churn.LogisticRegression.from_json(m.to_json())
        >>> bool((back.predict_proba([[1.5]]) == m.predict_proba([[1.5]])).all())
        True
        """
        return self._model_file().to_json(-1 if indent is None else int(indent))

    @classmethod
    def _from_core(cls, core: _core.LogisticModel) -> LogisticRegression:
        cw = core.class_weight
        model = cls(C=core.C, fit_intercept=core.fit_intercept, class_weight=dict(cw) if isinstance(cw, list) else cw,
                    tol=core.tol, max_iter=core.max_iter, solver=core.solver)
        coef = np.array(core.coef, dtype=np.float64)
        model.classes_ = np.asarray(core.classes)
        model.coef_ = coef.reshape(1, -1)
        model.intercept_ = np.array([core.intercept], dtype=np.float64)
        model.n_iter_ = np.array([core.n_iter], dtype=np.int32)
        model.converged_ = bool(core.converged)
        model.objective_ = float(core.objective)
        model.feature_means_ = np.array(core.feature_means, dtype=np.float64)
        model.n_features_in_ = coef.shape[0]
        if core.features:
            model.feature_names_in_ = np.asarray(core.features, dtype=object)
        return model

    @classmethod
    def from_json(cls, text: str | bytes) -> LogisticRegression:
        """A fitted model from a model file's text (see ``to_json``).

        Raises cxkit.InputError (a ValueError) naming the key for a damaged or hand-edited file,
        a file of the other kind, or one of a newer version than this cxkit reads.
        """
        return cls._from_core(_read_model_file(text, _core.LogisticModel, "logistic_regression"))

    def save(self, path: Any) -> None:
        """Write ``to_json(indent=1)`` to ``path`` (UTF-8)."""
        from pathlib import Path
        Path(path).write_text(self.to_json(indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Any) -> LogisticRegression:
        """Read a file written by ``save`` (``from_json`` of its text)."""
        from pathlib import Path
        return cls.from_json(Path(path).read_bytes())

    def decision_function(self, X: Any) -> np.ndarray:
        """Log-odds of the second class: X @ coef_ + intercept_."""
        z: npt.NDArray[np.float64] = self._check(X) @ self.coef_[0] + self.intercept_[0]
        return z

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities of ``classes_[0]`` and ``classes_[1]``, shape (n, 2)."""
        z = self.decision_function(X)
        p1 = np.where(z >= 0, 1.0 / (1.0 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1.0 + np.exp(-np.abs(z))))
        return np.column_stack([1.0 - p1, p1])

    def predict(self, X: Any) -> np.ndarray:
        z = self.decision_function(X)  # first: raises NotFittedError before classes_ is looked up
        labels: np.ndarray = self.classes_[(z > 0).astype(int)]
        return labels

    def explain(self, X: Any, top: int = 3, descriptions: FeatureDescriptions | None = None) -> pd.DataFrame:
        """Each account's `top` largest drivers of its log-odds, in plain words.

        The contribution of feature j is ``coef_j * (x_j - mean_j)`` (log-odds of
        ``classes_[1]``, relative to the average training account, ``feature_means_``); all
        contributions of a row sum to ``decision_function(x) - decision_function(means)``.

        Returns
        -------
        DataFrame with columns account (X's index, else the row number), rank (1 = largest
        ``|contribution|``), feature, value, contribution, effect ("raises risk" / "lowers
        risk": toward / away from ``classes_[1]``) and text, e.g. "logins down 45% over 30
        days", from ``descriptions`` (default :data:`cxkit.churn.feature_descriptions`).
        """
        A = self._check(X)
        names = list(getattr(self, "feature_names_in_", [f"x{j}" for j in range(self.n_features_in_)]))
        return _explain_frame(X, A, names, self.coef_[0], self.feature_means_, top, descriptions)


class CoxPH:
    """Cox proportional hazards with Efron ties, an optional L2 penalty and strata, as lifelines fits it.

    Examples
    --------
    >>> import pandas as pd, cxkit
    >>> df = pd.DataFrame({"t": [5, 8, 3, 9, 4, 7], "e": [1, 1, 0, 1, 1, 0], "x": [0.2, 1.0, 0.4, 0.1, 1.5, 0.3]})
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
        X = _columns(df, covariates)  # read in place by C++ where pandas' layout allows
        core = _core.CoxPH(float(self.penalizer), float(self.alpha), int(self.max_iter), float(self.tol))
        core.fit(X, np.asarray(df[duration_col], dtype=np.float64), np.asarray(df[event_col], dtype=np.float64),
                 self._strata_codes(df, fitting=True))
        self._core: _core.CoxPH | _core.CoxModel = core  # a CoxModel when read from a model file
        self._fit_args = (df, duration_col, event_col)  # what pickling keeps (a reference, not a copy)
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

    def _repr_html_(self) -> str:
        if not hasattr(self, "_core"):
            return f"<p><b>CoxPH</b> (not fitted; penalizer {self.penalizer:g})</p>"
        strata = f", strata {html.escape(str(self.strata))}" if self.strata else ""
        rows = f"{len(self._fit_args[0]):,} rows" if "_fit_args" in self.__dict__ else "read from a model file"
        return (f"<p><b>CoxPH</b>: {rows}, {len(self.covariates_)} covariates{strata}; "
                f"log-likelihood {self.log_likelihood_:.4f}</p>"
                + self.summary.to_html(float_format=lambda v: f"{v:.4g}"))

    # ---- pickling: settings and the training frame; loading refits (deterministic: same numbers) ----
    # A CoxPH read from a model file has no training frame: it pickles as its model file, under
    # no "version" key (the file carries its own), so a cxkit older than model files refuses it
    # ("unknown state version None") rather than loading it unfitted.
    def __getstate__(self) -> dict[str, Any]:
        settings = {k: self.__dict__[k] for k in ("penalizer", "strata", "alpha", "max_iter", "tol")}
        if "_core" in self.__dict__ and "_fit_args" not in self.__dict__:
            return {"settings": settings, "model_file": self._model_file().to_json()}  # its CoxModel's text
        fitted = self.params_.to_numpy() if "params_" in self.__dict__ else None
        return {"version": _FIT_VERSION, "settings": settings, "fit": self.__dict__.get("_fit_args"), "params": fitted}

    def __setstate__(self, state: dict[str, Any]) -> None:
        if isinstance(state, dict) and "model_file" in state and "version" not in state:
            self._set_from_core(_read_model_file(state["model_file"], _core.CoxModel, "cox_ph"))
            return
        check_state_version(state, "CoxPH", _FIT_VERSION)
        settings, fit, params = state_fields(state, "CoxPH", {"settings": object, "fit": object, "params": object})
        if (not isinstance(settings, dict) or set(settings) != {"penalizer", "strata", "alpha", "max_iter", "tol"}
                or not (fit is None or isinstance(fit, tuple) and len(fit) == 3)):
            raise ValueError("cannot read this CoxPH pickle: its state is damaged")
        self.__dict__.update(settings)
        if fit is not None:
            try:
                self.fit(*fit)
            except (KeyError, TypeError, AttributeError, IndexError) as e:  # a damaged frame or column name
                raise ValueError(f"cannot read this CoxPH pickle: refitting its training frame failed ({e!r})") from e
            # the frame is kept by reference: refuse a pickle whose frame was changed after fit
            if not np.allclose(self.params_.to_numpy(), params, rtol=1e-6, atol=1e-12, equal_nan=True):
                raise ValueError("cannot read this CoxPH pickle: refitting its training frame gives other "
                                 "coefficients (was the frame modified after fit?)")

    # ---- model files: to_json / from_json, save / load (the C++ reader validates both ways) ----
    def _model_file(self) -> _core.CoxModel:
        if "_core" not in self.__dict__:
            raise ValueError("this CoxPH is not fitted: nothing to write")
        if isinstance(self._core, _core.CoxModel):  # read from a model file: write it back as it is
            return self._core
        levels: list[list[Any]] = []
        if self.strata:
            keys = self._strata_levels
            levels = [[_label(v) for v in (k if isinstance(k, tuple) else (k,))] for k in keys]
        return _core.CoxModel.from_fit(self._core, _names(self.covariates_, "covariate"),
                                       _names(self.strata or [], "strata column"), levels)

    def to_json(self, indent: int | None = None) -> str:
        """The fitted model as a cxkit model file (``"kind": "cox_ph"``): coefficients, training
        means, the Breslow baseline cumulative hazard per stratum, strata levels, settings and the
        fit's diagnostics (log-likelihoods, concordance index). Not the training frame.

        ``from_json(m.to_json())`` predicts exactly (bit for bit) what ``m`` predicts. Raises
        ValueError before fit, or for covariate names / strata levels a model file cannot hold.
        """
        return self._model_file().to_json(-1 if indent is None else int(indent))

    def _set_from_core(self, core: _core.CoxModel) -> None:
        self.penalizer, self.alpha, self.max_iter, self.tol = core.penalizer, core.alpha, core.max_iter, core.tol
        self.strata = list(core.strata_columns) or None
        covariates = list(core.covariates) or [f"x{j}" for j in range(len(core.params))]
        if self.strata:
            levels = [t if len(t) > 1 else t[0] for t in core.strata_levels]
            self._strata_levels = (pd.MultiIndex.from_tuples(levels, names=self.strata) if len(self.strata) > 1
                                   else pd.Index(levels, name=self.strata[0]))
        self._core = core
        self.__dict__.pop("_fit_args", None)
        self.__dict__.pop("_concordance", None)
        self.covariates_ = covariates
        idx = pd.Index(covariates, name="covariate")
        self.params_ = pd.Series(np.asarray(core.params), index=idx, name="coef")
        self.standard_errors_ = pd.Series(np.asarray(core.standard_errors), index=idx, name="se(coef)")
        pct = round(100 * (1 - self.alpha))
        self.confidence_intervals_ = pd.DataFrame(np.asarray(core.confidence_intervals()), index=idx,
                                                  columns=[f"{pct}% lower-bound", f"{pct}% upper-bound"])
        self.log_likelihood_ = float(core.log_likelihood)
        cols = list(self._strata_levels) if self.strata else ["baseline survival"]
        self.baseline_survival_ = pd.DataFrame(np.asarray(core.baseline_survival()),
                                               index=pd.Index(np.asarray(core.baseline_times), name="time"),
                                               columns=cols)

    @classmethod
    def _from_core(cls, core: _core.CoxModel) -> CoxPH:
        model = cls.__new__(cls)
        model._set_from_core(core)
        return model

    @classmethod
    def from_json(cls, text: str | bytes) -> CoxPH:
        """A fitted model from a model file's text (see ``to_json``). It predicts, explains and
        summarises like the original; ``concordance_index_`` is the value stored in the file.

        Raises cxkit.InputError (a ValueError) naming the key for a damaged or hand-edited file,
        a file of the other kind, or one of a newer version than this cxkit reads.

        Examples
        --------
        >>> import pandas as pd, cxkit
        >>> df = pd.DataFrame({"t": [5, 8, 3, 9, 4, 7], "e": [1, 1, 0, 1, 1, 0], "x": [0.2, 1.0, 0.4, 0.1, 1.5, 0.3]})
        >>> m = cxkit.churn.CoxPH().fit(df, duration_col="t", event_col="e")
        >>> back = cxkit.churn.CoxPH.from_json(m.to_json())
        >>> back.predict_partial_hazard(df).equals(m.predict_partial_hazard(df))
        True
        """
        return cls._from_core(_read_model_file(text, _core.CoxModel, "cox_ph"))

    def save(self, path: Any) -> None:
        """Write ``to_json(indent=1)`` to ``path`` (UTF-8)."""
        from pathlib import Path
        Path(path).write_text(self.to_json(indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Any) -> CoxPH:
        """Read a file written by ``save`` (``from_json`` of its text)."""
        from pathlib import Path
        return cls.from_json(Path(path).read_bytes())

    @property
    def concordance_index_(self) -> float:
        """Harrell's C on the training data (computed on first use: O(n log n))."""
        if not hasattr(self, "_concordance"):
            self._concordance = float(self._core.concordance_index())
        return self._concordance

    @property
    def hazard_ratios_(self) -> pd.Series:
        return pd.Series(np.exp(self.params_.to_numpy()), index=self.params_.index, name="exp(coef)")

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
        return np.asfortranarray(_columns(df, self.covariates_))

    def explain(self, df: pd.DataFrame, top: int = 3, descriptions: FeatureDescriptions | None = None) -> pd.DataFrame:
        """Each account's `top` largest drivers of its hazard, in plain words.

        The contribution of covariate j is ``params_j * (x_j - mean_j)`` (log hazard ratio
        against the average training account); a row's contributions sum to its log partial
        hazard. Columns: account (``df``'s index), rank, feature, value, contribution, effect
        ("raises risk" / "lowers risk") and text (see ``LogisticRegression.explain``).
        """
        X = self._X(df)
        return _explain_frame(df, X, self.covariates_, self.params_.to_numpy(), np.asarray(self._core.means), top,
                              descriptions)

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
        self._fit_args = (T.copy(), E.copy(), None if weights is None else np.array(weights, dtype=np.float64), label)
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

    def _repr_html_(self) -> str:
        if not hasattr(self, "_core"):
            return f"<p><b>KaplanMeier</b> (not fitted; alpha {self.alpha:g})</p>"
        T, E = self._fit_args[0], self._fit_args[1]
        s = self.survival_function_[self.label]
        at = s.index[np.unique(np.linspace(0, len(s) - 1, min(len(s), 8)).round().astype(int))] if len(s) else s.index
        table = self.survival_function_.loc[at].join(self.confidence_interval_.loc[at])
        return (f"<p><b>KaplanMeier {html.escape(str(self.label))}</b>: {len(T):,} subjects, "
                f"{int(np.count_nonzero(E)):,} events, median survival {self.median_survival_time_:g}</p>"
                + table.to_html(float_format=lambda v: f"{v:.4f}"))

    # ---- pickling: alpha and the fit inputs; loading refits (deterministic: same curve) ----
    def __getstate__(self) -> dict[str, Any]:
        return {"version": _FIT_VERSION, "alpha": self.alpha, "fit": self.__dict__.get("_fit_args")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "KaplanMeier", _FIT_VERSION)
        self.alpha, fit = state_fields(state, "KaplanMeier", {"alpha": object, "fit": object})
        if fit is not None:
            if not (isinstance(fit, tuple) and len(fit) == 4):
                raise ValueError("cannot read this KaplanMeier pickle: its state is damaged")
            T, E, W, label = fit
            try:
                self.fit(T, E, W, label=label)
            except (KeyError, TypeError, AttributeError, IndexError) as e:
                raise ValueError(f"cannot read this KaplanMeier pickle: refitting failed ({e!r})") from e

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
