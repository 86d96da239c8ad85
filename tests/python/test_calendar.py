import datetime as dt
import pickle

import numpy as np
import pandas as pd
import pytest

import cxkit

WEEKDAYS_9_17 = {d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")}


def test_always_is_elapsed_time():
    cal = cxkit.Calendar.always()
    assert cal.business_duration("2024-01-01", "2024-01-03 06:00") == pd.Timedelta(hours=54)


def test_default_is_weekdays_nine_to_five():
    assert cxkit.Calendar("UTC").working_hours == WEEKDAYS_9_17


def test_weekend_is_skipped():
    cal = cxkit.Calendar("Europe/Amsterdam", WEEKDAYS_9_17)
    # Friday 16:00 to Monday 10:00 local: one hour on Friday, one on Monday.
    assert cal.business_duration("2024-03-01 16:00+01:00", "2024-03-04 10:00+01:00") == pd.Timedelta(hours=2)
    assert cal.business_duration("2024-03-04 10:00+01:00", "2024-03-01 16:00+01:00") == pd.Timedelta(hours=-2)


def test_holidays_remove_their_working_hours():
    cal = cxkit.Calendar("UTC", WEEKDAYS_9_17, holidays=[dt.date(2024, 12, 25), "2024-12-26"])
    assert cal.business_duration("2024-12-23", "2024-12-30") == pd.Timedelta(hours=3 * 8)
    assert cal.holidays == [dt.date(2024, 12, 25), dt.date(2024, 12, 26)]


def test_add_business_time_rolls_over_nights_and_weekends():
    cal = cxkit.Calendar("America/New_York", WEEKDAYS_9_17)
    due = cal.add_business_time(pd.Timestamp("2024-03-08 15:00", tz="America/New_York"), "4h")
    # 2 hours on Friday, then Monday 09:00-11:00 (DST began on Sunday 2024-03-10).
    assert due == pd.Timestamp("2024-03-11 11:00", tz="America/New_York")
    assert str(due.tz) == "UTC"


def test_dst_day_counts_real_hours():
    cal = cxkit.Calendar("Europe/Amsterdam", {"sun": [("00:00", "24:00")]})
    assert cal.business_duration("2024-03-31 00:00+01:00", "2024-04-01 00:00+02:00") == pd.Timedelta(hours=23)
    assert cal.business_duration("2024-10-27 00:00+02:00", "2024-10-28 00:00+01:00") == pd.Timedelta(hours=25)


def test_vectorised_forms_agree_with_scalars():
    cal = cxkit.Calendar("Europe/Berlin", WEEKDAYS_9_17)
    rng = np.random.default_rng(3)
    start = pd.Series(pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 10**6, 50), unit="min"))
    end = start + pd.to_timedelta(rng.integers(0, 10**5, 50), unit="min")
    many = cal.business_duration(start, end)
    for s, e, d in zip(start, end, many):
        assert cal.business_duration(s, e) == pd.Timedelta(d)
    due = cal.add_business_time(start, pd.Timedelta(hours=5))
    for s, d in zip(start, due):
        assert cal.add_business_time(s, "5h") == d


def test_working_time_queries():
    cal = cxkit.Calendar("UTC", WEEKDAYS_9_17)
    assert cal.is_working_time("2024-03-04 10:00Z")
    assert not cal.is_working_time("2024-03-02 10:00Z")  # Saturday
    assert cal.next_working_time("2024-03-02 10:00Z") == pd.Timestamp("2024-03-04 09:00Z")


def test_bad_definitions_raise_clear_errors():
    with pytest.raises(KeyError, match="Mars/Olympus"):
        cxkit.Calendar("Mars/Olympus")
    with pytest.raises(ValueError, match="funday"):
        cxkit.Calendar("UTC", {"funday": [("09:00", "17:00")]})
    with pytest.raises(ValueError, match="25:00"):
        cxkit.Calendar("UTC", {"mon": [("09:00", "25:00")]})
    with pytest.raises(ValueError):
        cxkit.Calendar("UTC", {"mon": [("17:00", "09:00")]})
    with pytest.raises(ValueError):
        cxkit.Calendar("UTC", {})  # no working time at all


def test_equality_and_pickle():
    cal = cxkit.Calendar("Asia/Tehran", {"sat": [("08:00", "16:00")]}, holidays=["2024-03-20"])
    assert cal == pickle.loads(pickle.dumps(cal))
    assert cal != cxkit.Calendar("Asia/Tehran", {"sat": [("08:00", "15:00")]})
    assert pickle.loads(pickle.dumps(cxkit.Calendar.always())) == cxkit.Calendar.always()
