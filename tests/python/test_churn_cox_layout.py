"""CoxPH.fit reads pandas' memory in place (any block layout) and, on large data, starts Newton
from a subsample's optimum: the coefficients still equal lifelines' to 1e-6."""
import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit.churn import _columns

lifelines = pytest.importorskip("lifelines", reason="lifelines is the reference; scripts/bootstrap installs it")


def survival_frame(n: int, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))  # C-ordered: pandas keeps it as one transposed block
    t = rng.exponential(1.0 / np.exp(X @ np.array([0.5, -0.3, 0.2, 0.0])))
    df = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    df["T"] = np.ceil(t * 30)  # ties, as in day-level data
    df["E"] = (rng.random(n) < 0.7).astype(float)
    return df


def test_columns_are_viewed_in_place_when_pandas_allows():
    df = survival_frame(1000)
    view = _columns(df, ["a", "b", "c", "d"])
    assert not view.flags["OWNDATA"] and np.shares_memory(view, df["a"].to_numpy())
    np.testing.assert_array_equal(view, df[["a", "b", "c", "d"]].to_numpy())
    # Out of block order or from separate blocks: one copy, same values.
    mixed = _columns(df, ["c", "a", "T"])
    np.testing.assert_array_equal(mixed, df[["c", "a", "T"]].to_numpy())
    assert mixed.flags["F_CONTIGUOUS"]


@pytest.mark.parametrize("layout", ["c_block", "separate_columns"])
def test_large_fit_equals_lifelines(layout):
    df = survival_frame(60_000)  # >= 50k rows: the warm-started path
    if layout == "separate_columns":
        df = pd.DataFrame({c: df[c].to_numpy().copy() for c in df.columns})
    ours = cxkit.churn.CoxPH().fit(df, duration_col="T", event_col="E")
    ref = lifelines.CoxPHFitter().fit(df, duration_col="T", event_col="E")
    np.testing.assert_allclose(ours.params_.to_numpy(), ref.params_.to_numpy(), atol=1e-6)
    np.testing.assert_allclose(ours.standard_errors_.to_numpy(), ref.standard_errors_.to_numpy(), atol=1e-6)
    assert ours.log_likelihood_ == pytest.approx(ref.log_likelihood_, abs=1e-6)
