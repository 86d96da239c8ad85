"""Notification policies through the Python surface: hand-computed timelines.

2024-03-04 is a Monday. Europe/Berlin moves from CET (UTC+1) to CEST (UTC+2) on Sunday 2024-03-31,
so 09:00 in Berlin is 08:00Z on Saturday 2024-03-30 and 07:00Z on Sunday 2024-03-31.
"""
from __future__ import annotations

import pickle

import pandas as pd
import pytest

import cxkit
from cxkit.moments import Moment, NotificationPolicy


def T(s: str) -> pd.Timestamp:
    return pd.Timestamp(s, tz="UTC")


def occurrences(rows: list[tuple]) -> pd.DataFrame:
    """(case, moment, key, started, stopped or None, deadline, status) rows."""
    df = pd.DataFrame(rows, columns=["case", "moment", "key", "started", "stopped", "deadline", "status"])
    for c in ("started", "stopped", "deadline"):
        df[c] = pd.to_datetime(df[c], utc=True)
    return df


def timeline(notes: pd.DataFrame) -> list[tuple]:
    return [(n.time.isoformat(), n.recipient, n.kind, [(c, m) for c, m, _ in n.items]) for n in notes.itertuples()]


def test_digest_at_nine_local_across_dst():
    occ = occurrences([("A", "welcome", "", "2024-03-29 11:00", "2024-03-29 13:00", "2024-03-29 12:00", "breached"),
                       ("B", "welcome", "", "2024-03-30 11:00", "2024-03-30 13:00", "2024-03-30 12:00", "breached")])
    p = NotificationPolicy(recipients=[{"id": "anna", "timezone": "Europe/Berlin", "digest_at": "09:00"}],
                           routes=[{"recipient": "anna"}], notify_on=["breached"])
    notes = p.replay(occ, until="2024-03-30 23:00Z")
    assert timeline(notes) == [("2024-03-30T08:00:00+00:00", "anna", "digest", [("A", "welcome")]),
                               ("2024-03-31T07:00:00+00:00", "anna", "digest", [("B", "welcome")])]
    s = notes.attrs["summary"]
    assert (s["items"], s["naive_notifications"], s["notifications"], s["digest"]) == (2, 2, 2, 2)


def test_critical_at_once_and_normal_in_digest():
    occ = occurrences([("A", "P0 reply", "T1", "2024-03-04 09:00", None, "2024-03-04 10:00", "overdue"),
                       ("B", "welcome", "", "2024-03-04 09:00", None, "2024-03-04 10:00", "overdue")])
    moments = [Moment("P0 reply", trigger="opened", fulfil="replied", within="1h", key="ticket", urgency="critical")]
    p = NotificationPolicy(recipients=[{"id": "r"}], routes=[{"recipient": "r"}], notify_on=["breached"])
    notes = p.replay(occ, moments=moments, until="2024-03-04 12:00Z")
    assert timeline(notes) == [("2024-03-04T10:00:30+00:00", "r", "immediate", [("A", "P0 reply")]),
                               ("2024-03-05T09:00:00+00:00", "r", "digest", [("B", "welcome")])]
    assert notes["items"][0] == [("A", "P0 reply", "T1")]


def test_grouping_minute_by_minute():
    # Alertmanager: group_wait before a new group's first notification; later alerts wait for the next
    # group_interval tick after the last flush; unchanged groups resend after repeat_interval (at a tick);
    # a group whose alerts all resolved is deleted, the next alert waits group_wait again.
    rows = [("A", "P0 reply", str(k), s, e, "2024-03-05 00:00", "met")
            for k, (s, e) in enumerate([("2024-03-04 10:00", "2024-03-04 15:00"), ("2024-03-04 10:01", "2024-03-04 15:00"),
                                        ("2024-03-04 10:12", "2024-03-04 15:00"), ("2024-03-04 15:02", "2024-03-04 15:30")])]
    moments = [Moment("P0 reply", trigger="opened", fulfil="replied", within="1h", key="ticket", urgency="critical")]
    p = NotificationPolicy(recipients=[{"id": "r"}], routes=[{"recipient": "r"}], notify_on=["triggered"],
                           grouping={"group_wait": "30s", "group_interval": pd.Timedelta("5min"),
                                     "repeat_interval": "4h"})
    notes = p.replay(occurrences(rows), moments=moments, until="2024-03-04 17:00Z")
    got = [(n.time.strftime("%H:%M:%S"), [k for _, _, k in n.items], n.repeat) for n in notes.itertuples()]
    assert got == [("10:00:30", ["0"], False),             # group_wait after 10:00
                   ("10:05:30", ["0", "1"], False),        # 10:01 joins at the next tick
                   ("10:15:30", ["0", "1", "2"], False),   # 10:10:30 had nothing new; 10:12 joins at 10:15:30
                   ("14:15:30", ["0", "1", "2"], True),    # repeat_interval 4 h, a tick (48 intervals later)
                   ("15:02:30", ["3"], False)]             # the group died at 15:00:30; new group_wait


def test_inhibition_by_open_p0_breach():
    occ = occurrences([("A", "P0 reply", "", "2024-03-04 09:00", None, "2024-03-04 10:00", "overdue"),
                       ("A", "welcome", "", "2024-03-04 09:30", None, "2024-03-04 10:30", "overdue"),
                       ("B", "welcome", "", "2024-03-04 09:30", None, "2024-03-04 10:30", "overdue")])
    moments = [Moment("P0 reply", trigger="opened", fulfil="replied", within="1h", urgency="critical")]
    p = NotificationPolicy(recipients=[{"id": "r"}], routes=[{"recipient": "r"}], notify_on=["breached"],
                           grouping={"repeat_interval": "48h"},
                           inhibit=[{"source": {"moment": "P0 reply", "kind": "breached"},
                                     "target": {"urgency": ["low", "normal"]}, "equal": ["case"]}])
    notes, items = p.replay(occ, moments=moments, until="2024-03-05 12:00Z", return_items=True)
    assert timeline(notes) == [("2024-03-04T10:00:30+00:00", "r", "immediate", [("A", "P0 reply")]),
                               ("2024-03-05T09:00:00+00:00", "r", "digest", [("B", "welcome")])]
    assert items.set_index(["case", "moment"]).loc[("A", "welcome"), "fate"] == "inhibited"
    assert notes.attrs["summary"]["inhibited"] == 1


def test_routing_first_match_with_accounts():
    accounts = pd.DataFrame({"account": ["A", "B"], "tier": ["Enterprise", "SMB"], "owner": ["maria", "tom"]})
    occ = occurrences([(c, m, "", "2024-03-04 09:00", None, "2024-03-04 10:00", "overdue")
                       for c in ("A", "B") for m in ("welcome", "reply")])
    p = NotificationPolicy(recipients=[{"id": "maria"}, {"id": "tom"}, {"id": "lead"}],
                           routes=[{"name": "enterprise", "match": {"tier": "Enterprise"}, "recipient_from": "owner"},
                                   {"name": "no welcomes", "match": {"moment": "welcome"}, "drop": True},
                                   {"name": "rest", "recipient": "lead"}],
                           notify_on=["breached"])
    _, items = p.replay(occ, accounts, until="2024-03-04 12:00Z", return_items=True)
    got = {(r.case, r.moment): (r.route, r.recipients, r.fate) for r in items.itertuples()}
    assert got[("A", "welcome")] == ("enterprise", ["maria"], "notified")
    assert got[("A", "reply")] == ("enterprise", ["maria"], "notified")
    assert got[("B", "welcome")] == ("no welcomes", [], "dropped")
    assert got[("B", "reply")] == ("rest", ["lead"], "notified")
    with pytest.raises(KeyError, match=r"routes\[0\]\.match\.tierr"):
        NotificationPolicy(recipients=[{"id": "a"}], routes=[{"match": {"tierr": "x"}, "recipient": "a"}]).replay(
            occ, accounts)


def test_escalation_to_manager_stopped_by_ack():
    events = pd.DataFrame([
        ("A", "ticket opened", "2024-03-04 08:00", "T1"), ("A", "agent update", "2024-03-04 12:30", "T1"),
        ("A", "first reply", "2024-03-04 15:00", "T1"),
        ("B", "ticket opened", "2024-03-04 08:00", "T2"), ("B", "first reply", "2024-03-04 11:00", "T2"),
        ("C", "ticket opened", "2024-03-04 08:00", "T3"), ("C", "agent update", "2024-03-04 10:30", "T4"),
    ], columns=["case", "activity", "timestamp", "ticket"])
    log = cxkit.EventLog.from_pandas(events, case="case", activity="activity", timestamp="timestamp")
    m = Moment("first reply", trigger="ticket opened", fulfil="first reply", within="2h", key="ticket", urgency="high")
    p = NotificationPolicy(
        recipients=[{"id": "csm", "manager": "lead"}, {"id": "lead", "manager": "vp"}, {"id": "vp"}],
        routes=[{"recipient": "csm"}], notify_on=["breached"],
        escalation={"acknowledge_on": ["agent update"],
                    "levels": [{"target": "owner", "timeout": "2h"}, {"target": "manager", "timeout": pd.Timedelta("2h")},
                               {"target": "manager"}]})
    notes = p.replay(log, moments=[m], as_of="2024-03-04 20:00Z")
    got = [(n.time.strftime("%H:%M"), n.recipient, n.level, n.items[0][0]) for n in notes.itertuples()]
    assert got == [("10:00", "csm", 0, "A"), ("10:00", "csm", 0, "B"), ("10:00", "csm", 0, "C"),
                   ("12:00", "lead", 1, "A"),   # A acknowledged only at 12:30
                   ("12:00", "lead", 1, "C"),   # B fulfilled at 11:00: no level 1
                   ("14:00", "vp", 2, "C")]     # C's update was about another ticket
    assert set(notes["kind"]) == {"escalation"}


def test_json_round_trip_pickle_and_field_errors():
    p = NotificationPolicy(
        recipients=[{"id": "maria", "role": "csm", "manager": "lead", "timezone": "America/New_York",
                     "digest_at": ["08:30", "16:00"], "quiet_hours": {"from": "21:00", "to": "07:30"}},
                    {"id": "lead"}],
        routes=[{"match": {"tier": ["Enterprise", "Strategic"]}, "recipient_from": "owner", "immediate": True},
                {"role": "csm"}],
        default_recipient="lead", warn_before=pd.Timedelta("90min"),
        inhibit=[{"source": {"priority": "P0"}, "target": {"urgency": "normal"}, "equal": ["case"]}],
        escalation={"levels": [{"target": "owner", "timeout": "2h"}, {"recipient": "lead"}]})
    assert p.to_json()["warn_before"] == "90m"
    assert NotificationPolicy.from_json(p.to_json()) == p
    assert NotificationPolicy.from_json(json_text := __import__("json").dumps(p.to_json())) == p and json_text
    assert pickle.loads(pickle.dumps(p)) == p
    with pytest.raises(ValueError, match=r"recipients\[0\]\.timezone.*Mars/Base"):
        NotificationPolicy(recipients=[{"id": "a", "timezone": "Mars/Base"}])
    with pytest.raises(ValueError, match=r"routes\[0\]\.match\.urgency.*urgent"):
        NotificationPolicy(recipients=[{"id": "a"}], routes=[{"match": {"urgency": "urgent"}, "recipient": "a"}])
    with pytest.raises(ValueError, match=r"grouping\.group_interval"):
        NotificationPolicy(grouping={"group_interval": "0s"})
    with pytest.raises(ValueError, match=r"routes\[0\]\.colour"):
        NotificationPolicy.from_json({"recipients": [{"id": "a"}], "routes": [{"recipient": "a", "colour": "red"}]})
    with pytest.raises(ValueError, match=r"escalation\.levels\[0\]\.target"):
        NotificationPolicy(escalation={"levels": [{"target": "boss"}]})


@pytest.fixture(scope="module")
def company():
    return cxkit.simulate.company(n_accounts=200, months=6, seed=1)


def company_policy(company, inhibit: bool) -> tuple[NotificationPolicy, list[Moment]]:
    owners = sorted(set(company.accounts["owner"]))
    recipients = [{"id": o, "role": "csm", "manager": "cs-lead", "timezone": tz}
                  for o, tz in zip(owners, ["America/New_York", "Europe/Berlin", "Asia/Singapore"] * len(owners))]
    recipients += [{"id": "cs-lead", "timezone": "America/New_York"}, {"id": "support-lead"}, {"id": "cs-inbox"}]
    moments = [
        Moment("welcome", trigger="signed", fulfil="welcome sent", within="24h"),
        Moment("first reply", trigger="ticket opened", fulfil="first reply", within="4h", key="ticket"),
        Moment("P0 first reply", trigger={"activity": "ticket opened", "where": {"priority": "P0"}},
               fulfil="first reply", within="1h", key="ticket", urgency="critical"),
    ]
    policy = NotificationPolicy(
        recipients=recipients,
        routes=[{"name": "P0", "match": {"priority": "P0"}, "recipient": "support-lead", "continue": True},
                {"name": "owner", "recipient_from": "owner"}],
        default_recipient="cs-inbox",
        grouping={"group_by": ["case"]},
        inhibit=[{"source": {"moment": "P0 first reply", "kind": "breached"},
                  "target": {"urgency": ["low", "normal"]}, "equal": ["case"]}] if inhibit else [],
        escalation={"match": {"urgency": "critical"}, "acknowledge_on": ["agent update"],
                    "levels": [{"target": "owner", "timeout": "2h"}, {"target": "manager"}]})
    return policy, moments


def test_simulated_company_volume_and_no_breach_lost(company):
    policy, moments = company_policy(company, inhibit=False)
    notes, items = policy.replay(company.events, company.accounts, moments, return_items=True)
    s = notes.attrs["summary"]
    assert s["items"] == len(items) > 100
    assert s["notifications"] == len(notes)
    assert s["notifications"] < s["naive_notifications"]
    assert 0 < s["ratio"] < 1
    # Every item has a recipient; every breach reached someone.
    assert s["unrouted"] == 0 and s["pending"] == 0
    breaches = items[items["kind"] == "breached"]
    assert len(breaches) > 0
    assert (breaches["fate"] == "notified").all()
    assert (breaches["first_notified"] >= breaches["time"]).all()
    # Breaches of P0 clocks escalate; notifications are ordered in time.
    assert breaches.loc[breaches["moment"] == "P0 first reply", "escalated"].all()
    assert notes["time"].is_monotonic_increasing
    # Every item in a notification was routed to that recipient (or is an escalation to a manager).
    routed = {(c, m, k, r) for c, m, k, rs in zip(items["case"], items["moment"], items["key"], items["recipients"])
              for r in rs}
    for n in notes[notes["kind"] != "escalation"].itertuples():
        assert all((c, m, k, n.recipient) in routed for c, m, k in n.items)

    # With inhibition: fewer or equal notifications, and every breach is notified or inhibited.
    inhibiting, _ = company_policy(company, inhibit=True)
    notes2, items2 = inhibiting.replay(company.events, company.accounts, moments, return_items=True)
    assert len(notes2) <= len(notes)
    assert items2.loc[items2["kind"] == "breached", "fate"].isin(["notified", "inhibited"]).all()


def test_replay_of_occurrences_matches_replay_of_log(company):
    policy, moments = company_policy(company, inhibit=False)
    from_log = policy.replay(company.events, company.accounts, moments)
    occ = cxkit.moments.evaluate(company.events, moments)
    ts = company.events.to_pandas()["timestamp"].max()
    from_occ = policy.replay(occ, company.accounts, moments, log=company.events, until=ts)
    pd.testing.assert_frame_equal(from_log, from_occ)
