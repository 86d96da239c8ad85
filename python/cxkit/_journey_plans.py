"""Funnels, designed journeys (conformance) and playbooks: the Python face (re-exported by cxkit.journey)."""
from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cxkit import _core
from cxkit._time import check_state_version, duration_to_micros, micros_to_series, state_damage, state_fields, to_micros
from cxkit.calendar import Calendar
from cxkit.event_log import EventLog
from cxkit.table import Table


def _frames_equal(a: Any, b: Any, fields: Sequence[str]) -> bool:
    """Field-by-field equality of two results whose fields are DataFrames (exact, NaN equal to NaN) or plain values."""
    for f in fields:
        x, y = getattr(a, f), getattr(b, f)
        if isinstance(x, pd.DataFrame):
            if not (isinstance(y, pd.DataFrame) and x.shape == y.shape and x.equals(y)):
                return False
        elif not (x == y or (isinstance(x, float) and isinstance(y, float) and np.isnan(x) and np.isnan(y))):
            return False
    return True


def _steps_frame(d: dict[str, Any]) -> pd.DataFrame:
    cols = ["activity", "customers", "dropped", "conversion_from_previous", "conversion_from_first",
            "median_seconds_from_entry", "median_seconds_from_previous"]
    df = pd.DataFrame({c: d[c] for c in cols})
    df.insert(0, "step", np.arange(1, len(df) + 1))
    return df


@dataclass(eq=False)
class FunnelResult:
    """Customers reaching each step: ``steps`` (overall), ``segments`` (one row per segment and step)."""

    steps: pd.DataFrame
    segments: pd.DataFrame
    _next: list[list[tuple[str, int]]]

    def next_after_drop(self, step: int) -> pd.DataFrame:
        """What customers who completed ``step`` (1-based) but not the next one did next."""
        return pd.DataFrame(self._next[step - 1], columns=["activity", "customers"])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FunnelResult):
            return NotImplemented
        return _frames_equal(self, other, ("steps", "segments", "_next"))

    __hash__ = None  # type: ignore[assignment]  # equal by value, so unhashable (typeshed's idiom)

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "steps": self.steps, "segments": self.segments, "next": self._next}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "FunnelResult")
        self.steps, self.segments, self._next = state_fields(
            state, "FunnelResult", {"steps": pd.DataFrame, "segments": pd.DataFrame, "next": list})

    def _repr_html_(self) -> str:
        first = int(self.steps["customers"].iloc[0]) if len(self.steps) else 0
        last = float(self.steps["conversion_from_first"].iloc[-1]) if len(self.steps) else float("nan")
        cols = ["step", "activity", "customers", "dropped", "conversion_from_previous", "conversion_from_first"]
        return (f"<p><b>Funnel</b>: {len(self.steps)} steps, {first:,} customers entered, "
                f"{last:.1%} reached the last step</p>"
                + self.steps[cols].to_html(index=False, float_format=lambda v: f"{v:.3f}"))


def funnel(log: EventLog, steps: Sequence[str], within: Any = None, order: str = "strict", entry: str = "first",
           calendar: Calendar | None = None, segment_by: tuple[Table, str] | None = None) -> FunnelResult:
    """A conversion funnel over ``steps`` (activity names), counting unique customers.

    A customer enters at step 1 and converts on each later step reached within ``within`` of entry
    (``order="strict"``: in order, other events allowed between, as Mixpanel and Amplitude's default;
    ``"any"``: in any order). ``entry="first"`` uses the first occurrence of step 1, ``"best"`` the one
    that gets furthest. See docs/journey_funnels_conformance_playbooks.md.

    Examples
    --------
    >>> import cxkit
    >>> co = cxkit.simulate.company(n_accounts=200, months=6, seed=3)
    >>> f = cxkit.journey.funnel(co.events, ["signed", "kickoff call", "go-live"], within="90D")
    >>> int(f.steps["customers"].iloc[0])
    200
    """
    within_us = None if within is None else duration_to_micros(within)
    cal = None if calendar is None else calendar._core
    table, column = (segment_by[0]._core, segment_by[1]) if segment_by else (None, "")
    overall, segments = _core.funnel(log._core, list(steps), within_us, order, entry, cal, table, column)
    seg_frames = []
    for g in segments:
        f = _steps_frame(g)
        f.insert(0, "segment", g["segment"])
        seg_frames.append(f)
    seg = pd.concat(seg_frames, ignore_index=True) if seg_frames else pd.DataFrame()
    return FunnelResult(_steps_frame(overall), seg, [list(x) for x in overall["next_after_drop"]])


@dataclass(eq=False)
class Conformance:
    """Per-customer conformance (``customers``), per-stage counts (``stages``), first deviations and
    the outcome rate with vs without each deviation (``outcome_effects``)."""

    customers: pd.DataFrame
    stages: pd.DataFrame
    first_deviations: pd.DataFrame
    outcome_effects: pd.DataFrame
    mean_fitness: float

    _FIELDS = ("customers", "stages", "first_deviations", "outcome_effects", "mean_fitness")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Conformance):
            return NotImplemented
        return _frames_equal(self, other, self._FIELDS)

    __hash__ = None  # type: ignore[assignment]  # equal by value, so unhashable (typeshed's idiom)

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, **{f: getattr(self, f) for f in self._FIELDS}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "Conformance")
        values = state_fields(state, "Conformance", {"customers": pd.DataFrame, "stages": pd.DataFrame,
                                                     "first_deviations": pd.DataFrame,
                                                     "outcome_effects": pd.DataFrame, "mean_fitness": float})
        for f, value in zip(self._FIELDS, values):
            setattr(self, f, value)

    def _repr_html_(self) -> str:
        return (f"<p><b>Conformance</b>: {len(self.customers):,} customers, mean fitness {self.mean_fitness:.3f}</p>"
                + self.stages.to_html(index=False, float_format=lambda v: f"{v:.3f}")
                + "<p>Most common first deviations</p>"
                + self.first_deviations.head(10).to_html(index=False))


class JourneyDesign:
    """A designed journey: stages (mandatory/optional, target time in stage) and their allowed order (a DAG).

    Build from JSON: ``{"stages": [{"name": "signed", "next": ["kickoff call"]}, {"name": "kickoff call",
    "target": "3D", "mandatory": true, ...}]}``; a bad field raises ValueError naming it
    (e.g. ``stages[2].target``), a cycle ValueError naming the stages on it.
    """

    __slots__ = ("_core",)

    def __init__(self, core: Any) -> None:
        self._core = core

    @classmethod
    def from_json(cls, definition: Mapping[str, Any] | str) -> JourneyDesign:
        text = definition if isinstance(definition, str) else json.dumps(definition)
        return cls(_core.JourneyDesign.from_json_text(text))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = json.loads(self._core.to_json_text())
        return out

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JourneyDesign) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]  # equal by value, so unhashable (typeshed's idiom)

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "json": self._core.to_json_text()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "JourneyDesign")
        text, = state_fields(state, "JourneyDesign", {"json": str})
        with state_damage("JourneyDesign"):
            self._core = _core.JourneyDesign.from_json_text(text)

    def check(self, log: EventLog, as_of: Any = None, calendar: Calendar | None = None,
              outcome: Mapping[str, float] | pd.Series | None = None,
              all_activities_relevant: bool = False) -> Conformance:
        """Each customer against the design, using only events before ``as_of``.

        ``outcome`` (e.g. churned 0/1 per account id) adds the outcome rate with vs without each deviation.
        """
        self._core.validate_against(log._core)
        out = None
        if outcome is not None:
            s = pd.Series(outcome)
            out = [float(s.get(c, np.nan)) for c in log.cases]
        r = self._core.check(log._core, None if as_of is None else to_micros(as_of),
                             None if calendar is None else calendar._core, out, bool(all_activities_relevant))
        cust = pd.DataFrame(r["customers"])
        cust["time_in_current"] = pd.to_timedelta(cust.pop("time_in_current_us"), unit="us")
        return Conformance(
            customers=cust,
            stages=pd.DataFrame(r["stages"]),
            first_deviations=pd.DataFrame(r["first_deviations"], columns=["kind", "name", "from_stage", "customers"]),
            outcome_effects=pd.DataFrame(r["outcome_effects"], columns=["kind", "name", "n_with", "rate_with",
                                                                         "n_without", "rate_without", "difference"]),
            mean_fitness=float(r["mean_fitness"]))


class Playbook:
    """An onboarding plan template: tasks with business-time durations ("3D" business days, "4h" business
    hours), dependencies (a DAG; a cycle raises ValueError naming its tasks), owner roles.

    Examples
    --------
    >>> import cxkit
    >>> pb = cxkit.journey.Playbook.from_json({"tasks": [
    ...     {"name": "kickoff call", "duration": "1D"},
    ...     {"name": "workspace set up", "duration": "2D", "depends_on": ["kickoff call"]}]})
    >>> plan = pb.instantiate("A000001", "2024-03-01 09:00", cxkit.Calendar("UTC"))
    >>> plan["critical_path"]
    ['kickoff call', 'workspace set up']
    """

    __slots__ = ("_core",)

    def __init__(self, core: Any) -> None:
        self._core = core

    @classmethod
    def from_json(cls, definition: Mapping[str, Any] | str) -> Playbook:
        text = definition if isinstance(definition, str) else json.dumps(definition)
        return cls(_core.Playbook.from_json_text(text))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = json.loads(self._core.to_json_text())
        return out

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Playbook) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]  # equal by value, so unhashable (typeshed's idiom)

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "json": self._core.to_json_text()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "Playbook")
        text, = state_fields(state, "Playbook", {"json": str})
        with state_damage("Playbook"):
            self._core = _core.Playbook.from_json_text(text)

    def instantiate(self, customer: str, start: Any, calendar: Calendar | None = None) -> dict[str, Any]:
        """Due dates on the calendar's business days: ``tasks`` (DataFrame), ``critical_path``, ``finish``."""
        cal = (calendar or Calendar.always())._core
        d = self._core.instantiate(str(customer), to_micros(start), cal)
        tasks = pd.DataFrame({"task": d["task"], "owner": d["owner"], "start": micros_to_series(np.array(d["start_us"])),
                              "due": micros_to_series(np.array(d["due_us"])), "slack_days": d["slack_days"],
                              "critical": d["critical"]})
        return {"customer": d["customer"], "tasks": tasks, "critical_path": list(d["critical_path"]),
                "finish": micros_to_series(np.array([d["finish"]])).iloc[0]}

    def progress(self, starts: Mapping[str, Any] | pd.Series, log: EventLog, as_of: Any,
                 calendar: Calendar | None = None, activities: Mapping[str, str] | None = None) -> pd.DataFrame:
        """Each customer's plan (started at ``starts[customer]``) against the completion events in ``log``:
        ``status`` on_track / at_risk / overdue / complete, task counts and the slip in business days."""
        s = pd.Series(starts)
        cal = (calendar or Calendar.always())._core
        d = self._core.progress([str(c) for c in s.index], [_start_micros(c, v) for c, v in s.items()], cal,
                                log._core, to_micros(as_of), dict(activities or {}))
        df = pd.DataFrame({k: d[k] for k in ("customer", "status", "done", "done_late", "pending", "overdue",
                                             "slip_days")})
        df["planned_finish"] = micros_to_series(np.array(d["planned_finish_us"], dtype=np.int64))
        df["projected_finish"] = micros_to_series(np.array(d["projected_finish_us"], dtype=np.int64))
        return df


def _start_micros(customer: Any, start: Any) -> int:
    """A plan's start instant; a missing or unreadable one names its customer."""
    try:
        return to_micros(start)
    except (ValueError, TypeError) as e:
        raise ValueError(f"starts[{customer!r}]: {e}") from None
