"""progress= on cxkit.journey.discover: the callable contract, the tqdm bar, exceptions and Ctrl-C."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import (PROMPT_SECONDS, check_contract, needs_main_thread, not_in_full_sanitizer_run,
                      recorder, sigint_latency, timed)

import cxkit
from cxkit import journey


def _log(n_cases: int, per_case: int = 10, seed: int = 1) -> cxkit.EventLog:
    """n_cases cases of per_case events over 12 activities (nearly every case a distinct variant)."""
    rng = np.random.default_rng(seed)
    n = n_cases * per_case
    df = pd.DataFrame({
        "case": pd.Categorical(np.repeat(np.arange(n_cases), per_case)),
        "activity": pd.Categorical.from_codes(rng.integers(0, 12, size=n), [f"step {i}" for i in range(12)]),
        "time": pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(np.arange(n) * 37, unit="s"),
    })
    return cxkit.EventLog.from_pandas(df, case="case", activity="activity", timestamp="time")


@pytest.fixture(scope="module")
def medium() -> cxkit.EventLog:
    return _log(40_000)  # 400k events: several blocks of 65,536 events per thread


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_callable_contract_and_identical_results(medium: cxkit.EventLog, threads: int) -> None:
    plain = journey.discover(medium, threads=1)
    calls, cb = recorder()
    with_cb = journey.discover(medium, threads=threads, progress=cb)
    check_contract(calls, len(medium))
    assert with_cb == plain
    if threads == 1:
        # One report per 65,536 events scanned, then the end: coarse, never per case.
        assert len(medium) // 65536 <= len(calls) <= len(medium) // 65536 + 5


def test_bar_shows_and_result_is_unchanged(medium: cxkit.EventLog, capsys: pytest.CaptureFixture[str]) -> None:
    barred = journey.discover(medium, progress=True)
    err = capsys.readouterr().err
    assert "discovering journeys" in err and "400k/400k" in err  # closed at its total
    assert barred == journey.discover(medium, progress=False) == journey.discover(medium)


def test_exception_from_the_callable_propagates(medium: cxkit.EventLog) -> None:
    seen: list[int] = []

    def boom(done: int, total: int) -> None:
        seen.append(done)
        raise ValueError("stop discovering")

    with pytest.raises(ValueError, match="stop discovering"):
        journey.discover(medium, threads=2, progress=boom)
    assert len(seen) == 1 and seen[0] < len(medium)


def test_keyboard_interrupt_from_the_callable_stops_discovery(medium: cxkit.EventLog) -> None:
    seen: list[int] = []

    def stop(done: int, total: int) -> None:
        seen.append(done)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        journey.discover(medium, threads=1, progress=stop)
    assert len(seen) == 2 and seen[-1] < len(medium)
    # The next call is unaffected.
    assert journey.discover(medium, threads=1).n_events == len(medium)


def test_bad_progress_argument_is_a_type_error(medium: cxkit.EventLog) -> None:
    with pytest.raises(TypeError, match="progress"):
        journey.discover(medium, progress="yes")  # type: ignore[arg-type]


@not_in_full_sanitizer_run
@needs_main_thread
@pytest.mark.parametrize("threads", [1, 2])
def test_ctrl_c_while_cpp_runs_interrupts_without_a_callable(threads: int) -> None:
    # SIGINT arrives while discovery runs in C++ with the GIL released and no Python callable:
    # the signal check at every block of 65,536 events turns it into KeyboardInterrupt.
    log = _log(200_000)  # 2M events, nearly all distinct variants
    # Discovery is fast (about 0.1 s for these 2M events on an idle core, seconds under load):
    # time one full run and send the signal a quarter of the way into the next.
    full = timed(lambda: journey.discover(log, threads=threads))
    latency = sigint_latency(full / 4, lambda: journey.discover(log, threads=threads))
    # A block of 65,536 events takes a few milliseconds; without the check the interrupt would
    # only surface after the whole discovery returned.
    assert latency < PROMPT_SECONDS, f"took {latency:.2f} s to stop after SIGINT (sent {full / 4:.2f} s into the run)"
