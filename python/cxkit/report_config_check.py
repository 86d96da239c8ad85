"""Eager validation of a report configuration: every leaf and every definition, before any data is read.

``load_config`` merges a user's JSON over the defaults and checks the shape (unknown keys, objects
where objects belong). This module checks everything else up front, so that a typo in the last
section does not surface after minutes of computation, and so that every bad value raises one
:class:`~cxkit.report_config.ConfigError` naming the key path, never a foreign exception from
pandas or the C++ readers (the config fuzzer, fuzz/fuzz_config.py, holds it to that).

The definitions (calendars, moments, journey design, playbook, notification policy, scorecard) are
parsed by the very classes the report uses; they are parsed again when used, which is cheap.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from cxkit.report_config import ConfigError

__all__ = ["check_config"]

_ATTRIBUTE_KINDS = ("numeric", "categorical", "text", "timestamp")


class _Checker:
    def __init__(self, cfg: Mapping[str, Any], source: str) -> None:
        self.cfg = cfg
        self.source = source

    def fail(self, path: str, message: str) -> ConfigError:
        return ConfigError(f"{self.source}: {path}: {message}")

    def string(self, path: str, value: Any, optional: bool = False) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str) or value == "":
            want = "a non-empty string" + (" or null" if optional else "")
            raise self.fail(path, f"expected {want}, got {value!r}")

    def strings(self, path: str, value: Any) -> None:
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list of strings, got {type(value).__name__}")
        for i, v in enumerate(value):
            self.string(f"{path}[{i}]", v)

    def string_map(self, path: str, value: Any, allowed_values: tuple[str, ...] = ()) -> None:
        if not isinstance(value, Mapping):
            raise self.fail(path, f"expected an object, got {type(value).__name__}")
        for k, v in value.items():
            self.string(f"{path}.{k}", v)
            if allowed_values and v not in allowed_values:
                raise self.fail(f"{path}.{k}", f"must be one of {list(allowed_values)}, not {v!r}")

    def integer(self, path: str, value: Any, minimum: int) -> None:
        # bool is an int in Python; a config saying `true` for a count is a mistake.
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(path, f"expected an integer >= {minimum}, got {value!r}")

    def duration(self, path: str, value: Any) -> pd.Timedelta:
        if not isinstance(value, str):
            raise self.fail(path, f"expected a duration such as \"30D\" or \"4h\", got {value!r}")
        try:
            d = pd.Timedelta(value)
        except (ValueError, TypeError, OverflowError) as e:
            raise self.fail(path, f"not a duration ({value!r}): {e}") from None
        if pd.isna(d) or d <= pd.Timedelta(0):
            raise self.fail(path, f"must be a positive duration, got {value!r}")
        return d

    def definition(self, path: str, value: Any, parse: Callable[[Any], Any]) -> Any:
        if not isinstance(value, Mapping):
            raise self.fail(path, f"expected an object, got {type(value).__name__}")
        try:
            return parse(value)
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError) as e:
            raise self.fail(path, str(e)) from None


def check_config(cfg: Mapping[str, Any], source: str) -> None:
    """Raises ConfigError (naming ``source`` and the key path) for the first bad value in ``cfg``,
    a configuration already merged over the defaults by ``load_config``."""
    from cxkit._journey_plans import JourneyDesign, Playbook
    from cxkit._notifications import NotificationPolicy
    from cxkit._scorecard import Scorecard
    from cxkit.calendar import Calendar
    from cxkit.moments import Moment, _calendar_json

    c = _Checker(cfg, source)
    c.string("title", cfg["title"])

    ev = cfg["events"]
    for key in ("case", "activity", "timestamp"):
        c.string(f"events.{key}", ev[key])
    c.string("events.timestamp_format", ev["timestamp_format"], optional=True)
    if ev["sep"] is not None and (not isinstance(ev["sep"], str) or len(ev["sep"]) != 1):
        raise c.fail("events.sep", f"expected one character or null, got {ev['sep']!r}")
    c.string_map("events.attributes", ev["attributes"], _ATTRIBUTE_KINDS)

    c.string("accounts.key", cfg["accounts"]["key"])
    c.string_map("accounts.columns", cfg["accounts"]["columns"])
    for key in ("customer", "time", "text"):
        c.string(f"feedback.{key}", cfg["feedback"][key])
    for key in ("id", "type"):
        c.string(f"feedback.{key}", cfg["feedback"][key], optional=True)
    for key in ("nps_activity", "score"):
        c.string(f"surveys.{key}", cfg["surveys"][key])

    if not isinstance(cfg["calendars"], Mapping):
        raise c.fail("calendars", f"expected an object, got {type(cfg['calendars']).__name__}")
    calendars: dict[str, Any] = {}
    for name, spec in cfg["calendars"].items():
        calendars[name] = c.definition(
            f"calendars.{name}", spec,
            lambda s: Calendar(s.get("timezone", "UTC"), s.get("working_hours"), s.get("holidays")))

    jc = cfg["journey"]
    c.strings("journey.onboarding", jc["onboarding"])
    c.strings("journey.absorbing", jc["absorbing"])
    c.strings("journey.funnel.steps", jc["funnel"]["steps"])
    c.duration("journey.funnel.within", jc["funnel"]["within"])
    if jc["design"] is not None:
        c.definition("journey.design", jc["design"], JourneyDesign.from_json)
    if jc["playbook"] is not None:
        c.definition("journey.playbook", jc["playbook"], Playbook.from_json)

    for i, m in enumerate(cfg["moments"]):
        d = dict(m)
        cal = d.get("calendar")
        if isinstance(cal, str):
            if cal not in calendars:
                raise c.fail(f"moments[{i}].calendar", f"no calendar named {cal!r}; have {sorted(calendars)}")
            d["calendar"] = _calendar_json(calendars[cal])
        c.definition(f"moments[{i}]", d, Moment.from_json)

    by = cfg["moment_calendar_by"]
    if by is not None:
        if not isinstance(by, Mapping) or set(by) - {"column", "calendars", "$comment"}:
            raise c.fail("moment_calendar_by", "expected {\"column\": ..., \"calendars\": {value: calendar name}}")
        c.string("moment_calendar_by.column", by.get("column"))
        c.string_map("moment_calendar_by.calendars", by.get("calendars"))
        for value, name in by["calendars"].items():
            if name not in calendars:
                raise c.fail(f"moment_calendar_by.calendars.{value}", f"no calendar named {name!r}")

    if cfg["notifications"] is not None:
        c.definition("notifications", cfg["notifications"], NotificationPolicy.from_json)
    if cfg["scorecard"] is not None:
        c.definition("scorecard", cfg["scorecard"], Scorecard)

    cc = cfg["churn"]
    if cc["as_of"] is not None:
        try:
            stamp = pd.Timestamp(cc["as_of"]) if isinstance(cc["as_of"], str) else None
        except (ValueError, TypeError, OverflowError):
            stamp = None
        if stamp is None or pd.isna(stamp):
            raise c.fail("churn.as_of", f"expected a date such as \"2025-06-30\" or null, got {cc['as_of']!r}")
    c.duration("churn.horizon", cc["horizon"])
    if not isinstance(cc["windows"], list) or not cc["windows"]:
        raise c.fail("churn.windows", f"expected a non-empty list of durations, got {cc['windows']!r}")
    for i, w in enumerate(cc["windows"]):
        c.duration(f"churn.windows[{i}]", w)
    c.integer("churn.backtest_folds", cc["backtest_folds"], 1)
    c.duration("churn.renewal_within", cc["renewal_within"])

    tc = cfg["themes"]
    c.integer("themes.min_customers", tc["min_customers"], 1)
    c.duration("themes.window", tc["window"])
    t = tc["threshold"]
    if t is not None and (isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t)
                          or not 0 < t <= 1):
        raise c.fail("themes.threshold", f"expected a number in (0, 1] or null, got {t!r}")
    c.strings("themes.exclude_types", tc["exclude_types"])
