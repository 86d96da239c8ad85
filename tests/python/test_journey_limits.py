"""max_variants= on cxkit.journey.discover: bounded variants, the Misra-Gries bound, merges, pickles."""
from __future__ import annotations

import pickle
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit import journey

ACTS = np.array(list("abcdefgh"))


def _frame(sequences: list[tuple[str, ...]], first_case: int = 0) -> pd.DataFrame:
    case = np.repeat(np.arange(first_case, first_case + len(sequences)), [len(s) for s in sequences])
    acts = [a for s in sequences for a in s]
    return pd.DataFrame({"case": case.astype(str), "activity": acts,
                         "time": pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(np.arange(len(acts)), "min")})


def _log(sequences: list[tuple[str, ...]], first_case: int = 0) -> cxkit.EventLog:
    return cxkit.EventLog.from_pandas(_frame(sequences, first_case), case="case", activity="activity",
                                      timestamp="time")


def _unique_sequences(n: int) -> list[tuple[str, ...]]:
    """Case k: k in base 8, 7 digits, one activity per digit, so every case is distinct."""
    digits = (np.arange(n)[:, None] // 8 ** np.arange(7)[None, :]) % 8
    return [tuple(row) for row in ACTS[digits]]


def _zipf_sequences(n: int, distinct: int, seed: int) -> list[tuple[str, ...]]:
    rng = np.random.default_rng(seed)
    w = 1.0 / np.arange(1, distinct + 1) ** 1.1
    ranks = rng.choice(distinct, size=n, p=w / w.sum())
    pool = _unique_sequences(distinct * 7)
    return [pool[r * 7] for r in ranks]


def _kept(jm: journey.JourneyMap) -> dict[tuple[str, ...], int]:
    v = jm.variants()
    return {tuple(s): int(c) for s, c in zip(v["variant"], v["count"])}


def _check_bound(jm: journey.JourneyMap, truth: Counter, cap: int) -> None:
    """Every kept count is a lower bound within E of the truth; every sequence left out has at
    most E cases; E <= N / (cap + 1); kept counts plus the other cases make N."""
    e = jm.variant_count_error
    assert e <= jm.n_cases // (cap + 1)
    kept = _kept(jm)
    assert len(kept) <= cap and set(kept) <= set(truth)
    for seq, f in truth.items():
        c = kept.get(seq, 0)
        assert c <= f <= c + e, (seq, c, f, e)
    assert sum(kept.values()) + jm.other_variant_cases == jm.n_cases


@pytest.fixture(scope="module")
def unique_log() -> cxkit.EventLog:
    return _log(_unique_sequences(200_000))


def test_every_case_unique_stays_under_the_default_cap(unique_log: cxkit.EventLog) -> None:
    assert journey.DEFAULT_MAX_VARIANTS == 100_000
    capped = journey.discover(unique_log, durations="moments")
    assert capped.max_variants == 100_000
    # Every count is 1, as is the 100,001st largest: no sequence is a heavy hitter.
    assert len(capped.variants()) == 0 and not capped.variants_exact
    assert capped.other_variant_cases == 200_000
    assert capped.variant_count_error == 200_000 // 100_001
    assert abs(capped.n_variants - 200_000) < 10_000  # HyperLogLog, standard error 1.6 %
    assert capped.dropped_variants == capped.n_variants
    uncapped = journey.discover(unique_log, durations="moments", max_variants=None)
    assert uncapped.max_variants is None and len(uncapped.variants()) == 200_000
    assert capped.memory_bytes() < 64 * 1024 < uncapped.memory_bytes() // 100
    # The directly-follows graph and the activity counts do not depend on the cap.
    pd.testing.assert_frame_equal(capped.edges, uncapped.edges)
    pd.testing.assert_frame_equal(capped.activities, uncapped.activities)
    assert capped.start_activities == uncapped.start_activities
    assert "left out" in capped._repr_html_() and "200,000 cases" in capped.variant_summary()


def test_heavy_hitters_keep_exact_counts_over_a_unique_tail() -> None:
    heavy = {("start", "h0", "end"): 5000, ("start", "h1", "end"): 3000, ("start", "h2", "end"): 700}
    seqs = [s for s, n in heavy.items() for _ in range(n)] + _unique_sequences(20_000)
    order = np.random.default_rng(4).permutation(len(seqs))
    seqs = [seqs[i] for i in order]
    jm = journey.discover(_log(seqs), max_variants=100)
    assert _kept(jm) == heavy  # one discovery counts what it keeps exactly
    assert jm.other_variant_cases == 20_000
    _check_bound(jm, Counter(seqs), 100)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_bound_holds_through_dask_like_merge_trees(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, cap = int(rng.integers(4_000, 9_000)), int(rng.integers(5, 150))
    seqs = _zipf_sequences(n, int(rng.integers(500, 4_000)), seed)
    cuts = np.unique(np.concatenate([[0, n], rng.integers(0, n, size=int(rng.integers(1, 10)))]))
    maps = [journey.discover(_log(seqs[a:b], first_case=a), max_variants=cap, durations="sketch")
            for a, b in zip(cuts[:-1], cuts[1:])]
    while len(maps) > 1:  # merge in a random binary tree, crossing processes as pickles
        i, j = rng.choice(len(maps), size=2, replace=False)
        merged = pickle.loads(pickle.dumps(maps[i])).merge(maps[j])
        maps = [m for k, m in enumerate(maps) if k not in (i, j)] + [merged]
    jm = maps[0]
    _check_bound(jm, Counter(seqs), cap)
    whole = journey.discover(_log(seqs), max_variants=None, durations="sketch")
    pd.testing.assert_frame_equal(jm.edges, whole.edges)


def test_under_the_cap_merges_equal_one_pass() -> None:
    seqs = _zipf_sequences(6_000, 300, 7)
    whole = journey.discover(_log(seqs))
    assert whole.variants_exact and whole.n_variants == len(set(seqs)) and whole.variant_count_error == 0
    parts = [journey.discover(_log(seqs[a:a + 1500], first_case=a)) for a in range(0, 6_000, 1500)]
    merged = parts[0]
    for p in parts[1:]:
        merged = merged.merge(p)
    assert merged == whole
    pd.testing.assert_frame_equal(whole.variants(), journey.discover(_log(seqs), max_variants=None).variants())


def test_capped_map_pickles_exactly() -> None:
    jm = journey.discover(_log(_zipf_sequences(5_000, 3_000, 9)), max_variants=30)
    assert not jm.variants_exact
    back = pickle.loads(pickle.dumps(jm))
    assert back == jm
    assert (back.n_variants, back.variant_count_error, back.other_variant_cases) == \
        (jm.n_variants, jm.variant_count_error, jm.other_variant_cases)


def test_stored_version_1_map_loads_exact_with_the_default_cap() -> None:
    path = Path(__file__).resolve().parent / "data" / "pickles" / "JourneyMap.pkl"
    old = pickle.loads(path.read_bytes())
    assert old.to_bytes()[4] == 2  # written back in the current format
    assert path.read_bytes().find(b"CXJM\x01\x00\x00\x00") >= 0  # the fixture is version 1
    assert old.variants_exact and old.max_variants == 100_000 and old.dropped_variants == 0


@pytest.mark.parametrize("bad", [0, -3])
def test_max_variants_below_one_is_a_value_error(bad: int) -> None:
    with pytest.raises(ValueError, match="max_variants"):
        journey.discover(_log([("a", "b")]), max_variants=bad)


def test_without_variants_the_summary_says_so() -> None:
    jm = journey.discover(_log([("a", "b"), ("a",)]), variants=False)
    assert jm.n_variants == 0 and jm.variant_summary() == "variants not collected"
