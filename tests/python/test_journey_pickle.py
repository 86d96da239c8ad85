"""JourneyMap pickles exactly (versioned byte format of the C++ core) and rejects bad bytes."""
import pickle

import numpy as np
import pandas as pd
import pytest

import cxkit


@pytest.fixture(scope="module")
def company():
    return cxkit.simulate.company(n_accounts=120, months=6, seed=11)


def _same_frame(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)


@pytest.mark.parametrize("durations", ["exact", "sketch", "moments", "none"])
def test_pickle_round_trip_is_exact(company, durations):
    jm = cxkit.journey.discover(company.events, durations=durations, quantiles=(0.1, 0.5, 0.99))
    back = pickle.loads(pickle.dumps(jm))
    assert back == jm
    assert back.n_cases == jm.n_cases and back.n_events == jm.n_events
    _same_frame(back.edges, jm.edges)
    _same_frame(back.variants(), jm.variants())
    _same_frame(back.activities, jm.activities)


def test_business_time_map_round_trips_with_its_calendar(company):
    cal = cxkit.Calendar("America/New_York", {"mon": [("09:00", "17:00")], "wed": [("10:00", "12:00")]},
                         holidays=["2024-01-01"])
    jm = cxkit.journey.discover(company.events, calendar=cal, durations="exact")
    back = cxkit.journey.JourneyMap.from_bytes(jm.to_bytes())
    assert back == jm
    _same_frame(back.edges, jm.edges)
    # A map in elapsed time is a different map (its durations and settings differ).
    assert back != cxkit.journey.discover(company.events, durations="exact")


def test_unpickled_parts_merge_into_the_whole(company):
    df = company.events.to_pandas()
    cases = df["case"].unique()
    halves = [df[df["case"].isin(cases[k::2])] for k in (0, 1)]
    maps = [pickle.loads(pickle.dumps(cxkit.journey.discover(
        cxkit.EventLog.from_pandas(h, case="case", activity="activity", timestamp="timestamp"))))
        for h in halves]
    assert maps[0].merge(maps[1]) == cxkit.journey.discover(company.events)


def test_bytes_start_with_magic_and_version(company):
    b = cxkit.journey.discover(company.events).to_bytes()
    assert b[:4] == b"CXJM" and b[4:8] == (2).to_bytes(4, "little")
    assert int.from_bytes(b[8:16], "little") == len(b) - 24


def test_bad_bytes_raise_value_error(company):
    b = cxkit.journey.discover(company.events, durations="sketch").to_bytes()
    with pytest.raises(ValueError, match="truncated"):
        cxkit.journey.JourneyMap.from_bytes(b[:-1])
    flipped = bytearray(b)
    flipped[len(b) // 2] ^= 0xFF
    with pytest.raises(ValueError, match="checksum"):
        cxkit.journey.JourneyMap.from_bytes(bytes(flipped))
    newer = bytearray(b)
    newer[4] = 3
    with pytest.raises(ValueError, match="newer cxkit"):
        cxkit.journey.JourneyMap.from_bytes(bytes(newer))
    with pytest.raises(ValueError, match="CXJM"):
        cxkit.journey.JourneyMap.from_bytes(b"\x80\x04not a map")


def test_newer_pickle_state_version_is_refused(company):
    jm = cxkit.journey.discover(company.events)
    state = jm.__getstate__()
    state["version"] = 2
    fresh = cxkit.journey.JourneyMap.__new__(cxkit.journey.JourneyMap)
    with pytest.raises(ValueError, match="newer cxkit"):
        fresh.__setstate__(state)


def test_empty_map_pickles():
    jm = cxkit.journey.discover(cxkit.EventLog())
    back = pickle.loads(pickle.dumps(jm))
    assert back == jm and back.n_cases == 0
    assert np.all(back.edges.columns == jm.edges.columns)


SEEDS = __import__("pathlib").Path(__file__).resolve().parents[2] / "fuzz" / "corpus" / "journey_map_io"


def _seed_log():
    ev = pd.DataFrame({"case": list("aaabbc"), "activity": ["signed", "call", "call", "signed", "churn", "signed"],
                       "timestamp": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 10:30", "2024-01-03 00:00",
                                                    "2024-01-02 00:00", "2024-02-01 00:00", "2024-01-05 00:00"],
                                                   utc=True)})
    return cxkit.EventLog.from_pandas(ev, case="case", activity="activity", timestamp="timestamp")


def test_bytes_written_by_format_version_1_still_load():
    # The fuzz seeds are maps of this 6-event log written by format version 1; later versions must
    # keep reading them. Version 2 (the variant cap) writes them back with its extra fields.
    log = _seed_log()
    cal = cxkit.Calendar("Europe/Berlin", {"mon": [("09:00", "12:00"), ("13:00", "17:00")], "fri": [("09:00", "13:00")]},
                         holidays=["2024-01-01"])
    expected = {
        "exact.bin": cxkit.journey.discover(log, durations="exact"),
        "sketch_bits3.bin": cxkit.journey.discover(log, durations="sketch", sketch_bits=3, quantiles=(0.5,)),
        "moments.bin": cxkit.journey.discover(log, durations="moments"),
        "none_no_variants.bin": cxkit.journey.discover(log, durations="none", variants=False, quantiles=()),
        "business_calendar.bin": cxkit.journey.discover(log, durations="exact", calendar=cal),
        "empty.bin": cxkit.journey.discover(cxkit.EventLog()),
    }
    for name, jm in expected.items():
        data = (SEEDS / name).read_bytes()
        assert data[4:8] == (1).to_bytes(4, "little"), name
        assert cxkit.journey.JourneyMap.from_bytes(data) == jm, name
        assert cxkit.journey.JourneyMap.from_bytes(jm.to_bytes()) == jm, name
    # Hand-checked facts of the seed log: a -> signed, call, call; b -> signed, churn; c -> signed.
    jm = cxkit.journey.JourneyMap.from_bytes((SEEDS / "exact.bin").read_bytes())
    assert jm.n_cases == 3 and jm.n_events == 6 and jm.rework_cases == 1
    e = jm.edges.set_index(["source", "target"])
    assert e.loc[("signed", "call"), "count"] == 1 and e.loc[("signed", "call"), "sum"] == 5400.0
    assert e.loc[("call", "call"), "sum"] == 37.5 * 3600 and e.loc[("signed", "churn"), "sum"] == 30 * 86400.0
