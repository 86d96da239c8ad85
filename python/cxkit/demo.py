"""`python -m cxkit demo`: the library at work on data you did not have to bring.

Loads the sample data (a real public log from ../shared/data when present, else the small log
shipped with the package), prints a one-screen summary and writes cxkit-report/.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

import cxkit

PACKAGE_DATA = Path(__file__).resolve().parent / "data"


def _shared_data() -> Path | None:
    candidates = [os.environ.get("CXKIT_SHARED_DATA"), Path.cwd() / ".." / "shared" / "data"]
    for c in candidates:
        if c and (Path(c) / "journeys" / "receipt.csv").exists():
            return Path(c).resolve()
    return None


def load_sample() -> tuple[str, cxkit.EventLog]:
    shared = _shared_data()
    if shared is not None:
        path = shared / "journeys" / "receipt.csv"
        return f"{path.name} (WABO receipt phase, public 4TU log)", cxkit.read_csv(path)
    path = PACKAGE_DATA / "sample_events.csv"
    return "built-in sample onboarding log", cxkit.read_csv(path)


def log_summary(log: cxkit.EventLog) -> dict[str, object]:
    df = log.to_pandas()
    per_case = df.groupby("case", sort=False)["timestamp"].agg(["min", "max", "size"])
    return {
        "events": len(log),
        "cases": log.n_cases,
        "activities": len(log.activities),
        "first event": df["timestamp"].min(),
        "last event": df["timestamp"].max(),
        "events per case (median)": float(per_case["size"].median()),
        "case duration (median)": (per_case["max"] - per_case["min"]).median(),
        "memory": f"{log.memory_bytes() / 2**20:.1f} MiB",
    }


def run(out_dir: str = "cxkit-report") -> int:
    name, log = load_sample()
    summary = log_summary(log)
    top = log.to_pandas()["activity"].value_counts().head(8)
    print(f"cxkit {cxkit.__version__} demo - {name}")
    print("-" * 72)
    for k, v in summary.items():
        print(f"  {k:<26} {v:,}" if isinstance(v, int) else f"  {k:<26} {v}")
    print("\n  most frequent activities")
    for activity, n in top.items():
        print(f"    {n:>8,}  {activity}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([summary]).to_csv(out / "log_summary.csv", index=False)
    top.rename_axis("activity").reset_index(name="events").to_csv(out / "top_activities.csv", index=False)
    print(f"\n  report written to {out.resolve()}/")
    return 0
