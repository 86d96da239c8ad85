"""Moments of truth: SLA clocks on business calendars, compliance, NPS/CSAT/CES, staffing.

A moment is a touchpoint with a trigger, what fulfils it and a time target. ``evaluate`` runs
every clock (start, pause, resume, stop, cancel, repeat) as Zendesk / Jira Service Management /
ServiceNow SLA clocks do; see docs/moments.md for every semantic choice.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxkit import _core
from cxkit._moments_compliance import ComplianceSummary, compliance, compliance_summary
from cxkit._moments_impact import impact
from cxkit._moments_milestones import due, milestone_rule
from cxkit._notifications import NotificationPolicy
from cxkit._progress import ProgressArg, reporter
from cxkit._time import (check_state_version, duration_to_micros, micros_to_series, state_damage, state_fields,
                         to_micros)
from cxkit.calendar import WEEKDAYS, Calendar
from cxkit.event_log import EventLog

__all__ = ["ComplianceSummary", "Moment", "ces", "compliance", "compliance_summary", "csat", "due", "evaluate",
           "impact", "milestone_rule", "nps", "staffing",
           "NotificationPolicy"]

Condition = str | Mapping[str, Any]


def _target(value: Any) -> str:
    """A target for the JSON form: "4h" style strings pass through; timedeltas become seconds."""
    if isinstance(value, str):
        return value
    return f"{duration_to_micros(value) / 1e6:g}s"


def _calendar_json(cal: Calendar) -> dict[str, Any]:
    hours = cal.working_hours
    return {"timezone": cal.timezone, "week": [[list(iv) for iv in hours.get(d, [])] for d in WEEKDAYS],
            "holidays": [d.isoformat() for d in cal.holidays]}


class Moment:
    """A moment of truth.

    Parameters
    ----------
    name : str
    trigger, fulfil : activity name, or ``{"activity": ..., "where": {attribute: value}}``
    within : target (``"4h"``, ``"30m"``, a timedelta) in business time on ``calendar``
    calendar : cxkit.Calendar, optional (24/7 when omitted)
    pause_on, resume_on, cancel_on : conditions (or lists of them)
    repeat : each trigger after fulfilment starts a new cycle
    key : attribute pairing triggers with fulfilment inside a case (e.g. ``"ticket"``)
    targets : ``{"by": "priority", "values": {"P0": "1h", "P1": "4h"}}`` targets by the value in force at start
    owner, stage, urgency ("low" | "normal" | "high" | "critical"), desired_emotion : descriptive

    Raises ValueError naming the bad field.

    Examples
    --------
    >>> import cxkit
    >>> m = cxkit.moments.Moment("first reply", trigger="ticket opened", fulfil="first reply", within="4h",
    ...                          key="ticket", calendar=cxkit.Calendar("Europe/Berlin"))
    >>> m.to_json()["within"]
    '4h'
    """

    __slots__ = ("_json", "_def")

    def __init__(self, name: str, trigger: Condition, fulfil: Condition, within: Any = None,
                 calendar: Calendar | None = None, pause_on: Any = None, resume_on: Any = None,
                 cancel_on: Any = None, repeat: bool = False, key: str | None = None, owner: str | None = None,
                 stage: str | None = None, urgency: str = "normal", desired_emotion: str | None = None,
                 targets: Mapping[str, Any] | None = None) -> None:
        d: dict[str, Any] = {"name": name, "trigger": trigger, "fulfil": fulfil, "repeat": bool(repeat),
                             "urgency": urgency}
        if within is not None:
            d["within"] = _target(within)
        if targets is not None:
            d["targets"] = {"by": targets["by"], "values": {str(k): _target(v) for k, v in targets["values"].items()}}
        if calendar is not None:
            d["calendar"] = _calendar_json(calendar)
        for field, value in (("pause_on", pause_on), ("resume_on", resume_on), ("cancel_on", cancel_on)):
            if value is not None:
                d[field] = value
        for field, value in (("key", key), ("owner", owner), ("stage", stage), ("desired_emotion", desired_emotion)):
            if value is not None:
                d[field] = value
        self._set(json.dumps(d))

    def _set(self, text: str) -> None:
        # The C++ definition is kept: its calendar tables are built once, not per evaluation.
        self._def = _core.MomentDef.from_json_text(text)
        self._json = json.loads(self._def.to_json_text())

    @classmethod
    def from_json(cls, definition: Mapping[str, Any] | str) -> Moment:
        out = cls.__new__(cls)
        out._set(definition if isinstance(definition, str) else json.dumps(definition))
        return out

    def to_json(self) -> dict[str, Any]:
        return dict(self._json)

    @property
    def name(self) -> str:
        return str(self._json["name"])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Moment) and self._json == other._json

    def __repr__(self) -> str:
        return f"Moment({self.name!r})"

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "json": self._json}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "Moment")
        definition, = state_fields(state, "Moment", {"json": dict})
        with state_damage("Moment"):  # json.dumps: TypeError for a value JSON has no form for
            self._set(json.dumps(definition))


_STATUS_NAMES = np.asarray(["met", "breached", "pending", "overdue", "cancelled"], dtype=object)  # C++ order


def evaluate(log: EventLog, moments: Sequence[Moment], as_of: Any = None, threads: int = 0, *,
             progress: ProgressArg = None) -> pd.DataFrame:
    """One row per clock cycle: ``case``, ``moment``, ``key``, ``started``, ``stopped``, ``elapsed``,
    ``target``, ``deadline``, ``status`` (met / breached / pending / overdue / cancelled), ``remaining``.

    Only events before ``as_of`` count (default: the last event of the log).

    Parameters
    ----------
    threads : int
        Worker threads, 0 = all cores; the rows never depend on it.
    progress : bool or callable, optional
        True shows a tqdm bar of cases evaluated; a callable is called as ``f(done, total)`` in
        cases, once per block of about 16k events and once at the end. Never changes the result.
        Ctrl-C interrupts the evaluation either way.

    Raises
    ------
    KeyboardInterrupt
        Ctrl-C while evaluating (checked once per block); an exception raised by a ``progress``
        callable stops the evaluation the same way and propagates.
    """
    with reporter(progress, "evaluating moments", unit="case") as callback:
        d = _core.moments_evaluate(log._core, [m._def for m in moments], None if as_of is None else to_micros(as_of),
                                   int(threads), callback)
    cases = np.asarray(log.cases, dtype=object)
    names = np.asarray([m.name for m in moments], dtype=object)

    def td(a: np.ndarray) -> pd.Series:
        return pd.Series(pd.to_timedelta(np.asarray(a, dtype=np.int64).view("timedelta64[us]")))

    key_values = np.empty(len(d["key_values"]), dtype=object)
    key_values[:] = d["key_values"]
    return pd.DataFrame({
        "case": cases[d["case_id"]],
        "moment": names[d["moment"]],
        "key": key_values[d["key_code"]],
        "started": micros_to_series(d["started"]),
        "stopped": micros_to_series(d["stopped"]),
        "elapsed": td(d["elapsed"]),
        "target": td(d["target"]),
        "deadline": micros_to_series(d["deadline"]),
        "status": _STATUS_NAMES[d["status"]],
        "remaining": td(d["remaining"]),
    })


_NPS_COLUMNS = ["n", "promoters", "passives", "detractors", "nps", "se", "ci_low", "ci_high", "band"]


def _nps_table(pro: np.ndarray, pas: np.ndarray, det: np.ndarray, confidence: float) -> pd.DataFrame:
    d = _core.nps_summaries(np.asarray(pro, dtype=np.int64), np.asarray(pas, dtype=np.int64),
                            np.asarray(det, dtype=np.int64), confidence)
    return pd.DataFrame({"n": np.asarray(pro + pas + det, dtype=np.int64), "promoters": np.asarray(pro, np.int64),
                         "passives": np.asarray(pas, np.int64), "detractors": np.asarray(det, np.int64),
                         "nps": d["nps"], "se": d["se"], "ci_low": d["ci_low"], "ci_high": d["ci_high"],
                         "band": pd.Series(d["band"], dtype=object)})


def _labels(frame: pd.DataFrame | None, by: Any, n: int) -> list[pd.Series]:
    """`by` as a list of label Series (positional): column names of `frame`, or aligned arrays."""
    if by is None:
        return []
    items = by if isinstance(by, list) else [by]
    out = []
    for i, b in enumerate(items):
        if isinstance(b, str) and frame is not None and b in frame.columns:
            s = frame[b]
        elif isinstance(b, str):
            raise KeyError(f"by column '{b}' is not a column of the scores frame")
        else:
            s = b if isinstance(b, pd.Series) else pd.Series(np.asarray(b))
            if s.name is None:
                s = s.rename("group" if len(items) == 1 else f"group{i}")
        if len(s) != n:
            raise ValueError(f"by labels have {len(s)} values for {n} scores")
        out.append(s.reset_index(drop=True))
    return out


def nps(scores: Any, by: Any = None, period: str | None = None, window: Any = None, confidence: float = 0.95,
        score: str = "score", timestamp: str = "timestamp") -> pd.DataFrame:
    """Net Promoter Score with the Rocks (2016) adjusted-Wald interval, clipped to [-100, 100].

    Columns ``n``, ``promoters``, ``passives``, ``detractors``, ``nps``, ``se``, ``ci_low``, ``ci_high``,
    ``band``. Scores outside 0..10 (or not integers, or NaN) raise ValueError naming the value.

    Parameters
    ----------
    scores : a sequence or Series of 0-10 answers, or a DataFrame with ``score`` and ``timestamp``
        columns (a Series with a DatetimeIndex also carries times)
    by : labels for one row each: column name(s) of the frame, or Series/arrays aligned with the scores
    period : a pandas period alias ("M", "Q", "W", ...) of the answer time in UTC: one row per period
        that has answers (index level ``period``)
    window : a moving window ("90D", a timedelta) evaluated at the end of every period from the first
        answer's to the last one's (``period`` defaults to "M"): the answers in
        ``[period end - window, period end)``; adds ``window_start`` and ``window_end``. Periods whose
        window holds no answer have n = 0 and NaN scores.

    Examples
    --------
    >>> import cxkit
    >>> cxkit.moments.nps([10, 9, 8, 3])[["n", "nps"]].to_dict("records")
    [{'n': 4, 'nps': 25.0}]
    """
    frame = scores if isinstance(scores, pd.DataFrame) else None
    if frame is not None:
        s = frame[score]
        times = frame[timestamp] if timestamp in frame.columns else None
    else:
        s = scores if isinstance(scores, pd.Series) else pd.Series(np.asarray(scores, dtype=np.float64))
        times = pd.Series(s.index) if isinstance(s.index, pd.DatetimeIndex) else None
    values = np.ascontiguousarray(pd.to_numeric(s, errors="coerce").to_numpy(dtype=np.float64))
    bad = ~np.isfinite(values) & pd.notna(s).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"scores, position {i}: value {s.iloc[i]!r} is not a 0-10 score")
    _core.nps(values, confidence)  # validates every score (0..10 integers), naming the first bad one
    n = len(values)
    pro = (values >= 9).astype(np.int64)
    det = (values <= 6).astype(np.int64)
    pas = 1 - pro - det
    labels = _labels(frame, by, n)
    if window is not None and period is None:
        period = "M"
    if period is None:
        if not labels:
            return _nps_table(pro[None].sum(1), pas[None].sum(1), det[None].sum(1), confidence)
        g = pd.DataFrame({"p": pro, "s": pas, "d": det}).groupby(labels, sort=True).sum()
        return _nps_table(g["p"].to_numpy(), g["s"].to_numpy(), g["d"].to_numpy(), confidence).set_axis(
            g.index.set_names([lab.name for lab in labels]))  # one name per grouping level
    if times is None:
        raise ValueError("period and window need answer times: pass a DataFrame with a timestamp column "
                         "or a Series with a DatetimeIndex")
    t = pd.to_datetime(times.reset_index(drop=True), utc=True).dt.tz_localize(None)
    if t.isna().any():
        raise ValueError(f"answer times: position {int(t.isna().to_numpy().argmax())} is missing")
    per = t.dt.to_period(period)
    if window is None:
        g = pd.DataFrame({"p": pro, "s": pas, "d": det}).groupby([*labels, per.rename("period")], sort=True).sum()
        return _nps_table(g["p"].to_numpy(), g["s"].to_numpy(), g["d"].to_numpy(), confidence).set_axis(g.index)
    width = pd.Timedelta(window)
    if width <= pd.Timedelta(0):
        raise ValueError(f"window must be positive, not {window!r}")
    if n == 0:
        return _nps_table(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64), confidence)
    periods = pd.period_range(per.min(), per.max(), freq=period)
    ends = periods.shift(1).start_time  # exclusive window ends: the next period's start
    starts = ends - width
    keys = pd.DataFrame({lab.name: lab for lab in labels}) if labels else None
    groups = [((), np.arange(n))] if keys is None else [
        (k if isinstance(k, tuple) else (k,), idx) for k, idx in keys.groupby(list(keys.columns), sort=True).indices.items()]
    frames = []
    for k, idx in groups:
        order = idx[np.argsort(t.to_numpy()[idx], kind="stable")]
        tv = t.to_numpy()[order]
        cum = [np.concatenate([[0], np.cumsum(a[order])]) for a in (pro, pas, det)]
        hi = np.searchsorted(tv, ends.to_numpy(), side="left")
        lo = np.searchsorted(tv, starts.to_numpy(), side="left")
        pro_w, pas_w, det_w = (c[hi] - c[lo] for c in cum)
        out = _nps_table(pro_w, pas_w, det_w, confidence)
        out.insert(0, "window_end", ends.tz_localize("UTC"))
        out.insert(0, "window_start", starts.tz_localize("UTC"))
        idx_frame = pd.DataFrame({**{lab.name: [v] * len(periods) for lab, v in zip(labels, k)}, "period": periods})
        frames.append(out.set_axis(pd.MultiIndex.from_frame(idx_frame) if labels else pd.Index(periods, name="period")))
    return pd.concat(frames) if len(frames) > 1 else frames[0]


def csat(scores: Any, confidence: float = 0.95) -> dict[str, float]:
    """Share of 4-5 answers on a 1-5 scale, in percent, with a Wilson interval."""
    n, value, lo, hi = _core.csat(np.asarray(scores, dtype=np.float64), confidence)
    return {"n": n, "csat": value, "ci_low": lo, "ci_high": hi}


def ces(scores: Any, confidence: float = 0.95) -> dict[str, float]:
    """Mean Customer Effort Score on a 1-7 scale with a normal interval."""
    n, mean, sd, lo, hi = _core.ces(np.asarray(scores, dtype=np.float64), confidence)
    return {"n": n, "ces": mean, "sd": sd, "ci_low": lo, "ci_high": hi}


def staffing(arrivals: float, interval: Any = "30min", aht: Any = "3min", answer_within: Any = "20s",
             service_level: float = 0.8, max_occupancy: float = 1.0, shrinkage: float = 0.0) -> dict[str, Any]:
    """Erlang C: agents needed to answer ``service_level`` of contacts within ``answer_within``.

    Returns ``agents``, ``rostered_agents``, ``service_level``, ``occupancy``, ``waiting_probability``,
    ``average_speed_of_answer``; stable for thousands of agents (Erlang B recurrence).

    Examples
    --------
    >>> import cxkit
    >>> cxkit.moments.staffing(100, interval="30min", aht="3min", answer_within="20s")["agents"]
    14
    """
    r = dict(_core.staffing(float(arrivals), duration_to_micros(interval), duration_to_micros(aht),
                            duration_to_micros(answer_within), float(service_level), float(max_occupancy),
                            float(shrinkage)))
    r["average_speed_of_answer"] = pd.Timedelta(r.pop("average_speed_of_answer_us"), unit="us")
    return r
