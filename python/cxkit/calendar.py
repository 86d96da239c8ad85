"""Business calendars: weekly working hours in an IANA time zone, minus holidays."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxkit import _core
from cxkit._time import (check_state_version, duration_to_micros, from_micros, series_to_micros, state_damage,
                         state_fields, to_micros)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_NAMES = {name: short for short, name in zip(WEEKDAYS, ("monday", "tuesday", "wednesday", "thursday",
                                                               "friday", "saturday", "sunday"))}


def _minutes(text: str, day: str) -> int:
    try:
        hh, mm = str(text).split(":")
        h, m = int(hh), int(mm)
    except ValueError:
        raise ValueError(f"working_hours['{day}']: {text!r} is not HH:MM") from None
    if not (0 <= h <= 24 and 0 <= m <= 59) or (h == 24 and m != 0):
        raise ValueError(f"working_hours['{day}']: {text!r} is not a time between 00:00 and 24:00")
    return h * 60 + m


def _week(working_hours: Mapping[str, Sequence[tuple[str, str]]]) -> list[list[tuple[int, int]]]:
    week: list[list[tuple[int, int]]] = [[] for _ in WEEKDAYS]
    for key, intervals in working_hours.items():
        day = _FULL_NAMES.get(str(key).lower(), str(key).lower())
        if day not in WEEKDAYS:
            raise ValueError(f"working_hours: unknown weekday {key!r}; use {list(WEEKDAYS)}")
        for interval in intervals:
            begin, end = interval
            week[WEEKDAYS.index(day)].append((_minutes(begin, day), _minutes(end, day)))
    return week


# The largest duration a nanosecond pandas.Timedelta holds, in microseconds.
_MAX_NS_MICROS = np.iinfo(np.int64).max // 1000


def _is_array(x: Any) -> bool:
    return isinstance(x, (pd.Series, pd.Index, np.ndarray, list, tuple))


class Calendar:
    """Working time in a local time zone: weekly hours, minus holidays.

    Every "within N hours" in cxkit is measured on a calendar. Working hours are local wall-clock
    times, so 09:00-17:00 stays 09:00-17:00 across daylight-saving changes.

    Parameters
    ----------
    timezone : str
        An IANA time zone such as ``"Europe/Berlin"``.
    working_hours : dict, optional
        Weekday (``"mon"`` .. ``"sun"``) to a list of ``("HH:MM", "HH:MM")`` intervals; days not
        named are not worked. Default: Monday to Friday 09:00-17:00.
    holidays : list of dates, optional
        Local dates on which nobody works.

    Examples
    --------
    >>> import cxkit
    >>> cal = cxkit.Calendar("Europe/Amsterdam", {"mon": [("09:00", "17:00")], "fri": [("09:00", "17:00")]})
    >>> cal.business_duration("2024-03-01 16:00+01:00", "2024-03-04 10:00+01:00")
    Timedelta('0 days 02:00:00')
    """

    __slots__ = ("_core",)

    def __init__(
        self,
        timezone: str = "UTC",
        working_hours: Mapping[str, Sequence[tuple[str, str]]] | None = None,
        holidays: Iterable[Any] | None = None,
    ) -> None:
        if working_hours is None:
            working_hours = {d: [("09:00", "17:00")] for d in WEEKDAYS[:5]}
        days = []
        for i, h in enumerate(holidays or ()):
            ts = pd.Timestamp(h)
            if pd.isna(ts):  # (pandas-stubs type Timestamp() as never NaT: an `is pd.NaT` test reads as dead)
                raise ValueError(f"holidays[{i}]: missing date ({h!r})")
            d = ts.date()
            days.append((d.year, d.month, d.day))
        self._core = _core.Calendar(str(timezone), _week(working_hours), days)

    @classmethod
    def always(cls) -> Calendar:
        """The 24/7 calendar: business time equals elapsed time."""
        out = cls.__new__(cls)
        out._core = _core.Calendar.always()
        return out

    @classmethod
    def _wrap(cls, core: Any) -> Calendar:
        out = cls.__new__(cls)
        out._core = core
        return out

    # ---- description ----
    @property
    def timezone(self) -> str:
        return str(self._core.timezone)

    @property
    def working_hours(self) -> dict[str, list[tuple[str, str]]]:
        def hhmm(m: int) -> str:
            return f"{m // 60:02d}:{m % 60:02d}"
        return {day: [(hhmm(b), hhmm(e)) for b, e in ivs]
                for day, ivs in zip(WEEKDAYS, self._core.week) if ivs}

    @property
    def holidays(self) -> list[dt.date]:
        return [dt.date(y, m, d) for y, m, d in self._core.holidays]

    # ---- arithmetic ----
    def business_duration(self, start: Any, end: Any) -> Any:
        """Working time between ``start`` and ``end`` (negative when end < start).

        Scalars give a ``pandas.Timedelta``; arrays or Series of equal length give a
        ``timedelta64[us]`` numpy array (a Series when a Series was passed), NaT where either
        end is NaT.
        """
        if _is_array(start) or _is_array(end):
            a = series_to_micros(pd.Series(np.atleast_1d(start) if not isinstance(start, pd.Series) else start), "start")
            b = series_to_micros(pd.Series(np.atleast_1d(end) if not isinstance(end, pd.Series) else end), "end")
            out = self._core.business_durations(a, b).view("timedelta64[us]")
            return pd.Series(out, index=start.index) if isinstance(start, pd.Series) else out
        us = int(self._core.business_duration(to_micros(start), to_micros(end)))
        if abs(us) > _MAX_NS_MICROS:  # beyond about 292 years: keep microseconds, as arrays do
            return pd.Timedelta(np.timedelta64(us, "us"))
        return pd.Timedelta(us, unit="us")

    def add_business_time(self, start: Any, delta: Any) -> Any:
        """The instant ``delta`` of working time after ``start`` (before it when negative), UTC-aware.

        With an array of starts: NaT where the start or the delta is NaT."""
        if _is_array(start):
            a = series_to_micros(pd.Series(start) if not isinstance(start, pd.Series) else start, "start")
            d = np.asarray(pd.to_timedelta(np.broadcast_to(np.asarray(delta, dtype=object), a.shape))
                           .as_unit("us").to_numpy().view(np.int64), dtype=np.int64)
            out = self._core.add_business_times(a, d)
            return pd.DatetimeIndex(out.view("datetime64[us]")).tz_localize("UTC")
        return from_micros(self._core.add_business_time(to_micros(start), duration_to_micros(delta)))

    def is_working_time(self, t: Any) -> bool:
        return bool(self._core.is_working_time(to_micros(t)))

    def next_working_time(self, t: Any) -> pd.Timestamp:
        """``t`` when it is working time, else the start of the next working interval (UTC-aware)."""
        return from_micros(self._core.next_working_time(to_micros(t)))

    # ---- value semantics ----
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Calendar) and bool(self._core == other._core)

    def __hash__(self) -> int:
        return hash((self.timezone, tuple(map(tuple, self._core.week)), tuple(self._core.holidays)))

    def __repr__(self) -> str:
        if self._core.is_always:
            return "Calendar.always()"
        return f"Calendar({self.timezone!r}, {self.working_hours!r}, holidays={len(self.holidays)})"

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "timezone": self.timezone, "week": self._core.week, "holidays": self._core.holidays}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "Calendar")
        timezone, week, holidays = state_fields(state, "Calendar", {"timezone": str, "week": list, "holidays": list})
        with state_damage("Calendar"):  # the C++ constructor refuses mistyped days and intervals (TypeError)
            self._core = _core.Calendar(timezone, week, holidays)
