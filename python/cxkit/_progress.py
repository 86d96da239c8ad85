"""Progress on stderr for steps that may take more than a couple of seconds."""
from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def step(label: str, enabled: bool = True) -> Iterator[None]:
    """Prints `label ...` on stderr, then the elapsed time when the step ends."""
    t0 = time.perf_counter()
    if enabled:
        print(f"  {label} ...", end="", file=sys.stderr, flush=True)
    try:
        yield
    finally:
        if enabled:
            print(f" {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
