"""Reading event logs from CSV and XES files."""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Union

from cxkit import _core
from cxkit._progress import ProgressArg, reporter
from cxkit.event_log import ACTIVITY, CASE, TIMESTAMP, EventLog

PathLike = Union[str, "os.PathLike[str]"]


def read_csv(
    path: PathLike | bytes,
    case: str = CASE,
    activity: str = ACTIVITY,
    timestamp: str = TIMESTAMP,
    sep: str | None = None,
    timestamp_format: str | None = None,
    on_bad_row: str = "raise",
    *,
    dtypes: Mapping[str, str] | None = None,
    keep_other_columns: bool = True,
    progress: ProgressArg = False,
) -> EventLog:
    """Read an event log from a CSV file (RFC 4180: quotes, embedded newlines, CRLF, BOM).

    Parameters
    ----------
    path : str, path-like, or bytes
        A file path, or the CSV content itself as ``bytes``.
    case, activity, timestamp : str
        Column names (default: pm4py's ``case:concept:name``, ``concept:name``, ``time:timestamp``).
    sep : str, optional
        Field separator; detected from the header line among ``, ; \\t |`` when omitted.
    timestamp_format : str, optional
        A strftime-like pattern such as ``"%Y/%m/%d %H:%M:%S.%f"``; ISO 8601 (with or without an
        offset; without one means UTC) when omitted.
    on_bad_row : {"raise", "skip"}
        ``"raise"`` (default) raises ValueError naming the file, line, column and value of the first
        bad row; ``"skip"`` leaves bad rows out and lists each in ``log.skipped_rows``.
    dtypes : dict, optional
        Column name to ``"numeric"``, ``"categorical"``, ``"text"`` or ``"timestamp"`` for attribute
        columns; the others are numeric when every value is a number and categorical otherwise.
    keep_other_columns : bool
        False keeps only the case, activity and timestamp columns and those named in ``dtypes``.
    progress : bool or callable
        True shows a tqdm bar of bytes parsed; a callable is called as ``f(done, total)`` in
        bytes, about every 4 MB and once at the end. Never changes the result. Ctrl-C interrupts
        the reading either way.

    Raises
    ------
    KeyError
        The file or a named column does not exist.
    ValueError
        Empty file, unterminated quote, or a bad row under ``on_bad_row="raise"``.
    KeyboardInterrupt
        Ctrl-C while reading (checked about every 4 MB); an exception raised by a ``progress``
        callable stops the reading the same way and propagates.

    Examples
    --------
    >>> import cxkit
    >>> log = cxkit.read_csv(b"case,activity,time\\nc1,signed,2024-01-01T09:00:00Z\\n",
    ...                      case="case", activity="activity", timestamp="time")
    >>> len(log), log.n_cases
    (1, 1)
    """
    kinds: dict[str, list[str]] = {"numeric": [], "categorical": [], "text": [], "timestamp": []}
    for name, kind in (dtypes or {}).items():
        if kind not in kinds:
            raise ValueError(f"dtypes['{name}']: kind must be one of {list(kinds)}, not {kind!r}")
        kinds[kind].append(name)
    args = (case, activity, timestamp, sep or "", timestamp_format or "", on_bad_row,
            kinds["numeric"], kinds["categorical"], kinds["text"], kinds["timestamp"], keep_other_columns)
    with reporter(progress, "reading CSV", unit="B", unit_scale=True) as callback:
        if isinstance(path, (bytes, bytearray, memoryview)):
            return EventLog(_core.read_csv_bytes(bytes(path), "<bytes>", *args, callback))
        return EventLog(_core.read_csv(os.fspath(path), *args, callback))


def read_xes(path: PathLike | bytes, on_bad_row: str = "raise", *, threads: int = 0,
             progress: ProgressArg = None) -> EventLog:
    """Read an IEEE 1849 XES event log, plain or gzip-compressed (detected from the content).

    The trace's ``concept:name`` is the case, the event's ``concept:name`` the activity and
    ``time:timestamp`` the time; other attributes are kept (trace attributes as ``case:<key>``),
    ``lifecycle:transition`` included.

    Parameters
    ----------
    path : str, path-like, or bytes
        A file path, or the XES content itself as ``bytes``.
    on_bad_row : {"raise", "skip"}
        As in :func:`read_csv`; skipped events are listed in ``log.skipped_rows``.
    threads : int
        Parser threads, 0 = one per core, 1 = a single parser; the log never depends on it.
    progress : bool or callable, optional
        True shows a tqdm bar of bytes read; a callable is called as ``f(done, total)`` in bytes
        of the input as given (compressed bytes for gzip, so ``total`` is the file size), about
        every MB of XML text and once at the end. Never changes the result. Ctrl-C interrupts
        the reading either way.

    Raises
    ------
    KeyboardInterrupt
        Ctrl-C while reading (checked about every MB of text); an exception raised by a
        ``progress`` callable stops the reading the same way and propagates.

    Examples
    --------
    >>> import cxkit
    >>> xes = b'''<log><trace><string key="concept:name" value="c1"/>
    ... <event><string key="concept:name" value="signed"/><date key="time:timestamp" value="2024-01-01T09:00:00Z"/></event>
    ... </trace></log>'''
    >>> cxkit.read_xes(xes).activities
    ['signed']
    """
    with reporter(progress, "reading XES", unit="B", unit_scale=True) as callback:
        if isinstance(path, (bytes, bytearray, memoryview)):
            return EventLog(_core.read_xes_bytes(bytes(path), "<bytes>", on_bad_row, int(threads), callback))
        return EventLog(_core.read_xes(os.fspath(path), on_bad_row, int(threads), callback))
