"""Ingestion side by side: the same files through pandas + pm4py and through cxkit, one process.

CSV:  pandas.read_csv + pm4py.format_dataframe   vs  cxkit.read_csv   (a ready, sorted event log)
XES:  pm4py.read_xes                             vs  cxkit.read_xes

Run:  make build && PYTHONPATH=build/dev/python .venv/bin/python benchmarks/compare/ingest.py [--repeat 3] [--sizes 1000000]
Prints medians and ratios (anchor time / cxkit time); --json saves them for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import gzip
import random
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SHARED, median_seconds, report  # noqa: E402

import pandas as pd  # noqa: E402

import cxkit  # noqa: E402

warnings.filterwarnings("ignore")


def synthetic_csv(path: Path, n_events: int, seed: int = 7) -> None:
    """~20 events per case, 30 activities, ISO timestamps with offsets, two attributes."""
    rng = random.Random(seed)
    base = pd.Timestamp("2024-01-01T00:00:00Z").value // 10**9
    with path.open("w") as f:
        f.write("case:concept:name,concept:name,time:timestamp,org:resource,cost\n")
        for i in range(n_events):
            c = i // 20
            t = pd.Timestamp(base + c * 600 + (i % 20) * 3600, unit="s")
            f.write(f"C{c},activity {rng.randrange(30)},{t:%Y-%m-%dT%H:%M:%S}+00:00,"
                    f"R{rng.randrange(50)},{rng.randrange(1000)}\n")


def synthetic_xes(path: Path, n_events: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    base = pd.Timestamp("2024-01-01T00:00:00Z").value // 10**9
    with gzip.open(path, "wt") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1849-2016" '
                'xmlns="http://www.xes-standard.org/">\n')
        for c in range(n_events // 20):
            f.write(f'<trace><string key="concept:name" value="C{c}"/>\n')
            for k in range(20):
                t = pd.Timestamp(base + c * 600 + k * 3600, unit="s")
                f.write(f'<event><string key="concept:name" value="activity {rng.randrange(30)}"/>'
                        f'<string key="lifecycle:transition" value="complete"/>'
                        f'<string key="org:resource" value="R{rng.randrange(50)}"/>'
                        f'<date key="time:timestamp" value="{t:%Y-%m-%dT%H:%M:%S}.000+00:00"/>'
                        f'<int key="cost" value="{rng.randrange(1000)}"/></event>\n')
            f.write("</trace>\n")
        f.write("</log>\n")


def pm4py_csv(path: Path, sep: str, case: str, activity: str, timestamp: str, fmt: str | None):
    import pm4py
    df = pd.read_csv(path, sep=sep)
    if fmt:
        df[timestamp] = pd.to_datetime(df[timestamp], format=fmt)
    return pm4py.format_dataframe(df, case_id=case, activity_key=activity, timestamp_key=timestamp)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sizes", type=int, nargs="*", default=[1_000_000])
    ap.add_argument("--xes-sizes", type=int, nargs="*", default=[200_000])
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    import pm4py

    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="cxkit-ingest-"))
    csv_jobs = []
    if (SHARED / "journeys").exists():
        j = SHARED / "journeys"
        csv_jobs += [("receipt.csv", j / "receipt.csv", ",", "case:concept:name", "concept:name", "time:timestamp", None),
                     ("sepsis.csv", j / "sepsis.csv", ";", "Case ID", "Activity", "Complete Timestamp",
                      "%Y/%m/%d %H:%M:%S.%f")]
    for n in args.sizes:
        p = tmp / f"synthetic-{n}.csv"
        synthetic_csv(p, n)
        csv_jobs.append((f"synthetic CSV {n:,}", p, ",", "case:concept:name", "concept:name", "time:timestamp", None))
    for name, path, sep, case, act, ts, fmt in csv_jobs:
        log = cxkit.read_csv(path, case=case, activity=act, timestamp=ts, sep=sep, timestamp_format=fmt)
        anchor = median_seconds(lambda: pm4py_csv(path, sep, case, act, ts, fmt), args.repeat)
        ours = median_seconds(lambda: cxkit.read_csv(path, case=case, activity=act, timestamp=ts, sep=sep,
                                                     timestamp_format=fmt), args.repeat)
        rows.append({"workload": f"CSV {name}", "events": len(log), "anchor": "pandas.read_csv+pm4py.format_dataframe",
                     "anchor_s": anchor, "cxkit_s": ours})

    xes_jobs = []
    if (SHARED / "journeys").exists():
        xes_jobs += [("helpdesk.xes.gz", SHARED / "journeys" / "helpdesk.xes.gz"),
                     ("bpic2012.xes.gz", SHARED / "journeys" / "bpic2012.xes.gz")]
    for n in args.xes_sizes:
        p = tmp / f"synthetic-{n}.xes.gz"
        synthetic_xes(p, n)
        xes_jobs.append((f"synthetic XES.gz {n:,}", p))
    for name, path in xes_jobs:
        log = cxkit.read_xes(path)
        anchor = median_seconds(lambda: pm4py.read_xes(str(path), show_progress_bar=False),
                               max(1, min(args.repeat, 2)))
        ours = median_seconds(lambda: cxkit.read_xes(path), args.repeat)
        rows.append({"workload": f"XES {name}", "events": len(log), "anchor": "pm4py.read_xes",
                     "anchor_s": anchor, "cxkit_s": ours})
    report("Ingestion: anchor vs cxkit (median seconds)", rows, args.json)


if __name__ == "__main__":
    main()
