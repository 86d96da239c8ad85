"""Every public result and model pickles to an equal object; stored pickles of earlier versions still load.

Stored fixtures
---------------
``tests/python/data/pickles/<Class>.pkl`` hold pickles written by the cxkit version that added them.
A later cxkit must still load each one to an object equal to the one :data:`BUILDERS` builds now
(for models: the same parameters and predictions). When a class's state version goes up, keep the
old fixture (it is the compatibility test) and add the new one under a new name. Regenerate or add
fixtures only deliberately, with::

    PYTHONPATH=build/dev/python .venv/bin/python tests/python/test_pickles.py --write-fixtures [Class ...]

(existing files are left alone unless ``--overwrite`` is given). Each fixture stays under 50 KB.
"""
from __future__ import annotations

import functools
import html.parser
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import cxkit
import cxkit.churn
from cxkit import feedback, journey, moments

FIXTURES = Path(__file__).resolve().parent / "data" / "pickles"
MAX_FIXTURE_BYTES = 50_000


# ---- small, deterministic objects of every class (the fixtures are these, pickled) ----
@functools.lru_cache(maxsize=None)
def _company() -> cxkit.simulate.Company:
    return cxkit.simulate.company(n_accounts=6, months=3, seed=5)


def _log() -> cxkit.EventLog:
    df = pd.DataFrame({
        "case": ["a", "a", "a", "b", "b", "c", "c", "c"],
        "activity": ["signed", "kickoff", "go-live", "signed", "churned", "signed", "kickoff", "churned"],
        "timestamp": pd.to_datetime(["2024-01-01 09:00", "2024-01-03 10:00", "2024-01-10 12:00", "2024-01-02 08:00",
                                     "2024-02-01 08:00", "2024-01-05 09:30", "2024-01-06 11:00", "2024-03-01 00:00"],
                                    utc=True),
        "priority": ["P1", "P2", None, "P1", "P3", "P2", "P2", "P1"],
        "seats": [3, 3, 4, 10, 10, 1, 1, 2],
    })
    return cxkit.EventLog.from_pandas(df, case="case", activity="activity", timestamp="timestamp")


def _accounts() -> cxkit.Table:
    return cxkit.Table.from_pandas(pd.DataFrame({"account": ["a", "b", "c"], "tier": ["smb", "smb", "enterprise"],
                                                 "arr": [1200.0, 800.0, 50000.0]}), key="account")


def _design() -> journey.JourneyDesign:
    return journey.JourneyDesign.from_json({"stages": [
        {"name": "signed", "next": ["kickoff"]},
        {"name": "kickoff", "target": "3D", "next": ["go-live"]},
        {"name": "go-live", "mandatory": True}]})


def _moment() -> moments.Moment:
    return moments.Moment("kickoff fast", trigger="signed", fulfil="kickoff", within="16h", owner="CSM",
                          calendar=cxkit.Calendar("Europe/Berlin", {"mon": [("09:00", "17:00")],
                                                                    "tue": [("09:00", "17:00")]}))


def _occurrences() -> pd.DataFrame:
    return moments.evaluate(_log(), [_moment()], as_of="2024-04-01")


def _training() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(42)
    X = rng.normal(size=(40, 3))
    y = (X @ np.array([1.5, -1.0, 0.0]) + rng.normal(scale=0.7, size=40) > 0).astype(int)
    return X, y


def _survival() -> pd.DataFrame:
    return pd.DataFrame({"t": [5.0, 8, 3, 9, 4, 7, 6, 2, 10, 1], "e": [1, 1, 0, 1, 1, 0, 1, 1, 0, 1],
                         "x": [0.2, 1.0, 0.4, 0.1, 1.5, 0.3, 0.8, 1.2, -0.1, 2.0],
                         "g": ["u", "v", "u", "v", "u", "v", "u", "v", "u", "v"]})


def _scorecard() -> cxkit.churn.Scorecard:
    return cxkit.churn.Scorecard({"name": "health", "measures": [
        {"name": "logins_30d", "weight": 3, "scheme": {"type": "linear", "lower": 0, "upper": 20}},
        {"name": "open_p1_tickets", "scheme": {"type": "thresholds", "direction": "lower_is_better",
                                               "steps": [{"bound": 0, "points": 100}, {"bound": 2, "points": 50}]}}]})


def _feedback_frame() -> pd.DataFrame:
    texts = ["please add dark mode", "dark mode would be great", "dark mode please", "export to excel fails",
             "excel export is broken", "the excel export crashes", "love the product", "dark theme for night work"]
    return pd.DataFrame({"text": texts, "customer": [1, 2, 3, 1, 4, 5, 6, 7],
                         "time": pd.date_range("2024-01-01", periods=len(texts), freq="5D", tz="UTC")})


def _theme_counts() -> feedback.ThemeCounts:
    c = feedback.ThemeCounts("30D", origin="2024-01-01")
    c.add([0, 0, 1], pd.to_datetime(["2024-01-02", "2024-02-03", "2024-01-05"], utc=True), [7, 7, 8], [100.0, 100.0, 5.0])
    return c


def _notification_policy() -> moments.NotificationPolicy:
    return moments.NotificationPolicy(recipients=[{"id": "maria", "timezone": "Europe/Berlin", "manager": "li"},
                                                  {"id": "li"}],
                                      routes=[{"match": {"moment": "kickoff fast"}, "recipient": "maria"}],
                                      default_recipient="li")


BUILDERS: dict[str, Callable[[], Any]] = {
    "EventLog": _log,
    "Table": _accounts,
    "Calendar": lambda: cxkit.Calendar("America/New_York", {"mon": [("09:00", "12:00"), ("13:00", "17:00")]},
                                       holidays=["2024-07-04"]),
    "JourneyMap": lambda: journey.discover(_log()),
    "MarkovChain": lambda: journey.markov(_log(), absorbing=["churned"]),
    "FunnelResult": lambda: journey.funnel(_log(), ["signed", "kickoff", "go-live"], within="30D",
                                           segment_by=(_accounts(), "tier")),
    "JourneyDesign": _design,
    "Conformance": lambda: _design().check(_log(), as_of="2024-04-01", outcome={"a": 0.0, "b": 1.0, "c": 1.0}),
    "Playbook": lambda: journey.Playbook.from_json({"tasks": [
        {"name": "kickoff call", "duration": "1D", "owner": "CSM"},
        {"name": "workspace set up", "duration": "2D", "depends_on": ["kickoff call"]}]}),
    "Moment": _moment,
    "ComplianceSummary": lambda: moments.compliance_summary(_occurrences(), period="M"),
    "NotificationPolicy": _notification_policy,
    "LogisticRegression": lambda: cxkit.churn.LogisticRegression(C=0.5).fit(*_training()),
    "CoxPH": lambda: cxkit.churn.CoxPH(penalizer=0.1, strata="g").fit(_survival(), duration_col="t", event_col="e"),
    "KaplanMeier": lambda: cxkit.churn.KaplanMeier(alpha=0.1).fit(_survival()["t"], _survival()["e"], label="all"),
    "Scorecard": _scorecard,
    "BacktestResult": lambda: cxkit.churn.BacktestResult(
        folds=pd.DataFrame({"as_of": pd.to_datetime(["2024-02-01", "2024-03-01"], utc=True), "n_test": [10, 12],
                            "auc": [0.71, 0.75], "brier": [0.18, 0.16]}),
        scores=pd.DataFrame({"as_of": pd.to_datetime(["2024-02-01"] * 2, utc=True), "account": ["a", "b"],
                             "score": [0.2, 0.7], "churned": [0, 1]})),
    "ThemeResult": lambda: feedback.detect_themes(_feedback_frame()),
    "ThemeCounts": _theme_counts,
    "DuplicateResult": lambda: feedback.DuplicateResult([0, 0, -1, 1, 1], [[0, 1], [3, 4]], 3, 2),
    "TextIndex": lambda: feedback.TextIndex(["add dark mode", "export to excel", "dark theme please"]),
    "Company": _company,
}


# ---- what "the same" means for classes without a value equality (fitted models) ----
def _same_logistic(a: Any, b: Any) -> None:
    X, _ = _training()
    np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_array_equal(a.intercept_, b.intercept_)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert a.get_params() == b.get_params()


def _same_cox(a: Any, b: Any) -> None:
    df = _survival()
    pd.testing.assert_frame_equal(a.summary, b.summary, check_exact=True)
    pd.testing.assert_frame_equal(a.baseline_survival_, b.baseline_survival_, check_exact=True)
    pd.testing.assert_frame_equal(a.predict_survival_function(df), b.predict_survival_function(df), check_exact=True)
    assert a.concordance_index_ == b.concordance_index_
    assert (a.penalizer, a.strata, a.alpha) == (b.penalizer, b.strata, b.alpha)


def _same_km(a: Any, b: Any) -> None:
    pd.testing.assert_frame_equal(a.survival_function_, b.survival_function_, check_exact=True)
    pd.testing.assert_frame_equal(a.confidence_interval_, b.confidence_interval_, check_exact=True)
    pd.testing.assert_frame_equal(a.event_table, b.event_table, check_exact=True)
    np.testing.assert_array_equal(a.survival_at([0.5, 4.5, 20.0]), b.survival_at([0.5, 4.5, 20.0]))
    assert (a.alpha, a.label, a.median_survival_time_) == (b.alpha, b.label, b.median_survival_time_)


SAME: dict[str, Callable[[Any, Any], None]] = {"LogisticRegression": _same_logistic, "CoxPH": _same_cox,
                                               "KaplanMeier": _same_km}


def assert_same(name: str, a: Any, b: Any) -> None:
    assert type(a) is type(b)
    if name in SAME:
        SAME[name](a, b)
    else:
        assert a == b and b == a


# ---- round trips ----
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_round_trip_gives_an_equal_object(name):
    obj = BUILDERS[name]()
    back = pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
    assert_same(name, obj, back)
    assert_same(name, back, pickle.loads(pickle.dumps(back)))  # and again from the restored one


@pytest.mark.parametrize("name", sorted(set(BUILDERS) - set(SAME)))
def test_equality_sees_a_different_object(name):
    a = BUILDERS[name]()
    assert a == BUILDERS[name]()  # built twice: equal (deterministic)
    assert a != object() and not (a == 3)


def test_unequal_objects_compare_unequal():
    log = _log()
    df = log.to_pandas()
    other = cxkit.EventLog.from_pandas(df[df["activity"] != "go-live"], case="case", activity="activity",
                                       timestamp="timestamp")
    assert log != other
    assert journey.markov(log, absorbing=["churned"]) != journey.markov(other, absorbing=["churned"])
    steps = ["signed", "kickoff", "churned"]  # same counts; what a's drop did next (go-live) differs
    assert journey.funnel(log, steps) != journey.funnel(other, steps)
    assert feedback.TextIndex(["a b", "c"]) != feedback.TextIndex(["c", "a b"])
    occ = _occurrences()
    assert moments.compliance_summary(occ, period="M") != moments.compliance_summary(occ, period=None)
    assert _accounts() != cxkit.Table.from_pandas(_accounts().to_pandas().assign(arr=1.0), key="account")


@functools.lru_cache(maxsize=None)
def _bigger_company() -> cxkit.simulate.Company:
    return cxkit.simulate.company(n_accounts=80, months=8, seed=5)


def test_unpickled_markov_chain_answers_like_the_original():
    mc = journey.markov(_bigger_company().events, absorbing=["churned"])
    back = pickle.loads(pickle.dumps(mc))
    for method in ("transition_matrix", "transition_counts", "fundamental_matrix", "absorption_probabilities",
                   "expected_steps", "expected_time", "absorption_from_start"):
        expected, got = getattr(mc, method)(), getattr(back, method)()
        (pd.testing.assert_frame_equal if isinstance(expected, pd.DataFrame) else pd.testing.assert_series_equal)(
            got, expected, check_exact=True)
    # the answers are copies: changing one does not change the chain
    answer = back.transition_matrix()
    answer.iloc[0, 0] = 99.0
    assert back == mc


def test_unpickled_company_saves_what_the_original_saves(tmp_path):
    co = _company()
    back = pickle.loads(pickle.dumps(co))
    co.save(tmp_path / "a")
    back.save(tmp_path / "b")
    for f in ("accounts.csv", "events.csv", "feedback.csv", "truth.json"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()


def test_unpickled_text_index_and_models_answer_the_same():
    idx = BUILDERS["TextIndex"]()
    back = pickle.loads(pickle.dumps(idx))
    pd.testing.assert_frame_equal(back.similar("dark mode", k=3), idx.similar("dark mode", k=3))
    unfitted = pickle.loads(pickle.dumps(cxkit.churn.CoxPH(penalizer=0.3)))
    assert unfitted.penalizer == 0.3 and not hasattr(unfitted, "params_")
    assert pickle.loads(pickle.dumps(cxkit.churn.KaplanMeier(alpha=0.2))).alpha == 0.2


def test_cox_pickle_whose_training_frame_changed_is_refused():
    df = _survival()
    m = cxkit.churn.CoxPH(strata="g").fit(df, duration_col="t", event_col="e")
    state = m.__getstate__()
    df.loc[0, "x"] = 5.0  # the model keeps the frame by reference
    with pytest.raises(ValueError, match="modified after fit"):
        cxkit.churn.CoxPH.__new__(cxkit.churn.CoxPH).__setstate__(state)


# ---- a newer version is refused with a clear message ----
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_state_from_a_newer_cxkit_is_refused(name):
    obj = BUILDERS[name]()
    state = obj.__getstate__()
    fresh = type(obj).__new__(type(obj))
    if name == "LogisticRegression":  # scikit-learn's dict with cxkit's version key inside
        newer = {**state, "_cxkit_version": state["_cxkit_version"] + 1}
    else:
        newer = {**state, "version": state["version"] + 1}
    with pytest.raises(ValueError, match="written by a newer cxkit"):
        fresh.__setstate__(newer)
    with pytest.raises(ValueError, match="state version"):
        fresh.__setstate__({**newer, ("_cxkit_version" if name == "LogisticRegression" else "version"): "x"})


# ---- pickles written by earlier cxkit versions still load ----
def _fixture_names() -> list[str]:
    return sorted(p.stem for p in FIXTURES.glob("*.pkl"))


def test_every_class_has_a_stored_fixture():
    missing = sorted(set(BUILDERS) - set(_fixture_names()))
    assert not missing, (f"no stored pickle for {missing}: run "
                         "`python tests/python/test_pickles.py --write-fixtures` and commit the files")


@pytest.mark.parametrize("name", _fixture_names())
def test_stored_pickle_loads_to_an_equal_object(name):
    path = FIXTURES / f"{name}.pkl"
    assert path.stat().st_size < MAX_FIXTURE_BYTES
    import warnings
    with warnings.catch_warnings():  # a fixture from an older scikit-learn: its version warning is expected
        warnings.simplefilter("ignore")
        stored = pickle.loads(path.read_bytes())
    assert_same(name.split(".")[0], BUILDERS[name.split(".")[0]](), stored)


def write_fixtures(names: list[str], overwrite: bool = False) -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name in names or sorted(BUILDERS):
        path = FIXTURES / f"{name}.pkl"
        if path.exists() and not overwrite:
            print(f"kept     {path.name} (exists; --overwrite to replace)")
            continue
        data = pickle.dumps(BUILDERS[name](), protocol=4)  # protocol 4: readable by every supported Python
        if len(data) >= MAX_FIXTURE_BYTES:
            raise SystemExit(f"{name}: {len(data):,} bytes, over the {MAX_FIXTURE_BYTES:,} byte fixture budget")
        path.write_bytes(data)
        print(f"wrote    {path.name} ({len(data):,} bytes, cxkit {cxkit.__version__})")


# ---- notebooks: _repr_html_ ----
class _Checker(html.parser.HTMLParser):
    """Tags must nest and close (void tags aside); collects the text."""

    VOID = {"br", "hr", "img", "meta", "col", "input", "link", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []
        self.tables = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)
        self.tables += tag == "table"

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:] or 'nothing'}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _rendered(obj: Any) -> str:
    out = obj._repr_html_()
    p = _Checker()
    p.feed(out)
    p.close()
    assert not p.stack, f"unclosed tags {p.stack}"
    assert p.tables >= 1
    return " ".join(p.text)


def test_repr_html_journey_results():
    co = _bigger_company()
    jm = journey.discover(co.events)
    text = _rendered(jm)
    assert f"{jm.n_cases:,} cases" in text
    top = jm.edges.sort_values("count", ascending=False).iloc[0]
    assert top["source"] in text and str(int(top["count"])) in text

    mc = journey.markov(co.events, absorbing=["churned"])
    text = _rendered(mc)
    assert "churned" in text and f"{mc.n_cases:,} cases" in text
    f = journey.funnel(_log(), ["signed", "kickoff", "go-live"])
    text = _rendered(f)  # 3 entered, 1 reached go-live
    assert "3 customers entered" in text and "33.3% reached the last step" in text
    c = BUILDERS["Conformance"]()
    assert f"mean fitness {c.mean_fitness:.3f}" in _rendered(c)


def test_repr_html_moments_and_churn_results():
    s = BUILDERS["ComplianceSummary"]()
    frame = s.to_frame()
    text = _rendered(s)
    assert f"{int(frame['count'].sum()):,} clocks" in text and f"{int(frame['met'].sum()):,} met" in text
    card = _scorecard()
    text = _rendered(card)
    assert "health" in text and "logins_30d" in text and "75.0" in text  # weight 3 of 4 -> 75 of 100
    bt = BUILDERS["BacktestResult"]()
    text = _rendered(bt)
    assert "2 folds" in text and "auc 0.730" in text
    cox = BUILDERS["CoxPH"]()
    text = _rendered(cox)
    assert f"{cox.params_['x']:.4g}" in text and "10 rows" in text
    km = BUILDERS["KaplanMeier"]()
    text = _rendered(km)
    assert "10 subjects" in text and "7 events" in text and f"median survival {km.median_survival_time_:g}" in text
    assert "not fitted" in cxkit.churn.CoxPH()._repr_html_()


def test_repr_html_escapes_names():
    card = cxkit.churn.Scorecard({"name": "<b>x</b>", "measures": [
        {"name": "m", "scheme": {"type": "linear", "lower": 0, "upper": 1}}]})
    assert "<b>x</b>" not in card._repr_html_() and "&lt;b&gt;x&lt;/b&gt;" in card._repr_html_()


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or args[0] != "--write-fixtures":
        raise SystemExit("usage: test_pickles.py --write-fixtures [--overwrite] [Class ...]")
    write_fixtures([a for a in args[1:] if not a.startswith("--")], overwrite="--overwrite" in args)
