"""The report configuration is checked in full before any data is read: every bad value raises one
ConfigError naming the file and the key path, never a foreign exception (fuzz/fuzz_config.py
holds the same contract on arbitrary input)."""
from __future__ import annotations

import copy
import json
import pathlib
from typing import Any

import pytest

from cxkit.report_config import DEFAULTS, ConfigError, load_config, loads_config

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "cxkit.json.example").read_text(encoding="utf-8"))


def _with(path: str, value: Any) -> dict[str, Any]:
    """The example configuration with the value at dotted ``path`` replaced."""
    cfg = copy.deepcopy(EXAMPLE)
    node = cfg
    *parents, last = path.split(".")
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return cfg


def test_the_example_and_the_defaults_pass() -> None:
    cfg = load_config(ROOT / "cxkit.json.example")
    assert cfg["$source"].endswith("cxkit.json.example")
    assert load_config({})["churn"]["horizon"] == DEFAULTS["churn"]["horizon"]


@pytest.mark.parametrize("path, value, message", [
    ("title", 5, "title: expected a non-empty string"),
    ("events.case", "", "events.case: expected a non-empty string"),
    ("events.sep", ";;", "events.sep: expected one character"),
    ("events.attributes.score", "float", "events.attributes.score: must be one of"),
    ("accounts.columns.arr", ["arr"], "accounts.columns.arr: expected a non-empty string"),
    ("feedback.id", 3, "feedback.id: expected a non-empty string or null"),
    ("calendars.berlin.timezone", "Mars/Olympus", "calendars.berlin:"),
    ("calendars.berlin.working_hours", {"mon": [["17:00", "09:00"]]}, "calendars.berlin:"),
    ("calendars.berlin", "Europe/Berlin", "calendars.berlin: expected an object"),
    ("journey.onboarding", "signed", "journey.onboarding: expected a list of strings"),
    ("journey.funnel.steps", ["signed", 4], "journey.funnel.steps[1]"),
    ("journey.funnel.within", "soon", "journey.funnel.within: not a duration"),
    ("journey.funnel.within", "-5D", "journey.funnel.within: must be a positive duration"),
    ("journey.design", {"stages": [{"name": "a", "next": ["nowhere"]}]}, "journey.design:"),
    ("journey.playbook", {"tasks": [{"name": "a", "duration": "1D", "depends_on": ["a"]}]}, "journey.playbook:"),
    ("moments.0.within", "eventually", "moments[0]:"),
    ("moments.0.calendar", "nowhere", "moments[0].calendar: no calendar named 'nowhere'"),
    ("notifications", {"recipients": 3}, "notifications:"),
    ("scorecard", {"name": "x", "bands": [], "groups": []}, "scorecard:"),
    ("churn.as_of", "last tuesday", "churn.as_of: expected a date"),
    ("churn.as_of", 20250630, "churn.as_of: expected a date"),
    ("churn.horizon", 90, "churn.horizon: expected a duration"),
    ("churn.windows", [], "churn.windows: expected a non-empty list"),
    ("churn.windows", ["30D", "0D"], "churn.windows[1]: must be a positive duration"),
    ("churn.backtest_folds", 0, "churn.backtest_folds: expected an integer >= 1"),
    ("churn.backtest_folds", True, "churn.backtest_folds: expected an integer >= 1"),
    ("churn.backtest_folds", 2.5, "churn.backtest_folds: expected an integer >= 1"),
    ("themes.min_customers", "5", "themes.min_customers: expected an integer >= 1"),
    ("themes.threshold", 1.5, "themes.threshold: expected a number in (0, 1]"),
    ("themes.exclude_types", [None], "themes.exclude_types[0]"),
])
def test_every_bad_value_is_named_before_any_data_is_read(path: str, value: Any, message: str) -> None:
    with pytest.raises(ConfigError) as e:
        load_config(_with(path, value))
    assert str(e.value).startswith("config: ") and message in str(e.value), str(e.value)


def test_moment_calendar_by_must_name_known_calendars() -> None:
    cfg = copy.deepcopy(EXAMPLE)
    cfg["moment_calendar_by"] = {"column": "hub", "calendars": {"EMEA": "berlin", "US": "chicago"}}
    with pytest.raises(ConfigError, match=r"moment_calendar_by\.calendars\.US: no calendar named 'chicago'"):
        load_config(cfg)
    cfg["moment_calendar_by"] = {"column": "hub", "calendar": {}}
    with pytest.raises(ConfigError, match=r"moment_calendar_by: expected"):
        load_config(cfg)


def test_file_faults_name_the_file(tmp_path: pathlib.Path) -> None:
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b'{"title": "Caf\xe9"}')
    with pytest.raises(ConfigError, match=r"latin1\.json: byte 14: not UTF-8 \(0xe9\)"):
        load_config(bad)
    with pytest.raises(ConfigError, match=r"missing\.json: no such file"):
        load_config(tmp_path / "missing.json")
    with pytest.raises(ConfigError, match=r"dir: cannot read"):
        (tmp_path / "dir").mkdir()
        load_config(tmp_path / "dir")


@pytest.mark.parametrize("text, message", [
    ('{"themes": {"threshold": NaN}}', "NaN is not a JSON number"),
    ('{"themes": {"threshold": -Infinity}}', "-Infinity is not a JSON number"),
    ("[" * 100_000 + "]" * 100_000, "invalid JSON"),
    ('["a list"]', "<top>: expected an object"),
    ("", "line 1, column 1: invalid JSON"),
])
def test_malformed_text_is_a_config_error(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as e:
        loads_config(text, "x.json")
    assert str(e.value).startswith("x.json: ") and message in str(e.value), str(e.value)


def test_an_accepted_configuration_survives_its_round_trip() -> None:
    cfg = loads_config(json.dumps(EXAMPLE), "a.json")
    cfg.pop("$source")
    again = loads_config(json.dumps(cfg), "a.json")
    again.pop("$source")
    assert again == cfg
