"""Command line: ``python -m cxkit demo``."""
from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cxkit", description="cxkit command line")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run the library on the built-in sample and write a report")
    demo.add_argument("--out", default="cxkit-report", help="report folder (default: cxkit-report)")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from cxkit.demo import run
        return run(args.out)
    return 2


if __name__ == "__main__":
    sys.exit(main())
