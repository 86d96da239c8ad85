import gzip

import pandas as pd
import pytest

import cxkit

CSV = (b"case,activity,time,cost\r\n"
       b"c1,signed,2024-01-01T09:00:00+01:00,10\r\n"
       b"c1,\"kick, off\",2024-01-02T09:00:00Z,20\r\n"
       b"c2,signed,2024-01-01T10:00:00Z,\r\n")


def read(data, **kw):
    return cxkit.read_csv(data, case="case", activity="activity", timestamp="time", **kw)


def test_reads_csv_bytes_with_quotes_offsets_and_missing_values():
    log = read(CSV)
    df = log.to_pandas()
    assert (len(log), log.n_cases) == (3, 2)
    assert df["activity"].tolist() == ["signed", "kick, off", "signed"]
    assert df["timestamp"].iloc[0] == pd.Timestamp("2024-01-01T08:00:00Z")
    assert df["cost"].iloc[:2].tolist() == [10.0, 20.0] and pd.isna(df["cost"].iloc[2])


def test_reads_a_file_path(tmp_path):
    p = tmp_path / "events.csv"
    p.write_bytes(CSV)
    assert len(cxkit.read_csv(str(p), case="case", activity="activity", timestamp="time")) == 3
    assert len(cxkit.read_csv(p, case="case", activity="activity", timestamp="time")) == 3


def test_bad_timestamp_raises_naming_line_column_and_value():
    bad = CSV + b"c3,signed,not-a-time,1\r\n"
    with pytest.raises(ValueError) as err:
        read(bad)
    msg = str(err.value)
    assert "line 5" in msg and "'time'" in msg and "not-a-time" in msg


def test_skip_mode_reports_every_skipped_line():
    bad = CSV + b"c3,signed,not-a-time,1\r\nc4,signed\r\nc5,signed,2024-01-03T00:00:00Z,5\r\n"
    log = read(bad, on_bad_row="skip")
    assert len(log) == 4
    skipped = log.skipped_rows
    assert skipped["line"].tolist() == [5, 6]
    assert all(isinstance(r, str) and r for r in skipped["reason"])


def test_missing_column_is_a_key_error():
    with pytest.raises(KeyError, match="nope"):
        cxkit.read_csv(CSV, case="nope", activity="activity", timestamp="time")


def test_missing_file_is_a_key_error():
    with pytest.raises(KeyError):
        cxkit.read_csv("/nonexistent/events.csv")


def test_empty_input_raises():
    with pytest.raises(ValueError, match="empty"):
        read(b"")


def test_invalid_utf8_raises():
    with pytest.raises(ValueError, match="UTF-8"):
        read(b"case,activity,time\nc1,sign\xffed,2024-01-01T00:00:00Z\n")


def test_explicit_timestamp_format_and_separator():
    data = b"Case ID;Activity;Complete Timestamp\nA;ER Registration;2014/10/22 11:15:41.000\n"
    log = cxkit.read_csv(data, case="Case ID", activity="Activity", timestamp="Complete Timestamp",
                         sep=";", timestamp_format="%Y/%m/%d %H:%M:%S.%f")
    assert log.to_pandas()["timestamp"].iloc[0] == pd.Timestamp("2014-10-22T11:15:41Z")


def test_dtypes_force_attribute_kinds():
    log = read(CSV, dtypes={"cost": "categorical"}, keep_other_columns=False)
    assert log.attributes == ["cost"]
    assert log.to_pandas()["cost"].iloc[0] == "10"


XES = b"""<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">
 <trace><string key="concept:name" value="T1"/><string key="tier" value="Enterprise"/>
  <event><string key="concept:name" value="signed"/><date key="time:timestamp" value="2024-01-01T09:00:00.000+01:00"/>
         <string key="lifecycle:transition" value="complete"/><int key="seats" value="12"/></event>
  <event><string key="concept:name" value="kickoff"/><date key="time:timestamp" value="2024-01-02T09:00:00Z"/></event>
 </trace>
</log>"""


def test_reads_xes_plain_and_gzip():
    for data in (XES, gzip.compress(XES)):
        log = cxkit.read_xes(data)
        df = log.to_pandas()
        assert df["activity"].tolist() == ["signed", "kickoff"]
        assert df["case"].tolist() == ["T1", "T1"]
        assert df["timestamp"].iloc[0] == pd.Timestamp("2024-01-01T08:00:00Z")
        assert df["case:tier"].tolist() == ["Enterprise", "Enterprise"]
        assert df["lifecycle:transition"].iloc[0] == "complete"
        assert df["seats"].iloc[0] == 12


def test_malformed_xes_raises_value_error():
    with pytest.raises(ValueError):
        cxkit.read_xes(b"<log><trace>")
