"""Conversions between Python/pandas time values and cxkit's UTC microseconds.

Naive values are read as UTC; aware ones are converted to UTC. Out: time-zone-aware UTC.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
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


# What cxkit's own code raises when it rebuilds an object from a damaged pickle's fields: a key or an
# index that is not there, a value of another type. (A ValueError already says "bad data" and passes
# through; KeyboardInterrupt, MemoryError and the like are never turned into "damaged".)
STATE_DAMAGE: tuple[type[Exception], ...] = (KeyError, IndexError, AttributeError, TypeError, OverflowError)


def state_fields(state: Any, what: str, fields: Mapping[str, type[Any] | tuple[type[Any], ...]],
                 defaults: Mapping[str, Any] | None = None) -> tuple[Any, ...]:
    """The pickled state's ``fields`` in order, each checked to be an instance of its type(s).

    A field missing from ``state`` takes its value in ``defaults`` (a field older pickles lack) or is
    refused. A DataFrame or Series field is also checked to be internally whole (see
    :func:`_check_pandas`). Call after :func:`check_state_version` (which refuses a non-dict state).

    Raises ValueError ``"cannot read a <what> pickle: ..."`` naming the missing or mistyped field, so a
    damaged pickle fails as bad data, not as a KeyError from deep inside ``__setstate__``. O(fields),
    plus O(size) for each pandas field.
    """
    if not isinstance(state, dict):
        raise ValueError(f"cannot read a {what} pickle: its state is a {type(state).__name__}, not a dict")
    out = []
    for name, kind in fields.items():
        if name not in state:
            if defaults is not None and name in defaults:
                out.append(defaults[name])
                continue
            raise ValueError(f"cannot read a {what} pickle: its state has no {name!r} (damaged?)")
        value = state[name]
        if not isinstance(value, kind):
            expected = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
            raise ValueError(f"cannot read a {what} pickle: its {name!r} is a {type(value).__name__}, "
                             f"expected {expected} (damaged?)")
        if isinstance(value, (pd.DataFrame, pd.Series)):
            _check_pandas(value, what, name)
        out.append(value)
    return tuple(out)


def _check_pandas(value: pd.DataFrame | pd.Series, what: str, name: str) -> None:
    """Refuse a DataFrame / Series that pandas unpickled from damaged bytes without noticing: block
    locations beyond the columns, a replaced ``_metadata``. Such an object loads, then fails on first
    use (or when pickled again) with an IndexError / TypeError far from the pickle."""
    # copy() copies _metadata and attrs over, as pickling it again does; equals() walks every block and
    # the columns each one claims. (Two branches only because pandas-stubs type equals per class.)
    try:
        if isinstance(value, pd.DataFrame):
            value.copy(deep=False).equals(value)
        else:
            value.copy(deep=False).equals(value)
    except STATE_DAMAGE as e:
        raise ValueError(f"cannot read a {what} pickle: its {name!r} is a damaged {type(value).__name__} "
                         f"({type(e).__name__}: {e})") from e


@contextmanager
def state_damage(what: str) -> Iterator[None]:
    """Within ``__setstate__``: what rebuilding the object from checked but still damaged fields
    raises (STATE_DAMAGE, e.g. a KeyError for a column renamed by a changed byte) becomes a ValueError
    ``"cannot read a <what> pickle: ..."`` chained to the original."""
    try:
        yield
    except STATE_DAMAGE as e:
        raise ValueError(f"cannot read a {what} pickle: rebuilding it from its state failed "
                         f"({type(e).__name__}: {e}) (damaged?)") from e
