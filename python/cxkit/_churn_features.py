"""Point-in-time churn features, labels, rolling backtests, renewals and expansion signals.

``build_features`` runs in C++ (one pass over each account's events before ``as_of``, parallel
over accounts); the rest is thin pandas around it. Re-exported by :mod:`cxkit.churn`; every
column and rule is defined in docs/churn_features.md.
"""
from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxkit import _core
from cxkit._progress import ProgressArg, reporter
from cxkit._time import MISSING, check_state_version, duration_to_micros, micros_to_series, series_to_micros, to_micros
from cxkit.event_log import EventLog
from cxkit.table import Table

__all__ = ["BacktestResult", "backtest", "build_features", "expansion_signals", "label", "renewals"]

#: Account columns that describe the outcome or the table's own snapshot date, never features:
#: using them would leak the future into a past as_of (the simulator's arr/seats are end values;
#: the point-in-time ARR and licensed seats come from the log instead).
DEFAULT_EXCLUDE = ("churned", "churn_date", "renewal_date", "arr", "seats", "signup", "name")
#: Contract term in months by the value of the contract column (cxkit.simulate's names).
DEFAULT_CONTRACT_MONTHS = {"monthly": 1, "annual": 12}
_STATUS = np.array(["active", "not_yet", "churned"], dtype=object)


def _accounts_frame(accounts: Any, key: str) -> pd.DataFrame:
    if isinstance(accounts, Table):
        return accounts.to_pandas()
    if not isinstance(accounts, pd.DataFrame):
        raise TypeError(f"accounts must be a DataFrame or a cxkit.Table, not {type(accounts).__name__}")
    if key not in accounts.columns:
        if accounts.index.name == key:
            return accounts.reset_index()
        raise KeyError(f"key column '{key}' not in the accounts DataFrame; it has {list(map(str, accounts.columns))}")
    return accounts


def _window_us(w: Any) -> int:
    us = duration_to_micros(w)
    if us <= 0:
        raise ValueError(f"window {w!r} must be positive")
    return us


def build_features(log: EventLog, accounts: Any = None, as_of: Any = None, windows: Sequence[Any] = ("7D", "30D", "90D"),
                   occurrences: pd.DataFrame | None = None, nps: pd.DataFrame | None = None, key: str = "account",
                   numeric: Sequence[str] | str = "auto", categorical: Sequence[str] | Mapping[str, Sequence[str]] | str = "auto",
                   exclude: Sequence[str] = DEFAULT_EXCLUDE, max_levels: int = 20, spec: Mapping[str, Any] | None = None,
                   active_only: bool = True, threads: int = 0, *, progress: ProgressArg = None) -> pd.DataFrame:
    """Per-account features as of ``as_of``, from events strictly before it.

    Parameters
    ----------
    log : cxkit.EventLog
        Case = account.
    accounts : DataFrame (``key`` column or index) or cxkit.Table, optional
        One row per account; rows of the result follow it (else the log's cases). Its
        ``signup`` (timestamp), ``contract``, ``churn_date``, ``seats`` and ``arr`` columns are
        used when present (see the docs); ``numeric``/``categorical`` columns become features.
    as_of : instant (naive = UTC), or a Series of instants by account
        A Series gives each account its own as_of (e.g. its renewal date or a tenure
        anniversary); accounts it lacks get NaN and status not_yet.
    windows : durations (``"7D"``, ``"30D"``, ``pd.Timedelta``...); the longest is the window of
        the breadth, premium, per-priority and breach features.
    occurrences : DataFrame from :func:`cxkit.moments.evaluate`, optional
        Moments of truth; clocks with status breached/overdue count as breaches once their
        deadline is before ``as_of``.
    nps : DataFrame with columns ``key``, ``timestamp``, ``score``, optional
        Survey answers kept outside the log (replace the log's ``nps answered`` events).
    numeric, categorical : column names, ``"auto"`` or ``()``
        Account columns copied (numeric) or one-hot encoded (categorical; a mapping gives the
        levels). ``"auto"``: every numeric column / every text column with at most ``max_levels``
        values, minus ``exclude``.
    spec : mapping, optional
        Overrides of the FeatureSpec fields (activity and attribute names; see the docs), e.g.
        ``{"count_activities": ["login"], "premium_features": ["api"]}``.
    active_only : bool
        Keep only accounts signed up before ``as_of`` and not churned before it (default);
        else keep every row and add a ``status`` column (active / not_yet / churned).
    threads : int, 0 = all cores (the result never depends on it)
    progress : bool or callable, optional
        True shows a tqdm bar of accounts; a callable is called as ``f(done, total)`` in rows
        (accounts), once per block of 256 rows and once at the end. Never changes the result.
        Ctrl-C interrupts the work either way (an exception from the callable propagates).

    Returns
    -------
    pandas.DataFrame indexed by account (float64 columns; NaN where undefined).

    Examples
    --------
    >>> import pandas as pd, cxkit
    >>> ev = pd.DataFrame({"case": ["a", "a", "a"], "activity": ["signed", "login", "login"],
    ...                    "timestamp": pd.to_datetime(["2024-01-01", "2024-03-20", "2024-03-30"])})
    >>> log = cxkit.EventLog.from_pandas(ev, case="case", activity="activity", timestamp="timestamp")
    >>> f = cxkit.churn.build_features(log, as_of="2024-04-01")
    >>> f.loc["a", ["login_7d", "login_30d", "tenure_days"]].tolist()
    [1.0, 2.0, 91.0]
    """
    if as_of is None:
        raise ValueError("as_of is required")
    if not isinstance(log, EventLog):
        raise TypeError(f"log must be a cxkit.EventLog, not {type(log).__name__}")
    d: dict[str, Any] = dict(spec or {})
    d["windows_us"] = [_window_us(w) for w in windows]
    if "active_window" in d:
        d["active_window_us"] = _window_us(d.pop("active_window"))
    if "contract_months" in d and isinstance(d["contract_months"], Mapping):
        d["contract_months"] = [(str(k), int(v)) for k, v in d["contract_months"].items()]
    d["threads"] = int(threads)

    core_table = None
    rows_index: pd.Index
    if accounts is not None:
        frame = _accounts_frame(accounts, key)
        excluded = set(exclude) | {key}
        if isinstance(numeric, str):
            if numeric != "auto":
                raise ValueError(f"numeric must be 'auto' or a list of column names, not {numeric!r}")
            numeric = [str(c) for c in frame.columns if c not in excluded and pd.api.types.is_numeric_dtype(frame[c])
                       and not pd.api.types.is_bool_dtype(frame[c])]
        if isinstance(categorical, str):
            if categorical != "auto":
                raise ValueError(f"categorical must be 'auto', a list or a mapping, not {categorical!r}")
            categorical = [str(c) for c in frame.columns if c not in excluded and _is_text(frame[c])
                           and frame[c].nunique(dropna=True) <= max_levels]
        cats = ({str(k): [str(v) for v in lv] for k, lv in categorical.items()} if isinstance(categorical, Mapping)
                else {str(c): [] for c in categorical})
        missing = [c for c in list(numeric) + list(cats) if c not in frame.columns]
        if missing:
            raise KeyError(f"account column(s) {missing} not in the accounts DataFrame")
        d["numeric_columns"] = list(numeric)
        d["categorical_columns"] = list(cats.items())
        kinds: dict[str, str] = {c: "numeric" for c in numeric}
        kinds.update({c: "categorical" for c in cats})
        for col, kind in ((d.get("signup_column", "signup"), "timestamp"),
                          (d.get("churn_date_column", "churn_date"), "timestamp"),
                          (d.get("contract_column", "contract"), "categorical"),
                          (d.get("licensed_seats_column", "seats"), "numeric"),
                          (d.get("arr_column", "arr"), "numeric")):
            if col in frame.columns and col not in kinds:
                kinds[col] = kind
        core_table = Table.from_pandas(frame[[key, *kinds]], key=key, columns=kinds)._core
        rows_index = pd.Index(frame[key].astype(str).to_numpy(), name=key)
    else:
        rows_index = pd.Index(log.cases, name=key)

    row_of = pd.Series(np.arange(len(rows_index), dtype=np.int64), index=rows_index)
    as_of_us = _as_of_array(as_of, rows_index)
    kw: dict[str, Any] = {}
    if occurrences is not None:
        occ = occurrences
        for c in ("case", "moment", "status", "started", "deadline"):
            if c not in occ.columns:
                raise KeyError(f"occurrences need a '{c}' column (the output of cxkit.moments.evaluate)")
        names = sorted(str(m) for m in occ["moment"].unique())
        occ = occ[occ["status"].isin(["breached", "overdue"])]
        rows = row_of.reindex(occ["case"].astype(str).to_numpy())
        ok = rows.notna().to_numpy()
        occ = occ[ok]
        kw.update(moment_names=names, breach_row=rows.to_numpy()[ok].astype(np.uint32),
                  breach_moment=pd.Index(names).get_indexer(pd.Index(occ["moment"].astype(str))).astype(np.uint32),
                  breach_started=series_to_micros(occ["started"], "started"),
                  breach_deadline=series_to_micros(occ["deadline"], "deadline"))
    if nps is not None:
        for c in (key, "timestamp", "score"):
            if c not in nps.columns:
                raise KeyError(f"nps needs columns '{key}', 'timestamp' and 'score'; it has {list(map(str, nps.columns))}")
        rows = row_of.reindex(nps[key].astype(str).to_numpy())
        ok = rows.notna().to_numpy()
        sub = nps[ok]
        kw.update(nps_row=rows.to_numpy()[ok].astype(np.uint32), nps_time=series_to_micros(sub["timestamp"], "timestamp"),
                  nps_score=pd.to_numeric(sub["score"]).to_numpy(dtype=np.float64))

    with reporter(progress, "building features", unit="account") as callback:
        out = _core.churn_build_features(log._core, core_table, as_of_us, d, **kw, progress=callback)
    df = pd.DataFrame(np.asarray(out["values"]), index=pd.Index(list(out["keys"]), name=key), columns=list(out["names"]))
    status = np.asarray(out["status"])
    if active_only:
        active: npt.NDArray[np.bool_] = status == 0
        return df[active]
    df["status"] = _STATUS[status]
    return df


def _as_of_array(as_of: Any, rows: pd.Index) -> np.ndarray:
    """One instant for every row, or a Series by account reindexed onto the rows (NaT where absent)."""
    if isinstance(as_of, pd.Series):
        s = as_of.copy()
        s.index = s.index.astype(str)
        if not s.index.is_unique:
            raise ValueError("as_of has duplicate accounts")
        return series_to_micros(s.reindex(rows), "as_of")
    return np.array([to_micros(as_of)], dtype=np.int64)


def _is_text(s: pd.Series) -> bool:
    """True for string-like columns (object, string or category dtype)."""
    return (pd.api.types.is_object_dtype(s.dtype) or pd.api.types.is_string_dtype(s.dtype)
            or isinstance(s.dtype, pd.CategoricalDtype))


def _spans(source: Any, key: str, signup: str, churn_date: str, churn_activity: str) -> pd.DataFrame:
    """Per account: signup and churn instant (UTC micros, MISSING when none)."""
    if isinstance(source, EventLog):
        first, churned = _core.churn_case_spans(source._core, churn_activity)
        return pd.DataFrame({"signup": np.asarray(first), "churn": np.asarray(churned)},
                            index=pd.Index(source.cases, name=key))
    frame = _accounts_frame(source, key)
    for c in (signup, churn_date):
        if c not in frame.columns:
            raise KeyError(f"column '{c}' not in the accounts DataFrame")
    return pd.DataFrame({"signup": series_to_micros(frame[signup], signup),
                         "churn": series_to_micros(frame[churn_date], churn_date)},
                        index=pd.Index(frame[key].astype(str).to_numpy(), name=key))


def label(source: Any, as_of: Any, horizon: Any = "30D", key: str = "account", signup: str = "signup",
          churn_date: str = "churn_date", churn_activity: str = "churned") -> pd.Series:
    """Churn within the horizon: 1 when the account churns in ``[as_of, as_of + horizon)``, else 0.

    Only accounts that are customers at ``as_of`` get a label: signed up before it (the
    ``signup`` column, or the first event of a log) and not churned before it. The windows
    are half-open like the features' (events before ``as_of``), so consecutive snapshots
    ``as_of, as_of + horizon, ...`` count every churn exactly once.

    Parameters
    ----------
    source : accounts DataFrame (``signup`` and ``churn_date`` columns) or cxkit.EventLog
        (signup = first event, churn = first ``churn_activity`` event).
    as_of : instant, or a Series of instants by account (accounts it lacks get no label).

    Examples
    --------
    >>> import pandas as pd, cxkit
    >>> acc = pd.DataFrame({"account": ["a", "b", "c"],
    ...                     "signup": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-05-01"]),
    ...                     "churn_date": pd.to_datetime(["2024-04-10", None, None])})
    >>> cxkit.churn.label(acc, "2024-04-01", "30D").to_dict()
    {'a': 1, 'b': 0}
    """
    h = _window_us(horizon)
    s = _spans(source, key, signup, churn_date, churn_activity)
    su, ch = s["signup"].to_numpy(), s["churn"].to_numpy()
    t = _as_of_array(as_of, s.index)
    if len(t) == 1:
        t = np.full(len(su), t[0])
    eligible = (t != MISSING) & (su != MISSING) & (su < t) & ((ch == MISSING) | (ch >= t))
    y = (ch != MISSING) & (ch < t + h)
    return pd.Series(y[eligible].astype(np.int64), index=s.index[eligible], name="churned")


@dataclass(eq=False)
class BacktestResult:
    """``folds``: one row per scored as_of date; ``scores``: every scored account of every fold."""

    folds: pd.DataFrame
    scores: pd.DataFrame

    def to_pandas(self) -> pd.DataFrame:
        return self.folds

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BacktestResult):
            return NotImplemented
        return self.folds.equals(other.folds) and self.scores.equals(other.scores)

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "folds": self.folds, "scores": self.scores}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "BacktestResult")
        self.folds, self.scores = state["folds"], state["scores"]

    def _repr_html_(self) -> str:
        means = ", ".join(f"{c} {pd.to_numeric(self.folds[c], errors='coerce').mean():.3f}"
                          for c in ("auc", "average_precision", "brier", "lift") if c in self.folds.columns)
        return (f"<p><b>Backtest</b>: {len(self.folds)} folds, {len(self.scores):,} scored accounts"
                f"{'; mean ' + html.escape(means) if means else ''}</p>"
                + self.folds.to_html(index=False, float_format=lambda v: f"{v:.3f}"))


def _default_model() -> Any:
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from cxkit.churn import LogisticRegression
    return make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(C=1.0, max_iter=200))


def backtest(log: EventLog, accounts: Any, as_of_dates: Sequence[Any], horizon: Any = "30D", model: Any = None,
             features: Sequence[str] | None = None, top: float = 0.1, occurrences: pd.DataFrame | None = None,
             nps: pd.DataFrame | None = None, key: str = "account", observed_until: Any = None,
             progress: ProgressArg = None, **build_kwargs: Any) -> BacktestResult:
    """Rolling evaluation: at each date, train on the past and score the future.

    For each ``as_of`` in ``as_of_dates`` (sorted), the training set is every earlier snapshot
    whose label window has closed by ``as_of`` (``as_of_j + horizon <= as_of``), so no training
    label is unknown at scoring time; the test set is the snapshot at ``as_of``, labelled with
    churn in ``[as_of, as_of + horizon)``. Folds without a usable training set, or whose test
    set has a single class, are skipped.

    Parameters
    ----------
    log, accounts : as in :func:`build_features`; ``accounts`` also gives the labels (``signup``,
        ``churn_date``).
    model : scikit-learn classifier with ``predict_proba`` (cloned per fold). Default: median
        imputation, standardisation and :class:`cxkit.churn.LogisticRegression` (C=1).
    features : columns to use (default: all of build_features' columns).
    top : fraction (0-1) or count of accounts for lift and capture at the top.
    observed_until : end of observation (default: the log's last event); a date whose label window
        ends after it raises ValueError (its labels would be incomplete).
    progress : bool or callable, optional
        Progress in steps, two per date: its snapshot built, then its fold scored (or skipped).
        True shows a tqdm bar; a callable is called as ``f(done, total)`` after every step.
        Ctrl-C interrupts either way (checked inside each build_features call too).
    **build_kwargs : passed to :func:`build_features` (windows, spec, numeric, categorical, ...).

    Returns
    -------
    BacktestResult with ``folds`` (as_of, n_train, n_test, positives, base_rate, auc,
    average_precision, brier, log_loss, k, lift, capture) and ``scores`` (as_of, account, score, label).
    """
    h = _window_us(horizon)
    dates = sorted(to_micros(d) for d in as_of_dates)
    if len(dates) < 2:
        raise ValueError("backtest needs at least two as_of dates (one to train on, one to score)")
    end = to_micros(observed_until) if observed_until is not None else int(np.max(log._core.timestamps())) + 1
    late = [d for d in dates if d + h > end]
    if late:
        raise ValueError(f"as_of {micros_to_series(np.array(late[:1]))[0]} + horizon ends after the observed data "
                         f"({micros_to_series(np.array([end]))[0]}); its labels would be incomplete")
    base = _default_model() if model is None else model
    with reporter(progress, "backtest", unit="step") as callback:
        return _backtest_steps(log, accounts, dates, horizon, base, features, top, occurrences, nps, key,
                               build_kwargs, callback)


def _backtest_steps(log: EventLog, accounts: Any, dates: list[int], horizon: Any, base: Any,
                    features: Sequence[str] | None, top: float, occurrences: pd.DataFrame | None,
                    nps: pd.DataFrame | None, key: str, build_kwargs: dict[str, Any],
                    callback: Callable[[int, int], Any] | None) -> BacktestResult:
    """backtest's work once its arguments are checked; ``callback(done, total)`` after each of
    its ``2 * len(dates)`` steps (a snapshot built, a fold scored or skipped)."""
    from sklearn.base import clone

    from cxkit.churn import metrics

    h = _window_us(horizon)
    total = 2 * len(dates)
    done = 0

    def advance() -> None:
        nonlocal done
        done += 1
        if callback is not None:
            callback(done, total)

    snaps: list[tuple[int, pd.DataFrame, pd.Series]] = []
    for d in dates:
        when = pd.Timestamp(d, unit="us", tz="UTC")
        X = build_features(log, accounts, when, occurrences=occurrences, nps=nps, key=key, **build_kwargs)
        y = label(accounts, when, horizon, key=key)
        common = X.index.intersection(y.index)
        X, y = X.loc[common], y.loc[common]
        if features is not None:
            X = X[list(features)]
        snaps.append((d, X, y))
        advance()

    def score(i: int, d: int, X: pd.DataFrame, y: pd.Series) -> tuple[dict[str, Any], pd.DataFrame] | None:
        past = [(Xj, yj) for dj, Xj, yj in snaps[:i] if dj + h <= d]
        if not past or y.nunique() < 2:
            return None
        Xtr = pd.concat([p[0] for p in past])
        ytr = pd.concat([p[1] for p in past])
        if ytr.nunique() < 2:
            return None
        m = clone(base).fit(Xtr, ytr.to_numpy())
        p = np.asarray(m.predict_proba(X[Xtr.columns]))[:, 1]
        yt = y.to_numpy(dtype=np.float64)
        k = int(top) if top >= 1 else max(1, math.ceil(top * len(yt)))
        lift = metrics.lift_at_k(yt, p, k)
        fold = {"as_of": micros_to_series(np.array([d]))[0], "n_train": len(ytr), "n_test": len(yt),
                "positives": int(yt.sum()), "base_rate": float(yt.mean()),
                "auc": metrics.roc_auc_score(yt, p), "average_precision": metrics.average_precision_score(yt, p),
                "brier": metrics.brier_score(yt, p), "log_loss": metrics.log_loss(yt, p), "k": k,
                "lift": lift["lift"], "capture": lift["capture"]}
        return fold, pd.DataFrame({"as_of": micros_to_series(np.full(len(yt), d)), key: X.index.to_numpy(),
                                   "score": p, "label": y.to_numpy()})

    folds, scored = [], []
    for i, (d, X, y) in enumerate(snaps):
        result = score(i, d, X, y)
        if result is not None:
            folds.append(result[0])
            scored.append(result[1])
        advance()
    cols = ["as_of", "n_train", "n_test", "positives", "base_rate", "auc", "average_precision", "brier", "log_loss",
            "k", "lift", "capture"]
    return BacktestResult(pd.DataFrame(folds, columns=cols),
                          pd.concat(scored, ignore_index=True) if scored
                          else pd.DataFrame(columns=["as_of", key, "score", "label"]))


def _risk_frame(scores: Any) -> tuple[pd.Series, pd.Series | None]:
    if isinstance(scores, pd.DataFrame):
        col = next((c for c in ("risk", "score", "probability") if c in scores.columns), None)
        if col is None:
            raise KeyError("scores needs a 'risk', 'score' or 'probability' column")
        drv = scores["drivers"] if "drivers" in scores.columns else None
        return scores[col].astype(np.float64), drv
    if isinstance(scores, pd.Series):
        return scores.astype(np.float64), None
    raise TypeError("scores must be a Series (risk by account) or a DataFrame with a 'risk' or 'score' column")


def renewals(scores: Any, accounts: Any, as_of: Any, within: Any = "90D", drivers: Any = None,
             features: pd.DataFrame | None = None, key: str = "account", arr: str = "arr",
             contract: str = "contract", contract_months: Mapping[str, int] | None = None,
             default_term_months: int = 12) -> pd.DataFrame:
    """Accounts renewing in ``[as_of, as_of + within)``, ranked by ARR at risk (risk x ARR).

    Parameters
    ----------
    scores : Series of churn risk (0-1) by account, or a DataFrame with ``risk``/``score`` (and
        optionally ``drivers``) indexed by account.
    accounts : DataFrame with ``key``, ``signup`` and ``contract`` (term: ``contract_months``,
        default monthly = 1, annual = 12) and ``arr``.
    drivers : Series by account (text or list), optional: why each account is at risk (e.g.
        the model's explanations); shown as given.
    features : build_features output at the same as_of, optional: its ``arr`` (point in time)
        and ``days_to_renewal`` are used instead of the table's.

    Returns
    -------
    DataFrame indexed by account: renewal_date, days_to_renewal, risk, arr, arr_at_risk, drivers;
    largest ARR at risk first. Only accounts with a score (customers at ``as_of``) appear.

    Examples
    --------
    >>> import pandas as pd, cxkit
    >>> acc = pd.DataFrame({"account": ["a", "b"], "signup": pd.to_datetime(["2023-05-01", "2023-09-01"]),
    ...                     "contract": ["annual", "annual"], "arr": [10000.0, 50000.0]})
    >>> r = cxkit.churn.renewals(pd.Series({"a": 0.5, "b": 0.2}), acc, "2024-04-01", within="90D")
    >>> r[["days_to_renewal", "arr_at_risk"]].to_dict("index")
    {'a': {'days_to_renewal': 30.0, 'arr_at_risk': 5000.0}}
    """
    t = to_micros(as_of)
    w = _window_us(within)
    risk, drv = _risk_frame(scores)
    if drivers is not None:
        drv = pd.Series(drivers)
    frame = _accounts_frame(accounts, key).set_index(key)
    frame.index = frame.index.astype(str)
    risk.index = risk.index.astype(str)
    idx = risk.index[risk.index.isin(frame.index)]
    acc = frame.loc[idx]
    if features is not None and "days_to_renewal" in features.columns:
        days = features["days_to_renewal"].reindex(idx).to_numpy(dtype=np.float64)
        due = t + np.round(days * 86_400e6)
        due = np.where(np.isnan(days), MISSING, due).astype(np.int64)
    else:
        terms = dict(DEFAULT_CONTRACT_MONTHS if contract_months is None else contract_months)
        term = (acc[contract].map(terms).fillna(default_term_months) if contract in acc.columns
                else pd.Series(default_term_months, index=idx))
        due = np.asarray(_core.churn_next_renewal(series_to_micros(acc["signup"], "signup"),
                                                  term.to_numpy(dtype=np.int32), t))
    money = (features["arr"].reindex(idx) if features is not None and "arr" in features.columns
             else pd.Series(np.nan, index=idx))
    if arr in acc.columns:
        money = money.fillna(acc[arr].astype(np.float64))
    out = pd.DataFrame({"renewal_date": micros_to_series(due, index=idx),
                        "days_to_renewal": np.where(due == MISSING, np.nan, (due - t) / 86_400e6),
                        "risk": risk.loc[idx].to_numpy(), "arr": money.to_numpy(dtype=np.float64)}, index=idx)
    out["arr_at_risk"] = out["risk"] * out["arr"]
    out["drivers"] = drv.reindex(idx).to_numpy() if drv is not None else None
    keep: npt.NDArray[np.bool_] = (due != MISSING) & (due >= t) & (due < t + w)
    out = out[keep]
    out.index.name = key
    return out.sort_values(["arr_at_risk", "arr"], ascending=False, kind="mergesort")


def expansion_signals(features: pd.DataFrame, accounts: Any, key: str = "account", utilisation: float = 0.85,
                      growth: float = 0.25, plan: str = "plan",
                      plan_order: Sequence[str] = ("Starter", "Growth", "Business", "Enterprise"),
                      trend: str = "login_trend_30d", arr: str = "arr") -> pd.DataFrame:
    """Accounts ready to expand, ranked, each with the reason.

    Three signals, each scored in [0, 1] and summed:

    - **near the licence**: ``seat_utilisation >= utilisation`` (score = utilisation, capped at 1);
    - **higher-plan features**: ``premium_features_<W> >= 1`` on a plan below the top of
      ``plan_order`` (score = min(1, features / 3));
    - **growing fast**: active seats up by at least ``growth`` over the longest window
      (``active_seats_change_<W>``), or the ``trend`` column (log ratio of usage now vs the window
      before) above log(1 + growth) (score = min(1, growth seen / (4 x growth))).

    Returns
    -------
    DataFrame indexed by account: plan, arr, seat_utilisation, premium_features, seat_growth,
    usage_growth, signals, score, reason; highest score first (ties: larger ARR first).
    """
    frame = _accounts_frame(accounts, key).set_index(key)
    frame.index = frame.index.astype(str)
    f = features.copy()
    f.index = f.index.astype(str)
    prem_col = next((c for c in f.columns if c.startswith("premium_features_")), None)
    change_col = next((c for c in f.columns if c.startswith("active_seats_change_")), None)
    window = change_col.rsplit("_", 1)[1] if change_col else ""
    plans = frame[plan].reindex(f.index) if plan in frame.columns else pd.Series(None, index=f.index, dtype=object)
    rank = {p: i for i, p in enumerate(plan_order)}
    below_top = plans.map(lambda p: p in rank and rank[p] < len(plan_order) - 1).astype(bool)
    util = f["seat_utilisation"] if "seat_utilisation" in f.columns else pd.Series(np.nan, index=f.index)
    prem = f[prem_col] if prem_col else pd.Series(0.0, index=f.index)
    if change_col and "active_seats" in f.columns:
        start = (f["active_seats"] - f[change_col]).clip(lower=1)
        seat_growth = f[change_col] / start
    else:
        seat_growth = pd.Series(np.nan, index=f.index)
    usage_growth = np.expm1(f[trend]) if trend in f.columns else pd.Series(np.nan, index=f.index)
    money = f["arr"] if "arr" in f.columns else pd.Series(np.nan, index=f.index)
    if arr in frame.columns:
        money = money.fillna(frame[arr].reindex(f.index).astype(np.float64))

    s_util = np.where(util >= utilisation, np.minimum(util, 1.0), 0.0)
    s_prem = np.where(below_top & (prem >= 1), np.minimum(prem / 3.0, 1.0), 0.0)
    best_growth = np.fmax(seat_growth.to_numpy(dtype=np.float64), np.asarray(usage_growth, dtype=np.float64))
    s_grow = np.where(best_growth >= growth, np.minimum(best_growth / (4 * growth), 1.0), 0.0)
    out = pd.DataFrame({"plan": plans, "arr": money, "seat_utilisation": util, "premium_features": prem,
                        "seat_growth": seat_growth, "usage_growth": usage_growth}, index=f.index)
    out["signals"] = (s_util > 0).astype(int) + (s_prem > 0).astype(int) + (s_grow > 0).astype(int)
    out["score"] = s_util + s_prem + s_grow
    reasons = []
    for i, a in enumerate(out.index):
        parts = []
        if s_util[i] > 0:
            lic = f["licensed_seats"].iloc[i] if "licensed_seats" in f.columns else float("nan")
            parts.append(f"{util.iloc[i]:.0%} of {lic:,.0f} licensed seats active")
        if s_prem[i] > 0:
            n = int(prem.iloc[i])
            parts.append(f"uses {n} higher-plan feature{'s' if n != 1 else ''} on {plans.iloc[i]}")
        if s_grow[i] > 0:
            sg = seat_growth.iloc[i]
            if not np.isnan(sg) and sg >= growth:
                parts.append(f"active seats up {sg:.0%} over {window}")
            else:
                parts.append(f"usage up {float(np.asarray(usage_growth)[i]):.0%} ({trend.rsplit('_', 1)[-1]} vs the {trend.rsplit('_', 1)[-1]} before)")
        reasons.append("; ".join(parts))
    out["reason"] = reasons
    out = out[out["signals"] > 0]
    out.index.name = key
    return out.sort_values(["score", "arr"], ascending=False, kind="mergesort")
