"""The bad-input matrix (issue #9): one test per (input kind, fault) with its defined outcome.

docs/bad_input.md lists every test here with the outcome it proves. Outcomes are one of:
a typed error whose message names the source, row/line, column and value; skip-and-count
(``on_bad_row="skip"``: every skipped row is listed, and rows kept + rows skipped == rows
in the input); or acceptance with a stated meaning (unsorted input is sorted, duplicates
are kept). Expected values are worked out by hand from the input, not copied from output.
A row whose behaviour is wrong today in a file this suite's author may not edit is marked
``xfail(strict=True)`` with the function at fault, so it turns red once fixed.
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
import multiprocessing
import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

import cxkit
import cxkit.churn
from cxkit.journey import JourneyDesign, Playbook
from cxkit.moments import Moment, NotificationPolicy, milestone_rule

KW = {"case": "case", "activity": "activity", "timestamp": "time"}
HEADER = b"case,activity,time\n"
US = 1_000_000
DAY_US = 86_400 * US


def _csv(body: bytes, **kw: object) -> cxkit.EventLog:
    return cxkit.read_csv(HEADER + body, **KW, **kw)  # type: ignore[arg-type]


def _micros(log: cxkit.EventLog) -> list[int]:
    s = log.to_pandas()["timestamp"].dt.tz_localize(None)
    return [int(v) for v in s.to_numpy().astype("datetime64[us]").view("i8")]


def _frame(**cols: object) -> pd.DataFrame:
    base = {"case": ["a", "a", "b"], "activity": ["x", "y", "z"],
            "time": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"], utc=True)}
    base.update(cols)
    return pd.DataFrame(base)


def _from_frame(df: pd.DataFrame, **kw: object) -> cxkit.EventLog:
    return cxkit.EventLog.from_pandas(df, **KW, **kw)  # type: ignore[arg-type]


def _log() -> cxkit.EventLog:
    return _from_frame(_frame())


# =====================================================================================
# CSV event log (cxkit.read_csv)
# =====================================================================================

def test_csv_empty_file():
    with pytest.raises(ValueError, match=r"^<bytes>: empty file$"):
        cxkit.read_csv(b"", **KW)


def test_csv_blank_lines_only():
    with pytest.raises(ValueError, match="empty file"):
        cxkit.read_csv(b"\r\n\n  \n", **KW)


def test_csv_header_only_is_an_empty_log():
    log = cxkit.read_csv(HEADER, **KW)
    assert len(log) == 0 and log.n_cases == 0 and len(log.skipped_rows) == 0


def test_csv_missing_column_names_it_and_the_available_ones():
    with pytest.raises(KeyError) as err:
        cxkit.read_csv(b"case,activity\nc1,a\n", **KW)
    msg = str(err.value)
    assert "timestamp column 'time' not found" in msg and "'case', 'activity'" in msg


def test_csv_file_not_found(tmp_path):
    with pytest.raises(KeyError, match="not found"):
        cxkit.read_csv(tmp_path / "nope.csv", **KW)


def test_csv_wrong_type_in_numeric_column_names_line_column_value():
    body = b"case,activity,time,seats\nc1,a,2024-01-01T00:00:00Z,3\nc1,b,2024-01-02T00:00:00Z,three\n"
    with pytest.raises(ValueError) as err:
        cxkit.read_csv(body, **KW, dtypes={"seats": "numeric"})
    assert str(err.value) == "<bytes>, line 3, column 'seats', value 'three': not a finite number"


def test_csv_nan_text_in_numeric_column_is_an_error_not_a_missing_value():
    # "NaN" is not a finite number: a forced numeric column refuses it (an empty field is missing).
    body = b"case,activity,time,v\nc1,a,2024-01-01T00:00:00Z,NaN\nc1,b,2024-01-02T00:00:00Z,\n"
    with pytest.raises(ValueError, match=r"line 2, column 'v', value 'NaN': not a finite number"):
        cxkit.read_csv(body, **KW, dtypes={"v": "numeric"})
    log = cxkit.read_csv(body.replace(b"NaN", b"1.5"), **KW, dtypes={"v": "numeric"})
    v = log.to_pandas()["v"]
    assert v.iloc[0] == 1.5 and np.isnan(v.iloc[1])


def test_csv_unparsable_timestamp_raise_names_line_column_value():
    with pytest.raises(ValueError) as err:
        _csv(b"c1,a,2024-01-01T00:00:00Z\nc1,b,yesterday\n")
    assert str(err.value) == ("<bytes>, line 3, column 'time', value 'yesterday': "
                              "unparsable timestamp (expected ISO 8601)")


def test_csv_skip_policy_counts_add_up():
    # 6 data rows: 3 good, 3 bad for three different reasons.
    body = (b"c1,a,2024-01-01T00:00:00Z\n"
            b"c1,b,not a time\n"          # line 3
            b",c,2024-01-03T00:00:00Z\n"  # line 4: empty case
            b"c2,a,2024-01-01T00:00:00Z\n"
            b"c2,b,2024-01-02T00:00:00Z,extra\n"  # line 6: 4 fields
            b"c2,c,2024-01-03T00:00:00Z\n")
    log = _csv(body, on_bad_row="skip")
    skipped = log.skipped_rows
    assert len(log) == 3 and len(skipped) == 3
    assert len(log) + len(skipped) == body.count(b"\n")
    assert skipped["line"].tolist() == [3, 4, 6]
    assert "column 'time', value 'not a time'" in skipped["reason"].iloc[0]
    assert "empty case id" in skipped["reason"].iloc[1]
    assert "4 fields, the header has 3" in skipped["reason"].iloc[2]


def test_csv_unterminated_quote_is_fatal_even_when_skipping():
    with pytest.raises(ValueError, match=r"line 3, column 'activity'.*unterminated quoted field"):
        _csv(b'c1,a,2024-01-01T00:00:00Z\nc1,"b,2024-01-02T00:00:00Z\n', on_bad_row="skip")


def test_csv_timestamps_before_1970_are_negative_micros():
    log = _csv(b"c1,a,1969-12-31T23:59:59Z\nc1,b,1900-01-01T00:00:00Z\n")
    # 1900-01-01 is 25,567 days before the epoch (70 years, 17 of them leap).
    assert _micros(log) == [-25_567 * DAY_US, -1 * US]


def test_csv_timestamps_after_2262_are_kept_exactly():
    log = _csv(b"c1,a,2300-01-01T00:00:00Z\nc1,b,9999-12-31T23:59:59.999999Z\n")
    t = log.to_pandas()["timestamp"]
    assert str(t.dtype) == "datetime64[us, UTC]"  # beyond pandas' nanosecond range
    assert t.iloc[0] == pd.Timestamp("2300-01-01", tz="UTC")
    assert t.iloc[1] == pd.Timestamp("9999-12-31 23:59:59.999999", tz="UTC")


def test_csv_year_10000_is_out_of_range():
    with pytest.raises(ValueError, match=r"line 2, column 'time', value '10000-01-01T00:00:00Z'"):
        _csv(b"c1,a,10000-01-01T00:00:00Z\n")


def test_csv_duplicate_events_are_kept():
    log = _csv(b"c1,a,2024-01-01T00:00:00Z\nc1,a,2024-01-01T00:00:00Z\n")
    assert len(log) == 2 and log.to_pandas()["activity"].tolist() == ["a", "a"]


def test_csv_unsorted_input_is_sorted_by_case_then_time_stably():
    log = _csv(b"c2,z,2024-01-05T00:00:00Z\nc1,b,2024-01-02T00:00:00Z\nc1,a,2024-01-01T00:00:00Z\n"
               b"c1,tie2,2024-01-03T00:00:00Z\nc1,tie1,2024-01-03T00:00:00Z\n")
    df = log.to_pandas()
    # Cases in first-appearance order; equal times keep input order.
    assert df["case"].tolist() == ["c2", "c1", "c1", "c1", "c1"]
    assert df["activity"].tolist() == ["z", "a", "b", "tie2", "tie1"]


def test_csv_invalid_utf8_raise_names_the_bytes():
    with pytest.raises(ValueError) as err:
        _csv(b"c1,caf\xe9,2024-01-01T00:00:00Z\n")
    assert str(err.value) == "<bytes>, line 2, column 'activity', value 'caf\\xE9': invalid UTF-8"


def test_csv_invalid_utf8_skip_counts():
    log = _csv(b"c1,caf\xe9,2024-01-01T00:00:00Z\nc1,b,2024-01-02T00:00:00Z\n", on_bad_row="skip")
    assert len(log) == 1 and log.skipped_rows["line"].tolist() == [2]


def test_csv_invalid_utf8_in_header():
    with pytest.raises(ValueError, match=r"line 1, value 'ti\\xFFme': invalid UTF-8 in a column name"):
        cxkit.read_csv(b"case,activity,ti\xffme\n", **KW)


def test_csv_mixed_crlf_and_lf_line_endings():
    body = b"case,activity,time\r\nc1,a,2024-01-01T00:00:00Z\nc1,b,2024-01-02T00:00:00Z\r\n\r\nc1,c,2024-01-03T00:00:00Z"
    log = cxkit.read_csv(body, **KW)
    assert log.to_pandas()["activity"].tolist() == ["a", "b", "c"]


def test_csv_bare_cr_is_data_so_the_merged_row_is_reported():
    # Only LF and CRLF end a record (a CR alone is data, as RFC 4180 allows in fields): a file
    # mixing in old-Mac CR endings gives a row with too many fields, reported with a hint.
    body = b"c1,a,2024-01-01T00:00:00Z\rc1,b,2024-01-02T00:00:00Z\nc1,c,2024-01-03T00:00:00Z\n"
    with pytest.raises(ValueError) as err:
        _csv(body)
    msg = str(err.value)
    assert "line 2" in msg and "the row has 5 fields, the header has 3" in msg and "CR" in msg
    log = _csv(body, on_bad_row="skip")
    assert len(log) == 1 and len(log.skipped_rows) == 1


def test_csv_10mb_single_field_is_read_in_linear_time():
    big = b"x" * (10 << 20)
    t0 = time.perf_counter()
    log = cxkit.read_csv(b'case,activity,time,note\nc1,a,2024-01-01T00:00:00Z,"' + big + b'"\n', **KW,
                         dtypes={"note": "text"})
    elapsed = time.perf_counter() - t0
    assert len(log.to_pandas()["note"].iloc[0]) == len(big)
    assert elapsed < 5.0  # about 0.05 s measured; a quadratic scan would take minutes


def test_csv_10mb_bad_field_gives_a_short_message():
    with pytest.raises(ValueError) as err:
        _csv(b"c1,a," + b"9" * (10 << 20) + b"\n")
    assert len(str(err.value)) < 400 and "(10485760 bytes)" in str(err.value)


# =====================================================================================
# XES event log (cxkit.read_xes), plain and gzip
# =====================================================================================

def _event(activity: str, t: str, extra: str = "") -> str:
    return (f'<event><string key="concept:name" value="{activity}"/>'
            f'<date key="time:timestamp" value="{t}"/>{extra}</event>')


def _xes(*traces: tuple[str, list[str]], sep: str = "") -> bytes:
    body = sep.join(f'<trace><string key="concept:name" value="{c}"/>{sep}{sep.join(evs)}{sep}</trace>'
                    for c, evs in traces)
    return f'<?xml version="1.0" encoding="UTF-8"?>{sep}<log xes.version="1.0">{sep}{body}{sep}</log>'.encode()


def test_xes_empty_input():
    with pytest.raises(ValueError, match=r"^<bytes>: empty input$"):
        cxkit.read_xes(b"")


def test_xes_log_without_traces_is_an_empty_log():
    log = cxkit.read_xes(b'<?xml version="1.0"?><log xes.version="1.0"></log>')
    assert len(log) == 0 and log.n_cases == 0


def test_xes_missing_timestamp_raise_and_skip_counts():
    no_time = '<event><string key="concept:name" value="a"/></event>'
    data = _xes(("c1", [no_time, _event("b", "2024-01-01T00:00:00Z")]), sep="\n")
    with pytest.raises(ValueError, match=r"line 4, column 'time:timestamp': event without time:timestamp"):
        cxkit.read_xes(data)
    log = cxkit.read_xes(data, on_bad_row="skip")
    assert len(log) == 1 and log.skipped_rows["line"].tolist() == [4]
    assert len(log) + len(log.skipped_rows) == data.count(b"<event>")


def test_xes_unparsable_timestamp_names_value():
    with pytest.raises(ValueError, match=r"column 'time:timestamp', value 'yesterday': unparsable timestamp"):
        cxkit.read_xes(_xes(("c1", [_event("a", "yesterday")])))


def test_xes_wrong_type_attribute_names_key_and_value():
    extra = '<int key="seats" value="many"/>'
    with pytest.raises(ValueError, match=r"column 'seats', value 'many': unparsable int"):
        cxkit.read_xes(_xes(("c1", [_event("a", "2024-01-01T00:00:00Z", extra)])))


def test_xes_timestamps_before_1970_and_after_2262():
    log = cxkit.read_xes(_xes(("c1", [_event("a", "1900-01-01T00:00:00Z"), _event("b", "2300-01-01T00:00:00Z")])))
    # 2300-01-01 is 120,530 days after the epoch (330 years, 80 of them leap).
    assert _micros(log) == [-25_567 * DAY_US, 120_530 * DAY_US]


def test_xes_duplicate_events_kept_unsorted_sorted():
    evs = [_event("b", "2024-01-02T00:00:00Z"), _event("a", "2024-01-01T00:00:00Z"), _event("a", "2024-01-01T00:00:00Z")]
    log = cxkit.read_xes(_xes(("c1", evs)))
    assert log.to_pandas()["activity"].tolist() == ["a", "a", "b"]


def test_xes_invalid_utf8_is_fatal_with_line_and_column():
    data = _xes(("c1", [_event("a", "2024-01-01T00:00:00Z")]), sep="\n").replace(b'value="a"', b'value="a\xff"')
    with pytest.raises(ValueError, match=r"line 4: malformed XML: not well-formed \(invalid token\) \(at column \d+\)"):
        cxkit.read_xes(data, on_bad_row="skip")


def test_xes_mixed_line_endings_count_lines():
    # XML normalises CRLF and CR to LF; line numbers in messages follow that.
    no_time = '<event><string key="concept:name" value="a"/></event>'
    data = (b'<?xml version="1.0"?>\r\n<log>\r<trace><string key="concept:name" value="c1"/>\n'
            + no_time.encode() + b"\r\n</trace></log>")
    with pytest.raises(ValueError, match=r"line 4, column 'time:timestamp'"):
        cxkit.read_xes(data)


def test_xes_10mb_attribute_value():
    big = "x" * (10 << 20)
    t0 = time.perf_counter()
    log = cxkit.read_xes(_xes(("c1", [_event("a", "2024-01-01T00:00:00Z", f'<string key="note" value="{big}"/>')])))
    elapsed = time.perf_counter() - t0
    assert len(log.to_pandas()["note"].iloc[0]) == len(big)
    assert elapsed < 5.0  # about 0.2 s measured


def test_xes_truncated_xml():
    with pytest.raises(ValueError, match=r"malformed XML"):
        cxkit.read_xes(_xes(("c1", [_event("a", "2024-01-01T00:00:00Z")]))[:-20])


def test_xes_gzip_reads_as_plain():
    plain = _xes(("c1", [_event("a", "2024-01-01T00:00:00Z")]))
    assert cxkit.read_xes(gzip.compress(plain)) == cxkit.read_xes(plain)


def test_xes_gzip_truncated():
    with pytest.raises(ValueError, match=r"^<bytes>: truncated gzip data$"):
        cxkit.read_xes(gzip.compress(_xes(("c1", [_event("a", "2024-01-01T00:00:00Z")])))[:-10])


def test_xes_gzip_of_nothing():
    with pytest.raises(ValueError, match="empty input"):
        cxkit.read_xes(gzip.compress(b""))


# =====================================================================================
# pandas DataFrame -> EventLog (EventLog.from_pandas; C++ event_log_from_columns)
# =====================================================================================

def test_df_empty_frame_is_an_empty_log():
    df = pd.DataFrame({"case": [], "activity": [], "time": pd.to_datetime([], utc=True)})
    assert len(_from_frame(df)) == 0


def test_df_missing_column():
    with pytest.raises(KeyError, match=r"column\(s\) \['time'\] not in the DataFrame"):
        _from_frame(pd.DataFrame({"case": ["a"], "activity": ["x"]}))


def test_df_nat_timestamp_names_row_and_column():
    df = _frame(time=[pd.Timestamp("2024-01-01", tz="UTC"), pd.NaT, pd.Timestamp("2024-01-03", tz="UTC")])
    with pytest.raises(ValueError, match=r"^DataFrame, row 1, column 'time': missing timestamp \(NaT\)$"):
        _from_frame(df)


@pytest.mark.parametrize("missing", [None, np.nan], ids=["None", "NaN"])
def test_df_missing_case_names_row_and_column(missing):
    with pytest.raises(ValueError, match=r"^DataFrame, row 2, column 'case': missing value$"):
        _from_frame(_frame(case=["a", "a", missing]))


def test_df_empty_activity_names_row():
    with pytest.raises(ValueError, match=r"^DataFrame, row 1, column 'activity': empty value$"):
        _from_frame(_frame(activity=["x", "", "z"]))


def test_df_wrong_type_timestamp_names_row_and_value():
    with pytest.raises(ValueError, match=r"column 'time', row 0: value .*1.* is not an ISO 8601 timestamp"):
        _from_frame(_frame(time=[1, 2, 3]))


def test_df_unparsable_text_timestamp_names_row_and_value():
    with pytest.raises(ValueError, match=r"column 'time', row 1: value 'soon' is not an ISO 8601 timestamp"):
        _from_frame(_frame(time=["2024-01-01", "soon", "2024-01-03"]))


def test_df_timestamps_before_1970():
    log = _from_frame(_frame(time=["1969-12-31T23:59:59Z", "1900-01-01T00:00:00Z", "2024-01-01T00:00:00Z"]))
    assert sorted(_micros(log))[:2] == [-25_567 * DAY_US, -1 * US]


def test_df_datetime64_us_after_2262():
    times = np.array(["2300-01-01", "1500-01-01", "2024-01-01"], dtype="datetime64[us]")
    log = _from_frame(_frame(time=times))
    t = log.to_pandas()["timestamp"]
    assert t.iloc[0] == pd.Timestamp("1500-01-01", tz="UTC") and t.iloc[1] == pd.Timestamp("2300-01-01", tz="UTC")


def test_df_text_timestamp_after_2262():
    log = _from_frame(_frame(time=["2024-01-01T00:00:00Z", "2300-01-01T00:00:00Z", "2024-01-03T00:00:00Z"]))
    assert log.to_pandas()["timestamp"].iloc[1] == pd.Timestamp("2300-01-01", tz="UTC")


def test_df_nan_numeric_attribute_is_missing_and_inf_is_kept():
    df = _from_frame(_frame(v=[1.0, np.nan, np.inf])).to_pandas()
    assert df["v"].iloc[0] == 1.0 and np.isnan(df["v"].iloc[1]) and df["v"].iloc[2] == np.inf


def test_df_nat_timestamp_attribute_is_missing():
    t = pd.Timestamp("2024-02-01", tz="UTC")
    df = _from_frame(_frame(renewal=[t, pd.NaT, t])).to_pandas()
    assert df["renewal"].isna().tolist() == [False, True, False]


def test_df_wrong_type_numeric_attribute_names_column_and_value():
    with pytest.raises(TypeError, match=r"column 'v' is not numeric: .*\"x\" at position 1"):
        _from_frame(_frame(v=["1", "x", "2"]), attributes={"v": "numeric"})


def test_df_duplicates_kept_and_unsorted_sorted():
    t = pd.to_datetime(["2024-01-03", "2024-01-01", "2024-01-01"], utc=True)
    df = _from_frame(pd.DataFrame({"case": ["a", "a", "a"], "activity": ["z", "x", "x"], "time": t})).to_pandas()
    assert df["activity"].tolist() == ["x", "x", "z"]


def test_df_invalid_utf8_surrogate_in_activity():
    with pytest.raises(ValueError, match=r"column 'activity', row 1: value 'caf\\udce9' is not valid Unicode"):
        _from_frame(_frame(activity=["x", b"caf\xe9".decode("utf-8", "surrogateescape"), "z"]))


def test_df_10mb_activity_name():
    big = "x" * (10 << 20)
    t0 = time.perf_counter()
    log = _from_frame(_frame(activity=["x", big, "z"]))
    assert time.perf_counter() - t0 < 5.0
    assert len(log.activities[1]) == len(big)


# =====================================================================================
# Accounts table (cxkit.Table.from_pandas)
# =====================================================================================

def test_table_empty_frame():
    assert len(cxkit.Table.from_pandas(pd.DataFrame({"id": []}))) == 0


def test_table_duplicate_key_names_row_and_value():
    with pytest.raises(ValueError, match=r"^DataFrame, row 1, column 'id', value 'a': duplicate key$"):
        cxkit.Table.from_pandas(pd.DataFrame({"id": ["a", "a"], "arr": [1.0, 2.0]}))


@pytest.mark.parametrize("key,reason", [(None, "missing key"), ("", "empty key")], ids=["missing", "empty"])
def test_table_missing_or_empty_key(key, reason):
    with pytest.raises(ValueError, match=rf"^DataFrame, row 1, column 'id': {reason}$"):
        cxkit.Table.from_pandas(pd.DataFrame({"id": ["a", key], "arr": [1.0, 2.0]}))


def test_table_missing_column():
    with pytest.raises(KeyError, match="arr"):
        cxkit.Table.from_pandas(pd.DataFrame({"id": ["a"]}), columns=["arr"])


def test_table_nan_and_nat_values_are_missing():
    df = pd.DataFrame({"id": ["a", "b"], "arr": [1.0, np.nan], "signup": pd.to_datetime(["2024-01-01", None], utc=True)})
    out = cxkit.Table.from_pandas(df).to_pandas()
    assert out["arr"].isna().tolist() == [False, True] and out["signup"].isna().tolist() == [False, True]


def test_table_wrong_type_names_column_and_value():
    with pytest.raises(TypeError, match=r"column 'arr' is not numeric: .*\"x\" at position 1"):
        cxkit.Table.from_pandas(pd.DataFrame({"id": ["a", "b"], "arr": ["1", "x"]}), columns={"arr": "numeric"})


def test_table_timestamps_before_1970():
    df = pd.DataFrame({"id": ["a"], "founded": pd.to_datetime(["1901-06-01"], utc=True)})
    assert cxkit.Table.from_pandas(df).to_pandas()["founded"].iloc[0] == pd.Timestamp("1901-06-01", tz="UTC")


# =====================================================================================
# JSON definitions: playbook, journey design, moment, milestone rule, scorecard, notification policy
# =====================================================================================

def test_playbook_cycle_names_its_tasks():
    pb = {"tasks": [{"name": "a", "duration": "1D", "depends_on": ["b"]},
                    {"name": "b", "duration": "1D", "depends_on": ["a"]}]}
    with pytest.raises(ValueError, match=r"column 'tasks': dependencies must not form a cycle.*a -> b -> a"):
        Playbook.from_json(pb)


def test_playbook_self_dependency_is_a_cycle():
    with pytest.raises(ValueError, match=r"cycle.*a -> a"):
        Playbook.from_json({"tasks": [{"name": "a", "duration": "1D", "depends_on": ["a"]}]})


def test_playbook_unknown_dependency_names_field_and_value():
    with pytest.raises(ValueError, match=r"column 'tasks\[0\]\.depends_on\[0\]', value 'zz': not a task"):
        Playbook.from_json({"tasks": [{"name": "a", "duration": "1D", "depends_on": ["zz"]}]})


def test_playbook_negative_duration_names_field_and_value():
    with pytest.raises(ValueError, match=r"column 'tasks\[0\]\.duration', value '-1D': not a business duration"):
        Playbook.from_json({"tasks": [{"name": "a", "duration": "-1D"}]})


@pytest.mark.parametrize("text", ["", "{", "[1, 2]"], ids=["empty", "truncated", "not-an-object"])
def test_playbook_not_json_or_not_an_object(text):
    with pytest.raises(ValueError, match=r"^Playbook"):
        Playbook.from_json(text)


def test_playbook_wrong_type_names_field():
    with pytest.raises(ValueError, match=r"column 'tasks\[0\]\.name', value '5': expected a string"):
        Playbook.from_json({"tasks": [{"name": 5, "duration": "1D"}]})


def test_playbook_duplicate_task_names_the_second():
    with pytest.raises(ValueError, match=r"column 'tasks\[1\]\.name', value 'x': task listed twice"):
        Playbook.from_json({"tasks": [{"name": "x", "duration": "1D"}, {"name": "x", "duration": "2D"}]})


def _two_step_playbook() -> Playbook:
    return Playbook.from_json({"tasks": [{"name": "x", "duration": "1D"},
                                         {"name": "y", "duration": "1D", "depends_on": ["x"]}]})


def test_playbook_progress_unknown_activity_never_completes_its_task():
    # Documented (playbook.hpp): an activity the log lacks may simply not have happened yet, so
    # the task stays open; a mapping from an unknown *task* is an error.
    out = _two_step_playbook().progress({"a": "2024-01-01"}, _log(), "2024-02-01", activities={"y": "nope"})
    assert out[["done", "overdue"]].iloc[0].tolist() == [1, 1]
    with pytest.raises(KeyError, match=r"unknown task 'zz'"):
        _two_step_playbook().progress({"a": "2024-01-01"}, _log(), "2024-02-01", activities={"zz": "x"})


def test_playbook_progress_nat_start_names_the_customer():
    with pytest.raises(ValueError, match=r"starts\['a'\]: missing timestamp \(NaT\)"):
        _two_step_playbook().progress({"a": pd.NaT}, _log(), "2024-02-01")


def test_design_cycle_names_its_stages():
    with pytest.raises(ValueError, match=r"column 'stages': the allowed order must be acyclic; cycle: x -> y -> x"):
        JourneyDesign.from_json({"stages": [{"name": "x", "next": ["y"]}, {"name": "y", "next": ["x"]}]})


def test_design_unknown_activity_is_named_on_check():
    design = JourneyDesign.from_json({"stages": [{"name": "x", "next": ["q"]}, {"name": "q"}]})
    with pytest.raises(KeyError, match=r"activities the log does not have: 'q'"):
        design.check(_log())


def test_design_negative_target_names_field():
    with pytest.raises(ValueError, match=r"column 'stages\[0\]\.target', value '-3D'"):
        JourneyDesign.from_json({"stages": [{"name": "x", "target": "-3D"}]})


def test_design_missing_stages():
    with pytest.raises(ValueError, match=r"column 'stages': missing"):
        JourneyDesign.from_json({})


def test_moment_unknown_activity_is_named_on_evaluate():
    with pytest.raises(KeyError, match=r"Moment 'm': fulfil\.activity 'nope' is not an activity"):
        cxkit.moments.evaluate(_log(), [Moment("m", trigger="x", fulfil="nope", within="4h")])


@pytest.mark.parametrize("within", ["-4h", dt.timedelta(hours=-4)], ids=["text", "timedelta"])
def test_moment_negative_target_names_field_and_value(within):
    with pytest.raises(ValueError, match=r"Moment 'm', column 'within', value '-"):
        Moment("m", trigger="x", fulfil="y", within=within)


def test_moment_zero_target_is_accepted():
    assert Moment("m", trigger="x", fulfil="y", within="0h").to_json()["within"] == "0h"


def test_milestone_rule_negative_days_and_foreign_field():
    with pytest.raises(ValueError, match=r"MilestoneRule 'r', column 'days', value '-30': must be 0 or more"):
        milestone_rule({"name": "r", "kind": "days_after_signup", "days": -30})
    with pytest.raises(ValueError, match=r"column 'event', value 'x': not a field of kind days_after_signup"):
        milestone_rule({"name": "r", "kind": "days_after_signup", "days": 30, "event": "x"})


def test_milestone_rule_unknown_activity_is_never_due():
    # An event-based rule naming an activity the log lacks is valid (another partition may
    # have it) and simply never fires: no row, no error.
    rules = [{"name": "r", "kind": "activity", "event": "nope"}]
    out = cxkit.moments.due(_log(), None, rules, ("2023-01-01", "2025-01-01"))
    assert len(out) == 0


def test_scorecard_bad_weight_and_scale():
    with pytest.raises(ValueError, match=r"column 'measures\[0\]\.weight', value '-1'"):
        cxkit.churn.Scorecard({"measures": [{"name": "a", "weight": -1,
                                             "scheme": {"type": "linear", "lower": 0, "upper": 1}}]})
    with pytest.raises(ValueError, match=r"column 'measures\[0\]\.scheme\.upper', value '1': must be greater"):
        cxkit.churn.Scorecard({"measures": [{"name": "a", "scheme": {"type": "linear", "lower": 5, "upper": 1}}]})


def test_scorecard_nan_and_out_of_range_feature_values():
    card = cxkit.churn.Scorecard({"measures": [{"name": "a", "scheme": {"type": "linear", "lower": 0, "upper": 10}}]})
    out = card.score(pd.DataFrame({"a": [np.nan, 5.0, 20.0, -3.0]}, index=list("wxyz")))
    # NaN: no coverage, no score; beyond the scale: clamped to its ends.
    assert np.isnan(out.loc["w", "score"]) and out.loc["w", "coverage"] == 0.0
    assert out["score"].iloc[1:].tolist() == [50.0, 100.0, 0.0]


def test_notification_policy_negative_durations_and_unknown_names():
    with pytest.raises(ValueError, match=r"column 'warn_before', value '-1h'"):
        NotificationPolicy(recipients=[{"id": "m"}], routes=[{"recipient": "m"}], warn_before="-1h")
    with pytest.raises(ValueError, match=r"column 'grouping\.group_wait', value '-30s'"):
        NotificationPolicy(recipients=[{"id": "m"}], routes=[{"recipient": "m"}], grouping={"group_wait": "-30s"})
    with pytest.raises(ValueError, match=r"column 'routes\[0\]\.recipient', value 'zz': not a recipient id"):
        NotificationPolicy(recipients=[{"id": "m"}], routes=[{"recipient": "zz"}])


# =====================================================================================
# Calendars and business durations
# =====================================================================================

@pytest.mark.parametrize("hours", [{}, {"mon": []}], ids=["no-days", "empty-day"])
def test_calendar_with_no_working_time_is_refused(hours):
    with pytest.raises(ValueError, match=r"the week has no working time, so business time would never pass"):
        cxkit.Calendar("UTC", working_hours=hours)


def test_moment_calendar_with_no_working_time_names_the_field():
    d = {"name": "m", "trigger": "x", "fulfil": "y", "within": "4h",
         "calendar": {"timezone": "UTC", "week": [[]] * 7}}
    with pytest.raises(ValueError, match=r"^Moment 'm', column 'calendar': the week has no working time"):
        Moment.from_json(d)


def test_calendar_unknown_time_zone():
    with pytest.raises(KeyError, match=r"unknown time zone 'Mars/Olympus'"):
        cxkit.Calendar("Mars/Olympus")


def test_calendar_reversed_interval_names_day_and_value():
    with pytest.raises(ValueError, match=r"column 'Monday', value '17:00-09:00'"):
        cxkit.Calendar("UTC", working_hours={"mon": [("17:00", "09:00")]})


def _add_one_hour_over_holidays(q: "multiprocessing.Queue[str]") -> None:
    cal = cxkit.Calendar("UTC", working_hours={"mon": [("09:00", "17:00")]},
                         holidays=[dt.date(2024, 1, 1) + dt.timedelta(days=7 * i) for i in range(520)])
    q.put(str(cal.add_business_time("2024-01-01", "1h")))


def test_calendar_ten_years_of_holidays_terminates():
    # Every Monday (the only working day) for 520 weeks is a holiday: the first working hour is
    # the Monday after, 2033-12-19 09:00-10:00. Run in a child so a hang fails instead of blocking.
    q: multiprocessing.Queue[str] = multiprocessing.get_context("fork").Queue()
    p = multiprocessing.get_context("fork").Process(target=_add_one_hour_over_holidays, args=(q,))
    p.start()
    p.join(20)
    if p.is_alive():
        p.kill()
        pytest.fail("add_business_time did not finish in 20 s")
    assert q.get(timeout=1) == "2033-12-19 10:00:00+00:00"


def test_calendar_nat_holiday_names_its_position():
    with pytest.raises(ValueError, match=r"^holidays\[1\]: missing date \(NaT\)$"):
        cxkit.Calendar("UTC", holidays=[dt.date(2024, 1, 1), pd.NaT])


def test_calendar_holiday_before_1400_is_refused():
    with pytest.raises(ValueError, match=r"invalid holiday 1300-1-1: Year is out of valid range: 1400..9999"):
        cxkit.Calendar("UTC", holidays=[dt.date(1300, 1, 1)])


def test_business_durations_with_nat_give_nat():
    # Vectorised: an unresolved ticket (NaT end) has no duration yet, as in pandas arithmetic.
    cal = cxkit.Calendar("UTC")  # Mon-Fri 09:00-17:00; 2024-01-01 is a Monday
    start = pd.Series(pd.to_datetime(["2024-01-01 09:00", None, "2024-01-01 09:00"], utc=True))
    end = pd.Series(pd.to_datetime(["2024-01-02 09:00", "2024-01-02 09:00", None], utc=True))
    out = cal.business_duration(start, end)
    assert out.iloc[0] == pd.Timedelta(hours=8) and out.iloc[1:].isna().all()
    later = cal.add_business_time(start, [pd.Timedelta(hours=8), pd.Timedelta(hours=1), pd.NaT])
    assert later[0] == pd.Timestamp("2024-01-01 17:00", tz="UTC") and later[1:].isna().all()


def test_business_duration_scalar_nat_is_refused():
    with pytest.raises(ValueError, match=r"missing timestamp \(NaT\)"):
        cxkit.Calendar("UTC").business_duration(pd.NaT, "2024-01-01")


def test_business_duration_reversed_is_negative():
    cal = cxkit.Calendar("UTC", working_hours={"mon": [("09:00", "17:00")]})
    forward = cal.business_duration("2024-01-01", "2024-01-08")
    assert forward == pd.Timedelta(hours=8)
    assert cal.business_duration("2024-01-08", "2024-01-01") == -forward


def test_business_duration_over_eight_millennia():
    # Both ends of the supported range. The default week (Mon-Fri 09:00-17:00) gives 8 h per
    # weekday; numpy counts the weekdays independently. The result (about 2,400 years of
    # working time) is beyond a nanosecond Timedelta, so it comes back in microseconds.
    t0 = time.perf_counter()
    got = cxkit.Calendar("UTC").business_duration("0001-01-01", "9999-12-31")
    assert time.perf_counter() - t0 < 5.0  # about 0.1 s measured
    weekdays = int(np.busday_count("0001-01-01", "9999-12-31"))
    assert got == pd.Timedelta(np.timedelta64(weekdays * 8 * 3600 * US, "us"))
    # One minute a week: still bounded, and still exact.
    sparse = cxkit.Calendar("UTC", working_hours={"mon": [("09:00", "09:01")]})
    mondays = int(np.busday_count("0001-01-01", "9999-12-31", weekmask="Mon"))
    assert sparse.business_duration("0001-01-01", "9999-12-31") == pd.Timedelta(minutes=mondays)


def test_business_time_on_a_nearly_empty_week_is_bounded():
    # 200,000 business hours at one minute a week would take 230,000 years: an error, quickly.
    sparse = cxkit.Calendar("UTC", working_hours={"mon": [("09:00", "09:01")]})
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match=r"business-time arithmetic left the years 0001-9999"):
        sparse.add_business_time("2024-01-01", pd.Timedelta(hours=200_000))
    assert time.perf_counter() - t0 < 5.0  # about 0.08 s measured


def test_business_time_beyond_year_9999():
    with pytest.raises(ValueError, match=r"business-time arithmetic left the years 0001-9999"):
        cxkit.Calendar("UTC").add_business_time("9999-12-31", "10D")


def test_funnel_negative_window():
    with pytest.raises(ValueError, match=r"column 'within', value '-86400000000 us': .*must not be negative"):
        cxkit.journey.funnel(_log(), ["x", "y"], within="-1D")


def test_funnel_unknown_step():
    with pytest.raises(KeyError, match=r"unknown activity 'nope' in steps\[1\]"):
        cxkit.journey.funnel(_log(), ["x", "nope"])


# =====================================================================================
# NPS / CSAT / CES scores
# =====================================================================================

@pytest.mark.parametrize("bad", [11, -1, 7.5, np.nan], ids=["11", "-1", "7.5", "NaN"])
def test_nps_out_of_scale_names_position_and_value(bad):
    with pytest.raises(ValueError, match=r"scores, position 1, column 'score', value '.*': not an integer score "
                                         r"on the 0-10 NPS scale"):
        cxkit.moments.nps([10, bad])


def test_nps_text_score_names_position_and_value():
    with pytest.raises(ValueError, match=r"scores, position 1: value 'ten' is not a 0-10 score"):
        cxkit.moments.nps(pd.Series([10, "ten"]))


def test_nps_no_answers_is_nan():
    row = cxkit.moments.nps([]).iloc[0]
    assert row["n"] == 0 and np.isnan(row["nps"])


@pytest.mark.parametrize("bad", [0, 6, np.nan], ids=["0", "6", "NaN"])
def test_csat_out_of_scale(bad):
    with pytest.raises(ValueError, match=r"position 1, column 'score', value '.*': not an integer score on the 1-5 CSAT"):
        cxkit.moments.csat([5, bad])


@pytest.mark.parametrize("bad", [0, 8, np.nan], ids=["0", "8", "NaN"])
def test_ces_out_of_scale(bad):
    with pytest.raises(ValueError, match=r"position 1, column 'score', value '.*': not an integer score on the 1-7 CES"):
        cxkit.moments.ces([5, bad])


# =====================================================================================
# Feedback text
# =====================================================================================

def test_feedback_invalid_utf8_surrogates_are_repaired():
    text = b"caf\xe9 ok".decode("utf-8", "surrogateescape")
    assert cxkit.feedback.normalize(text) == cxkit.feedback.normalize("caf\ufffd ok")
    assert cxkit.feedback.tokenize(text, language="fr") == cxkit.feedback.tokenize("caf\ufffd ok", language="fr")
    assert cxkit.feedback.normalize("a\ud800b") == cxkit.feedback.normalize("a\ufffd\ufffd\ufffdb")  # not escaped bytes


def test_feedback_10mb_text():
    t0 = time.perf_counter()
    assert len(cxkit.feedback.normalize("word " * (2 << 20))) == 10 << 20
    assert len(cxkit.feedback.tokenize("a" * (10 << 20))) == 1
    assert time.perf_counter() - t0 < 10.0  # about 0.9 s measured


def test_feedback_empty_and_blank_texts():
    res = cxkit.feedback.find_duplicates(["", "", " "])
    assert "0 groups" in repr(res)


_DEEP_READERS = {
    "playbook": "cxkit.journey.Playbook.from_json(t('tasks'))",
    "design": "cxkit.journey.JourneyDesign.from_json(t('stages'))",
    "moment": "cxkit.moments.Moment.from_json(t('trigger'))",
    "milestone": "cxkit._core.milestone_rule_normalize(t('event'))",
    "policy": "cxkit.moments.NotificationPolicy.from_json(t('routes'))",
    "scorecard": "cxkit.churn.Scorecard(t('measures'))",
}


def _read_deeply_nested(kinds: list[str]) -> subprocess.CompletedProcess[str]:
    """Each reader on 100,000 nested '[' in one child process, printing "kind: message" per
    ValueError. Before the fix this was a stack overflow (SIGSEGV), which would have taken the
    test run down with it."""
    lines = ["import cxkit", "import cxkit.churn" if "scorecard" in kinds else "",
             "t = lambda f: '{\"' + f + '\": ' + '[' * 100000 + ']' * 100000 + '}'"]
    for kind in kinds:
        lines += ["try:", f"    {_DEEP_READERS[kind]}", "except ValueError as e:", f"    print('{kind}:', e)"]
    return subprocess.run([sys.executable, "-c", "\n".join(lines)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})


@pytest.fixture(scope="module")
def deep_results() -> dict[str, str]:
    out = _read_deeply_nested(["playbook", "design", "moment", "milestone", "policy"])
    assert out.returncode == 0, out.stderr[-500:]
    return dict(line.split(": ", 1) for line in out.stdout.splitlines())


@pytest.mark.parametrize("kind", ["playbook", "design", "moment", "milestone", "policy"])
def test_definition_nested_100000_deep_is_a_value_error(kind, deep_results):
    assert "nested deeper than 256 levels" in deep_results[kind]


def test_scorecard_nested_100000_deep_is_a_value_error():
    out = _read_deeply_nested(["scorecard"])
    assert out.returncode == 0, out.stderr[-500:]
    assert "nested deeper than 256 levels" in out.stdout


def test_definition_json_round_trip_survives_every_error_above():
    # Sanity: the valid neighbours of the bad definitions above are accepted, so each error is
    # caused by the one fault it names.
    Playbook.from_json({"tasks": [{"name": "a", "duration": "1D"}, {"name": "b", "duration": "1D", "depends_on": ["a"]}]})
    JourneyDesign.from_json({"stages": [{"name": "x", "next": ["y"], "target": "3D"}, {"name": "y"}]})
    milestone_rule({"name": "r", "kind": "days_after_signup", "days": 30})
    NotificationPolicy(recipients=[{"id": "m"}], routes=[{"recipient": "m"}], warn_before="1h")
    json.dumps(Moment("m", trigger="x", fulfil="y", within="4h").to_json())
