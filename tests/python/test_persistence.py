"""Persistence (issue #9): everything cxkit saves round-trips exactly, refuses a newer version with a clear
message, and fails cleanly when the saved bytes are truncated or corrupted.

Kinds covered here: churn model files (``to_json``/``from_json``/``save``/``load``), the JSON definitions
(journey design, playbook, moment, milestone rule, scorecard, notification policy) and every pickled class
of test_pickles.BUILDERS (whose plain round trips and version checks test_pickles.py already has). JourneyMap's
own byte format has its damage test in test_journey_pickle.py, so its pickle is left out here.

"Fails cleanly" means: a ValueError (cxkit.InputError is one), never a crash or another exception type from
cxkit's code. A damaged text that still reads as a valid object is fine only if that object survives its own
round trip: JSON and pickle carry no checksum, so a changed digit is a valid, different file.
"""
from __future__ import annotations

import json
import pickle
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import cxkit
import cxkit.churn
from cxkit import _core, journey, moments
from test_pickles import BUILDERS

CXKIT_DIRS = {Path(cxkit.__file__).resolve().parent, Path(cxkit.__file__).parent}


def _offsets(n: int, dense: int = 1500) -> Iterable[int]:
    """Every offset of a short text; for a long one an even sample plus both ends."""
    if n <= dense:
        return range(n)
    step = n / dense
    return sorted({int(i * step) for i in range(dense)} | set(range(32)) | set(range(max(0, n - 64), n)))


def _corruptions(data: bytes, positions: int = 400) -> Iterable[bytes]:
    """Single-byte changes at sampled positions: a zero, a flipped high bit, a digit, a quote."""
    for i in _offsets(len(data), positions):
        for b in {0, data[i] ^ 0x80, ord("7"), ord('"')} - {data[i]}:
            yield data[:i] + bytes([b]) + data[i + 1:]


# ---- model files ----
def _logistic_frame() -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(11)
    X = pd.DataFrame(rng.normal(size=(120, 3)) * [1.0, 5.0, 0.1], columns=["logins_30d", "tickets_90d", "nps"])
    y = np.where(X["logins_30d"] - 0.2 * X["tickets_90d"] + rng.normal(size=120) > 0, "churned", "renewed")
    return X, y


def _survival(strata: list[str]) -> pd.DataFrame:
    df = pd.DataFrame({"t": [5.0, 8, 3, 9, 4, 7, 6, 2, 10, 1, 4, 6], "e": [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1],
                       "x": [0.2, 1.0, 0.4, 0.1, 1.5, 0.3, 0.8, 1.2, -0.1, 2.0, 0.6, 0.9],
                       "z": [1.0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0],
                       "plan": ["a", "b"] * 6, "seats": [1, 1, 2, 2] * 3})
    return df[["t", "e", "x", "z", *strata]]


LOGISTIC_SETTINGS = [dict(C=0.5), dict(C=np.inf), dict(class_weight="balanced", solver="lbfgs", tol=1e-8),
                     dict(class_weight={"churned": 3.0}, fit_intercept=False)]


@pytest.mark.parametrize("settings", LOGISTIC_SETTINGS, ids=lambda s: ",".join(map(str, s.values())))
def test_logistic_model_file_round_trips_and_predicts_bit_identically(settings):
    X, y = _logistic_frame()
    m = cxkit.churn.LogisticRegression(**settings).fit(X, y)
    text = m.to_json()
    back = cxkit.churn.LogisticRegression.from_json(text)
    assert back.get_params() == m.get_params()
    for attr in ("classes_", "coef_", "intercept_", "n_iter_", "feature_means_", "feature_names_in_"):
        np.testing.assert_array_equal(getattr(back, attr), getattr(m, attr))
    assert (back.converged_, back.objective_, back.n_features_in_) == (m.converged_, m.objective_, m.n_features_in_)
    for method in ("predict_proba", "decision_function", "predict"):
        a, b = getattr(m, method)(X), getattr(back, method)(X)
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()  # bit for bit
    pd.testing.assert_frame_equal(back.explain(X), m.explain(X), check_exact=True)
    assert back.to_json() == text  # and the file itself is a fixed point
    assert json.loads(m.to_json(indent=2)) == json.loads(text)


def test_logistic_model_file_keeps_label_types_and_unnamed_features():
    X, _ = _logistic_frame()
    A = X.to_numpy()
    for y in ([True, False] * 60, np.arange(120) % 2, (np.arange(120) % 2) * 2.0 - 1.0):
        m = cxkit.churn.LogisticRegression().fit(A, y)
        back = cxkit.churn.LogisticRegression.from_json(m.to_json())
        assert [type(c) for c in back.classes_.tolist()] == [type(c) for c in m.classes_.tolist()]
        np.testing.assert_array_equal(back.predict(A), m.predict(A))
        assert not hasattr(back, "feature_names_in_") and back.n_features_in_ == 3


@pytest.mark.parametrize("strata", [[], ["plan"], ["plan", "seats"]], ids=["none", "plan", "plan+seats"])
def test_cox_model_file_round_trips_and_predicts_bit_identically(strata):
    df = _survival(strata)
    m = cxkit.churn.CoxPH(penalizer=0.1, strata=strata or None).fit(df, duration_col="t", event_col="e")
    text = m.to_json()
    back = cxkit.churn.CoxPH.from_json(text)
    assert (back.penalizer, back.strata, back.alpha, back.max_iter, back.tol) == (
        m.penalizer, m.strata, m.alpha, m.max_iter, m.tol)
    pd.testing.assert_frame_equal(back.summary, m.summary, check_exact=True)
    pd.testing.assert_frame_equal(back.baseline_survival_, m.baseline_survival_, check_exact=True)
    times = [0.5, 1.0, 2.5, 6.0, 10.0, 99.0]  # before, on, between and after the baseline times
    pd.testing.assert_frame_equal(back.predict_survival_function(df, times), m.predict_survival_function(df, times),
                                  check_exact=True)
    pd.testing.assert_series_equal(back.predict_event_probability(df, df["t"] + 0.5),
                                   m.predict_event_probability(df, df["t"] + 0.5), check_exact=True)
    pd.testing.assert_series_equal(back.predict_partial_hazard(df), m.predict_partial_hazard(df), check_exact=True)
    pd.testing.assert_frame_equal(back.explain(df), m.explain(df), check_exact=True)
    assert back.concordance_index_ == m.concordance_index_ and back.log_likelihood_ == m.log_likelihood_
    assert "read from a model file" in back._repr_html_()
    assert back.to_json() == text
    # pickled without a training frame: it pickles as its model file and comes back the same
    again = pickle.loads(pickle.dumps(back))
    assert again.to_json() == text
    pd.testing.assert_frame_equal(again.summary, m.summary, check_exact=True)
    if strata:
        unseen = df.head(1).assign(plan="zzz")
        with pytest.raises(KeyError, match="was not seen"):
            back.predict_event_probability(unseen, 3.0)


def test_save_load_and_load_model(tmp_path):
    X, y = _logistic_frame()
    lr = cxkit.churn.LogisticRegression().fit(X, y)
    cox = cxkit.churn.CoxPH().fit(_survival([]), duration_col="t", event_col="e")
    lr.save(tmp_path / "lr.json")
    cox.save(tmp_path / "cox.json")
    assert json.loads((tmp_path / "lr.json").read_text())["kind"] == "logistic_regression"
    assert cxkit.churn.LogisticRegression.load(tmp_path / "lr.json").to_json() == lr.to_json()
    assert cxkit.churn.CoxPH.load(tmp_path / "cox.json").to_json() == cox.to_json()
    assert isinstance(cxkit.churn.load_model(tmp_path / "cox.json"), cxkit.churn.CoxPH)
    assert isinstance(cxkit.churn.load_model(str(tmp_path / "lr.json")), cxkit.churn.LogisticRegression)
    with pytest.raises(ValueError, match="holds a cox_ph model, not a logistic_regression"):
        cxkit.churn.LogisticRegression.load(tmp_path / "cox.json")
    (tmp_path / "bad.json").write_bytes(b"\xff\xfe{")
    with pytest.raises(ValueError, match="not UTF-8"):
        cxkit.churn.load_model(tmp_path / "bad.json")


def test_model_files_refuse_what_they_cannot_hold():
    with pytest.raises(ValueError, match="not fitted"):
        cxkit.churn.CoxPH().to_json()
    from sklearn.exceptions import NotFittedError
    with pytest.raises(NotFittedError):
        cxkit.churn.LogisticRegression().to_json()
    df = _survival([]).rename(columns={"x": 7})
    with pytest.raises(ValueError, match="string covariate names; 7 is a int"):
        cxkit.churn.CoxPH().fit(df, duration_col="t", event_col="e").to_json()
    X, _ = _logistic_frame()
    y = [(1, 2), (3, 4)] * 60
    m = cxkit.churn.LogisticRegression().fit(X.to_numpy(), [str(v) for v in y])
    m.classes_ = np.array([(1, 2), (3, 4)], dtype=object)  # tuples: no JSON scalar for them
    with pytest.raises(TypeError, match="label must be str, int, float or bool"):
        m.to_json()


def _model_files() -> dict[str, str]:
    X, y = _logistic_frame()
    return {"logistic": cxkit.churn.LogisticRegression(class_weight={"churned": 2.0}).fit(X, y).to_json(indent=1),
            "cox": cxkit.churn.CoxPH(strata="plan").fit(_survival(["plan"]), duration_col="t",
                                                       event_col="e").to_json()}


@pytest.mark.parametrize("kind", ["logistic", "cox"])
def test_model_file_from_a_newer_version_is_refused(kind):
    doc = json.loads(_model_files()[kind])
    doc["version"] = 2
    doc["something_new"] = {"a": 1}  # a newer file may carry keys this reader does not know
    with pytest.raises(ValueError, match=r"model file version 2 is newer than this cxkit reads \(1\); upgrade cxkit"):
        (cxkit.churn.LogisticRegression if kind == "logistic" else cxkit.churn.CoxPH).from_json(json.dumps(doc))


def test_model_file_errors_name_the_key():
    doc = json.loads(_model_files()["cox"])
    doc["settings"]["penalty"] = 0.1
    with pytest.raises(ValueError, match=r"model file, column 'settings.penalty': unknown field"):
        cxkit.churn.CoxPH.from_json(json.dumps(doc))
    doc = json.loads(_model_files()["logistic"])
    doc["coef"] = doc["coef"][:-1]
    with pytest.raises(ValueError, match=r"column 'features': has 3 entries, expected 2 \(one per coefficient\)"):
        cxkit.churn.LogisticRegression.from_json(json.dumps(doc))
    doc = json.loads(_model_files()["logistic"])
    doc["intercept"] = "Infinity"
    with pytest.raises(ValueError, match=r"column 'intercept'.*NaN and infinities are not allowed"):
        cxkit.churn.LogisticRegression.from_json(json.dumps(doc))


@pytest.mark.parametrize("kind", ["logistic", "cox"])
def test_truncated_or_corrupted_model_files_fail_cleanly(kind):
    text = _model_files()[kind].encode()
    read = cxkit.churn.LogisticRegression.from_json if kind == "logistic" else cxkit.churn.CoxPH.from_json
    for cut in _offsets(len(text)):
        with pytest.raises(ValueError):
            read(text[:cut])
    accepted = 0
    for bad in _corruptions(text, positions=len(text)):
        try:
            model = read(bad)
        except ValueError:
            continue
        accepted += 1
        assert read(model.to_json()).to_json() == model.to_json()
    assert accepted > 0  # changed digits: valid, different files (and the check above ran)


# ---- JSON definitions ----
def _definitions() -> dict[str, tuple[str, Callable[[str], Any], Callable[[Any], str]]]:
    """name -> (JSON text, reader from text, writer to text)."""
    design = BUILDERS["JourneyDesign"]()
    playbook = BUILDERS["Playbook"]()
    moment = BUILDERS["Moment"]()
    policy = BUILDERS["NotificationPolicy"]()
    card = BUILDERS["Scorecard"]()
    rule = moments.milestone_rule({"name": "power user", "kind": "nth_activity",
                                   "event": {"activity": "report exported", "where": {"plan": "pro"}}, "count": 100})
    return {
        "JourneyDesign": (json.dumps(design.to_json()), journey.JourneyDesign.from_json, lambda d: json.dumps(d.to_json())),
        "Playbook": (json.dumps(playbook.to_json()), journey.Playbook.from_json, lambda d: json.dumps(d.to_json())),
        "Moment": (json.dumps(moment.to_json()), moments.Moment.from_json, lambda d: json.dumps(d.to_json())),
        "NotificationPolicy": (json.dumps(policy.to_json()), moments.NotificationPolicy.from_json,
                               lambda d: json.dumps(d.to_json())),
        "Scorecard": (card.to_json(), cxkit.churn.Scorecard.from_json, lambda d: d.to_json()),
        "MilestoneRule": (json.dumps(rule), _core.milestone_rule_normalize, lambda d: d),
    }


DEFINITIONS = ["JourneyDesign", "Playbook", "Moment", "NotificationPolicy", "Scorecard", "MilestoneRule"]


@pytest.mark.parametrize("name", DEFINITIONS)
def test_definition_round_trips_exactly(name):
    text, read, write = _definitions()[name]
    once = write(read(text))
    assert json.loads(once) == json.loads(text)
    assert write(read(once)) == once


@pytest.mark.parametrize("name", DEFINITIONS)
def test_definition_from_a_newer_cxkit_is_refused_naming_the_field(name):
    # Definitions carry no format version: what a newer cxkit adds is a field, and an unknown field
    # is refused by name rather than ignored (so a definition never silently means less than it says).
    text, read, _ = _definitions()[name]
    doc = json.loads(text)
    doc["version"] = 2
    with pytest.raises(ValueError, match=r"'version'.*unknown field"):
        read(json.dumps(doc))


@pytest.mark.parametrize("name", DEFINITIONS)
def test_truncated_or_corrupted_definitions_fail_cleanly(name):
    text, read, write = _definitions()[name]
    for cut in _offsets(len(text)):
        with pytest.raises(ValueError):
            read(text[:cut])
    for bad in _corruptions(text.encode(), positions=len(text)):
        try:
            obj = read(bad.decode("utf-8", errors="replace"))
        except ValueError:
            continue
        again = write(read(write(obj)))  # a different but valid definition: it must round-trip
        assert again == write(obj)


# ---- pickles ----
# A changed byte in a pickle can crash the interpreter inside numpy's or CPython's own unpickling
# (an array's shape no longer matching its data; protocol-5 buffers), before any cxkit code runs:
# pickle is not a damage-safe format, and that is outside cxkit. So the damaged pickles are loaded
# in a worker process; a crash counts against cxkit only when faulthandler's Python stack at the
# crash passes through cxkit's code.
PICKLED = sorted(set(BUILDERS) - {"JourneyMap"})
MODELS = {"LogisticRegression", "CoxPH", "KaplanMeier"}  # no ==: their round trip is the reload itself


def _damaged_pickles(name: str) -> list[bytes]:
    data = pickle.dumps(BUILDERS[name](), protocol=pickle.HIGHEST_PROTOCOL)
    return [data[:cut] for cut in _offsets(len(data), dense=400)] + list(_corruptions(data, positions=150))


def _cxkit_frames(exc: BaseException) -> list[traceback.FrameSummary]:
    return [f for f in traceback.extract_tb(exc.__traceback__)
            if any(d in Path(f.filename).parents for d in CXKIT_DIRS)]


def _verdict(name: str, bad: bytes) -> str | None:
    """None if the damaged pickle failed cleanly (or pickle's own machinery refused it), else what went wrong."""
    try:
        back = pickle.loads(bad)
    except ValueError:
        return None
    except Exception as e:  # noqa: BLE001 - every exception is classified
        frames = _cxkit_frames(e)
        if not frames:
            return None  # raised by pickle / numpy / pandas before cxkit's code ran
        f = frames[-1]
        return f"{type(e).__name__} in {Path(f.filename).name}:{f.name}: {e}"
    if type(back) is not type(BUILDERS[name]()):
        return None  # the changed opcodes built some other object: pickle's doing
    try:
        again = pickle.loads(pickle.dumps(back))
        if name not in MODELS and not (again == back):
            return "loaded a different object that does not survive its own round trip"
    except ValueError:
        return None
    except Exception as e:  # noqa: BLE001
        return f"loaded, but its round trip raised {type(e).__name__}: {e}"
    return None


_WORKER = """
import faulthandler, json, os, sys
faulthandler.enable()
import test_persistence as tp
name, start = sys.argv[1], int(sys.argv[2])
for i, bad in enumerate(tp._damaged_pickles(name)):
    if i >= start:
        os.write(1, f"IDX {i}\\n".encode())
        v = tp._verdict(name, bad)
        if v:
            os.write(1, ("BAD " + json.dumps([i, v]) + "\\n").encode())
os.write(1, b"DONE\\n")
"""


def _damage_report(name: str) -> tuple[list[str], int]:
    """(violations, crashes outside cxkit) over every damaged pickle of `name`."""
    import os
    import subprocess
    import sys
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parent), *sys.path]))
    violations: list[str] = []
    outside, start = 0, 0
    for _ in range(50):  # one restart per crash, at most
        run = subprocess.run([sys.executable, "-c", _WORKER, name, str(start)], capture_output=True, text=True,
                             env=env, timeout=600)
        lines = run.stdout.splitlines()
        violations += [json.loads(x[4:])[1] for x in lines if x.startswith("BAD ")]
        if "DONE" in lines:
            return violations, outside
        last = max(int(x[4:]) for x in lines if x.startswith("IDX "))
        stack = run.stderr[run.stderr.find("most recent call first"):]
        if any(str(d) in stack for d in CXKIT_DIRS):
            violations.append(f"input {last} crashed the interpreter in cxkit's code:\n{stack[:2000]}")
        else:
            outside += 1
        start = last + 1
    raise AssertionError(f"{name}: more than 50 crashes")


def _kind(violation: str) -> str:
    """"KeyError in journey.py:__init__: 'states'" -> "KeyError in journey.py:__init__"."""
    if violation.startswith("loaded, but its round trip raised "):
        return "round trip of the loaded object raised " + violation.split(": ")[0].rsplit(" ", 1)[-1]
    return violation.split(": ")[0]


@pytest.mark.parametrize("name", PICKLED)
def test_truncated_or_corrupted_pickles_fail_cleanly(name):
    """Every class's ``__setstate__`` checks its state's fields (``_time.state_fields``) and turns what
    rebuilding from a still-damaged state raises into a ValueError naming the class (``_time.state_damage``):
    no damaged pickle may surface as a KeyError / IndexError / AttributeError / TypeError from cxkit's code,
    nor load as an object that fails its own round trip. A crash in cxkit's code fails too."""
    from collections import Counter
    violations, _outside = _damage_report(name)
    crashes = [v for v in violations if "crashed the interpreter" in v]
    assert not crashes, crashes[0]
    kinds = Counter(_kind(v) for v in violations)
    assert not violations, (f"{name}: {len(violations)} damaged pickles fail with other than ValueError: "
                            + "; ".join(f"{k} (x{n})" for k, n in kinds.most_common()) + ", e.g.\n"
                            + "\n".join(violations[:5]))
