"""cxkit.dask on a 2-process LocalCluster gives exactly the single-machine results."""
import pickle

import numpy as np
import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import cxkit  # noqa: E402
import cxkit.dask as cxd  # noqa: E402

COLS = dict(case="case", activity="activity", timestamp="timestamp")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       memory_limit="2GiB")
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def company():
    return cxkit.simulate.company(n_accounts=400, months=12, seed=5)


@pytest.fixture(scope="module")
def events(company):
    return company.events.to_pandas()


@pytest.fixture(scope="module")
def moments(company):
    cal = next(iter(company.support_calendars().values()))
    return [cxkit.moments.Moment("welcome", trigger="signed", fulfil="welcome sent", within="24h"),
            cxkit.moments.Moment("first reply", trigger="ticket opened", fulfil="first reply", within="4h",
                                 key="ticket", calendar=cal)]


def _by_case(events, n, method="shuffle"):
    return cxd.partition_by_case(dd.from_pandas(events, npartitions=n), case="case", npartitions=n, method=method)


def test_import_cxkit_does_not_import_dask():
    import subprocess
    import sys
    code = "import sys, cxkit; cxkit.journey; print('dask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("n, method", [(1, "shuffle"), (3, "shuffle"), (8, "shuffle"), (5, "set_index")])
def test_discover_equals_single_machine(client, company, events, n, method):
    ddf = _by_case(events, n, method)
    got = cxd.discover(ddf, **COLS, split_every=2)
    want = cxkit.journey.discover(company.events)
    assert got == want
    pd.testing.assert_frame_equal(got.edges, want.edges, check_exact=True)
    pd.testing.assert_frame_equal(got.variants(), want.variants(), check_exact=True)
    pd.testing.assert_frame_equal(got.activities, want.activities, check_exact=True)


@pytest.mark.parametrize("durations", ["sketch", "moments"])
def test_discover_in_business_time_with_mergeable_sketches(client, company, events, durations):
    cal = cxkit.Calendar("Europe/Berlin")
    got = cxd.discover(_by_case(events, 4), **COLS, calendar=cal, durations=durations)
    want = cxkit.journey.discover(company.events, calendar=cal, durations=durations)
    assert got == want
    pd.testing.assert_frame_equal(got.edges, want.edges, check_exact=True)


def test_partitioning_keeps_each_case_whole_and_in_order(client, events):
    numbered = events.assign(pos=range(len(events)))
    ddf = _by_case(numbered, 6)
    cxd.check_partitioned_by_case(ddf, case="case")
    parts = [p.compute() for p in ddf.to_delayed()]
    assert sum(len(p) for p in parts) == len(events)
    assert sorted(pd.concat(parts)["pos"]) == list(range(len(events)))
    seen = set()
    for p in parts:
        cases = set(p["case"])
        assert not cases & seen
        seen |= cases
        # Rows keep their original relative order (equal timestamps stay in input order).
        assert p["pos"].is_monotonic_increasing
        assert list(p.columns) == list(numbered.columns)


def test_a_case_in_two_partitions_is_refused(client, events):
    # from_pandas cuts rows, not cases: some case ends up on both sides of a cut.
    ddf = dd.from_pandas(events, npartitions=3, sort=False)
    with pytest.raises(cxd.CasesSplitAcrossPartitions, match="partition_by_case") as info:
        cxd.discover(ddf, **COLS)
    case, parts = next(iter(info.value.cases.items()))
    assert len(parts) >= 2
    with pytest.raises(ValueError):
        cxd.check_partitioned_by_case(ddf, case="case")
    with pytest.raises(cxd.CasesSplitAcrossPartitions):
        cxd.evaluate_moments(ddf, [cxkit.moments.Moment("w", trigger="signed", fulfil="welcome sent", within="24h")],
                             **COLS)


@pytest.mark.parametrize("n", [1, 4])
def test_evaluate_moments_equals_single_machine(client, events, moments, n):
    ddf = _by_case(events, n)
    got = cxd.evaluate_moments(ddf, moments, **COLS)
    # The single-machine run on the same rows in the same order (partitions concatenated).
    flat = ddf.compute().reset_index(drop=True)
    log = cxkit.EventLog.from_pandas(flat, **COLS)
    want = cxkit.moments.evaluate(log, moments)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert set(got["status"]) >= {"met", "breached"} and set(got["moment"]) == {"welcome", "first reply"}
    # And the same occurrences as on the original event order, up to row order.
    key = ["case", "moment", "key", "started"]
    orig = cxkit.moments.evaluate(cxkit.EventLog.from_pandas(events, **COLS), moments)
    pd.testing.assert_frame_equal(got.sort_values(key).reset_index(drop=True),
                                  orig.sort_values(key).reset_index(drop=True), check_exact=True)


def test_as_of_is_global_not_per_partition(client, events, moments):
    # Partition 0 holds only an early case whose ticket never gets a reply. Its clock must run to
    # the latest event of the whole frame, not to the latest event of its own partition.
    t0 = events["timestamp"].min()
    early = pd.DataFrame({"case": ["Z-open", "Z-open"], "activity": ["signed", "ticket opened"],
                          "timestamp": [t0, t0 + pd.Timedelta(hours=1)], "ticket": [None, "T-z"]})
    early = early.reindex(columns=events.columns)
    ddf = dd.concat([dd.from_pandas(early, npartitions=1), dd.from_pandas(events, npartitions=1)])
    assert ddf.npartitions == 2
    got = cxd.evaluate_moments(ddf, moments, **COLS)
    flat = pd.concat([early, events], ignore_index=True)
    want = cxkit.moments.evaluate(cxkit.EventLog.from_pandas(flat, **COLS), moments)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    z = got[got["case"] == "Z-open"]
    assert set(z["status"]) == {"overdue"}
    assert (z["stopped"].isna() | (z["stopped"] == events["timestamp"].max())).all()
    # Partition 0's own latest event is the ticket itself: a per-partition default would give 0.
    assert (z.loc[z["moment"] == "first reply", "elapsed"] > pd.Timedelta(days=30)).all()
    # An explicit as_of applies everywhere.
    as_of = pd.Timestamp(events["timestamp"].max()) - pd.Timedelta(days=90)
    earlier = cxd.evaluate_moments(ddf, moments, **COLS, as_of=as_of)
    want = cxkit.moments.evaluate(cxkit.EventLog.from_pandas(flat, **COLS), moments, as_of=as_of)
    pd.testing.assert_frame_equal(earlier, want, check_exact=True)


def test_journey_map_crosses_processes(client, company):
    jm = cxkit.journey.discover(company.events, durations="sketch")
    back = client.submit(lambda m: pickle.loads(pickle.dumps(m)), jm).result()
    assert back == jm


def test_a_moment_naming_an_unknown_activity_is_refused(client, events):
    ddf = _by_case(events, 2)
    bad = cxkit.moments.Moment("typo", trigger="signed", fulfil="welcome snet", within="24h")
    with pytest.raises(KeyError, match="welcome snet"):
        cxd.evaluate_moments(ddf, [bad], **COLS)


def test_build_features_and_score_equal_single_machine(client, company, events, moments):
    as_of = pd.Timestamp("2024-09-01", tz="UTC")
    occ = cxkit.moments.evaluate(company.events, moments, as_of=as_of)
    accounts = company.accounts
    # Some accounts have no events at all: they are computed once, on the client.
    extra = accounts.iloc[:2].assign(account=["ZZ1", "ZZ2"])
    accounts = pd.concat([accounts, extra], ignore_index=True)
    for n in (1, 3):
        ddf = _by_case(events, n)
        got = cxd.build_features(ddf, as_of=as_of, accounts=accounts, **COLS, occurrences=occ, active_only=False)
        log = cxkit.EventLog.from_pandas(ddf.compute().reset_index(drop=True), **COLS)
        want = cxkit.churn.build_features(log, accounts=accounts, as_of=as_of, occurrences=occ, active_only=False)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert {"ZZ1", "ZZ2"} <= set(got.index)
    active = cxd.build_features(_by_case(events, 3), as_of=as_of, accounts=accounts, **COLS)
    pd.testing.assert_frame_equal(active, cxkit.churn.build_features(log, accounts=accounts, as_of=as_of),
                                  check_exact=True)
    # Scores: any per-row model; here a fitted cxkit logistic regression on the features.
    y = company.accounts.set_index("account").reindex(active.index)["churned"].fillna(False).astype(int)
    model = cxkit.churn.LogisticRegression().fit(active.fillna(0), y)
    risk = cxd.score(dd.from_pandas(active.fillna(0), npartitions=3), model).compute()
    single = cxd.score(active.fillna(0), model)
    assert list(risk.index) == list(single.index)  # (Dask may store the index as Arrow strings)
    # The model's matrix product (BLAS) may round differently for a batch of another size: equal
    # to the last bits, not bit for bit.
    np.testing.assert_allclose(risk.to_numpy(), single.to_numpy(), rtol=1e-12, atol=1e-15)
    assert risk.name == "risk"
    assert risk.between(0, 1).all() and list(risk.index) == list(active.index)


def test_count_themes_equals_single_machine(client, company):
    fb = company.feedback
    result = cxkit.feedback.detect_themes(fb, text="text", customer="customer", time="time")
    items = pd.DataFrame({"theme": result.assignments.to_numpy(), "time": fb["time"].to_numpy(),
                          "customer": fb["customer"].to_numpy()})
    assert (items["theme"] >= 0).sum() > 10
    want = result.counts("30D").to_pandas()
    for n in (1, 4):
        got = cxd.count_themes(dd.from_pandas(items, npartitions=n), window="30D").to_pandas()
        pd.testing.assert_frame_equal(got, want, check_exact=True)
