"""Per-account attributes keyed by the same ids as an event log's cases."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from cxkit import _core
from cxkit._columns import from_core, infer_kind, to_spec
from cxkit._time import check_state_version, state_damage, state_fields


class Table:
    """A columnar table with one row per account (tier, ARR, plan, signup, renewal, custom fields).

    Keys are the strings an event log uses as case ids. Columns are numeric, categorical, text or
    timestamp, as in :class:`cxkit.EventLog`.

    Examples
    --------
    >>> import pandas as pd, cxkit
    >>> t = cxkit.Table.from_pandas(pd.DataFrame({"account": ["A1", "A2"], "arr": [410000.0, 12000.0]}),
    ...                             key="account")
    >>> len(t), t.columns
    (2, ['arr'])
    """

    __slots__ = ("_core",)

    def __init__(self, core: Any = None) -> None:
        self._core = _core.Table() if core is None else core

    @classmethod
    def from_pandas(cls, df: pd.DataFrame, key: str = "id",
                    columns: Iterable[str] | Mapping[str, str] | None = None) -> Table:
        """Build from a DataFrame with one row per key.

        Raises ``KeyError`` for a missing column and ``ValueError`` naming the row for a
        duplicate or empty key.
        """
        if key not in df.columns:
            raise KeyError(f"key column '{key}' not in the DataFrame; it has {list(map(str, df.columns))}")
        if columns is None:
            kinds = {str(c): infer_kind(df[c]) for c in df.columns if c != key}
        elif isinstance(columns, Mapping):
            kinds = dict(columns)
        else:
            kinds = {c: infer_kind(df[c]) for c in columns}
        missing = [c for c in kinds if c not in df.columns]
        if missing:
            raise KeyError(f"column(s) {missing} not in the DataFrame")
        keys = df[key]
        if keys.isna().any():
            row = int(keys.isna().to_numpy().argmax())
            raise ValueError(f"DataFrame, row {row}, column '{key}': missing key")
        specs = [to_spec(df[c], c, k) for c, k in kinds.items()]
        return cls(_core.Table.from_arrays(key, [str(k) for k in keys], specs, "DataFrame"))

    def __len__(self) -> int:
        return len(self._core)

    @property
    def key(self) -> str:
        return str(self._core.key_name)

    @property
    def columns(self) -> list[str]:
        return list(self._core.column_names())

    def to_pandas(self) -> pd.DataFrame:
        """One row per key: the key column first, then the columns."""
        data: dict[str, Any] = {self.key: pd.Series(self._core.keys(), dtype=object)}
        for name in self.columns:
            data[name] = from_core(self._core.column(name), name)
        return pd.DataFrame(data)

    def __repr__(self) -> str:
        return f"Table({len(self):,} rows keyed by '{self.key}', columns {self.columns})"

    def __eq__(self, other: object) -> bool:
        """Same key name, keys, columns and values (and kinds): O(rows)."""
        if not isinstance(other, Table):
            return NotImplemented
        if (self.key, len(self), self.columns) != (other.key, len(other), other.columns):
            return False
        kinds = [self._core.column(c)[0] for c in self.columns]
        return kinds == [other._core.column(c)[0] for c in other.columns] and \
            self.to_pandas().equals(other.to_pandas())

    def __hash__(self) -> int:  # consistent with ==, cheap
        return hash((self.key, len(self), tuple(self.columns)))

    def __getstate__(self) -> dict[str, Any]:
        kinds = {name: self._core.column(name)[0] for name in self.columns}
        return {"version": 1, "key": self.key, "frame": self.to_pandas(), "kinds": kinds}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "Table")
        key, frame, kinds = state_fields(state, "Table", {"key": str, "frame": pd.DataFrame, "kinds": dict})
        with state_damage("Table"):  # e.g. a column renamed by a changed byte: from_pandas's KeyError
            self._core = Table.from_pandas(frame, key=key, columns=kinds)._core
