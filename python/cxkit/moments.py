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
from cxkit._time import duration_to_micros, micros_to_series, to_micros
from cxkit.calendar import WEEKDAYS, Calendar
from cxkit.event_log import EventLog

__all__ = ["Moment", "ces", "compliance", "csat", "evaluate", "nps", "staffing"]

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

    __slots__ = ("_json",)

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
        self._json = json.loads(_core.moment_normalize(json.dumps(d)))

    @classmethod
    def from_json(cls, definition: Mapping[str, Any] | str) -> Moment:
        out = cls.__new__(cls)
        text = definition if isinstance(definition, str) else json.dumps(definition)
        out._json = json.loads(_core.moment_normalize(text))
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
        if state.get("version") != 1:
            raise ValueError(f"cannot read a Moment pickled with format version {state.get('version')}")
        self._json = state["json"]


def evaluate(log: EventLog, moments: Sequence[Moment], as_of: Any = None, threads: int = 0) -> pd.DataFrame:
    """One row per clock cycle: ``case``, ``moment``, ``key``, ``started``, ``stopped``, ``elapsed``,
    ``target``, ``deadline``, ``status`` (met / breached / pending / overdue / cancelled), ``remaining``.

    Only events before ``as_of`` count (default: the last event of the log).
    """
    d = _core.moments_evaluate(log._core, [json.dumps(m.to_json()) for m in moments],
                               None if as_of is None else to_micros(as_of), int(threads))
    cases = np.asarray(log.cases, dtype=object)
    names = np.asarray([m.name for m in moments], dtype=object)
    nat = np.iinfo(np.int64).min

    def td(a: np.ndarray) -> pd.Series:
        a = np.asarray(a, dtype=np.int64)
        return pd.Series(pd.to_timedelta(np.where(a == nat, np.iinfo(np.int64).min, a).view("timedelta64[us]")))

    return pd.DataFrame({
        "case": cases[np.asarray(d["case_id"], dtype=np.int64)] if len(d["key"]) else pd.Series([], dtype=object),
        "moment": names[np.asarray(d["moment"], dtype=np.int64)] if len(d["key"]) else pd.Series([], dtype=object),
        "key": pd.Series(d["key"], dtype=object),
        "started": micros_to_series(d["started"]),
        "stopped": micros_to_series(d["stopped"]),
        "elapsed": td(d["elapsed"]),
        "target": td(d["target"]),
        "deadline": micros_to_series(d["deadline"]),
        "status": pd.Series(d["status"], dtype=object),
        "remaining": td(d["remaining"]),
    })


def compliance(occurrences: pd.DataFrame, by: Sequence[str] | str | None = None, period: str | None = "M",
               groups: pd.DataFrame | None = None) -> pd.DataFrame:
    """Met rate, breaches, median and p90 elapsed per moment (and ``by`` columns and ``period`` of the start).

    ``groups``: an accounts frame whose columns (e.g. owner, tier) can be named in ``by``; joined on ``case``.
    The met rate is met / (met + breached + overdue); cancelled clocks are counted but left out of it.
    """
    occ = occurrences
    keys = ["moment"] + ([by] if isinstance(by, str) else list(by or []))
    if groups is not None:
        occ = occ.merge(groups, left_on="case", right_index=True, how="left")
    if period:
        occ = occ.assign(period=occ["started"].dt.tz_localize(None).dt.to_period(period))
        keys.append("period")
    status = pd.get_dummies(occ["status"]).reindex(columns=["met", "breached", "pending", "overdue", "cancelled"],
                                                    fill_value=0).astype(int)
    stopped = occ["stopped"].notna()
    el = occ["elapsed"].where(stopped)
    g = pd.concat([occ[keys], status, el.dt.total_seconds().rename("elapsed_s")], axis=1).groupby(keys, observed=True)
    out = g[["met", "breached", "pending", "overdue", "cancelled"]].sum()
    out.insert(0, "count", g.size())
    decided = out["met"] + out["breached"] + out["overdue"]
    out["met_rate"] = out["met"] / decided.where(decided > 0)
    out["median_elapsed"] = pd.to_timedelta(g["elapsed_s"].median(), unit="s")
    out["p90_elapsed"] = pd.to_timedelta(g["elapsed_s"].quantile(0.9), unit="s")
    return out.reset_index()


_NPS_COLUMNS = ["n", "promoters", "passives", "detractors", "nps", "se", "ci_low", "ci_high", "band"]


def nps(scores: Any, by: Any = None, confidence: float = 0.95) -> pd.DataFrame:
    """Net Promoter Score with the Rocks (2016) adjusted-Wald interval, clipped to [-100, 100].

    Columns ``n``, ``promoters``, ``passives``, ``detractors``, ``nps``, ``se``, ``ci_low``, ``ci_high``,
    ``band``. ``by``: labels (a Series aligned with ``scores``, e.g. a period or a tier) for one row each.
    Scores outside 0..10 raise ValueError naming the value.

    Examples
    --------
    >>> import cxkit
    >>> cxkit.moments.nps([10, 9, 8, 3])[["n", "nps"]].to_dict("records")
    [{'n': 4, 'nps': 25.0}]
    """
    s = pd.Series(np.asarray(scores, dtype=np.float64) if not isinstance(scores, pd.Series) else scores,
                  dtype="float64")
    if by is None:
        return pd.DataFrame([_core.nps(s.to_numpy(), confidence)], columns=_NPS_COLUMNS)
    rows = {k: _core.nps(g.to_numpy(dtype=np.float64), confidence) for k, g in s.groupby(by, sort=True)}
    return pd.DataFrame.from_dict(rows, orient="index", columns=_NPS_COLUMNS).rename_axis(
        getattr(by, "name", None) or "group")


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
