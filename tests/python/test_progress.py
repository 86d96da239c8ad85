"""progress= on cxkit.simulate.company and cxkit.read_csv: tqdm bar, callables, Ctrl-C."""
from __future__ import annotations

import signal

import pytest
from conftest import PROMPT_SECONDS, check_contract, needs_main_thread, recorder, sigint_latency

import cxkit


def _csv(rows: int) -> bytes:
    lines = ["case,activity,time,amount"]
    lines += [f"c{i // 4},step{i % 4},2024-01-01T00:00:{i % 60:02d}Z,{i}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_simulator_callable_reaches_two_passes_of_accounts() -> None:
    calls, cb = recorder()
    cxkit.simulate.company(n_accounts=1000, months=6, seed=5, threads=1, progress=cb)
    check_contract(calls, 2000)  # every account is simulated twice
    assert len(calls) == 9  # 4 blocks of 256 accounts per pass, then the end


def test_simulator_results_identical_with_progress_on_and_off(capsys: pytest.CaptureFixture[str]) -> None:
    plain = cxkit.simulate.company(n_accounts=400, months=6, seed=2)
    barred = cxkit.simulate.company(n_accounts=400, months=6, seed=2, progress=True)
    called = cxkit.simulate.company(n_accounts=400, months=6, seed=2, progress=lambda d, t: None)
    assert plain == barred == called
    assert "800/800" in capsys.readouterr().err  # the tqdm bar, closed at its total


def test_read_csv_bar_and_callable(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    data = _csv(120_000)  # about 5 MB: one report at 4 MB, then the end
    path = tmp_path / "events.csv"
    path.write_bytes(data)
    names = dict(case="case", activity="activity", timestamp="time")
    calls, cb = recorder()
    with_cb = cxkit.read_csv(path, **names, progress=cb)
    check_contract(calls, len(data))
    assert len(calls) == 2 and 4 << 20 <= calls[0][0] < len(data)
    with_bar = cxkit.read_csv(data, **names, progress=True)
    assert "reading CSV" in capsys.readouterr().err
    plain = cxkit.read_csv(path, **names)
    assert plain == with_cb == with_bar


def test_bad_progress_argument_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="progress"):
        cxkit.simulate.company(n_accounts=10, months=3, progress="yes")


def test_callable_raising_keyboard_interrupt_stops_the_simulator() -> None:
    seen: list[int] = []

    def stop(done: int, total: int) -> None:
        seen.append(done)
        if done >= 1000:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        cxkit.simulate.company(n_accounts=20_000, months=6, threads=2, progress=stop)
    assert seen[-1] < 40_000  # stopped in the first pass, well before the end


def test_callable_exception_propagates_from_read_csv() -> None:
    def boom(done: int, total: int) -> None:
        raise ValueError("stop reading")

    with pytest.raises(ValueError, match="stop reading"):
        cxkit.read_csv(_csv(120_000), case="case", activity="activity", timestamp="time", progress=boom)


def test_sigint_from_the_callback_stops_the_simulator() -> None:
    seen: list[int] = []

    def interrupt(done: int, total: int) -> None:
        seen.append(done)
        if len(seen) == 2:
            signal.raise_signal(signal.SIGINT)

    with pytest.raises(KeyboardInterrupt):
        cxkit.simulate.company(n_accounts=20_000, months=6, threads=1, progress=interrupt)
    assert len(seen) == 2


@needs_main_thread
def test_ctrl_c_while_cpp_runs_interrupts_without_a_callable() -> None:
    # SIGINT arrives while the simulator runs with the GIL released and no Python callable:
    # the C++ side's signal check (about every 256 accounts) must turn it into KeyboardInterrupt.
    latency = sigint_latency(0.2, lambda: cxkit.simulate.company(n_accounts=40_000, months=36, threads=1))
    # The full run takes ~3.5 s here; without the C++ check the interrupt would only surface
    # after it returned. A block of 256 accounts takes ~20 ms, so stopping follows closely.
    assert latency < PROMPT_SECONDS, f"took {latency:.2f} s to stop after SIGINT"
