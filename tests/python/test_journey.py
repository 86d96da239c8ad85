"""Journey discovery and Markov chains: hand-computed cases, pm4py on the real logs, merge property."""
import numpy as np
import pandas as pd
import pytest

import cxkit
from conftest import shared_file

H = 3600


def tiny_log():
    # Case a: signed -> kickoff -> kickoff -> live ; case b: signed -> live ; case c: signed -> kickoff -> live
    rows = [("a", "signed", 0), ("a", "kickoff", 2 * H), ("a", "kickoff", 3 * H), ("a", "live", 7 * H),
            ("b", "signed", 0), ("b", "live", 10 * H),
            ("c", "signed", 0), ("c", "kickoff", 4 * H), ("c", "live", 5 * H)]
    df = pd.DataFrame(rows, columns=["case", "activity", "t"])
    df["timestamp"] = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(df["t"], unit="s")
    return cxkit.EventLog.from_pandas(df, case="case", activity="activity", timestamp="timestamp",
                                      attributes=[])


def test_counts_and_durations_by_hand():
    jm = cxkit.journey.discover(tiny_log())
    e = jm.edges.set_index(["source", "target"])
    assert e.loc[("signed", "kickoff"), "count"] == 2
    assert e.loc[("kickoff", "kickoff"), "count"] == 1
    assert e.loc[("kickoff", "live"), "count"] == 2
    assert e.loc[("signed", "live"), "count"] == 1
    assert len(e) == 4
    # signed -> kickoff took 2h and 4h: mean 3h, median 3h, sample stdev sqrt(2)h.
    row = e.loc[("signed", "kickoff")]
    assert row["mean"] == 3 * H and row["median"] == 3 * H and row["min"] == 2 * H and row["max"] == 4 * H
    assert row["stdev"] == pytest.approx(np.sqrt(2) * H)
    assert jm.start_activities == {"signed": 3}
    assert jm.end_activities == {"live": 3}
    v = jm.variants()
    assert v["count"].tolist() == [1, 1, 1] and v["share"].sum() == pytest.approx(1.0)
    assert set(v["variant"]) == {("signed", "kickoff", "kickoff", "live"), ("signed", "live"),
                                 ("signed", "kickoff", "live")}
    acts = jm.activities.set_index("activity")
    assert acts.loc["kickoff", "events"] == 3 and acts.loc["kickoff", "cases"] == 2
    assert acts.loc["kickoff", "rework_cases"] == 1 and acts.loc["kickoff", "self_loops"] == 1
    assert jm.rework_cases == 1


def test_business_time_durations():
    cal = cxkit.Calendar("UTC", {"mon": [("09:00", "17:00")]})  # 2024-01-01 is a Monday
    jm = cxkit.journey.discover(tiny_log(), calendar=cal)
    e = jm.edges.set_index(["source", "target"])
    # All events fall on Monday before 10:00 UTC: only the time after 09:00 counts.
    # b: signed 00:00 -> live 10:00 is 1 business hour.
    assert e.loc[("signed", "live"), "mean"] == H


def test_merge_of_partitions_equals_the_whole():
    co = cxkit.simulate.company(n_accounts=300, months=6, seed=9)
    df = co.events.to_pandas()
    cases = df["case"].unique()
    parts = [df[df["case"].isin(cases[i::3])] for i in range(3)]
    maps = [cxkit.journey.discover(cxkit.EventLog.from_pandas(p, case="case", activity="activity",
                                                              timestamp="timestamp", attributes=[]))
            for p in parts]
    merged = maps[0].merge(maps[1]).merge(maps[2])
    whole = cxkit.journey.discover(co.events)
    assert merged == whole
    pd.testing.assert_frame_equal(merged.edges, whole.edges)


def test_thread_count_does_not_change_results():
    co = cxkit.simulate.company(n_accounts=200, months=6, seed=4)
    assert cxkit.journey.discover(co.events, threads=1) == cxkit.journey.discover(co.events, threads=4)


def test_dot_export_names_every_activity():
    dot = cxkit.journey.discover(tiny_log()).to_dot(labels="performance", statistic="median")
    assert dot.startswith("digraph")
    for name in ("signed", "kickoff", "live"):
        assert f'label="{name}' in dot, name


def test_markov_on_a_hand_computed_chain():
    # From signed: 2/3 to kickoff, 1/3 to live. From kickoff: 1/3 to kickoff, 2/3 to live (absorbing).
    mc = cxkit.journey.markov(tiny_log(), absorbing=["live"], end_state=False)
    P = mc.transition_matrix()
    assert P.loc["signed", "kickoff"] == pytest.approx(2 / 3)
    assert P.loc["kickoff", "kickoff"] == pytest.approx(1 / 3)
    B = mc.absorption_probabilities()
    assert B.loc["signed", "live"] == pytest.approx(1.0)
    # Expected steps from kickoff: geometric with success 2/3 -> 1.5; from signed: 1 + 2/3 * 1.5 = 2.
    steps = mc.expected_steps()
    assert steps["kickoff"] == pytest.approx(1.5) and steps["signed"] == pytest.approx(2.0)


def test_markov_unknown_absorbing_state_is_a_key_error():
    with pytest.raises(KeyError, match="renewed"):
        cxkit.journey.markov(tiny_log(), absorbing=["renewed"])


# ---- pm4py on the real logs ----
pm4py = pytest.importorskip("pm4py", reason="pm4py is the reference; scripts/bootstrap installs it")

REAL = {
    "running-example.csv": ("csv", dict(sep=",")),
    "receipt.csv": ("csv", dict(sep=",")),
    "sepsis.csv": ("csv", dict(sep=";", case="Case ID", activity="Activity", timestamp="Complete Timestamp",
                               timestamp_format="%Y/%m/%d %H:%M:%S.%f")),
    "roadtraffic100traces.csv": ("csv", {}),
    "helpdesk.xes.gz": ("xes", {}),
    "bpic2012.xes.gz": ("xes", {}),
}


def load_both(name):
    kind, spec = REAL[name]
    path = shared_file("journeys", name)
    if kind == "xes":
        log = cxkit.read_xes(path)
    else:
        log = cxkit.read_csv(path, **spec)
    df = log.to_pandas()
    ref = pm4py.format_dataframe(df.rename(columns={"case": "cid", "activity": "act", "timestamp": "ts"})[["cid", "act", "ts"]],
                                 case_id="cid", activity_key="act", timestamp_key="ts")
    return log, ref


@pytest.mark.parametrize("name", sorted(REAL))
def test_dfg_start_end_and_variants_equal_pm4py(name):
    log, ref = load_both(name)
    dfg, start, end = pm4py.discover_dfg(ref)
    jm = cxkit.journey.discover(log)
    ours = {(r.source, r.target): int(r.count) for r in jm.edges.itertuples()}
    assert ours == {k: int(v) for k, v in dfg.items()}
    assert jm.start_activities == {k: int(v) for k, v in start.items()}
    assert jm.end_activities == {k: int(v) for k, v in end.items()}
    variants = pm4py.get_variants(ref)
    assert dict(zip(jm.variants()["variant"], jm.variants()["count"].astype(int))) == \
        {tuple(k): int(v) for k, v in variants.items()}


@pytest.mark.parametrize("name", sorted(REAL))
def test_performance_dfg_equals_pm4py(name):
    log, ref = load_both(name)
    perf, _, _ = pm4py.discover_performance_dfg(ref)
    edges = cxkit.journey.discover(log).edges.set_index(["source", "target"])
    assert set(edges.index) == set(perf)
    for key, stats in perf.items():
        row = edges.loc[key]
        for stat in ("mean", "median", "min", "max", "sum"):
            assert row[stat] == pytest.approx(stats[stat], rel=1e-9, abs=1e-6), (key, stat)
        if np.isnan(stats["stdev"]) or row["count"] < 2:
            continue
        assert row["stdev"] == pytest.approx(stats["stdev"], rel=1e-9, abs=1e-6), (key, "stdev")
