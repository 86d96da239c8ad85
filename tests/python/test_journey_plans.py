"""Funnels, designed journeys and playbooks through the Python surface (hand-computed cases)."""
import pandas as pd
import pytest

import cxkit

D = 86400


def log_of(rows):
    df = pd.DataFrame(rows, columns=["case", "activity", "t"])
    df["timestamp"] = pd.Timestamp("2024-03-01", tz="UTC") + pd.to_timedelta(df["t"], unit="s")
    return cxkit.EventLog.from_pandas(df, case="case", activity="activity", timestamp="timestamp", attributes=[])


LOG = log_of([
    ("a", "signed", 0), ("a", "kickoff", 1 * D), ("a", "live", 3 * D),
    ("b", "signed", 0), ("b", "login", 1 * D), ("b", "kickoff", 2 * D),      # never goes live
    ("c", "signed", 0), ("c", "live", 1 * D), ("c", "kickoff", 2 * D),       # out of order
    ("d", "signed", 0), ("d", "kickoff", 20 * D), ("d", "live", 21 * D),     # too slow for a 10-day window
])


def test_strict_funnel_by_hand():
    f = cxkit.journey.funnel(LOG, ["signed", "kickoff", "live"], within="10D")
    assert f.steps["customers"].tolist() == [4, 3, 1]           # d's kickoff is outside the window
    assert f.steps["conversion_from_first"].tolist()[1:] == pytest.approx([0.75, 0.25])
    assert f.steps["median_seconds_from_entry"].iloc[2] == 3 * D
    nxt = f.next_after_drop(2)   # reached kickoff (a, b, c) but not live in order: b and c
    assert set(nxt["activity"]) <= {"(end)", "login", "kickoff", "live"}


def test_any_order_funnel_counts_out_of_order_steps():
    f = cxkit.journey.funnel(LOG, ["signed", "kickoff", "live"], within="10D", order="any")
    assert f.steps["customers"].tolist() == [4, 3, 2]           # c now counts


def test_unknown_step_is_a_key_error():
    with pytest.raises(KeyError, match="renewal"):
        cxkit.journey.funnel(LOG, ["signed", "renewal"])


DESIGN = {"stages": [{"name": "signed", "next": ["kickoff"]},
                     {"name": "kickoff", "next": ["live"]},
                     {"name": "live"}]}


def test_design_round_trip_and_check():
    d = cxkit.journey.JourneyDesign.from_json(DESIGN)
    assert cxkit.journey.JourneyDesign.from_json(d.to_json()) == d
    r = d.check(LOG)
    by = r.customers.set_index("customer")
    assert by.loc["a", "fitness"] == 1.0 and by.loc["a", "current_stage"] == "live"
    assert by.loc["b", "current_stage"] == "kickoff"
    assert by.loc["c", "out_of_order"] == ["live"]     # live came before its predecessor kickoff
    assert by.loc["c", "fitness"] < 1.0


def test_design_errors_name_the_field_and_the_cycle():
    bad = {"stages": [{"name": "signed", "target": "soon"}]}
    with pytest.raises(ValueError, match=r"stages\[0\]\.target"):
        cxkit.journey.JourneyDesign.from_json(bad)
    cyclic = {"stages": [{"name": "a", "next": ["b"]}, {"name": "b", "next": ["a"]}]}
    with pytest.raises(ValueError, match="a -> b -> a|b -> a -> b"):
        cxkit.journey.JourneyDesign.from_json(cyclic)


PLAYBOOK = {"tasks": [{"name": "kickoff", "duration": "1D", "owner": "CSM"},
                      {"name": "workspace", "duration": "2D", "depends_on": ["kickoff"]},
                      {"name": "invite users", "duration": "1D", "depends_on": ["kickoff"]},
                      {"name": "live", "duration": "1D", "depends_on": ["workspace", "invite users"]}]}


def test_playbook_schedules_on_business_days_with_the_critical_path():
    pb = cxkit.journey.Playbook.from_json(PLAYBOOK)
    assert cxkit.journey.Playbook.from_json(pb.to_json()) == pb
    cal = cxkit.Calendar("UTC", holidays=["2024-03-05"])   # Mon-Fri 09-17; Tuesday 5 March off
    plan = pb.instantiate("a", "2024-03-01 09:00Z", cal)    # a Friday
    due = plan["tasks"].set_index("task")["due"]
    assert due["kickoff"] == pd.Timestamp("2024-03-01 17:00Z")
    assert due["workspace"] == pd.Timestamp("2024-03-06 17:00Z")      # Mon + Wed (Tue is a holiday)
    assert due["invite users"] == pd.Timestamp("2024-03-04 17:00Z")
    assert due["live"] == pd.Timestamp("2024-03-07 17:00Z")
    assert plan["critical_path"] == ["kickoff", "workspace", "live"]


def test_playbook_cycle_is_named():
    with pytest.raises(ValueError, match="x -> y -> x|y -> x -> y"):
        cxkit.journey.Playbook.from_json({"tasks": [{"name": "x", "duration": "1D", "depends_on": ["y"]},
                                                    {"name": "y", "duration": "1D", "depends_on": ["x"]}]})


def test_playbook_progress_statuses():
    pb = cxkit.journey.Playbook.from_json({"tasks": [{"name": "kickoff", "duration": "1D"},
                                                     {"name": "live", "duration": "1D", "depends_on": ["kickoff"]}]})
    starts = {"a": "2024-03-01", "b": "2024-03-01"}
    prog = pb.progress(starts, LOG, as_of="2024-03-10", calendar=cxkit.Calendar.always()).set_index("customer")
    # a: kickoff day 1 (due day 1), live day 3 (due day 2) -> complete; b never goes live -> overdue
    assert prog.loc["a", "status"] == "complete"
    assert prog.loc["b", "status"] == "overdue"
