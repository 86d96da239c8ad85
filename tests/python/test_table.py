import pickle

import numpy as np
import pandas as pd
import pytest

import cxkit


def accounts():
    return pd.DataFrame({
        "account": ["A1", "A2", "A3"],
        "tier": ["Enterprise", "SMB", None],
        "arr": [410000.0, 12000.0, np.nan],
        "signup": pd.to_datetime(["2024-01-01", "2024-02-01", None], utc=True),
    })


def test_round_trip():
    t = cxkit.Table.from_pandas(accounts(), key="account")
    assert len(t) == 3 and t.columns == ["tier", "arr", "signup"]
    out = t.to_pandas()
    assert out["account"].tolist() == ["A1", "A2", "A3"]
    assert out["tier"].tolist() == ["Enterprise", "SMB", None]
    assert out["arr"].iloc[0] == 410000.0 and np.isnan(out["arr"].iloc[2])
    assert out["signup"].iloc[1] == pd.Timestamp("2024-02-01", tz="UTC") and pd.isna(out["signup"].iloc[2])


def test_duplicate_key_names_the_row_and_value():
    df = accounts()
    df.loc[2, "account"] = "A1"
    with pytest.raises(ValueError, match=r"row 2.*'A1'"):
        cxkit.Table.from_pandas(df, key="account")


def test_missing_key_column():
    with pytest.raises(KeyError, match="customer"):
        cxkit.Table.from_pandas(accounts(), key="customer")


def test_pickle():
    t = cxkit.Table.from_pandas(accounts(), key="account")
    pd.testing.assert_frame_equal(pickle.loads(pickle.dumps(t)).to_pandas(), t.to_pandas())
