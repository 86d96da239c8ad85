"""Compliance of moments of truth: a mergeable summary (C++ cells) and its DataFrame.

Cells are keyed by (moment, the ``by`` values, period). Each cell counts clocks by status and
keeps the elapsed business time of every stopped clock, so median and p90 are exact and
summaries of partitions (Dask, one per process) merge to the summary of the whole.
"""
from __future__ import annotations

import html
import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxkit import _core
from cxkit._time import check_state_version, state_damage, state_fields

__all__ = ["ComplianceSummary", "compliance", "compliance_summary"]

_STATUS = ["met", "breached", "pending", "overdue", "cancelled"]  # the C++ Status order
_COUNTS = ["count", "met", "breached", "pending", "overdue", "cancelled"]
_NAT = np.iinfo(np.int64).min


def _canonical(v: Any) -> Any:
    """A JSON value that names `v` the same way in every partition (labels must agree to merge)."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT or v is pd.NA:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v)
    if isinstance(v, str):
        return v
    return str(v)


def _by_list(by: Sequence[str] | str | None) -> list[str]:
    return [by] if isinstance(by, str) else list(by or [])


def _joined(occurrences: pd.DataFrame, by: list[str], groups: pd.DataFrame | None,
            accounts: pd.DataFrame | None, key: str) -> pd.DataFrame:
    occ = occurrences
    if groups is not None:
        occ = occ.merge(groups, left_on="case", right_index=True, how="left")
    if accounts is not None:
        if key not in accounts.columns:
            raise KeyError(f"accounts have no key column '{key}'")
        cols = [c for c in by if c in accounts.columns and c not in occ.columns]
        occ = occ.merge(accounts[[key, *cols]].drop_duplicates(key), left_on="case", right_on=key, how="left")
    missing = [c for c in by if c not in occ.columns]
    if missing:
        raise KeyError(f"by column(s) {missing} are neither occurrence columns nor in groups/accounts")
    return occ


class ComplianceSummary:
    """Mergeable compliance cells: counts by status and exact elapsed-time percentiles.

    Build with :func:`compliance_summary`; ``merge`` another partition's summary (same ``by`` and
    ``period``) in place; ``to_frame()`` gives the table :func:`compliance` returns. Pickles
    (versioned state), so Dask can ship partition summaries between workers.

    Examples
    --------
    >>> import functools, cxkit
    >>> # parts = [cxkit.moments.compliance_summary(p, by=["owner"]) for p in partitions]
    >>> # total = functools.reduce(cxkit.moments.ComplianceSummary.merge, parts).to_frame()
    """

    __slots__ = ("_core", "_moments", "_groups", "_by", "_period")

    def __init__(self, by: Sequence[str] | str | None = None, period: str | None = "M") -> None:
        self._by = tuple(_by_list(by))
        self._period = period
        self._core = _core.Compliance(period is not None)
        self._moments: list[str] = []
        self._groups: dict[str, tuple[Any, ...]] = {}  # label -> the by values as first seen

    @property
    def by(self) -> tuple[str, ...]:
        return self._by

    @property
    def period(self) -> str | None:
        return self._period

    def _moment_codes(self, names: pd.Series) -> np.ndarray:
        codes, uniques = pd.factorize(names.astype(str))
        index = {m: i for i, m in enumerate(self._moments)}
        mapped = np.empty(len(uniques), dtype=np.uint32)
        for j, m in enumerate(uniques):
            if m not in index:
                index[m] = len(self._moments)
                self._moments.append(m)
            mapped[j] = index[m]
        return mapped[codes] if len(codes) else np.empty(0, dtype=np.uint32)

    def _group_codes(self, occ: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
        n = len(occ)
        if not self._by:
            return np.zeros(n, dtype=np.int64), [""]
        combined = np.zeros(n, dtype=np.int64)
        per_column = []
        for c in self._by:
            codes, uniques = pd.factorize(occ[c], use_na_sentinel=False)
            per_column.append((codes, uniques))
            # re-factorised after each column, so the combined code stays below the row count
            combined = pd.factorize(combined * max(1, len(uniques)) + codes)[0].astype(np.int64)
        uniq, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
        labels = []
        for row in first:
            values = tuple(u[codes[row]] for codes, u in per_column)
            label = json.dumps([_canonical(v) for v in values], ensure_ascii=False)
            self._groups.setdefault(label, tuple(None if _canonical(v) is None else v for v in values))
            labels.append(label)
        return inverse.astype(np.int64).reshape(-1), labels

    def _period_codes(self, started: pd.Series) -> np.ndarray:
        if self._period is None:
            return np.empty(0, dtype=np.int32)
        s = started
        if getattr(s.dtype, "tz", None) is not None:
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        ordinals: npt.NDArray[np.int64] = s.dt.to_period(self._period).array.asi8
        if len(ordinals) and (ordinals.min() <= np.iinfo(np.int32).min or ordinals.max() > np.iinfo(np.int32).max):
            raise ValueError(f"period {self._period!r} is too fine for the time range (ordinals beyond 32 bits)")
        return ordinals.astype(np.int32)

    def add(self, occurrences: pd.DataFrame, groups: pd.DataFrame | None = None,
            accounts: pd.DataFrame | None = None, key: str = "account") -> ComplianceSummary:
        """Adds occurrences (the frame :func:`evaluate` returns); ``by`` columns may come from
        ``groups`` (indexed by case) or ``accounts`` (a ``key`` column). Returns self."""
        occ = _joined(occurrences, list(self._by), groups, accounts, key)
        status = pd.Categorical(occ["status"], categories=_STATUS)
        if (status.codes < 0).any():
            bad = occ["status"][status.codes < 0].iloc[0]
            raise ValueError(f"unknown status {bad!r}; expected one of {_STATUS}")
        elapsed = occ["elapsed"]
        el = elapsed.to_numpy(dtype="timedelta64[us]").view(np.int64) if len(occ) else np.empty(0, np.int64)
        groups_codes, labels = self._group_codes(occ)
        self._core.add_arrays(self._moment_codes(occ["moment"]), groups_codes, labels,
                              self._period_codes(occ["started"]), status.codes.astype(np.uint8), el)
        return self

    def merge(self, other: ComplianceSummary) -> ComplianceSummary:
        """Adds another summary's cells (same ``by`` and ``period``); returns self (for ``reduce``)."""
        if not isinstance(other, ComplianceSummary):
            raise TypeError(f"cannot merge a ComplianceSummary with {type(other).__name__}")
        if other._by != self._by or other._period != self._period:
            raise ValueError(f"cannot merge summaries by {other._by}/{other._period!r} into {self._by}/{self._period!r}")
        index = {m: i for i, m in enumerate(self._moments)}
        mapping = []
        for m in other._moments:
            if m not in index:
                index[m] = len(self._moments)
                self._moments.append(m)
            mapping.append(index[m])
        for label, values in other._groups.items():
            self._groups.setdefault(label, values)
        self._core.merge(other._core, mapping)
        return self

    def __add__(self, other: ComplianceSummary) -> ComplianceSummary:
        out = self.copy()
        return out.merge(other)

    def copy(self) -> ComplianceSummary:
        out = ComplianceSummary.__new__(ComplianceSummary)
        out._by, out._period = self._by, self._period
        out._core = self._core.copy()
        out._moments = list(self._moments)
        out._groups = dict(self._groups)
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per cell: ``moment``, the ``by`` columns, ``period`` (when split), ``count``,
        ``met``, ``breached``, ``pending``, ``overdue``, ``cancelled``, ``met_rate``,
        ``median_elapsed``, ``p90_elapsed``; sorted by moment, by values, period."""
        d = self._core.rows()
        moments = np.asarray(self._moments, dtype=object)
        out = pd.DataFrame({"moment": moments[np.asarray(d["moment"], dtype=np.int64)] if len(d["group"])
                            else pd.Series([], dtype=object)})
        for i, c in enumerate(self._by):
            out[c] = [self._groups[g][i] for g in d["group"]]
        if self._period is not None:
            # pandas-stubs 2.3 lack PeriodIndex.from_ordinals (pandas >= 2.2).
            out["period"] = pd.PeriodIndex.from_ordinals(  # type: ignore[attr-defined]
                np.asarray(d["period"], dtype=np.int64), freq=self._period)
        for c in _COUNTS:
            out[c] = np.asarray(d[c], dtype=np.int64)
        out["met_rate"] = np.asarray(d["met_rate"], dtype=np.float64)
        for c in ("median_elapsed", "p90_elapsed"):
            a = np.asarray(d[c + "_us"], dtype=np.int64)
            out[c] = pd.to_timedelta(a.view("timedelta64[us]")).as_unit("ns") if len(a) else pd.Series(
                [], dtype="timedelta64[ns]")
        keys = ["moment", *self._by] + (["period"] if self._period is not None else [])
        try:
            out = out.sort_values(keys, kind="stable", na_position="last")
        except TypeError:  # mixed, unorderable by values: keep the cell order
            pass
        return out.reset_index(drop=True)

    def __len__(self) -> int:
        return len(self._core.cells())

    def __repr__(self) -> str:
        return f"ComplianceSummary(by={list(self._by)}, period={self._period!r}, cells={len(self)})"

    def __eq__(self, other: object) -> bool:
        """Same ``by``, ``period`` and cells (order of adding and merging does not matter)."""
        if not isinstance(other, ComplianceSummary):
            return NotImplemented
        return (self._by, self._period) == (other._by, other._period) and self.to_frame().equals(other.to_frame())

    __hash__ = None  # type: ignore[assignment]  # mutable (add, merge)

    def _repr_html_(self) -> str:
        f = self.to_frame()
        cols = [c for c in f.columns if c not in ("pending", "cancelled")]
        return (f"<p><b>{html.escape(repr(self))}</b>: {int(f['count'].sum()) if len(f) else 0:,} clocks, "
                f"{int(f['met'].sum()) if len(f) else 0:,} met, {int(f['breached'].sum()) if len(f) else 0:,} breached"
                f"{' (first 20 cells)' if len(f) > 20 else ''}</p>"
                + f[cols].head(20).to_html(index=False, float_format=lambda v: f"{v:.3f}"))

    def __getstate__(self) -> dict[str, Any]:
        cells = [(int(m), g, int(p), *map(int, counts), np.asarray(el, dtype=np.int64))
                 for m, g, p, *counts, el in self._core.cells()]
        return {"version": 1, "by": list(self._by), "period": self._period, "moments": list(self._moments),
                "groups": dict(self._groups), "cells": cells}

    def __setstate__(self, state: dict[str, Any]) -> None:
        what = "ComplianceSummary"
        check_state_version(state, what)
        by, period, moments, groups, cells = state_fields(
            state, what, {"by": list, "period": (str, type(None)), "moments": list, "groups": dict, "cells": list})
        self._by, self._period = tuple(by), period
        self._core = _core.Compliance(period is not None)
        self._moments, self._groups = list(moments), dict(groups)
        with state_damage(what):  # a cell of other length or types (the C++ add_cell's TypeError)
            for m, g, p, count, met, breached, pending, overdue, cancelled, el in cells:
                # to_frame looks the cell's moment and group up: refuse one that is not there
                if not (isinstance(m, int) and 0 <= m < len(moments)):
                    raise ValueError(f"cannot read a {what} pickle: a cell's moment {m!r} is not one of its "
                                     f"{len(moments)} moments (damaged?)")
                if by and not (g in groups and len(groups[g]) == len(by)):
                    raise ValueError(f"cannot read a {what} pickle: a cell's group {g!r} is not one of its "
                                     "groups (damaged?)")
                self._core.add_cell(m, g, p, count, met, breached, pending, overdue, cancelled,
                                    np.asarray(el, dtype=np.int64))


def compliance_summary(occurrences: pd.DataFrame, by: Sequence[str] | str | None = None, period: str | None = "M",
                       groups: pd.DataFrame | None = None, accounts: pd.DataFrame | None = None,
                       key: str = "account") -> ComplianceSummary:
    """The mergeable :class:`ComplianceSummary` of ``occurrences`` (see :func:`compliance`)."""
    return ComplianceSummary(by, period).add(occurrences, groups=groups, accounts=accounts, key=key)


def compliance(occurrences: pd.DataFrame, by: Sequence[str] | str | None = None, period: str | None = "M",
               groups: pd.DataFrame | None = None, accounts: pd.DataFrame | None = None,
               key: str = "account") -> pd.DataFrame:
    """Met rate, breaches, median and p90 elapsed per moment, ``by`` columns and ``period``.

    Parameters
    ----------
    occurrences : the frame :func:`evaluate` returns (several evaluations may be concatenated)
    by : column names: occurrence columns, columns of ``groups`` (a frame indexed by case, e.g.
        ``accounts.set_index("account")[["owner"]]``) or of ``accounts`` (joined on ``key``)
    period : a pandas period alias of the clock's start in UTC ("M", "Q", "W", "D", ...), or None
    Missing ``by`` values form their own group (nothing is dropped).

    The met rate is met / (met + breached + overdue); pending and cancelled clocks are counted but
    left out of it. Median and p90 are over stopped clocks (met or breached), exact, with numpy's
    linear interpolation. Computed by the C++ ``Compliance`` cells; :func:`compliance_summary`
    returns the mergeable summary itself.

    Examples
    --------
    >>> import pandas as pd, cxkit
    >>> occ = pd.DataFrame({"case": ["a", "a", "b"], "moment": ["reply"] * 3, "status": ["met", "breached", "met"],
    ...                     "started": pd.to_datetime(["2024-01-05", "2024-01-09", "2024-02-01"], utc=True),
    ...                     "elapsed": pd.to_timedelta(["1h", "5h", "2h"])})
    >>> cxkit.moments.compliance(occ, period=None)[["moment", "count", "met", "met_rate"]].to_dict("records")
    [{'moment': 'reply', 'count': 3, 'met': 2, 'met_rate': 0.6666666666666666}]
    """
    return compliance_summary(occurrences, by, period, groups, accounts, key).to_frame()
