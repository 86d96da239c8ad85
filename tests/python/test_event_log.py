import pickle

import numpy as np
import pandas as pd
import pytest

import cxkit


def frame():
    return pd.DataFrame({
        "account": ["b", "a", "b", "a", "b"],
        "step": ["x", "y", "w", "z", "v"],
        "at": pd.to_datetime(["2024-01-01 00:00:30", "2024-01-01 00:00:10", "2024-01-01 00:00:05",
                              "2024-01-01 00:00:10", "2024-01-01 00:00:30"]),
        "cost": [1.5, 2.0, np.nan, 4.0, 5.0],
        "who": ["Sara", None, "Pete", "Sara", "Mike"],
    })


def build(df=None, **kw):
    return cxkit.EventLog.from_pandas(frame() if df is None else df, case="account", activity="step",
                                      timestamp="at", **kw)


def test_sorts_by_case_then_time_then_input_order():
    log = build()
    assert len(log) == 5 and log.n_cases == 2
    assert log.cases == ["b", "a"]
    out = log.to_pandas()
    assert out["activity"].tolist() == ["w", "x", "v", "y", "z"]
    assert out["case"].tolist() == ["b", "b", "b", "a", "a"]


def test_round_trips_values_and_types():
    df = frame()
    out = build(df).to_pandas()
    assert str(out["timestamp"].dtype) == "datetime64[ns, UTC]"
    # Naive input is read as UTC.
    expected = df.sort_values(["account", "at"], key=lambda s: s.map({"b": 0, "a": 1}) if s.name == "account" else s,
                              kind="stable")
    assert (out["timestamp"].dt.tz_localize(None).to_numpy() == expected["at"].to_numpy()).all()
    np.testing.assert_array_equal(out["cost"].to_numpy(), expected["cost"].to_numpy())
    assert out["who"].tolist() == [None if pd.isna(v) else v for v in expected["who"]]


def test_aware_timestamps_are_converted_to_utc():
    df = pd.DataFrame({"case": ["c"], "activity": ["a"],
                       "timestamp": [pd.Timestamp("2024-03-31 09:00", tz="Europe/Amsterdam")]})
    out = cxkit.EventLog.from_pandas(df, case="case", activity="activity", timestamp="timestamp").to_pandas()
    assert out["timestamp"].iloc[0] == pd.Timestamp("2024-03-31 07:00", tz="UTC")


def test_iso_text_timestamps_are_parsed():
    df = pd.DataFrame({"case": ["c", "c"], "activity": ["a", "b"],
                       "timestamp": ["2010-12-30 14:32:00+01:00", "2010-12-30T13:40:00Z"]})
    out = cxkit.EventLog.from_pandas(df, case="case", activity="activity", timestamp="timestamp").to_pandas()
    assert out["activity"].tolist() == ["a", "b"]
    assert out["timestamp"].iloc[0] == pd.Timestamp("2010-12-30 13:32", tz="UTC")


def test_attribute_kinds_can_be_chosen():
    log = build(attributes={"who": "text", "cost": "numeric"})
    assert log.attributes == ["who", "cost"]
    assert build(attributes=["cost"]).attributes == ["cost"]


def test_missing_column_is_a_key_error_naming_it():
    with pytest.raises(KeyError, match="nope"):
        cxkit.EventLog.from_pandas(frame(), case="nope", activity="step", timestamp="at")


def test_nat_in_the_timestamp_column_names_the_row():
    df = frame()
    df.loc[3, "at"] = pd.NaT
    with pytest.raises(ValueError, match=r"row 3.*'at'"):
        build(df)


def test_missing_case_names_the_row():
    df = frame()
    df.loc[2, "account"] = None
    with pytest.raises(ValueError, match=r"row 2.*'account'"):
        build(df)


def test_unparsable_text_timestamp_names_row_and_value():
    df = pd.DataFrame({"case": ["c", "c"], "activity": ["a", "b"], "timestamp": ["2024-01-01", "soon"]})
    with pytest.raises(ValueError, match=r"row 1.*'soon'"):
        cxkit.EventLog.from_pandas(df, case="case", activity="activity", timestamp="timestamp")


def test_non_numeric_values_in_a_numeric_attribute_are_a_type_error():
    with pytest.raises(TypeError, match="who"):
        build(attributes={"who": "numeric"})


def test_empty_frame_gives_an_empty_log():
    df = frame().iloc[:0]
    log = build(df)
    assert len(log) == 0 and log.n_cases == 0
    assert len(log.to_pandas()) == 0


def test_pickles_to_an_equal_log():
    log = build()
    back = pickle.loads(pickle.dumps(log))
    pd.testing.assert_frame_equal(back.to_pandas(), log.to_pandas())
    assert back.attributes == log.attributes


def test_views_are_zero_copy_and_read_only():
    log = build()
    ids = log._core.case_ids()
    assert ids.dtype == np.uint32 and not ids.flags.writeable
    with pytest.raises(ValueError):
        ids[0] = 7


def test_memory_per_event_is_reported():
    n = 100_000
    df = pd.DataFrame({"case": np.arange(n) // 10, "activity": np.arange(n) % 5,
                       "timestamp": pd.date_range("2024-01-01", periods=n, freq="min")})
    log = cxkit.EventLog.from_pandas(df, case="case", activity="activity", timestamp="timestamp")
    assert log._core.core_memory_bytes() / n <= 24
