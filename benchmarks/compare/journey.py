"""Journey discovery side by side: pm4py vs cxkit on the same DataFrame, one process.

Anchor: pm4py.discover_performance_dfg + pm4py.get_variants on a pm4py-formatted DataFrame in memory.
cxkit:  cxkit.journey.discover (directly-follows counts, exact duration statistics, variants) on an
        EventLog built from the same DataFrame (build time reported separately).
Workloads: the simulated company at --sizes events (default 1M) and the real logs when present.

Run:  make build && PYTHONPATH=build/dev/python .venv/bin/python benchmarks/compare/journey.py [--sizes 1000000 10000000]
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SHARED, median_seconds, report  # noqa: E402

import cxkit  # noqa: E402

warnings.filterwarnings("ignore")


def company_of_size(n_events: int):
    """A simulated company with about n_events events (~185 events per account over 24 months)."""
    accounts = max(50, int(n_events / 185))
    co = cxkit.simulate.company(n_accounts=accounts, seed=7)
    return co.events


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sizes", type=int, nargs="*", default=[1_000_000])
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    import pm4py

    logs = []
    if (SHARED / "journeys").exists():
        j = SHARED / "journeys"
        logs.append(("receipt.csv", cxkit.read_csv(j / "receipt.csv")))
        logs.append(("bpic2012.xes.gz", cxkit.read_xes(j / "bpic2012.xes.gz")))
    for n in args.sizes:
        logs.append((f"simulated company", company_of_size(n)))
    rows = []
    for name, log in logs:
        df = log.to_pandas()[["case", "activity", "timestamp"]]
        ref = pm4py.format_dataframe(df, case_id="case", activity_key="activity", timestamp_key="timestamp")

        def anchor():
            pm4py.discover_performance_dfg(ref)
            pm4py.get_variants(ref)

        t0 = time.perf_counter()
        built = cxkit.EventLog.from_pandas(df, case="case", activity="activity", timestamp="timestamp", attributes=[])
        build_s = time.perf_counter() - t0
        a = median_seconds(anchor, max(1, min(args.repeat, 2)))
        c = median_seconds(lambda: cxkit.journey.discover(built), args.repeat)
        c1 = median_seconds(lambda: cxkit.journey.discover(built, threads=1), args.repeat)
        dfo = median_seconds(lambda: cxkit.journey.discover(built, durations="none", variants=False, threads=1),
                             args.repeat)
        rows.append({"workload": f"{name}: perf DFG + variants", "events": len(log),
                     "anchor": "pm4py.discover_performance_dfg + get_variants", "anchor_s": a, "cxkit_s": c})
        rows.append({"workload": f"{name}: same, cxkit 1 thread", "events": len(log),
                     "anchor": "pm4py (as above)", "anchor_s": a, "cxkit_s": c1})
        rows.append({"workload": f"{name}: DF counts only, 1 thread", "events": len(log),
                     "anchor": "pm4py (as above)", "anchor_s": a, "cxkit_s": dfo})
        print(f"{name}: {len(log):,} events; EventLog.from_pandas {build_s:.3f} s; "
              f"DF counting {len(log) / dfo / 1e6:,.0f} M events/s on one core", flush=True)
    report("Journey discovery: pm4py vs cxkit (median seconds)", rows, args.json)


if __name__ == "__main__":
    main()
