"""The sample company through the Python surface: determinism, round trip, distributions."""
import filecmp

import numpy as np
import pandas as pd
import pytest

import cxkit


@pytest.fixture(scope="module")
def co():
    return cxkit.simulate.company(n_accounts=600, months=12, seed=11)


def test_shapes_and_columns(co):
    acc = co.accounts
    assert len(acc) == 600 and acc["account"].iloc[0] == "A000001"
    for col in ("tier", "plan", "arr", "seats", "signup", "contract", "renewal_date", "owner", "region",
                "timezone", "industry", "churned", "churn_date"):
        assert col in acc.columns, col
    assert set(acc["tier"]) <= {"SMB", "Mid-market", "Enterprise"}
    assert len(co.events) > 600 * 12 * 5
    assert {"customer", "time", "channel", "type", "language", "text", "theme"} <= set(co.feedback.columns)
    assert co.truth["churn"]["drivers"], "the churn truth names its drivers"


def test_same_seed_same_bytes_different_seed_differs(tmp_path):
    a = cxkit.simulate.company(n_accounts=150, months=6, seed=3)
    b = cxkit.simulate.company(n_accounts=150, months=6, seed=3, threads=1)
    c = cxkit.simulate.company(n_accounts=150, months=6, seed=4)
    for name, co in (("a", a), ("b", b), ("c", c)):
        co.save(tmp_path / name)
    for f in ("accounts.csv", "events.csv", "feedback.csv", "truth.json"):
        assert filecmp.cmp(tmp_path / "a" / f, tmp_path / "b" / f, shallow=False), f
    assert not filecmp.cmp(tmp_path / "a" / "events.csv", tmp_path / "c" / "events.csv", shallow=False)


def test_saved_events_read_back_exactly(co, tmp_path):
    co.save(tmp_path)
    back = cxkit.read_csv(tmp_path / "events.csv", case="case", activity="activity", timestamp="timestamp")
    assert len(back.skipped_rows) == 0
    pd.testing.assert_frame_equal(back.to_pandas(), co.events.to_pandas())


def test_churned_accounts_have_no_usage_after_churn(co):
    ev = co.events.to_pandas()
    churn = co.accounts.set_index("account")["churn_date"].dropna()
    usage = ev[ev["activity"].isin(["login", "feature used"])]
    usage = usage[usage["case"].isin(churn.index)]
    assert (usage["timestamp"].to_numpy() <= churn.loc[usage["case"]].to_numpy()).all()


def test_nps_scores_are_on_the_scale(co):
    ev = co.events.to_pandas()
    s = ev.loc[ev["activity"] == "nps answered", "score"]
    assert len(s) > 100 and s.between(0, 10).all() and (s == s.round()).all()
    # All three NPS groups occur.
    assert (s >= 9).any() and s.between(7, 8).any() and (s <= 6).any()


def test_languages_in_configured_shares():
    co = cxkit.simulate.company(n_accounts=3000, months=3, seed=5, languages={"en": 0.5, "ru": 0.2, "pt": 0.2, "fa": 0.1})
    shares = co.accounts["language"].value_counts(normalize=True)
    for lang, p in {"en": 0.5, "ru": 0.2, "pt": 0.2, "fa": 0.1}.items():
        se = np.sqrt(p * (1 - p) / 3000)
        assert abs(shares[lang] - p) < 4 * se, (lang, shares[lang])


def test_unknown_option_is_a_type_error():
    with pytest.raises(TypeError, match="colour"):
        cxkit.simulate.company(n_accounts=10, colour="blue")


def test_bad_option_is_a_value_error_naming_it():
    with pytest.raises(ValueError, match="annual_churn_rate"):
        cxkit.simulate.company(n_accounts=10, annual_churn_rate=1.5)
