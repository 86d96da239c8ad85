"""progress= on cxkit.feedback.detect_themes, find_duplicates and TextIndex: the (done, total) contract,
identical results with and without it, exceptions from the callable, and Ctrl-C while C++ runs."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from conftest import (PROMPT_SECONDS, check_contract, needs_main_thread, not_in_full_sanitizer_run,
                      recorder, sigint_latency)

import cxkit

fb = cxkit.feedback


def _texts(n: int, topics: int = 6, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        t = rng.randrange(topics + 1)
        if t < topics:
            words = [f"topic{t}word{k}" for k in range(3)]
            del words[rng.randrange(3)]
            out.append(" ".join(words) + f" filler{rng.randrange(3000)}")
        else:
            out.append(" ".join(f"filler{rng.randrange(3000)}" for _ in range(3)))
    return out


def _frame(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"text": texts})


def test_detect_themes_callable_contract_and_documented_total() -> None:
    texts = _texts(6000)
    calls, cb = recorder()
    r = fb.detect_themes(_frame(texts), customer=None, time=None, language="en", sample_size=1500, progress=cb)
    n, sample, rounds = len(texts), 1500, 4  # max_rounds default
    check_contract(calls, 3 * n + rounds * (2 * sample + n))
    assert r.info["rounds"] >= 2
    assert len(calls) > 10  # per chunk of work, not only at the end


def test_detect_themes_identical_with_progress_and_any_threads(capsys: pytest.CaptureFixture[str]) -> None:
    df = _frame(_texts(4000, seed=3))
    kw = dict(customer=None, time=None, language="en", sample_size=1000)
    plain = fb.detect_themes(df, **kw)
    assert len(plain.themes) >= 5
    for threads in (1, 2, 4):
        assert fb.detect_themes(df, threads=threads, progress=lambda d, t: None, **kw) == plain
    assert fb.detect_themes(df, progress=True, **kw) == plain
    assert "detecting themes" in capsys.readouterr().err
    assert fb.detect_themes(df, progress=False, **kw) == plain


def test_detect_themes_on_embeddings_reports_progress() -> None:
    rng = np.random.default_rng(0)
    emb = np.eye(4, dtype=np.float32)[np.arange(800) % 4] + rng.normal(0, 0.05, (800, 4)).astype(np.float32)
    calls, cb = recorder()
    r = fb.detect_themes(_frame([""] * 800), customer=None, time=None, embeddings=emb, progress=cb)
    check_contract(calls, 3 * 800 + 4 * (2 * 800 + 800))
    assert len(r.themes) == 4


def test_callable_exception_propagates_from_every_operation() -> None:
    texts = _texts(3000)

    def boom(done: int, total: int) -> None:
        raise ValueError("stop here")

    with pytest.raises(ValueError, match="stop here"):
        fb.detect_themes(_frame(texts), customer=None, time=None, progress=boom)
    with pytest.raises(ValueError, match="stop here"):
        fb.find_duplicates(texts, progress=boom)
    with pytest.raises(ValueError, match="stop here"):
        fb.TextIndex(texts, progress=boom)


def test_find_duplicates_and_text_index_contract_and_same_results() -> None:
    texts = _texts(9000, seed=7)
    calls, cb = recorder()
    d = fb.find_duplicates(texts, threshold=0.6, progress=cb)
    check_contract(calls, 4 * len(texts))
    assert d == fb.find_duplicates(texts, threshold=0.6)
    calls, cb = recorder()
    idx = fb.TextIndex(texts, progress=cb)
    check_contract(calls, 2 * len(texts))
    plain = fb.TextIndex(texts)
    for q in ("topic1word0 topic1word2", "filler12 topic4word1"):
        pd.testing.assert_frame_equal(idx.similar(q, k=20), plain.similar(q, k=20))


def test_keyboard_interrupt_from_the_callable_stops_detect_themes_early() -> None:
    seen: list[int] = []

    def stop(done: int, total: int) -> None:
        seen.append(done)
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fb.detect_themes(_frame(_texts(20000)), customer=None, time=None, threads=2, progress=stop)
    assert len(seen) == 3


@not_in_full_sanitizer_run
@needs_main_thread
@pytest.mark.parametrize("threads", [1, 2])
def test_ctrl_c_while_detect_themes_runs_without_a_callable(threads: int) -> None:
    # About 4 s of work at 1 thread; without the C++-side check the interrupt would only
    # surface after detect_themes returned.
    df = _frame(_texts(150_000, topics=40, seed=2))
    latency = sigint_latency(0.3, lambda: fb.detect_themes(df, customer=None, time=None, threads=threads))
    assert latency < PROMPT_SECONDS, f"took {latency:.2f} s to stop after SIGINT"


@not_in_full_sanitizer_run
@needs_main_thread
def test_ctrl_c_while_text_index_and_duplicates_run() -> None:
    texts = _texts(150_000, topics=40, seed=4)
    latency = sigint_latency(0.3, lambda: fb.TextIndex(texts))
    assert latency < PROMPT_SECONDS, f"TextIndex took {latency:.2f} s to stop after SIGINT"
    latency = sigint_latency(0.3, lambda: [fb.find_duplicates(texts, threshold=0.5) for _ in range(10)])
    assert latency < PROMPT_SECONDS, f"find_duplicates took {latency:.2f} s to stop after SIGINT"
