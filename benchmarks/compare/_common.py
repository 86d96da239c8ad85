"""Helpers shared by the side-by-side comparison scripts: timing, synthetic data, reporting."""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("CXKIT_SHARED_DATA", ROOT / ".." / "shared" / "data")).resolve()


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` calls (the first call included: no warm-up is hidden)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def git_revision() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def report(title: str, rows: list[dict], out: Path | None) -> None:
    """Print a table (workload, n, anchor s, cxkit s, ratio) and optionally save it as JSON."""
    print(f"\n{title}  ({machine()})")
    print(f"{'workload':46} {'events':>11} {'anchor s':>10} {'cxkit s':>10} {'ratio':>8}")
    for r in rows:
        print(f"{r['workload']:46} {r['events']:>11,} {r['anchor_s']:>10.3f} {r['cxkit_s']:>10.4f} "
              f"{r['anchor_s'] / r['cxkit_s']:>7.1f}x")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"title": title, "machine": machine(), "revision": git_revision(),
                                   "rows": rows}, indent=2))
