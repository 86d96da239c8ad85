"""Feedback themes: detect_themes, trends, emerging themes, alerts and theme_nps (see docs/feedback_themes.md).

Clustering, labels and the mergeable per-window counts run in C++ (``cxkit._core``) with the GIL released;
this module turns DataFrames into arrays and results back into DataFrames.
"""
from __future__ import annotations

import html
import math
from typing import Any

import numpy as np
import pandas as pd

from cxkit import _core
from cxkit._progress import ProgressArg, reporter
from cxkit._text import utf8_text
from cxkit._time import check_state_version, state_damage, state_fields

__all__ = ["ThemeCounts", "ThemeResult", "detect_themes", "theme_nps"]

_STATE_VERSION = 1
_EPOCH = pd.Timestamp("1970-01-01", tz="UTC")


def _micros(times: pd.Series) -> np.ndarray:
    t = pd.to_datetime(times, utc=True)
    return ((t - _EPOCH) // pd.Timedelta(microseconds=1)).to_numpy(dtype=np.int64)


def _window(window: Any) -> pd.Timedelta:
    w = pd.Timedelta(window)
    if w <= pd.Timedelta(0):
        raise ValueError(f"window must be positive, got {window!r}")
    return w


class ThemeCounts:
    """Mergeable counts per theme and time bucket: items, distinct customers (exact sets) and their weight.

    Build one per partition (per day of new feedback, per Dask partition, ...) and ``merge`` them: the result
    is the same as counting everything at once. A customer's weight in a cell is the largest seen there.

    Examples
    --------
    >>> import pandas as pd, cxkit
    >>> a = cxkit.feedback.ThemeCounts("30D", origin="2024-01-01")
    >>> a.add([0, 0], pd.to_datetime(["2024-01-02", "2024-01-03"], utc=True), [7, 7], [100.0, 100.0])
    >>> b = cxkit.feedback.ThemeCounts("30D", origin="2024-01-01")
    >>> b.add([0], pd.to_datetime(["2024-01-05"], utc=True), [8], [50.0])
    >>> a.merge(b).to_pandas()[["items", "customers", "weight"]].iloc[0].tolist()
    [3.0, 2.0, 150.0]
    """

    def __init__(self, width: Any = "30D", origin: Any = "1970-01-01") -> None:
        w = _window(width)
        o = pd.Timestamp(origin)
        o = o.tz_localize("UTC") if o.tzinfo is None else o.tz_convert("UTC")
        self._core = _core.ThemeCounts(int(w / pd.Timedelta(microseconds=1)), int((o - _EPOCH) // pd.Timedelta(microseconds=1)))

    @property
    def width(self) -> pd.Timedelta:
        return pd.Timedelta(microseconds=self._core.width_us)

    @property
    def origin(self) -> pd.Timestamp:
        return _EPOCH + pd.Timedelta(microseconds=self._core.origin_us)

    def add(self, theme: Any, time: Any, customer: Any, weight: Any = None) -> None:
        """Counts items: theme id (``-1`` ignored), time, integer customer key and weight per item."""
        th = np.asarray(theme, dtype=np.int64)
        w = np.zeros(len(th)) if weight is None else np.asarray(weight, dtype=np.float64)
        self._core.add_many(th, _micros(pd.Series(time)), np.asarray(customer, dtype=np.uint64), w)

    def merge(self, other: ThemeCounts) -> ThemeCounts:
        """Adds ``other`` into this one (same width and origin) and returns self."""
        self._core.merge(other._core)
        return self

    def to_pandas(self) -> pd.DataFrame:
        """One row per non-empty (theme, bucket): ``theme``, ``start``, ``items``, ``customers``, ``weight``."""
        rows = self._core.cells()
        df = pd.DataFrame(rows, columns=["theme", "bucket", "items", "customers", "weight"])
        df["start"] = self.origin + df["bucket"].astype("int64") * self.width
        return df[["theme", "start", "items", "customers", "weight"]].astype(
            {"theme": "int64", "items": "int64", "customers": "int64", "weight": "float64"})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ThemeCounts) and bool(self._core == other._core)

    def __getstate__(self) -> dict[str, Any]:
        return {"version": _STATE_VERSION, "width_us": self._core.width_us, "origin_us": self._core.origin_us,
                "cells": self._core.state()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "ThemeCounts", _STATE_VERSION)
        width_us, origin_us, cells = state_fields(state, "ThemeCounts",
                                                  {"width_us": int, "origin_us": int, "cells": list})
        with state_damage("ThemeCounts"):  # a cell of other length or types (the C++ load_state's TypeError)
            self._core = _core.ThemeCounts(width_us, origin_us)
            self._core.load_state(cells)


class ThemeResult:
    """Themes found by :func:`detect_themes`.

    Attributes
    ----------
    themes : DataFrame
        ``id``, ``label``, ``items``, ``customers`` (distinct), ``weight`` (sum over distinct customers of their
        largest weight), ``first_seen``, ``last_seen``, ``representative`` (row label of the most central item),
        ``representative_text``, ``language``, ``cohesion`` (mean cosine to the centroid), ``terms``.
    assignments : Series
        Theme id of every input row, in input order (index of the input frame), -1 for unassigned.
    similarity : Series
        Cosine of each row to its theme's centroid (0 when unassigned).
    """

    def __init__(self, themes: pd.DataFrame, items: pd.DataFrame, info: dict[str, Any]) -> None:
        self.themes = themes
        self._items = items  # theme, customer, time, weight, similarity (input index)
        self.info = info

    @property
    def assignments(self) -> pd.Series:
        return self._items["theme"].rename("theme")

    @property
    def similarity(self) -> pd.Series:
        return self._items["similarity"].rename("similarity")

    def _require_time(self) -> None:
        if self._items["time"].isna().all():
            raise ValueError("this result has no time column: pass time= to detect_themes")

    def counts(self, window: Any = "30D", origin: Any = None) -> ThemeCounts:
        """Mergeable :class:`ThemeCounts` of the assigned rows in buckets of ``window`` from ``origin``
        (default: the first item's day)."""
        self._require_time()
        it = self._items[self._items["theme"] >= 0]
        if origin is None:
            origin = self._items["time"].min().floor("D")
        c = ThemeCounts(window, origin)
        codes = pd.factorize(self._items["customer"])[0]
        mask = (self._items["theme"] >= 0).to_numpy()
        c.add(it["theme"].to_numpy(), it["time"], codes[mask].astype(np.uint64), it["weight"].to_numpy())
        return c

    def trends(self, window: Any = "30D") -> pd.DataFrame:
        """Items, distinct customers and weight per theme per window (windows from the first item's day).

        Columns ``theme``, ``label``, ``start``, ``items``, ``customers``, ``weight``; windows in which a
        theme has no item are present with zeros, so a schedule reads directly off the frame.
        """
        c = self.counts(window).to_pandas()
        w = _window(window)
        start = self._items["time"].min().floor("D")
        n_windows = int((self._items["time"].max() - start) // w) + 1
        grid = pd.MultiIndex.from_product([pd.Index(self.themes["id"].to_numpy()), start + w * np.arange(n_windows)],
                                          names=["theme", "start"])
        out = c.set_index(["theme", "start"]).reindex(grid, fill_value=0).reset_index()
        out.insert(1, "label", out["theme"].map(self.themes.set_index("id")["label"]))
        return out.astype({"items": "int64", "customers": "int64", "weight": "float64"})

    def _windows(self, window: Any, as_of: Any, count: int) -> tuple[ThemeCounts, pd.Timestamp, int]:
        self._require_time()
        w = _window(window)
        end = (self._items["time"].max() + pd.Timedelta(microseconds=1)) if as_of is None else pd.Timestamp(as_of)
        if end.tzinfo is None:
            end = end.tz_localize("UTC")
        origin = end - w * count
        return self.counts(w, origin), origin, count - 1

    def emerging(self, window: Any = "30D", baseline: int = 6, alpha: float = 0.01, min_customers: int = 3,
                 as_of: Any = None) -> pd.DataFrame:
        """Themes whose demand in the last ``window`` rises beyond their own baseline (Poisson test).

        For each theme, ``x`` = distinct customers in the window ending at ``as_of`` (default: just after the
        last item) and ``expected`` = the theme's mean distinct customers over the ``baseline`` windows
        before it (floored at 0.5 so a brand-new theme is measured against half a customer per window).
        One-sided p-value ``P(X >= x)`` for ``X ~ Poisson(expected)``; a theme is emerging when
        ``p < alpha`` and ``x >= min_customers``. Columns ``theme``, ``label``, ``customers``,
        ``expected``, ``ratio``, ``p_value``, ``emerging``, sorted by p-value.
        """
        from scipy.stats import poisson

        if baseline < 1:
            raise ValueError("baseline must be >= 1 window")
        c, origin, last = self._windows(window, as_of, baseline + 1)
        rows = []
        for tid, label in zip(self.themes["id"], self.themes["label"]):
            x = c._core.total(int(tid), last, last)[1]
            hist = [c._core.total(int(tid), b, b)[1] for b in range(0, last)]
            expected = max(float(np.mean(hist)), 0.5)
            p = float(poisson.sf(x - 1, expected)) if x > 0 else 1.0
            rows.append((int(tid), label, int(x), expected, x / expected, p, bool(p < alpha and x >= min_customers)))
        out = pd.DataFrame(rows, columns=["theme", "label", "customers", "expected", "ratio", "p_value", "emerging"])
        return out.sort_values(["p_value", "theme"], kind="stable").reset_index(drop=True)

    def alerts(self, min_customers: int = 5, window: Any = "30D", as_of: Any = None,
               weight_name: str = "ARR") -> pd.DataFrame:
        """Themes asked about by at least ``min_customers`` distinct customers in the last ``window``.

        Columns ``theme``, ``label``, ``customers``, ``weight``, ``accounts`` (customer ids, largest weight
        first) and ``message``, e.g. ``5 customers (ARR 410,000) asked about "dark mode" in the last 30 days``.
        """
        w = _window(window)
        c, origin, last = self._windows(w, as_of, 1)
        codes, uniques = pd.factorize(self._items["customer"])
        it = self._items.assign(code=codes)
        in_window = it[(it["theme"] >= 0) & (it["time"] >= origin) & (it["time"] < origin + w)]
        rows = []
        for tid, label, terms in zip(self.themes["id"], self.themes["label"], self.themes["terms"]):
            _, n, weight = c._core.total(int(tid), last, last)
            if n < min_customers:
                continue
            per = in_window[in_window["theme"] == tid].groupby("customer", sort=True)["weight"].max()
            accounts = per.sort_values(ascending=False, kind="stable").index.tolist()
            topic = terms[0] if len(terms) else label
            span = f"{w.days} days" if w == pd.Timedelta(days=w.days) else str(w)
            msg = f'{n} customers ({weight_name} {weight:,.0f}) asked about "{topic}" in the last {span}'
            rows.append((int(tid), label, int(n), float(weight), accounts, msg))
        out = pd.DataFrame(rows, columns=["theme", "label", "customers", "weight", "accounts", "message"])
        return out.sort_values(["weight", "customers", "theme"], ascending=[False, False, True],
                               kind="stable").reset_index(drop=True)

    def to_pandas(self) -> pd.DataFrame:
        return self.themes.copy()

    def __repr__(self) -> str:
        assigned = int((self._items["theme"] >= 0).sum())
        return f"ThemeResult({len(self.themes)} themes, {assigned:,} of {len(self._items):,} items assigned)"

    def _repr_html_(self) -> str:
        cols = ["id", "label", "items", "customers", "weight", "first_seen", "last_seen", "representative_text"]
        top = self.themes.sort_values("items", ascending=False).head(20)[cols]
        return f"<p>{html.escape(repr(self))}</p>" + top.to_html(index=False, escape=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ThemeResult):
            return NotImplemented
        return self.themes.equals(other.themes) and self._items.equals(other._items) and self.info == other.info

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> dict[str, Any]:
        return {"version": _STATE_VERSION, "themes": self.themes, "items": self._items, "info": self.info}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "ThemeResult", _STATE_VERSION)
        self.themes, self._items, self.info = state_fields(
            state, "ThemeResult", {"themes": pd.DataFrame, "items": pd.DataFrame, "info": dict})
        # Pickles from before the resource limits had no cut to report.
        self.info = {**self.info, "pruned_terms": self.info.get("pruned_terms", 0),
                     "emptied_items": self.info.get("emptied_items", 0)}


def _column(df: pd.DataFrame, name: Any, what: str) -> pd.Series | None:
    if name is None:
        return None
    if isinstance(name, str):
        if name not in df.columns:
            raise KeyError(f"{what} column '{name}' is not in the frame (columns: {list(df.columns)})")
        return df[name]
    s = pd.Series(np.asarray(name), index=df.index)
    if len(s) != len(df):
        raise ValueError(f"{what} has {len(s)} values for {len(df)} rows")
    return s


def detect_themes(df: Any, text: str = "text", customer: Any = "customer", time: Any = "time", weight: Any = None,
                  *, link_threshold: float = 0.3, assign_threshold: float = 0.3, min_size: int = 3,
                  sample_size: int = 20000, max_rounds: int = 4, neighbours: int = 200, edge_floor: float = 0.05,
                  min_df: int = 2, max_df: float = 0.5, label_terms: int = 3, language: str | None = None,
                  embeddings: Any = None, seed: int = 1, threads: int = 0, max_vocabulary: int = 1_000_000,
                  progress: ProgressArg = None) -> ThemeResult:
    """Groups same-topic feedback into labelled themes; unclear items stay unassigned (-1).

    Items are vectorised by TF-IDF over language-aware stems (or ``embeddings``, a float matrix with one row
    per item, from any model), clustered by average linkage on a cosine neighbour graph of a sample
    (``sample_size`` items per round; everything when smaller), and the rest joined to the closest theme
    centroid when its cosine reaches ``assign_threshold``. Labels are the themes' most distinctive words and
    phrases by class-based TF-IDF, shown in the items' own language. Deterministic for any ``threads``.

    Parameters
    ----------
    df : DataFrame with a text column (a list or Series of strings is accepted too)
    text, customer, time, weight : column names (``customer``/``time``/``weight`` may be None, or arrays);
        ``weight`` is per customer (e.g. ARR): themes sum it over distinct customers
    link_threshold : average-linkage stop (mean pairwise cosine of two clusters to merge them)
    assign_threshold : minimum cosine to a theme centroid for items outside the clustered sample
    min_size : smaller clusters are not themes
    max_vocabulary : resource limit on the terms kept for similarity (the most frequent, ties by term; 0 = none);
        ``result.info["pruned_terms"]`` / ``["emptied_items"]`` report a cut
    progress : True shows a tqdm bar, a callable is called as ``f(done, total)`` (units of items per stage:
        tokenising, vectors, each round's graph, linkage and assignment, labels). Never changes the result.
        Ctrl-C interrupts either way (KeyboardInterrupt); an exception from the callable propagates.

    Examples
    --------
    >>> import pandas as pd, cxkit
    >>> texts = ["please add dark mode", "dark mode please", "we need a dark mode",
    ...          "export to excel fails", "excel export is broken", "export to excel does not work", "hello"]
    >>> r = cxkit.feedback.detect_themes(pd.DataFrame({"text": texts}), customer=None, time=None)
    >>> r.assignments.tolist()
    [0, 0, 0, 1, 1, 1, -1]
    >>> r.themes["label"].str.contains("dark mode").tolist()
    [True, False]
    """
    if not isinstance(df, pd.DataFrame):
        df = pd.DataFrame({text: list(df)})
    texts = _column(df, text, "text")
    assert texts is not None
    texts_list = ["" if (v is None or (isinstance(v, float) and math.isnan(v))) else utf8_text(v) for v in texts]
    emb = None
    if embeddings is not None:
        emb = np.ascontiguousarray(np.asarray(embeddings, dtype=np.float32))
        if emb.ndim != 2 or emb.shape[0] != len(df):
            raise ValueError(f"embeddings must be a 2-D matrix with one row per item ({len(df)}), got {emb.shape}")
    with reporter(progress, "detecting themes") as callback:
        raw = _core.detect_themes(texts_list, emb, float(link_threshold), float(assign_threshold), float(edge_floor),
                                  int(neighbours), int(min_size), int(sample_size), int(max_rounds), int(min_df),
                                  float(max_df), int(label_terms), int(seed), int(threads), language,
                                  int(max_vocabulary), callback)
    cust = _column(df, customer, "customer")
    tim = _column(df, time, "time")
    wei = _column(df, weight, "weight")
    items = pd.DataFrame({
        "theme": np.asarray(raw["assignment"], dtype=np.int64),
        "customer": cust.to_numpy() if cust is not None else np.arange(len(df)),
        "time": pd.to_datetime(tim, utc=True).to_numpy() if tim is not None else pd.NaT,
        "weight": pd.to_numeric(wei).fillna(0.0).to_numpy(dtype=np.float64) if wei is not None else 0.0,
        "similarity": np.asarray(raw["similarity"], dtype=np.float64),
    }, index=df.index)
    items["time"] = pd.to_datetime(items["time"], utc=True)
    meta = pd.DataFrame(raw["themes"], columns=["id", "label", "terms", "term_scores", "items", "rep", "cohesion",
                                                "language"])
    assigned = items[items["theme"] >= 0]
    per_customer = assigned.groupby(["theme", "customer"], sort=False)["weight"].max().groupby("theme")
    themes = pd.DataFrame({
        "id": meta["id"].astype("int64"),
        "label": meta["label"].astype(object),
        "items": meta["items"].astype("int64"),
        "customers": meta["id"].map(per_customer.size()).fillna(0).astype("int64"),
        "weight": meta["id"].map(per_customer.sum()).fillna(0.0).astype("float64"),
        "first_seen": meta["id"].map(assigned.groupby("theme")["time"].min()),
        "last_seen": meta["id"].map(assigned.groupby("theme")["time"].max()),
        "representative": [df.index[int(i)] for i in meta["rep"]],
        "representative_text": [texts_list[int(i)] for i in meta["rep"]],
        "language": meta["language"].astype(object),
        "cohesion": meta["cohesion"].astype("float64"),
        "terms": meta["terms"],
    })
    info = {"rounds": int(raw["rounds"]), "vocabulary": int(raw["vocabulary"]), "languages": raw["languages"],
            "pruned_terms": int(raw["pruned_terms"]), "emptied_items": int(raw["emptied_items"])}
    return ThemeResult(themes, items, info)


def _wilson(k: np.ndarray, n: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    from scipy.stats import norm

    z = norm.ppf(0.5 + confidence / 2)
    n = np.maximum(n.astype(float), 1e-12)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def theme_nps(result: ThemeResult, nps_answers: pd.DataFrame, customer: str = "customer", score: str = "score",
              confidence: float = 0.95) -> pd.DataFrame:
    """Which themes over-represent detractors: NPS answers of each theme's customers against all answers.

    For each theme, the answers (0-10) given by the customers who raised it: counts, NPS with the Rocks
    (2016) adjusted-Wald interval, the detractor share with a Wilson interval, and ``lift`` = detractor share
    / overall detractor share. ``over_represented`` is True when the share's lower bound exceeds the overall
    share. Sorted by lift, largest first.
    """
    if customer not in nps_answers.columns or score not in nps_answers.columns:
        raise KeyError(f"nps_answers needs columns '{customer}' and '{score}'")
    s = pd.to_numeric(nps_answers[score], errors="coerce")
    bad = s.isna() | (s < 0) | (s > 10)
    if bad.any():
        raise ValueError(f"NPS score {nps_answers[score][bad].iloc[0]!r} is not a number in 0..10")
    answers = pd.DataFrame({"customer": nps_answers[customer].to_numpy(), "score": s.to_numpy()})
    overall_det = float((answers["score"] <= 6).mean()) if len(answers) else float("nan")
    it = result._items[result._items["theme"] >= 0]
    pairs = it[["theme", "customer"]].drop_duplicates()
    joined = pairs.merge(answers, on="customer", how="inner")
    ids = result.themes["id"].to_numpy()
    g = joined.groupby("theme")["score"]
    pro = g.apply(lambda x: int((x >= 9).sum())).reindex(ids, fill_value=0).to_numpy()
    det = g.apply(lambda x: int((x <= 6).sum())).reindex(ids, fill_value=0).to_numpy()
    n = g.size().reindex(ids, fill_value=0).to_numpy()
    table = _core.nps_summaries(pro.astype(np.int64), (n - pro - det).astype(np.int64), det.astype(np.int64),
                                float(confidence))
    lo, hi = _wilson(det.astype(float), n, confidence)
    share = np.where(n > 0, det / np.maximum(n, 1), np.nan)
    out = pd.DataFrame({
        "theme": ids.astype("int64"), "label": result.themes["label"].to_numpy(),
        "customers": pairs.groupby("theme").size().reindex(ids, fill_value=0).to_numpy(),
        "answers": n.astype("int64"), "detractors": det.astype("int64"),
        "detractor_share": share, "share_low": np.where(n > 0, lo, np.nan), "share_high": np.where(n > 0, hi, np.nan),
        "overall_share": overall_det, "lift": share / overall_det if overall_det > 0 else np.nan,
        "nps": np.where(n > 0, table["nps"], np.nan), "nps_low": np.where(n > 0, table["ci_low"], np.nan),
        "nps_high": np.where(n > 0, table["ci_high"], np.nan),
    })
    out["over_represented"] = (out["share_low"] > overall_det) & (out["answers"] > 0)
    return out.sort_values(["lift", "theme"], ascending=[False, True], kind="stable",
                           na_position="last").reset_index(drop=True)
