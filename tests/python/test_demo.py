"""`python -m cxkit demo` (what `make demo` runs), on a small sample company."""
from __future__ import annotations

import json
import pathlib
import os
import subprocess
import sys

import cxkit

from cxkit.report_config import load_config


def test_demo_runs_every_pillar_and_writes_the_report(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "report"
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(cxkit.__file__)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    r = subprocess.run([sys.executable, "-m", "cxkit", "demo", "--accounts", "300", "--seed", "5", "--out", str(out)],
                       capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    for line in ("accounts", "moments of truth:", "accounts at risk:", "top feedback themes", "report:"):
        assert line in r.stdout, (line, r.stdout)
    page = (out / "index.html").read_text(encoding="utf-8")
    for sec in ("the-company", "journeys", "moments-of-truth", "churn-risk", "feedback"):
        assert f'<section id="{sec}">' in page
    # The configuration it used is written beside the report and is valid input for `report`.
    cfg = load_config(out / "cxkit.json")
    assert {m["name"] for m in cfg["moments"]} == {"welcome within 1 day", "first reply"}
    assert json.loads((out / "cxkit.json").read_text())["notifications"]["routes"]
