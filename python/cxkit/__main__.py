"""Command line: ``python -m cxkit demo``."""
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
    args = parser.parse_args(argv)
    if args.command == "demo":
        from cxkit.demo import run
        return run(args.out, n_accounts=args.accounts, seed=args.seed)
    return 2


if __name__ == "__main__":
    sys.exit(main())
