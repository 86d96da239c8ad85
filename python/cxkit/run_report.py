"""Runs every pillar on a company's data and writes the report: the engine behind
``python -m cxkit demo`` (the sample company) and ``python -m cxkit report`` (your exports)."""
from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from cxkit._progress import step
from cxkit.report import Report
from cxkit.report_inputs import Inputs
from cxkit.sections import SectionResult, churn, company, feedback, journeys, moments

SECTIONS = [("the company", company.build), ("journeys", journeys.build), ("moments of truth", moments.build),
            ("churn risk", churn.build), ("feedback", feedback.build)]


def run(inp: Inputs, cfg: Mapping[str, Any], out_dir: str | Path, quiet: bool = False) -> int:
    """Builds every section, writes ``out_dir/index.html`` and each table as CSV, prints a summary."""
    import cxkit

    out = Path(out_dir)
    report = Report(cfg["title"])
    results: dict[str, SectionResult] = {}
    for label, build in SECTIONS:
        with step(label, enabled=not quiet):
            results[label] = build(inp, cfg, report, results)
    with step("writing the report", enabled=not quiet):
        out.mkdir(parents=True, exist_ok=True)
        for res in results.values():
            for name, table in res.tables.items():
                _csv(table, out / f"{name}.csv")
        page = report.write(out)
    if not quiet:
        print(f"\ncxkit {cxkit.__version__} - {inp.name}")
        print("-" * 72)
        for label, res in results.items():
            if res.lines:
                print()
                for line in res.lines:
                    print(f"  {line}")
        print(f"\n  report: {page.resolve()}")
    return 0


def _csv(table: pd.DataFrame, path: Path) -> None:
    flat = table.copy()
    for c in flat.columns:  # lists (variants, items) as text, so the CSV stays one value per cell
        if flat[c].dtype == object and len(flat) and isinstance(flat[c].iloc[0], (list, tuple)):
            flat[c] = flat[c].map(lambda v: " > ".join(map(str, v)))
    flat.to_csv(path, index=not isinstance(flat.index, pd.RangeIndex))


def main_report(events: str, accounts: str | None, feedback_path: str | None, config: str | None,
                out: str) -> int:
    """``python -m cxkit report``: bad input and bad configuration end with one clear line on stderr."""
    from cxkit.report_config import ConfigError, load_config
    from cxkit.report_inputs import from_files

    try:
        cfg = load_config(config)
        inp = from_files(events, cfg, accounts=accounts, feedback=feedback_path)
        return run(inp, cfg, out)
    except (ConfigError, ValueError, KeyError, TypeError, FileNotFoundError) as e:
        msg = e.args[0] if isinstance(e, KeyError) and e.args else e
        print(f"cxkit report: error: {msg}", file=sys.stderr)
        return 2
