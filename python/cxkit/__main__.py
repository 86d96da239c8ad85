"""Command line: ``python -m cxkit demo`` and ``python -m cxkit report`` (docs/cli.md)."""
from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cxkit", description="cxkit command line")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run the library on the built-in sample and write a report")
    demo.add_argument("--out", default="cxkit-report", help="report folder (default: cxkit-report)")
    demo.add_argument("--accounts", type=int, default=2000, help="size of the sample company")
    demo.add_argument("--seed", type=int, default=7, help="random seed of the sample company")
    rep = sub.add_parser("report", help="run every pillar on your own exports and write the report")
    rep.add_argument("--events", required=True, help="events CSV (one row per event)")
    rep.add_argument("--accounts", help="accounts CSV (one row per account)")
    rep.add_argument("--feedback", help="feedback CSV (one row per item)")
    rep.add_argument("--config", help="JSON configuration (see cxkit.json.example and docs/cli.md)")
    rep.add_argument("--out", default="cxkit-report", help="report folder (default: cxkit-report)")
    args = parser.parse_args(argv)
    if args.command == "report":
        from cxkit.run_report import main_report
        return main_report(args.events, args.accounts, args.feedback, args.config, args.out)
    if args.command == "demo":
        from cxkit.demo import run
        return run(args.out, n_accounts=args.accounts, seed=args.seed)
    return 2


if __name__ == "__main__":
    sys.exit(main())
