"""The Python face of cxkit's event log."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from cxkit import _core
from cxkit._columns import factorize, from_core, infer_kind, to_spec
from cxkit._time import check_state_version, micros_to_series, series_to_micros, state_damage, state_fields

# pm4py's standard column names, so frames formatted for pm4py work without arguments.
CASE = "case:concept:name"
ACTIVITY = "concept:name"
TIMESTAMP = "time:timestamp"


def _require_columns(df: pd.DataFrame, names: Iterable[str]) -> None:
    missing = [n for n in names if n not in df.columns]
    if missing:
        raise KeyError(f"column(s) {missing} not in the DataFrame; it has {list(map(str, df.columns))}")


class EventLog:
    """An immutable, columnar event log: one row per event (case, activity, timestamp, attributes).

    Events are sorted stably by (case, timestamp, input order); cases keep the order in which
    they first appear. Build one with :meth:`from_pandas`, :func:`cxkit.read_csv` or
    :func:`cxkit.read_xes`.

    Examples
    --------
    >>> import pandas as pd, cxkit
    >>> df = pd.DataFrame({"case": ["a", "a", "b"], "activity": ["signed", "kickoff", "signed"],
    ...                    "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02"], utc=True)})
    >>> log = cxkit.EventLog.from_pandas(df, case="case", activity="activity", timestamp="timestamp")
    >>> len(log), log.n_cases, log.activities
    (3, 2, ['signed', 'kickoff'])
    """

    __slots__ = ("_core",)

    def __init__(self, core: Any = None) -> None:
        self._core = _core.EventLog() if core is None else core

    # ---- construction ----
    @classmethod
    def from_pandas(
        cls,
        df: pd.DataFrame,
        case: str = CASE,
        activity: str = ACTIVITY,
        timestamp: str = TIMESTAMP,
        attributes: Iterable[str] | Mapping[str, str] | None = None,
    ) -> EventLog:
        """Build a log from a DataFrame.

        Parameters
        ----------
        df : pandas.DataFrame
        case, activity, timestamp : str
            Column names. Timestamps may be datetime64 (naive = UTC, or aware) or ISO 8601 text.
        attributes : list of column names, or dict name -> kind, optional
            Other columns to keep (default: all). Kinds are ``"numeric"``, ``"categorical"``,
            ``"text"`` and ``"timestamp"``; inferred from the dtype when not given.

        Raises
        ------
        KeyError
            A named column is missing.
        ValueError
            A missing case, activity or timestamp (the message names the row position and column),
            or a timestamp that does not parse.
        """
        _require_columns(df, [case, activity, timestamp])
        core_cols = {case, activity, timestamp}
        if attributes is None:
            kinds = {str(c): infer_kind(df[c]) for c in df.columns if c not in core_cols}
        elif isinstance(attributes, Mapping):
            _require_columns(df, attributes.keys())
            kinds = dict(attributes)
        else:
            names = list(attributes)
            _require_columns(df, names)
            kinds = {n: infer_kind(df[n]) for n in names}
        case_codes, case_names = factorize(df[case])
        activity_codes, activity_names = factorize(df[activity])
        times = series_to_micros(df[timestamp], timestamp)
        specs = [to_spec(df[name], name, kind) for name, kind in kinds.items()]
        core = _core.EventLog.from_arrays(
            case_codes, case_names, activity_codes, activity_names, times, specs,
            "DataFrame", case, activity, timestamp,
        )
        return cls(core)

    # ---- the data ----
    def __len__(self) -> int:
        return len(self._core)

    @property
    def n_cases(self) -> int:
        """Number of distinct cases."""
        return int(self._core.n_cases)

    @property
    def activities(self) -> list[str]:
        """Distinct activity names, in order of first appearance in the input."""
        return list(self._core.activity_names())

    @property
    def cases(self) -> list[str]:
        """Case ids in log order (order of first appearance in the input)."""
        return list(self._core.case_names())

    @property
    def attributes(self) -> list[str]:
        """Names of the attribute columns."""
        return list(self._core.attribute_names())

    @property
    def skipped_rows(self) -> pd.DataFrame:
        """Rows a reader skipped under ``on_bad_row="skip"``: columns ``line`` and ``reason``."""
        rows = self._core.skipped_rows()
        return pd.DataFrame(rows, columns=["line", "reason"]).astype({"line": "int64", "reason": object})

    @property
    def source(self) -> str:
        return str(self._core.source)

    def memory_bytes(self) -> int:
        """Bytes held by the log: columns, dictionaries and attributes."""
        return int(self._core.memory_bytes())

    def to_pandas(self) -> pd.DataFrame:
        """One row per event in log order: ``case``, ``activity``, ``timestamp`` (UTC-aware), attributes."""
        case_names = np.asarray(self._core.case_names(), dtype=object)
        activity_names = np.asarray(self._core.activity_names(), dtype=object)
        data: dict[str, Any] = {
            "case": pd.Series(case_names[self._core.case_ids()] if len(self) else [], dtype=object),
            "activity": pd.Series(activity_names[self._core.activity_ids()] if len(self) else [], dtype=object),
            "timestamp": micros_to_series(self._core.timestamps()),
        }
        for name in self.attributes:
            data[name] = from_core(self._core.attribute(name), name)
        return pd.DataFrame(data)

    def __repr__(self) -> str:
        return (f"EventLog({len(self):,} events, {self.n_cases:,} cases, "
                f"{len(self.activities)} activities, {len(self.attributes)} attributes)")

    def __eq__(self, other: object) -> bool:
        """Same events in the same order with the same attributes (and kinds): O(events)."""
        if not isinstance(other, EventLog):
            return NotImplemented
        if (len(self), self.n_cases, self.attributes) != (len(other), other.n_cases, other.attributes):
            return False
        kinds = [self._core.attribute(a)[0] for a in self.attributes]
        return kinds == [other._core.attribute(a)[0] for a in other.attributes] and \
            self.to_pandas().equals(other.to_pandas())

    def __hash__(self) -> int:  # consistent with ==, cheap
        return hash((len(self), self.n_cases, tuple(self.attributes)))

    # ---- pickling: through the columns (versioned) ----
    def __getstate__(self) -> dict[str, Any]:
        kinds = {name: self._core.attribute(name)[0] for name in self.attributes}
        return {"version": 1, "frame": self.to_pandas(), "kinds": kinds, "source": self.source}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "EventLog")
        frame, kinds = state_fields(state, "EventLog", {"frame": pd.DataFrame, "kinds": dict})
        with state_damage("EventLog"):  # e.g. a column renamed by a changed byte: from_pandas's KeyError
            restored = EventLog.from_pandas(frame, case="case", activity="activity", timestamp="timestamp",
                                            attributes=kinds)
        self._core = restored._core
