"""Smart notifications for moments of truth: routing, digests, grouping, inhibition, escalation.

A :class:`NotificationPolicy` says who hears about which clock event (a moment triggered, about to
breach, breached), when and how: urgent items at once (grouped as Alertmanager groups alerts), the
rest in a digest at each recipient's local digest time, breaches escalated PagerDuty-style until
acknowledged. ``policy.replay(...)`` runs the policy over a history and returns every notification
it would have sent. docs/moments_notifications.md states every rule and the JSON schema.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal, overload

import numpy as np
import pandas as pd

from cxkit import _core
from cxkit._time import (check_state_version, duration_to_micros, micros_to_series, series_to_micros, state_damage,
                         state_fields, to_micros)
from cxkit.event_log import EventLog
from cxkit.table import Table

__all__ = ["NotificationPolicy"]

_NOTIFICATION_COLUMNS = ["time", "recipient", "kind", "items", "n_items", "level", "repeat", "route"]


def _duration(value: Any) -> str:
    """"30s" style strings pass through; timedeltas become seconds."""
    if isinstance(value, str):
        return value
    return f"{duration_to_micros(value) / 1e6:g}s"


def _durations(d: Mapping[str, Any] | None, fields: Sequence[str]) -> dict[str, Any] | None:
    if d is None:
        return None
    out = dict(d)
    for f in fields:
        if f in out and out[f] is not None:
            out[f] = _duration(out[f])
    return out


class NotificationPolicy:
    """Who is notified about which moment-of-truth item, when, and how.

    Parameters
    ----------
    recipients : list of dict
        ``{"id", "role", "manager", "timezone", "digest_at": "09:00" or [...], "digest_days": ["mon", ...],
        "quiet_hours": {"from": "22:00", "to": "07:00"}}``; only ``id`` is required.
    routes : list of dict
        ``{"name", "match": {label: value or [values]}, one of "recipient" / "recipient_from" (a label such
        as ``owner`` whose value is a recipient id) / "role" / "drop": true, "immediate", "continue"}``.
        Labels: ``moment``, ``urgency``, ``kind``, ``case``, ``key``, ``stage``, ``moment_owner``, the trigger
        event's attributes (``priority``) and the accounts' columns (``tier``, ``owner``); prefix ``event.`` or
        ``account.`` to choose.
    routing : "first_match" (default; a route's ``continue`` keeps matching) or "all_matches"
    default_recipient : receives items no route matched
    notify_on : item kinds to create: "triggered", "about_to_breach", "breached" (default the last two)
    warn_before : about_to_breach fires this long before the deadline (default 1 h)
    grouping : ``{"group_by": [labels], "group_wait": "30s", "group_interval": "5m", "repeat_interval": "4h"}``
        (Alertmanager's meaning and defaults)
    inhibit : list of ``{"source": {matchers}, "target": {matchers}, "equal": [labels]}``
    escalation : ``{"match": {matchers}, "acknowledge_on": [activities], "levels": [{"target": "owner" or
        "manager"} or {"recipient": id}, each with "timeout" (default 2 h)]}``

    Raises ValueError naming the bad field (``recipients[1].timezone``, ``routes[0].match.urgency``, ...).

    Examples
    --------
    >>> from cxkit.moments import NotificationPolicy
    >>> p = NotificationPolicy(recipients=[{"id": "maria", "timezone": "Europe/Berlin"}],
    ...                        routes=[{"recipient": "maria"}])
    >>> p.to_json()["grouping"]["group_wait"]
    '30s'
    >>> NotificationPolicy.from_json(p.to_json()) == p
    True
    """

    __slots__ = ("_json",)

    def __init__(self, recipients: Sequence[Mapping[str, Any]] = (), routes: Sequence[Mapping[str, Any]] = (),
                 routing: str = "first_match", default_recipient: str | None = None,
                 notify_on: Sequence[str] = ("about_to_breach", "breached"), warn_before: Any = "1h",
                 grouping: Mapping[str, Any] | None = None, inhibit: Sequence[Mapping[str, Any]] = (),
                 escalation: Mapping[str, Any] | None = None) -> None:
        d: dict[str, Any] = {"recipients": [dict(r) for r in recipients], "routes": [dict(r) for r in routes],
                             "routing": routing, "notify_on": list(notify_on), "warn_before": _duration(warn_before),
                             "inhibit": [dict(r) for r in inhibit]}
        if default_recipient is not None:
            d["default_recipient"] = default_recipient
        if grouping is not None:
            d["grouping"] = _durations(grouping, ("group_wait", "group_interval", "repeat_interval"))
        if escalation is not None:
            esc = dict(escalation)
            esc["levels"] = [_durations(level, ("timeout",)) for level in esc.get("levels", [])]
            d["escalation"] = esc
        self._json = json.loads(_core.notification_policy_normalize(json.dumps(d)))

    @classmethod
    def from_json(cls, definition: Mapping[str, Any] | str) -> NotificationPolicy:
        """Read the JSON form (a dict or its text); raises ValueError naming the bad field."""
        out = cls.__new__(cls)
        text = definition if isinstance(definition, str) else json.dumps(definition)
        out._json = json.loads(_core.notification_policy_normalize(text))
        return out

    def to_json(self) -> dict[str, Any]:
        """The JSON form, every default written out."""
        out: dict[str, Any] = json.loads(json.dumps(self._json))
        return out

    @property
    def recipients(self) -> list[str]:
        return [r["id"] for r in self._json["recipients"]]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NotificationPolicy) and self._json == other._json

    def __repr__(self) -> str:
        return (f"NotificationPolicy({len(self._json['recipients'])} recipients, "
                f"{len(self._json['routes'])} routes)")

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "json": self._json}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "NotificationPolicy")
        definition, = state_fields(state, "NotificationPolicy", {"json": dict})
        with state_damage("NotificationPolicy"):  # json.dumps: TypeError for a value JSON has no form for
            self._json = json.loads(_core.notification_policy_normalize(json.dumps(definition)))

    # ---- replay ----
    @overload
    def replay(self, log_or_occurrences: EventLog | pd.DataFrame, accounts: pd.DataFrame | Table | None = None,
               moments: Sequence[Any] | None = None, *, log: EventLog | None = None, as_of: Any = None,
               until: Any = None, account_key: str | None = None,
               return_items: Literal[False] = False) -> pd.DataFrame: ...

    @overload
    def replay(self, log_or_occurrences: EventLog | pd.DataFrame, accounts: pd.DataFrame | Table | None = None,
               moments: Sequence[Any] | None = None, *, log: EventLog | None = None, as_of: Any = None,
               until: Any = None, account_key: str | None = None,
               return_items: Literal[True]) -> tuple[pd.DataFrame, pd.DataFrame]: ...

    @overload
    def replay(self, log_or_occurrences: EventLog | pd.DataFrame, accounts: pd.DataFrame | Table | None = None,
               moments: Sequence[Any] | None = None, *, log: EventLog | None = None, as_of: Any = None,
               until: Any = None, account_key: str | None = None,
               return_items: bool = False) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]: ...

    def replay(self, log_or_occurrences: EventLog | pd.DataFrame, accounts: pd.DataFrame | Table | None = None,
               moments: Sequence[Any] | None = None, *, log: EventLog | None = None, as_of: Any = None,
               until: Any = None, account_key: str | None = None,
               return_items: bool = False) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
        """Every notification the policy would have sent over a history.

        Parameters
        ----------
        log_or_occurrences : EventLog or DataFrame
            An event log (then ``moments`` are evaluated on it as of ``as_of``), or occurrences as returned
            by :func:`cxkit.moments.evaluate` (columns ``case``, ``moment``, ``key``, ``started``,
            ``stopped``, ``deadline``, ``status``).
        accounts : DataFrame or Table, optional
            One row per account; its columns (tier, owner, ...) become labels. A DataFrame's key is
            ``account_key`` (default: its first column).
        moments : list of Moment
            Required with a log; with occurrences, gives each moment's urgency, owner, stage and key
            (moments not given are urgency "normal").
        log : EventLog, optional
            With occurrences: the log they came from (trigger-event labels, acknowledging events).
        as_of : instant, optional
            With a log: evaluate as of this instant (default the latest event).
        until : instant, optional
            End of the observed history (default ``as_of``, or the latest event of the log, or the latest
            instant in the occurrences). Repeats and escalations after it are not simulated; first
            deliveries of items already fired are.
        return_items : also return one row per item with its fate

        Returns
        -------
        DataFrame
            One row per notification in time order: ``time`` (UTC), ``recipient``, ``kind`` (immediate /
            digest / escalation), ``items`` (list of (case, moment, key)), ``n_items``, ``level`` (escalation
            level), ``repeat`` (a repeat_interval resend), ``route`` (the route's name). ``attrs["summary"]``
            holds the volume: ``items``, ``naive_notifications`` (one per item and recipient: notifying on
            every event), ``notifications``, per kind, item fates (``notified``, ``inhibited``,
            ``resolved``, ``dropped``, ``unrouted``, ``pending``) and ``ratio`` (notifications / naive).
            With ``return_items``: ``(notifications, items)``; items have ``case``, ``moment``, ``key``,
            ``kind``, ``time``, ``urgency``, ``immediate``, ``escalated``, ``route``, ``recipients``,
            ``fate``, ``first_notified``, ``notifications``, ``resolved``, ``acknowledged``.
        """
        from cxkit.moments import Moment, evaluate  # cxkit.moments imports this module

        moment_list = list(moments or [])
        if isinstance(log_or_occurrences, EventLog):
            if not moment_list:
                raise ValueError("replay on an event log needs the moments to evaluate")
            log = log_or_occurrences
            occ = evaluate(log, moment_list, as_of=as_of)
            if until is None:
                ts = np.asarray(log._core.timestamps())
                until = as_of if as_of is not None else (None if ts.size == 0 else pd.Timestamp(int(ts.max()), unit="us",
                                                                                                tz="UTC"))
        elif isinstance(log_or_occurrences, pd.DataFrame):
            occ = log_or_occurrences
            missing = [c for c in ("case", "moment", "key", "started", "stopped", "deadline", "status")
                       if c not in occ.columns]
            if missing:
                raise KeyError(f"occurrences lack column(s) {missing}; pass cxkit.moments.evaluate's output")
            if until is None and as_of is not None:
                until = as_of
        else:
            raise TypeError("replay takes an EventLog or an occurrences DataFrame, "
                            f"not {type(log_or_occurrences).__name__}")

        # Moments by name, synthesising plain ones for names not given.
        by_name = {m.name: m for m in moment_list}
        names = list(dict.fromkeys(list(by_name) + [str(n) for n in pd.unique(occ["moment"])]))
        definitions = []
        for n in names:
            if n in by_name:
                definitions.append(json.dumps(by_name[n].to_json()))
            else:
                keyed = bool((occ.loc[occ["moment"] == n, "key"].astype(str) != "").any())
                definitions.append(json.dumps(Moment(n, trigger=n, fulfil=n, within="1h",
                                                     key="key" if keyed else None).to_json()))
        moment_index = {n: i for i, n in enumerate(names)}

        if log is not None:
            case_names = list(log.cases)
            position = {c: i for i, c in enumerate(case_names)}
            unknown = [c for c in pd.unique(occ["case"]) if c not in position]
            if unknown:
                raise KeyError(f"case {unknown[0]!r} of the occurrences is not in the log")
            case_ids = np.fromiter((position[c] for c in occ["case"]), dtype=np.uint32, count=len(occ))
        else:
            codes, uniques = pd.factorize(occ["case"].astype(str))
            case_names = [str(c) for c in uniques]
            case_ids = codes.astype(np.uint32)

        table = None
        if accounts is not None:
            if isinstance(accounts, Table):
                table = accounts
            else:
                key = account_key or str(accounts.columns[0])
                table = Table.from_pandas(accounts, key=key)

        d = _core.notification_replay(
            json.dumps(self._json), definitions, None if log is None else log._core, case_names,
            None if table is None else table._core, case_ids,
            np.fromiter((moment_index[str(m)] for m in occ["moment"]), dtype=np.uint32, count=len(occ)),
            ["" if k is None or (isinstance(k, float) and np.isnan(k)) else str(k) for k in occ["key"]],
            series_to_micros(occ["started"], "started"), series_to_micros(occ["stopped"], "stopped"),
            series_to_micros(occ["deadline"], "deadline"), [str(s) for s in occ["status"]],
            None if until is None else to_micros(until))

        occ_case = occ["case"].to_numpy(dtype=object)
        occ_moment = occ["moment"].to_numpy(dtype=object)
        occ_key = occ["key"].to_numpy(dtype=object)
        items = d["items"]
        item_occ = np.asarray(items["occurrence"], dtype=np.int64)
        triples = [(occ_case[o], occ_moment[o], occ_key[o]) for o in item_occ]
        route_names = [r.get("name") or f"routes[{i}]" for i, r in enumerate(self._json["routes"])]

        def route_name(r: int) -> str | None:
            return route_names[r] if r >= 0 else None

        notes = d["notifications"]
        flat = np.asarray(d["notification_items"], dtype=np.int64)
        firsts = np.asarray(notes["first"], dtype=np.int64)
        counts = np.asarray(notes["count"], dtype=np.int64)
        out = pd.DataFrame({
            "time": micros_to_series(notes["at"]),
            "recipient": pd.Series(notes["recipient"], dtype=object),
            "kind": pd.Series(notes["kind"], dtype=object),
            "items": pd.Series([[triples[i] for i in flat[f:f + c]] for f, c in zip(firsts, counts)], dtype=object),
            "n_items": counts,
            "level": np.asarray(notes["level"], dtype=np.int64),
            "repeat": np.asarray(notes["repeat"], dtype=bool),
            "route": pd.Series([route_name(int(r)) for r in notes["route"]], dtype=object),
        }, columns=_NOTIFICATION_COLUMNS)
        out.attrs["summary"] = {k: (float(v) if k == "ratio" else int(v)) for k, v in d["summary"].items()}
        if not return_items:
            return out

        def times(a: Any) -> pd.Series:
            return micros_to_series(np.asarray(a, dtype=np.int64))

        item_frame = pd.DataFrame({
            "case": pd.Series([t[0] for t in triples], dtype=object),
            "moment": pd.Series([t[1] for t in triples], dtype=object),
            "key": pd.Series([t[2] for t in triples], dtype=object),
            "kind": pd.Series(items["kind"], dtype=object),
            "time": times(items["at"]),
            "urgency": pd.Series(items["urgency"], dtype=object),
            "immediate": np.asarray(items["immediate"], dtype=bool),
            "escalated": np.asarray(items["escalated"], dtype=bool),
            "route": pd.Series([route_name(int(r)) for r in items["route"]], dtype=object),
            "recipients": pd.Series([list(r) for r in items["recipients"]], dtype=object),
            "fate": pd.Series(items["fate"], dtype=object),
            "first_notified": times(items["first_notified"]),
            "notifications": np.asarray(items["notifications"], dtype=np.int64),
            "resolved": times(items["resolved"]),
            "acknowledged": times(items["acknowledged"]),
        })
        return out, item_frame

