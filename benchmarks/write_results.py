"""Turns the JSON written by scripts/bench into docs/benchmarks.md (machine, command, medians)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "compare"))
from _common import git_revision, machine  # noqa: E402


def google_benchmark_rows(path: Path) -> list[str]:
    data = json.loads(path.read_text())
    rows = []
    for b in data.get("benchmarks", []):
        if b.get("aggregate_name") != "median":
            continue
        name = b["run_name"]
        t = b["real_time"]
        unit = b.get("time_unit", "ns")
        ips = b.get("items_per_second")
        bps = b.get("bytes_per_second")
        rate = []
        if ips:
            rate.append(f"{ips / 1e6:,.1f} M items/s")
        if bps:
            rate.append(f"{bps / 2**20:,.0f} MiB/s")
        rows.append(f"| {name} | {t:,.3f} {unit} | {', '.join(rate)} |")
    return rows


def main() -> None:
    results, target = Path(sys.argv[1]), Path(sys.argv[2])
    lines = ["# Benchmark results", "",
             f"Machine: {machine()}. Revision: {git_revision()}.",
             "Command: `make bench` (scripts/bench: release build, Google Benchmark with 3 repetitions "
             "reporting the median, then every script in benchmarks/compare/). Machines are noisy: "
             "read ratios, not digits.", ""]
    for path in sorted(results.glob("bench_*.json")):
        lines += [f"## {path.stem}", "", "| benchmark | median time | throughput |", "|---|---:|---:|"]
        lines += google_benchmark_rows(path)
        lines.append("")
    for path in sorted(results.glob("compare-*.json")):
        data = json.loads(path.read_text())
        lines += [f"## {data['title']}", "", f"Script: `benchmarks/compare/{path.stem[len('compare-'):]}.py`", "",
                  "| workload | events | anchor | anchor s | cxkit s | speed-up |", "|---|---:|---|---:|---:|---:|"]
        for r in data["rows"]:
            lines.append(f"| {r['workload']} | {r['events']:,} | {r['anchor']} | {r['anchor_s']:.3f} | "
                         f"{r['cxkit_s']:.4f} | {r['anchor_s'] / r['cxkit_s']:.1f}x |")
        lines.append("")
    target.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
