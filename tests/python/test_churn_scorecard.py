"""Health scorecards through Python: hand-computed scores, re-weighting, bands, change, JSON, pickle."""
import json
import pickle

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit.churn import Scorecard

# Adoption (60): logins_30d linear 0..20 (weight 3), seat_utilization linear 0.2..1.0 (weight 1);
# Support (40): open P1 tickets, 0 -> 100 points, 1-2 -> 50, more -> 0.
# Full weights: logins 45, seats 15, p1 40.
DEFINITION = {
    "name": "health",
    "min_coverage": 0.5,
    "groups": [
        {"name": "Adoption", "weight": 60, "measures": [
            {"name": "logins", "feature": "logins_30d", "weight": 3,
             "scheme": {"type": "linear", "lower": 0, "upper": 20}},
            {"name": "seats", "feature": "seat_utilization", "weight": 1,
             "scheme": {"type": "linear", "lower": 0.2, "upper": 1.0}}]},
        {"name": "Support", "weight": 40, "measures": [
            {"name": "p1", "feature": "open_p1_tickets",
             "scheme": {"type": "thresholds", "direction": "lower_is_better",
                        "steps": [{"bound": 0, "points": 100}, {"bound": 2, "points": 50}], "otherwise": 0}}]},
    ],
}


def features():
    return pd.DataFrame({"logins_30d": [10, 30, np.nan, 16, np.nan],
                         "seat_utilization": [0.6, 1.0, 0.8, np.nan, np.nan],
                         "open_p1_tickets": [1, 0, 3, np.nan, np.nan],
                         "unused": ["a", "b", "c", "d", "e"]},
                        index=pd.Index(["acme", "globex", "initech", "umbrella", "hooli"], name="account"))


def test_hand_computed_scores_bands_and_reweighting():
    card = Scorecard(DEFINITION)
    assert card.weights["weight"].tolist() == pytest.approx([45, 15, 40])
    out = card.score(features(), details=True)
    assert list(out.index) == ["acme", "globex", "initech", "umbrella", "hooli"]
    # acme: 50 points everywhere -> 50 (red); globex: full marks -> 100 (green).
    assert out.loc["acme", "score"] == pytest.approx(50)
    assert out.loc["acme", "band"] == "red"
    assert out.loc["acme", ["contribution_logins", "contribution_seats", "contribution_p1"]].tolist() == \
        pytest.approx([22.5, 7.5, 20])
    assert out.loc["globex", "score"] == pytest.approx(100) and out.loc["globex", "band"] == "green"
    # initech: logins missing, seats carry Adoption's 60: 75 * 0.6 + 0 * 0.4 = 45.
    assert out.loc["initech", "score"] == pytest.approx(45)
    assert out.loc["initech", "weight_seats"] == pytest.approx(60)
    assert out.loc["initech", "coverage"] == pytest.approx(0.55)
    assert np.isnan(out.loc["initech", "contribution_logins"])
    # umbrella: coverage 0.45 < 0.5 -> no score; hooli: nothing present.
    assert out.loc["umbrella", "coverage"] == pytest.approx(0.45)
    assert np.isnan(out.loc["umbrella", "score"]) and pd.isna(out.loc["umbrella", "band"])
    assert np.isnan(out.loc["hooli", "score"])
    assert list(out["band"].cat.categories) == ["red", "yellow", "green"]
    # Without the coverage rule umbrella scores its logins' 80 points.
    lenient = Scorecard({**DEFINITION, "min_coverage": 0.0})
    assert lenient.score(features()).loc["umbrella", "score"] == pytest.approx(80)


def test_change_since_the_previous_scores():
    card = Scorecard(DEFINITION)
    previous = pd.Series({"globex": 90.0, "acme": 60.0, "initech": np.nan})  # any order, aligned on the index
    out = card.score(features(), previous=previous)
    assert out.loc["acme", "change"] == pytest.approx(-10)
    assert out.loc["globex", "change"] == pytest.approx(10)
    assert np.isnan(out.loc["initech", "change"])  # previous unknown
    assert np.isnan(out.loc["umbrella", "change"])  # no score now
    # An earlier score() result works as `previous` too.
    again = card.score(features(), previous=out)
    assert again.loc[["acme", "globex", "initech"], "change"].tolist() == [0, 0, 0]


def test_json_round_trip_and_pickle():
    card = Scorecard(DEFINITION)
    back = Scorecard.from_json(card.to_json())
    assert back == card
    assert json.loads(card.to_json(indent=2)) == card.to_dict()
    assert card.to_dict()["groups"][1]["measures"][0]["scheme"]["steps"][1] == {"bound": 2.0, "points": 50.0}
    clone = pickle.loads(pickle.dumps(card))
    assert clone == card
    pd.testing.assert_frame_equal(clone.score(features()), card.score(features()))
    assert card.points("p1", 2) == 50 and card.points("logins", 5) == 25


def test_validation_names_the_bad_field():
    bad = json.loads(json.dumps(DEFINITION))
    bad["groups"][0]["measures"][1]["weight"] = 0
    with pytest.raises(ValueError, match=r"groups\[0\]\.measures\[1\]\.weight"):
        Scorecard(bad)
    with pytest.raises(ValueError, match=r"bands\[1\]\.min"):
        Scorecard({**DEFINITION, "bands": [{"name": "a", "min": 0, "max": 40}, {"name": "b", "min": 42, "max": 100}]})
    with pytest.raises(ValueError, match=r"measures\[0\]\.scheme\.upper"):
        Scorecard({"measures": [{"name": "m", "scheme": {"type": "linear", "lower": 3, "upper": 1}}]})
    with pytest.raises(KeyError, match="open_p1_tickets"):
        Scorecard(DEFINITION).score(features().drop(columns="open_p1_tickets"))
    with pytest.raises(TypeError):
        Scorecard(DEFINITION).score(features().assign(open_p1_tickets=["x"] * 5))


def test_explain_lists_the_costliest_measures_in_words():
    card = Scorecard({**DEFINITION, "min_coverage": 0.0})
    ex = card.explain(features(), top=2)
    acme = ex[ex["account"] == "acme"]
    # acme loses 22.5 (logins), 20 (p1) and 7.5 (seats) points: the top two, costliest first.
    assert acme["measure"].tolist() == ["logins", "p1"]
    assert acme["contribution"].tolist() == pytest.approx([-22.5, -20])
    assert acme["text"].iloc[1] == "1 open P1 ticket (-20 points)"
    assert acme["text"].iloc[0].startswith("10 logins in the last 30 days")
    assert ex[ex["account"] == "globex"].empty  # full marks: nothing to explain
    initech = ex[ex["account"] == "initech"]
    assert initech["measure"].tolist() == ["p1", "seats"]  # 3 tickets cost all 40 points; seats 15 of 60
    assert initech["contribution"].tolist() == pytest.approx([-40, -15])
