"""`python -m cxkit report`: a company's own exports and a JSON configuration in, the report out.

The sample company is written as CSV with renamed columns (as a real export would name them),
read back through the configuration's mappings, and the report is checked section by section,
including in headless Chromium. Bad configurations end with exit code 2 and a message that
names the key.
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

import cxkit
from cxkit.demo import sample_config
from cxkit.report_config import DEFAULTS, ConfigError, load_config

ROOT = pathlib.Path(__file__).resolve().parents[2]
SECTIONS = ["the-company", "journeys", "moments-of-truth", "churn-risk", "feedback"]


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    co = cxkit.simulate.company(n_accounts=400, months=18, seed=11)
    d = tmp_path_factory.mktemp("exports")
    co.save(d)
    # Rename columns the way another company's systems would name them.
    ev = pd.read_csv(d / "events.csv").rename(columns={"case": "account_id", "activity": "event",
                                                       "timestamp": "occurred_at"})
    ev.to_csv(d / "events.csv", index=False)
    acc = pd.read_csv(d / "accounts.csv").rename(columns={"account": "account_id", "arr": "arr_usd",
                                                          "signup": "signed_at"})
    acc.to_csv(d / "accounts.csv", index=False)
    cfg = sample_config(co)
    cfg["events"] = {"case": "account_id", "activity": "event", "timestamp": "occurred_at",
                     "attributes": {"ticket": "categorical", "priority": "categorical", "feature": "categorical",
                                    "actor": "categorical"}}
    cfg["accounts"] = {"key": "account_id", "columns": {"arr": "arr_usd", "signup": "signed_at"}}
    (d / "cxkit.json").write_text(json.dumps(cfg), encoding="utf-8")
    return {"dir": d, "company": co, "config": cfg}


def _run(args: list[str], cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # The child imports the same cxkit as this process (the tests may run from a build's staging dir).
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(cxkit.__file__)))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "cxkit", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def report(exports: dict[str, object]) -> pathlib.Path:
    d = exports["dir"]
    r = _run(["report", "--events", "events.csv", "--accounts", "accounts.csv", "--feedback", "feedback.csv",
              "--config", "cxkit.json", "--out", "out"], d)
    assert r.returncode == 0, r.stderr
    return d / "out"


def test_report_has_every_section_and_its_tables(report: pathlib.Path, exports: dict[str, object]) -> None:
    page = (report / "index.html").read_text(encoding="utf-8")
    for sec in SECTIONS:
        assert f'<section id="{sec}">' in page, sec
    assert page.count("data:image/png;base64,") >= 3
    assert not re.search(r"""(src|href)=["']https?://""", page), "the page must not fetch anything"
    co = exports["company"]
    # The tables agree with the data read through the mappings.
    summary = pd.read_csv(report / "summary.csv", dtype=str)
    assert summary["accounts"].iloc[0].replace(",", "") == str(len(co.accounts))
    assert summary["events"].iloc[0].replace(",", "") == str(len(co.events))
    compliance = pd.read_csv(report / "moments_compliance.csv")
    assert set(compliance["moment"]) == {"welcome within 1 day", "first reply"}
    at_risk = pd.read_csv(report / "accounts_at_risk.csv")
    assert at_risk["risk"].between(0, 1).all() and len(at_risk) > 0
    for name in ("journey_edges", "funnel", "open_clocks", "retention_by_segment", "feedback_themes"):
        assert (report / f"{name}.csv").exists(), name


def test_report_renders_in_headless_chromium(report: pathlib.Path, tmp_path: pathlib.Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    assert browser, "chromium is installed by scripts/bootstrap"
    r = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                        (report / "index.html").resolve().as_uri()],
                       # without scripts/sanitize's ASan preload: the browser is not ours to check
                       env={k: v for k, v in os.environ.items() if k != "LD_PRELOAD"},
                       capture_output=True, text=True, timeout=180)
    dom = r.stdout
    assert r.returncode == 0 and "<body" in dom, r.stderr[-2000:]
    for sec in SECTIONS:
        assert f'id="{sec}"' in dom, sec
    assert len(re.findall(r"<img [^>]*src=\"data:image/png;base64,", dom)) >= 3
    assert "sortable" in dom and "<table" in dom


def test_example_config_documents_every_key() -> None:
    example = json.loads((ROOT / "cxkit.json.example").read_text(encoding="utf-8"))
    load_config(ROOT / "cxkit.json.example")
    guide = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")

    def walk(defaults: dict[str, object], given: dict[str, object], path: str) -> None:
        for key, value in defaults.items():
            where = f"{path}.{key}" if path else key
            assert key in given, f"cxkit.json.example lacks {where}"
            assert f"`{where}`" in guide, f"docs/cli.md does not document {where}"
            if isinstance(value, dict) and value and isinstance(given[key], dict) and where not in (
                    "events.attributes", "accounts.columns", "calendars"):
                walk(value, given[key], where)

    walk(DEFAULTS, example, "")


@pytest.mark.parametrize("patch, message", [
    ({"journey": {"onbording": []}}, "journey.onbording: unknown key"),
    ({"events": {"on_bad_row": "ignore"}}, "events.on_bad_row"),
    ({"moments": [{"name": "x", "trigger": "signed", "fulfil": "welcome sent"}]}, "moments[0]"),
    ({"moments": [{"name": "x", "trigger": "signed", "fulfil": "welcome sent", "within": "1h", "calendar": "nowhere"}]},
     "moments[0].calendar"),
    ({"journey": {"onboarding": ["signed", "no such step"]}}, "journey.onboarding"),
    ({"accounts": {"key": "account_id", "columns": {"arr": "no_such_column"}}}, "no_such_column"),
])
def test_bad_configuration_names_the_key(exports: dict[str, object], tmp_path: pathlib.Path,
                                         patch: dict[str, object], message: str) -> None:
    cfg = dict(exports["config"])
    for k, v in patch.items():
        cfg[k] = {**cfg[k], **v} if isinstance(v, dict) and isinstance(cfg.get(k), dict) else v
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(cfg), encoding="utf-8")
    d = exports["dir"]
    r = _run(["report", "--events", "events.csv", "--accounts", "accounts.csv", "--config", str(path),
              "--out", str(tmp_path / "out")], d)
    assert r.returncode == 2, r.stdout + r.stderr
    assert message in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_invalid_json_names_line_and_column(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "title": "x",\n  "events": {"case": }\n}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken.json: line 3, column 22"):
        load_config(path)
