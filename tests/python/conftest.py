import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SHARED_DATA = Path(os.environ.get("CXKIT_SHARED_DATA", Path(__file__).resolve().parents[2] / ".." / "shared" / "data")).resolve()


def shared_file(*parts: str) -> Path:
    """A file under ../shared/data, or skip the test with the reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data file {path} is not present (the real-data checks need ../shared/data)")
    return path


# ---- progress= helpers shared by test_progress, test_journey_progress, test_feedback_progress
# and test_progress_pillars (import them with `from conftest import ...`, as shared_file is) ----

def recorder() -> tuple[list[tuple[int, int]], Callable[[int, int], None]]:
    """A progress callable that appends every (done, total) it receives to the returned list."""
    calls: list[tuple[int, int]] = []
    return calls, lambda done, total: calls.append((done, total))


def check_contract(calls: list[tuple[int, int]], total: int) -> None:
    """The progress contract: called at least once, always with `total`, done non-decreasing
    and never above total, the last call at done == total."""
    assert calls, "the callable was never called"
    assert all(t == total for _, t in calls), f"a call's total is not {total}: {calls}"
    dones = [d for d, _ in calls]
    assert dones == sorted(dones), f"done went down: {dones}"
    assert all(0 <= d <= total for d in dones), f"done outside [0, {total}]: {dones}"
    assert dones[-1] == total, f"the last call is at {dones[-1]}, not at {total}"


# Ctrl-C tests send SIGINT to this process, which Python delivers to the main thread only.
needs_main_thread = pytest.mark.skipif(threading.current_thread() is not threading.main_thread(),
                                       reason="signals need the main thread")


# How soon after SIGINT a long operation must stop: one block of work plus the signal check.
# Sanitizer builds (scripts/sanitize sets CXKIT_SANITIZED) run each block 2-5 times slower.
PROMPT_SECONDS = 0.5 * (4 if os.environ.get("CXKIT_SANITIZED") else 1)


# In the clean-clone sanitizer run (2026-11-23) the journey and feedback Ctrl-C tests saw no
# KeyboardInterrupt inside the full ASan suite, though they pass under ASan run alone and in
# every normal run; the cause is not understood yet (docs/reliability.md). Skipped there only.
not_in_full_sanitizer_run = pytest.mark.skipif(
    bool(os.environ.get("CXKIT_SANITIZED")), reason="Ctrl-C timing is unreliable inside the full ASan suite")


def sigint_latency(delay: float, run: Callable[[], Any]) -> float:
    """Sends SIGINT `delay` s into run(), checks that run() raised KeyboardInterrupt and returns
    how long after the signal it did so (fails if run() ended before the signal was sent)."""
    sent: list[float] = []

    def send() -> None:
        sent.append(time.perf_counter())
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(delay, send)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            run()
    finally:
        timer.cancel()
    assert sent, "finished before the signal was sent: make the input bigger"
    return time.perf_counter() - sent[0]


def timed(run: Callable[[], Any]) -> float:
    """Seconds one call of run() takes."""
    t0 = time.perf_counter()
    run()
    return time.perf_counter() - t0
