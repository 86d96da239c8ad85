"""How work and memory grow with events and customers: log building, journey discovery and
moments evaluation at 1M and 10M events (docs/scale.md reports the figures).

Each (size, step) runs in a fresh subprocess, which generates a synthetic event frame, builds
the EventLog and then runs the step; its peak RSS comes from resource.getrusage. The "log" row
is the baseline (frame + log); a step's own peak is its row minus the baseline.

    PYTHONPATH=build/<dir>/python .venv/bin/python benchmarks/scale.py            # 1M and 10M
    PYTHONPATH=build/<dir>/python .venv/bin/python benchmarks/scale.py --events 1e6 --events-per-case 20 200

Synthetic data: customers with a fixed number of events each, activities from a random
first-order Markov chain over 12 activities (seeded), exponential gaps (mean 2 days), case and
activity columns as pandas Categoricals (how Parquet/Arrow data usually arrives).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

ACTIVITIES = ["signed", "welcome sent", "kickoff", "login", "feature used", "ticket opened", "first reply",
              "ticket solved", "qbr", "nps survey", "renewal", "churned"]
STEPS = ["log", "discover_none", "discover_sketch", "discover_exact", "moments"]


def synthetic_events(n_events: int, per_case: int, seed: int = 1):
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng(seed)
    n_cases = max(1, n_events // per_case)
    k = len(ACTIVITIES)
    trans = rng.dirichlet(np.full(k, 0.3), size=k)
    cum = np.cumsum(trans, axis=1)
    acts = np.empty((n_cases, per_case), dtype=np.int8)
    acts[:, 0] = 0
    for j in range(1, per_case):
        u = rng.random(n_cases)
        acts[:, j] = (u[:, None] > cum[acts[:, j - 1]]).sum(axis=1).clip(max=k - 1)
    start = np.int64(1_704_067_200_000_000) + rng.integers(0, 2 * 365 * 86_400, n_cases, dtype=np.int64) * 1_000_000
    gaps = rng.exponential(2 * 86_400e6, (n_cases, per_case)).astype(np.int64)
    gaps[:, 0] = 0
    times = start[:, None] + np.cumsum(gaps, axis=1)
    case_codes = np.repeat(np.arange(n_cases, dtype=np.int32), per_case)
    cases = pd.Categorical.from_codes(case_codes, categories=[f"C{i:08d}" for i in range(n_cases)])
    activity = pd.Categorical.from_codes(acts.ravel().astype(np.int32), categories=ACTIVITIES)
    ts = pd.Series(times.ravel().view("datetime64[us]")).dt.tz_localize("UTC")
    return pd.DataFrame({"case": cases, "activity": activity, "timestamp": ts})


def child(n_events: int, per_case: int, step: str) -> dict:
    import gc

    import cxkit
    out: dict = {"events": n_events, "events_per_case": per_case, "step": step}
    t = time.perf_counter()
    df = synthetic_events(n_events, per_case)
    out["generate_s"] = time.perf_counter() - t
    out["cases"] = int(df["case"].cat.categories.size)
    t = time.perf_counter()
    log = cxkit.EventLog.from_pandas(df, case="case", activity="activity", timestamp="timestamp", attributes=[])
    out["log_s"] = time.perf_counter() - t
    out["log_bytes"] = log.memory_bytes()
    del df
    gc.collect()
    t = time.perf_counter()
    if step.startswith("discover_"):
        jm = cxkit.journey.discover(log, durations=step.split("_", 1)[1], threads=1)
        out["result_bytes"] = jm.memory_bytes()
        out["variants"] = len(jm.variants()) if step != "discover_none" else None
    elif step == "moments":
        cal = cxkit.Calendar("Europe/Berlin")
        ms = [cxkit.moments.Moment("welcome", trigger="signed", fulfil="welcome sent", within="24h"),
              cxkit.moments.Moment("first reply", trigger="ticket opened", fulfil="first reply", within="4h",
                                   calendar=cal, repeat=True)]
        occ = cxkit.moments.evaluate(log, ms, threads=1)
        out["occurrences"] = len(occ)
        out["result_bytes"] = int(occ.memory_usage(deep=False).sum())
    out["step_s"] = time.perf_counter() - t if step != "log" else out["log_s"]
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=float, nargs="+", default=[1e6, 1e7])
    ap.add_argument("--events-per-case", type=int, nargs="+", default=[20])
    ap.add_argument("--steps", nargs="+", default=STEPS, choices=STEPS)
    ap.add_argument("--json", help="also write the rows to this file")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(int(args.child[0]), int(args.child[1]), args.child[2])))
        return
    rows = []
    print(f"{'events':>11} {'cases':>9} {'step':<16} {'log s':>7} {'step s':>7} {'Mev/s':>6} {'peak MB':>8} "
          f"{'log MB':>7} {'result MB':>9}")
    for per_case in args.events_per_case:
        for n in args.events:
            for step in args.steps:
                r = subprocess.run([sys.executable, __file__, "--child", str(int(n)), str(per_case), step],
                                   capture_output=True, text=True, env=os.environ.copy())
                if r.returncode != 0:
                    sys.exit(f"child failed ({int(n)}, {per_case}, {step}):\n{r.stderr}")
                row = json.loads(r.stdout.strip().splitlines()[-1])
                rows.append(row)
                res = row.get("result_bytes")
                print(f"{row['events']:>11,} {row['cases']:>9,} {step:<16} {row['log_s']:>7.2f} {row['step_s']:>7.2f} "
                      f"{row['events'] / row['step_s'] / 1e6:>6.1f} {row['peak_rss_mb']:>8.0f} "
                      f"{row['log_bytes'] / 2**20:>7.0f} {'' if res is None else f'{res / 2**20:9.1f}':>9}",
                      flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
