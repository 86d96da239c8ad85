"""Progress for long operations: a step timer on stderr, and the tqdm adapter behind the
``progress=`` argument of cxkit.simulate.company and cxkit.read_csv."""
from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Union


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


ProgressArg = Union[bool, None, Callable[[int, int], Any]]
"""What a long operation's ``progress`` argument accepts: False/None (quiet), True (a tqdm bar)
or a callable ``f(done, total)``."""


@contextmanager
def reporter(progress: ProgressArg, desc: str, unit: str = "it",
             unit_scale: bool = False) -> Iterator[Callable[[int, int], Any] | None]:
    """The ``(done, total)`` callable to hand to the C++ core for a ``progress`` argument.

    Yields None for ``False``/``None``, the callable itself for a callable, and for ``True`` a
    function driving a tqdm bar (``tqdm.auto``: a widget in notebooks, text on stderr elsewhere)
    that is closed when the block ends, also on error or KeyboardInterrupt. The core calls it
    on the calling thread at coarse intervals with ``done`` non-decreasing up to ``total``.

    Raises
    ------
    TypeError
        ``progress`` is none of the above.
    """
    if progress is None or progress is False:
        yield None
        return
    if progress is True:
        from tqdm.auto import tqdm  # type: ignore[import-untyped]  # imported only when a bar is wanted

        bar = tqdm(total=None, desc=desc, unit=unit, unit_scale=unit_scale,
                   unit_divisor=1024 if unit == "B" else 1000)

        def update(done: int, total: int) -> None:
            if bar.total != total:
                bar.total = total
            bar.update(done - bar.n)

        try:
            yield update
        finally:
            bar.close()
        return
    if callable(progress):
        yield progress
        return
    raise TypeError(f"progress must be True, False or a callable f(done, total), not {progress!r}")
