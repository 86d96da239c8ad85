"""Moments of truth through the Python surface: hand-computed clocks, NPS interval, Erlang C."""
import math

import pandas as pd
import pytest

import cxkit

H = 3600


def log_of(rows):
    df = pd.DataFrame(rows, columns=["case", "activity", "at", "ticket"])
    df["timestamp"] = pd.to_datetime(df["at"], utc=True)
    return cxkit.EventLog.from_pandas(df.drop(columns="at"), case="case", activity="activity",
                                      timestamp="timestamp", attributes={"ticket": "categorical"})


LOG = log_of([
    ("a", "ticket opened", "2024-03-01 16:00", "T1"),   # Friday
    ("a", "ticket opened", "2024-03-01 16:30", "T2"),
    ("a", "first reply", "2024-03-04 10:00", "T1"),     # Monday: 1h Friday + 1h Monday = 2h business
    ("a", "first reply", "2024-03-04 15:00", "T2"),     # 0.5h + 6h = 6.5h business
    ("b", "ticket opened", "2024-03-05 09:00", "T3"),   # still open at as_of
])
CAL = cxkit.Calendar("UTC")  # Mon-Fri 09:00-17:00


def test_first_reply_clocks_in_business_time():
    m = cxkit.moments.Moment("first reply", trigger="ticket opened", fulfil="first reply", within="4h",
                             key="ticket", calendar=CAL)
    occ = cxkit.moments.evaluate(LOG, [m], as_of="2024-03-05 15:00Z").set_index("key")
    assert occ.loc["T1", "elapsed"] == pd.Timedelta(hours=2) and occ.loc["T1", "status"] == "met"
    assert occ.loc["T2", "elapsed"] == pd.Timedelta(hours=6.5) and occ.loc["T2", "status"] == "breached"
    assert occ.loc["T3", "status"] == "overdue"            # 6h elapsed, target 4h, still open
    assert occ.loc["T3", "deadline"] == pd.Timestamp("2024-03-05 13:00Z")
    pending = cxkit.moments.evaluate(LOG, [m], as_of="2024-03-05 11:00Z").set_index("key")
    assert pending.loc["T3", "status"] == "pending"
    assert pending.loc["T3", "remaining"] == pd.Timedelta(hours=2)


def test_compliance_counts_by_moment():
    m = cxkit.moments.Moment("first reply", trigger="ticket opened", fulfil="first reply", within="4h",
                             key="ticket", calendar=CAL)
    occ = cxkit.moments.evaluate(LOG, [m], as_of="2024-03-05 15:00Z")
    c = cxkit.moments.compliance(occ, period=None).iloc[0]
    assert (c["count"], c["met"], c["breached"], c["overdue"]) == (3, 1, 1, 1)
    assert c["met_rate"] == pytest.approx(1 / 3)


def test_definition_errors_name_the_field_and_json_round_trips():
    with pytest.raises(ValueError, match="within"):
        cxkit.moments.Moment("x", trigger="a", fulfil="b")       # no target at all
    m = cxkit.moments.Moment("welcome", trigger="signed", fulfil="welcome sent", within="24h", owner="CSM",
                             calendar=CAL)
    assert cxkit.moments.Moment.from_json(m.to_json()) == m


def test_nps_with_the_rocks_adjusted_wald_interval():
    r = cxkit.moments.nps([10, 9, 8, 3]).iloc[0]
    assert (r["n"], r["promoters"], r["passives"], r["detractors"], r["nps"]) == (4, 2, 1, 1, 25.0)
    # Hand computation: n' = 7, p+ = 2.75/7, p- = 1.75/7, NPS' = 1/7, var = (p+ + p- - NPS'^2)/n'
    pp, pm = 2.75 / 7, 1.75 / 7
    adj = pp - pm
    se = math.sqrt((pp + pm - adj * adj) / 7)
    assert r["ci_low"] == pytest.approx(100 * (adj - 1.959963984540054 * se), abs=1e-6)
    assert r["ci_high"] == pytest.approx(100 * (adj + 1.959963984540054 * se), abs=1e-6)
    with pytest.raises(ValueError, match="11"):
        cxkit.moments.nps([10, 11])


def test_erlang_c_textbook_case():
    # 100 contacts per 30 minutes, 3 minutes each: 10 Erlangs; 80% within 20 s needs 14 agents.
    r = cxkit.moments.staffing(100, interval="30min", aht="3min", answer_within="20s", service_level=0.8)
    assert r["agents"] == 14 and r["service_level"] >= 0.8
    assert r["occupancy"] == pytest.approx(10 / 14)
    assert cxkit.moments.staffing(100, shrinkage=0.3)["rostered_agents"] == math.ceil(14 / 0.7)


def test_clocks_reproduce_the_simulators_own_count_of_misses():
    # The simulator books every missed welcome and late first reply in its truth; the clock engine,
    # run on the generated events with the hubs' calendars, must find exactly the same misses.
    co = cxkit.simulate.company(n_accounts=400, months=12, seed=5)
    truth = {m["name"]: m for m in co.truth["moments"]}
    welcome = cxkit.moments.Moment("welcome", trigger="signed", fulfil="welcome sent", within="24h")
    occ = cxkit.moments.evaluate(co.events, [welcome])
    t = truth["welcome within 1 day"]
    assert (len(occ), int((occ["status"] == "breached").sum())) == (t["opportunities"], t["missed"])
    events = co.events.to_pandas()
    hub_of = co.accounts.set_index("account")["support_hub"]
    breached = started = 0
    for hub, cal in co.support_calendars().items():
        part = events[events["case"].map(hub_of) == hub]
        if part.empty:
            continue
        log = cxkit.EventLog.from_pandas(part, case="case", activity="activity", timestamp="timestamp",
                                         attributes={"ticket": "categorical"})
        m = cxkit.moments.Moment("first reply", trigger="ticket opened", fulfil="first reply", within="4h",
                                 key="ticket", calendar=cal)
        o = cxkit.moments.evaluate(log, [m])
        started += int((o["status"] != "pending").sum())  # the truth counts clocks whose outcome is known
        breached += int(o["status"].isin(["breached", "overdue"]).sum())
    t = truth["first reply within 4 business hours"]
    assert started == t["opportunities"]
    assert breached == t["missed"]
