"""The real logs load with the same cases, events and activities as pm4py reports for them.

Beyond counts, each case's activity sequence (sorted by time, ties in file order) must equal
pm4py's, which is the ordering every journey algorithm builds on.
"""
import pandas as pd
import pytest

import cxkit
from conftest import shared_file

pm4py = pytest.importorskip("pm4py", reason="pm4py is the reference; scripts/bootstrap installs it")

CSV_LOGS = {
    "running-example.csv": dict(sep=",", case="case:concept:name", activity="concept:name",
                                timestamp="time:timestamp", fmt=None),
    "receipt.csv": dict(sep=",", case="case:concept:name", activity="concept:name",
                        timestamp="time:timestamp", fmt=None),
    "roadtraffic100traces.csv": dict(sep=None, case="case:concept:name", activity="concept:name",
                                     timestamp="time:timestamp", fmt=None),
    "sepsis.csv": dict(sep=";", case="Case ID", activity="Activity", timestamp="Complete Timestamp",
                       fmt="%Y/%m/%d %H:%M:%S.%f"),
}


def sequences(df, case, activity):
    return {str(c): list(map(str, g[activity])) for c, g in df.groupby(case, sort=False)}


def compare(log, ref, case, activity):
    assert len(log) == len(ref)
    assert log.n_cases == ref[case].nunique()
    assert sorted(log.activities) == sorted(map(str, ref[activity].unique()))
    ours = log.to_pandas()
    assert sequences(ours, "case", "activity") == sequences(ref, case, activity)


@pytest.mark.parametrize("name", sorted(CSV_LOGS))
def test_csv_logs_match_pm4py(name):
    spec = CSV_LOGS[name]
    path = shared_file("journeys", name)
    # keep_default_na=False: sepsis.csv has a real case named "NA", which pandas would read as
    # missing and pm4py would then drop (24 events) without an error. Only empty cells are missing.
    raw = pd.read_csv(path, sep=spec["sep"] or ",", engine="python" if spec["sep"] is None else "c",
                      keep_default_na=False, na_values=[""])
    if spec["fmt"]:
        raw[spec["timestamp"]] = pd.to_datetime(raw[spec["timestamp"]], format=spec["fmt"])
    ref = pm4py.format_dataframe(raw, case_id=spec["case"], activity_key=spec["activity"],
                                 timestamp_key=spec["timestamp"])
    log = cxkit.read_csv(path, case=spec["case"], activity=spec["activity"], timestamp=spec["timestamp"],
                         sep=spec["sep"], timestamp_format=spec["fmt"])
    compare(log, ref, "case:concept:name", "concept:name")


@pytest.mark.parametrize("name", ["helpdesk.xes.gz", "bpic2012.xes.gz"])
def test_xes_logs_match_pm4py(name):
    path = shared_file("journeys", name)
    ref = pm4py.read_xes(str(path))
    ref = pm4py.format_dataframe(ref, case_id="case:concept:name", activity_key="concept:name",
                                 timestamp_key="time:timestamp")
    log = cxkit.read_xes(path)
    compare(log, ref, "case:concept:name", "concept:name")


def test_from_pandas_matches_pm4py_on_a_real_log():
    path = shared_file("journeys", "receipt.csv")
    raw = pd.read_csv(path)
    raw["time:timestamp"] = pd.to_datetime(raw["time:timestamp"], utc=True, format="ISO8601")
    ref = pm4py.format_dataframe(raw.copy(), case_id="case:concept:name", activity_key="concept:name",
                                 timestamp_key="time:timestamp")
    log = cxkit.EventLog.from_pandas(raw)
    compare(log, ref, "case:concept:name", "concept:name")
