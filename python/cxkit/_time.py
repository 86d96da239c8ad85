"""Conversions between Python/pandas time values and cxkit's UTC microseconds.

Naive values are read as UTC; aware ones are converted to UTC. Out: time-zone-aware UTC.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pandas.api.typing is pandas >= 2.1 (annotations only)
    from pandas.api.typing import NaTType

MISSING = np.iinfo(np.int64).min  # cxkit's missing timestamp (numpy's NaT has the same bits)


def to_micros(value: Any) -> int:
    """One instant (datetime, pandas.Timestamp, numpy.datetime64, ISO string) to UTC microseconds."""
    parsed: pd.Timestamp | NaTType = pd.Timestamp(value)  # pandas-stubs omit that it may give NaT
    if pd.isna(parsed):
        raise ValueError("missing timestamp (NaT)")
    ts = parsed
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return int(ts.tz_localize(None).as_unit("us").asm8.view("i8"))


def from_micros(us: int) -> pd.Timestamp:
    """UTC microseconds to an aware pandas.Timestamp (UTC)."""
    return pd.Timestamp(np.datetime64(int(us), "us")).tz_localize("UTC")


def duration_to_micros(value: Any) -> int:
    """A timedelta, pandas.Timedelta, numpy.timedelta64 or string like '4h' to microseconds."""
    td: pd.Timedelta | NaTType = pd.Timedelta(value)  # pandas-stubs omit that it may give NaT
    if pd.isna(td):
        raise ValueError("missing duration (NaT)")
    return int(td.as_unit("us").asm8.view("i8"))


def series_to_micros(values: pd.Series, column: str) -> np.ndarray:
    """A column of instants to int64 UTC microseconds, MISSING where NaT.

    Datetime columns convert without parsing; text columns are parsed as ISO 8601, and a value
    that does not parse raises ValueError naming the row and the value.
    """
    s = values
    if not pd.api.types.is_datetime64_any_dtype(s.dtype):
        parsed = pd.to_datetime(s, utc=True, format="ISO8601", errors="coerce")
        bad = parsed.isna() & s.notna()
        if not bad.any():
            s = parsed
        else:
            # pandas parses text at nanosecond resolution (1677-2262); read_csv and read_xes take
            # any year 0001-9999, so ISO text outside that range is parsed here one by one.
            out = np.ascontiguousarray(parsed.dt.tz_localize(None).to_numpy(dtype="datetime64[us]").view("i8"))
            for pos in np.flatnonzero(bad.to_numpy()):
                out[pos] = _iso_text_to_micros(s.iloc[pos], column, int(pos))
            return out
    if getattr(s.dtype, "tz", None) is not None:
        s = s.dt.tz_convert("UTC").dt.tz_localize(None)
    return np.ascontiguousarray(s.to_numpy(dtype="datetime64[us]").view("i8"))


_ISO_8601 = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?")


def _iso_text_to_micros(value: Any, column: str, pos: int) -> int:
    """One ISO 8601 instant outside pandas' nanosecond range, as UTC microseconds."""
    try:
        if not isinstance(value, str) or not _ISO_8601.fullmatch(value.strip()):
            raise ValueError(value)
        t = pd.Timestamp(value.strip())
        if t.tz is not None:
            t = t.tz_convert("UTC").tz_localize(None)
        return int(t.as_unit("us").asm8.view("i8"))
    except (ValueError, TypeError, OverflowError):
        raise ValueError(f"column '{column}', row {pos}: value {value!r} is not an ISO 8601 timestamp") from None


def micros_to_series(us: np.ndarray, name: str | None = None, index: Any = None) -> pd.Series:
    """int64 UTC microseconds (MISSING = NaT) to a datetime64[ns, UTC] Series; datetime64[us, UTC]
    when some instant lies outside nanosecond range (before 1677 or after 2262)."""
    arr = np.asarray(us, dtype=np.int64).view("datetime64[us]")
    idx = pd.DatetimeIndex(arr)
    valid = arr[~np.isnat(arr)]
    lo, hi = np.datetime64("1677-09-22", "us"), np.datetime64("2262-04-11", "us")
    if valid.size == 0 or (valid.min() >= lo and valid.max() <= hi):
        idx = idx.as_unit("ns")
    return pd.Series(idx.tz_localize("UTC"), name=name, index=index)


def check_state_version(state: Any, what: str, current: int = 1) -> None:
    """Refuse pickled state this cxkit cannot read: a ValueError naming the version found.

    (Shared by every class's ``__setstate__``; kept here because every module imports ``_time``.)
    """
    found = state.get("version") if isinstance(state, dict) else None
    if isinstance(found, int) and found > current:
        raise ValueError(f"cannot read a {what} pickled with state version {found}: it was written by a newer cxkit "
                         f"(this one reads up to version {current}); upgrade cxkit")
    if found != current:
        raise ValueError(f"cannot read a {what} pickle: unknown state version {found!r}")
