"""pandas columns <-> the (kind, name, data...) tuples the C++ core reads and returns.

Strings are factorised once in pandas (codes + distinct values), so every distinct string
crosses into C++ exactly once and numeric data is passed as contiguous numpy arrays.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxkit._time import micros_to_series, series_to_micros

KINDS = ("numeric", "categorical", "text", "timestamp")


def infer_kind(s: pd.Series) -> str:
    """numeric for numbers and booleans, timestamp for datetimes, categorical otherwise."""
    if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_numeric_dtype(s.dtype):
        return "numeric"
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return "timestamp"
    return "categorical"


def factorize(s: pd.Series) -> tuple[np.ndarray, list[str]]:
    """int64 codes (-1 = missing) and the distinct values as strings, in order of appearance.

    Raises ValueError naming the column, row and value for text that is not valid Unicode
    (lone surrogates, as bytes decoded with errors="surrogateescape" leave): C++ takes UTF-8.
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    names = [str(u) for u in uniques]
    for k, name in enumerate(names):  # one check per distinct value, not per row
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            pos = int(np.flatnonzero(codes == k)[0])
            raise ValueError(f"column '{s.name}', row {pos}: value {name!r} is not valid Unicode text "
                             "(a lone surrogate, as left by decoding bytes with errors='surrogateescape')") from None
    return np.ascontiguousarray(codes, dtype=np.int64), names


def to_spec(s: pd.Series, name: str, kind: str) -> tuple[Any, ...]:
    if kind not in KINDS:
        raise ValueError(f"column '{name}': kind must be one of {KINDS}, not {kind!r}")
    if kind == "numeric":
        try:
            values = pd.to_numeric(s, errors="raise").astype("float64")
        except (ValueError, TypeError) as exc:
            raise TypeError(f"column '{name}' is not numeric: {exc}") from None
        return ("numeric", name, np.ascontiguousarray(values.to_numpy(dtype="float64", na_value=np.nan)))
    if kind == "timestamp":
        return ("timestamp", name, series_to_micros(s, name))
    if kind == "categorical":
        codes, names = factorize(s)
        return ("categorical", name, codes, names)
    return ("text", name, [None if pd.isna(v) else str(v) for v in s.tolist()])


def from_core(data: tuple[Any, ...], name: str) -> pd.Series:
    """A column from the C++ core as a pandas Series (missing values as NaN / NaT / None)."""
    kind = data[0]
    if kind == "numeric":
        return pd.Series(np.array(data[1], copy=True), name=name)
    if kind == "timestamp":
        return micros_to_series(data[1], name=name)
    if kind == "categorical":
        # Strings with None for missing, like text columns (a category dtype would surprise
        # users who compare values; .astype("category") is one call away).
        names = np.array(list(data[2]) + [None], dtype=object)  # the extra slot answers missing
        codes = np.asarray(data[1]).astype(np.int64)
        codes[codes == np.iinfo(np.uint32).max] = len(names) - 1
        return pd.Series(names[codes], name=name, dtype=object)
    return pd.Series(data[1], name=name, dtype=object)
