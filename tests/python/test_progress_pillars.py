"""progress= on cxkit.moments.evaluate, cxkit.churn.build_features / backtest and cxkit.read_xes:
the callable contract, results unchanged by progress and threads, errors from the callable
propagating, and Ctrl-C (SIGINT) interrupting each operation promptly while C++ runs."""
from __future__ import annotations

import gzip
from typing import Any

import pandas as pd
import pytest
from conftest import PROMPT_SECONDS, check_contract, needs_main_thread, recorder, sigint_latency, timed

import cxkit

AS_OF = "2024-07-01"


@pytest.fixture(scope="module")
def company() -> cxkit.simulate.Company:
    return cxkit.simulate.company(n_accounts=1500, months=8, seed=3, threads=2)


@pytest.fixture(scope="module")
def long_company() -> cxkit.simulate.Company:
    """Five years of 1,500 accounts (about 650k events): long enough runs for the Ctrl-C tests."""
    return cxkit.simulate.company(n_accounts=1500, months=60, seed=3, threads=2)


# ---- moments ----

def _moments(copies: int = 1) -> list[cxkit.moments.Moment]:
    out = []
    for k in range(copies):
        out += [cxkit.moments.Moment(f"first reply {k}", trigger="ticket opened", fulfil="first reply", within="4h",
                                     calendar=cxkit.Calendar("Europe/Berlin")),
                cxkit.moments.Moment(f"welcome {k}", trigger="signed", fulfil="welcome sent", within="24h")]
    return out


def test_evaluate_callable_contract_and_same_rows_for_any_threads(company: cxkit.simulate.Company) -> None:
    log = company.events
    ms = _moments()
    plain = cxkit.moments.evaluate(log, ms, threads=1)
    assert len(plain) > 0
    for threads in (1, 2, 8):
        calls, cb = recorder()
        with_cb = cxkit.moments.evaluate(log, ms, threads=threads, progress=cb)
        check_contract(calls, log.n_cases)  # units: cases
        pd.testing.assert_frame_equal(with_cb, plain)
        pd.testing.assert_frame_equal(cxkit.moments.evaluate(log, ms, threads=threads), plain)


def test_evaluate_progress_bar(company: cxkit.simulate.Company, capsys: pytest.CaptureFixture[str]) -> None:
    out = cxkit.moments.evaluate(company.events, _moments(), progress=True)
    pd.testing.assert_frame_equal(out, cxkit.moments.evaluate(company.events, _moments()))
    err = capsys.readouterr().err
    assert "evaluating moments" in err and f"{company.events.n_cases}/{company.events.n_cases}" in err


def test_evaluate_callable_exception_propagates(company: cxkit.simulate.Company) -> None:
    def boom(done: int, total: int) -> None:
        raise ValueError("stop evaluating")

    with pytest.raises(ValueError, match="stop evaluating"):
        cxkit.moments.evaluate(company.events, _moments(), threads=2, progress=boom)


def test_evaluate_bad_progress_is_a_type_error(company: cxkit.simulate.Company) -> None:
    with pytest.raises(TypeError, match="progress"):
        cxkit.moments.evaluate(company.events, _moments(), progress="yes")


@needs_main_thread
def test_ctrl_c_interrupts_evaluate(long_company: cxkit.simulate.Company) -> None:
    # Many moments make one evaluation long; blocks of ~16k events take milliseconds each.
    ms = _moments(copies=150)
    full = timed(lambda: cxkit.moments.evaluate(long_company.events, ms, threads=1))
    assert full > 0.5, f"the input is too small to test Ctrl-C ({full:.2f} s)"
    latency = sigint_latency(0.15, lambda: cxkit.moments.evaluate(long_company.events, ms, threads=1))
    assert latency < PROMPT_SECONDS, f"took {latency:.2f} s to stop after SIGINT (a full run takes {full:.2f} s)"


# ---- churn features ----

def test_build_features_callable_contract_and_same_frame_for_any_threads(company: cxkit.simulate.Company) -> None:
    plain = cxkit.churn.build_features(company.events, company.accounts, AS_OF, threads=1, active_only=False)
    for threads in (1, 2, 8):
        calls, cb = recorder()
        with_cb = cxkit.churn.build_features(company.events, company.accounts, AS_OF, threads=threads,
                                             active_only=False, progress=cb)
        check_contract(calls, len(company.accounts))  # units: rows = accounts
        pd.testing.assert_frame_equal(with_cb, plain)
    # One thread: a report after each block of 256 rows, then the end.
    calls, cb = recorder()
    cxkit.churn.build_features(company.events, company.accounts, AS_OF, threads=1, progress=cb)
    n = len(company.accounts)
    assert calls == [(k, n) for k in range(256, n, 256)] + [(n, n), (n, n)]


def test_build_features_bar_and_exception(company: cxkit.simulate.Company, capsys: pytest.CaptureFixture[str]) -> None:
    cxkit.churn.build_features(company.events, company.accounts, AS_OF, progress=True)
    assert "building features" in capsys.readouterr().err

    def boom(done: int, total: int) -> None:
        raise RuntimeError("stop building")

    with pytest.raises(RuntimeError, match="stop building"):
        cxkit.churn.build_features(company.events, company.accounts, AS_OF, threads=2, progress=boom)


def test_backtest_reports_two_steps_per_date(company: cxkit.simulate.Company) -> None:
    dates = ["2024-04-01", "2024-05-01", "2024-06-01"]
    plain = cxkit.churn.backtest(company.events, company.accounts, dates, horizon="30D")
    calls, cb = recorder()
    watched = cxkit.churn.backtest(company.events, company.accounts, dates, horizon="30D", progress=cb)
    assert calls == [(k, 6) for k in range(1, 7)]  # three snapshots built, then three folds
    assert watched == plain


@needs_main_thread
def test_ctrl_c_interrupts_build_features(long_company: cxkit.simulate.Company) -> None:
    # Every window multiplies the per-event work (1,200 windows: 0.5-1 s here); blocks of 256
    # accounts stay short. cxkit.churn is imported first so that only the build is timed.
    churn = cxkit.churn
    windows = [f"{h}h" for h in range(1, 1201)]
    accounts = long_company.accounts

    def run() -> Any:
        return churn.build_features(long_company.events, accounts, "2028-06-01", windows=windows, threads=1)

    full = timed(run)
    assert full > 0.5, f"the input is too small to test Ctrl-C ({full:.2f} s)"
    latency = sigint_latency(0.15, run)
    assert latency < PROMPT_SECONDS, f"took {latency:.2f} s to stop after SIGINT (a full run takes {full:.2f} s)"


# ---- XES ----

def _xes(traces: int, repeat: int = 1) -> bytes:
    """`traces` traces of 3 events (about 370 bytes each), the whole run of them `repeat` times
    (repeated traces share their names, so they join into the same cases)."""
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">\n')
    event = ('  <event><string key="concept:name" value="step {e}"/>'
             '<date key="time:timestamp" value="2024-01-{d:02d}T{h:02d}:0{e}:00Z"/>'
             '<int key="amount" value="{a}"/></event>\n')
    parts = []
    for t in range(traces):
        parts.append(f'<trace><string key="concept:name" value="case-{t}"/>\n')
        parts += [event.format(e=e, d=1 + t % 28, h=t % 24, a=3 * t + e) for e in range(3)]
        parts.append("</trace>\n")
    return (head + "".join(parts) * repeat + "</log>\n").encode()


@pytest.fixture(scope="module")
def xes_bytes() -> bytes:
    return _xes(12_000)  # about 4.4 MB


def test_read_xes_callable_contract_and_same_log(xes_bytes: bytes, tmp_path: Any) -> None:
    plain = cxkit.read_xes(xes_bytes, threads=1)
    assert len(plain) == 36_000
    packed = gzip.compress(xes_bytes)
    path = tmp_path / "log.xes.gz"
    path.write_bytes(packed)
    for data, total in ((xes_bytes, len(xes_bytes)), (path, len(packed))):
        for threads in (1, 2, 8):
            calls, cb = recorder()
            log = cxkit.read_xes(data, threads=threads, progress=cb)
            check_contract(calls, total)  # bytes of the input as given: compressed for gzip
            assert log == plain
            assert cxkit.read_xes(data, threads=threads) == plain
    # One parser on plain bytes: a report at every MiB read (4 chunks of 256 KiB), then the end.
    calls, cb = recorder()
    cxkit.read_xes(xes_bytes, threads=1, progress=cb)
    n = len(xes_bytes)
    assert calls == [(k << 20, n) for k in range(1, n // (1 << 20) + 1)] + [(n, n)]


def test_read_xes_bar_and_exception(xes_bytes: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    cxkit.read_xes(xes_bytes, progress=True)
    assert "reading XES" in capsys.readouterr().err

    def boom(done: int, total: int) -> None:
        raise ValueError("stop reading")

    for threads in (1, 2):
        with pytest.raises(ValueError, match="stop reading"):
            cxkit.read_xes(xes_bytes, threads=threads, progress=boom)


@needs_main_thread
def test_ctrl_c_interrupts_read_xes() -> None:
    data = _xes(20_000, repeat=16)  # about 120 MB of XML

    def run() -> Any:
        return cxkit.read_xes(data, threads=1)

    full = timed(run)
    assert full > 0.5, f"the input is too small to test Ctrl-C ({full:.2f} s)"
    latency = sigint_latency(0.15, run)
    assert latency < PROMPT_SECONDS, f"took {latency:.2f} s to stop after SIGINT (a full run takes {full:.2f} s)"
