"""Milestone triggers (surprise and delight): which accounts are due an acknowledgement when."""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxkit import _core
from cxkit._time import micros_to_series, to_micros
from cxkit.event_log import EventLog
from cxkit.table import Table

__all__ = ["due", "milestone_rule"]


def _rule_json(rule: Mapping[str, Any]) -> str:
    d = dict(rule)
    m = d.get("moment")
    if m is not None and hasattr(m, "to_json"):
        d["moment"] = m.to_json()
    return json.dumps(d)


def milestone_rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    """The rule as the C++ core reads it (validated; raises ValueError naming the bad field)."""
    out: dict[str, Any] = json.loads(_core.milestone_rule_normalize(_rule_json(rule)))
    return out


def due(log: EventLog, accounts: pd.DataFrame | None, rules: Sequence[Mapping[str, Any]], between: Sequence[Any],
        key: str = "account", signup: str = "signup") -> pd.DataFrame:
    """Milestones due in ``[start, end)``: columns ``account``, ``rule``, ``due``, ``reason``.

    Rules are dicts with ``name`` and ``kind``:

    - ``{"kind": "days_after_signup", "days": 30}``
    - ``{"kind": "anniversary"}`` (every year after signup; 29 Feb falls on 28 Feb in common years)
    - ``{"kind": "nth_activity", "event": "report exported", "count": 100}``
    - ``{"kind": "cumulative", "attribute": "seats", "threshold": 1000, "event": "seats active"}``
      (running sum of a numeric attribute first reaching the threshold; ``event`` optional)
    - ``{"kind": "activity", "event": "first value reached"}`` (a success milestone, first time)
    - ``{"kind": "recovered", "moment": Moment(...), "then": "nps answered", "then_attribute": "score",
      "at_least": 9}`` (a missed clock made good: without ``then`` the late fulfilment itself)

    An ``event`` is an activity name or ``{"activity": ..., "where": {attribute: value}}``.
    Signup-based rules use ``accounts[signup]`` for every account (``key`` column); event-based
    rules see only events before ``end``. Rows ordered by due time, account, rule.

    Examples
    --------
    >>> import pandas as pd, cxkit
    >>> ev = pd.DataFrame({"case": ["A1"], "activity": ["first value reached"],
    ...                    "timestamp": pd.to_datetime(["2024-02-10"], utc=True)})
    >>> log = cxkit.EventLog.from_pandas(ev, case="case", activity="activity", timestamp="timestamp")
    >>> acc = pd.DataFrame({"account": ["A1"], "signup": pd.to_datetime(["2023-02-15"], utc=True)})
    >>> rules = [{"name": "anniversary", "kind": "anniversary"},
    ...          {"name": "first value", "kind": "activity", "event": "first value reached"}]
    >>> cxkit.moments.due(log, acc, rules, ("2024-01-01", "2024-03-01"))[["account", "rule"]].to_dict("records")
    [{'account': 'A1', 'rule': 'first value'}, {'account': 'A1', 'rule': 'anniversary'}]
    """
    if len(between) != 2:
        raise ValueError("between must be (start, end)")
    start, end = to_micros(between[0]), to_micros(between[1])
    texts = [_rule_json(r) for r in rules]
    names = [json.loads(_core.milestone_rule_normalize(t))["name"] for t in texts]
    if accounts is None:
        table = Table()
    else:
        if key not in accounts.columns:
            raise KeyError(f"accounts have no key column '{key}'")
        cols = {signup: "timestamp"} if signup in accounts.columns else {}
        table = Table.from_pandas(accounts[[key, *cols]], key=key, columns=cols)
    d = _core.milestones_due(log._core, table._core, texts, start, end, signup)
    rule_names = np.asarray(names, dtype=object)
    return pd.DataFrame({
        "account": pd.Series(d["account"], dtype=object),
        "rule": rule_names[np.asarray(d["rule"], dtype=np.int64)] if len(d["account"]) else pd.Series([], dtype=object),
        "due": micros_to_series(d["due"]),
        "reason": pd.Series(d["reason"], dtype=object),
    })
