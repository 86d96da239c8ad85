"""Scale-out on Dask: journey discovery and moments evaluation over a Dask DataFrame of events.

Every pillar's aggregate is a mergeable summary, so the work splits by customer: each partition
builds its own :class:`cxkit.EventLog` and runs the C++ core on it, and the summaries are
reduced (journey maps in a tree, ``split_every`` at a time) or concatenated (per-case rows such
as moment occurrences). Results are identical to the single-machine ones.

**The one requirement: every case lives in exactly one partition.** A case split across two
partitions would be seen as two shorter cases (wrong edges, variants and clocks). Repartition
with :func:`partition_by_case` (a hash shuffle, or a sort with ``set_index``) unless the data
already is; every function here checks it (``check=True``) and raises
:class:`CasesSplitAcrossPartitions` naming a split case.

"Identical" means: :func:`discover` returns a map equal (``==``: counts, every duration and so
every median and quantile, variants) to ``cxkit.journey.discover`` on ``ddf.compute()``;
:func:`evaluate_moments` returns the frame ``cxkit.moments.evaluate`` gives on ``ddf.compute()``,
row for row (partitions in order, each in its log's case order). Rows of one case with equal
timestamps keep their order in the partition, as the single-machine log keeps input order.

Import explicitly (``import cxkit.dask``): ``import cxkit`` never imports Dask. docs/scale.md
has the cluster recipe, a Spark ``mapInPandas`` equivalent and measured scaling.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

from cxkit import _core
from cxkit._columns import infer_kind
from cxkit._partition import moment_activities, partition_log
from cxkit._time import from_micros, series_to_micros, to_micros
from cxkit.calendar import Calendar
from cxkit.event_log import ACTIVITY, CASE, TIMESTAMP, EventLog
from cxkit.journey import DEFAULT_MAX_VARIANTS, JourneyMap
from cxkit.moments import Moment

__all__ = ["CasesSplitAcrossPartitions", "build_features", "check_partitioned_by_case", "count_themes", "discover",
           "evaluate_moments", "partition_by_case", "score"]

_ORDER = "__cxkit_order"


class CasesSplitAcrossPartitions(ValueError):
    """Some case has events in more than one partition. ``cases`` maps up to 10 such case ids to
    the partition numbers holding them."""

    def __init__(self, cases: Mapping[Any, list[int]], column: str) -> None:
        self.cases = dict(cases)
        shown = ", ".join(f"{c!r} (partitions {', '.join(map(str, p))})" for c, p in list(self.cases.items())[:3])
        super().__init__(
            f"case column '{column}': {len(self.cases)} case(s) appear in more than one partition, e.g. {shown}; "
            f"each case must live in exactly one partition: use cxkit.dask.partition_by_case(ddf, case='{column}')")


# ---- partitioning ----

def _number_rows(pdf: pd.DataFrame, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    # partition number in the high bits, row position in the low 40: one pass, no lengths needed.
    number = 0 if partition_info is None else int(partition_info["number"])
    return pdf.assign(**{_ORDER: (np.int64(number) << np.int64(40)) + np.arange(len(pdf), dtype=np.int64)})


def _restore_order(pdf: pd.DataFrame) -> pd.DataFrame:
    return pdf.sort_values(_ORDER, kind="stable").drop(columns=_ORDER)


def partition_by_case(ddf: dd.DataFrame, case: str = CASE, npartitions: int | None = None,
                      method: str = "shuffle") -> dd.DataFrame:
    """Repartition ``ddf`` so that every case lives in exactly one partition.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Events, one row per event.
    case : str
        The case (customer, account) column.
    npartitions : int, optional
        Partitions of the result (default: those of ``ddf``).
    method : {"shuffle", "set_index"}
        ``"shuffle"`` hashes the case to a partition (no sort; partitions hold unrelated cases);
        ``"set_index"`` sorts by case (range partitions; the case column becomes the index and is
        kept as a column too).

    Returns
    -------
    dask.dataframe.DataFrame
        The same rows. Within each partition rows keep their original relative order (a hidden
        ordinal column carried through the shuffle), so events of one case with equal timestamps
        stay in input order and results equal those of the unpartitioned data. Lazy: nothing is
        computed until used.

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd, cxkit.dask
    >>> pdf = pd.DataFrame({"case": list("abab"), "activity": list("xxyy"),
    ...                     "timestamp": pd.date_range("2024-01-01", periods=4, tz="UTC")})
    >>> ddf = cxkit.dask.partition_by_case(dd.from_pandas(pdf, npartitions=2), case="case")
    >>> cxkit.dask.check_partitioned_by_case(ddf, case="case")
    """
    if case not in ddf.columns:
        raise KeyError(f"column '{case}' not in the Dask DataFrame; it has {list(map(str, ddf.columns))}")
    n = ddf.npartitions if npartitions is None else int(npartitions)
    if n < 1:
        raise ValueError(f"npartitions must be at least 1, not {n}")
    numbered = ddf.map_partitions(_number_rows, meta=_number_rows(ddf._meta))
    if method == "shuffle":
        moved = numbered.shuffle(on=case, npartitions=n)
    elif method == "set_index":
        moved = numbered.set_index(numbered[case], npartitions=n, drop=False)
        moved.index = moved.index.rename(None)
    else:
        raise ValueError(f"method must be 'shuffle' or 'set_index', not {method!r}")
    out: dd.DataFrame = moved.map_partitions(_restore_order, meta=ddf._meta if method == "shuffle" else
                                             _restore_order(moved._meta))
    return out


# ---- the straddling check: sorted 64-bit hashes of each partition's cases ----

def _case_hashes(cases: pd.Series) -> np.ndarray:
    unique = pd.Series(pd.unique(cases))
    h = pd.util.hash_pandas_object(unique, index=False).to_numpy(dtype=np.uint64)
    h.sort()
    return h


def _merge_hashes(parts: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """(all hashes sorted, hashes seen in more than one child)."""
    allh = np.concatenate([p[0] for p in parts]) if parts else np.empty(0, np.uint64)
    allh.sort(kind="stable")
    again = allh[1:][allh[1:] == allh[:-1]]
    dups = np.unique(np.concatenate([again] + [p[1] for p in parts]))
    return np.unique(allh), dups


def _cases_with_hashes(pdf: pd.DataFrame, case: str, wanted: np.ndarray) -> list[Any]:
    unique = pd.Series(pd.unique(pdf[case]))
    h = pd.util.hash_pandas_object(unique, index=False).to_numpy(dtype=np.uint64)
    return list(unique[np.isin(h, wanted)])


def _raise_if_split(parts: list[Any], case: str, dups: np.ndarray) -> None:
    """Hash matches are confirmed on the case values themselves (64-bit hashes of distinct cases
    can collide, with probability about n^2 / 2^65); only real splits raise."""
    if dups.size == 0:
        return
    found = dask.compute(*[dask.delayed(_cases_with_hashes, pure=True)(p, case, dups) for p in parts])
    where: dict[Any, list[int]] = {}
    for number, cases in enumerate(found):
        for c in cases:
            where.setdefault(c, []).append(number)
    split = {c: p for c, p in where.items() if len(p) > 1}
    if split:
        raise CasesSplitAcrossPartitions(dict(list(split.items())[:10]), case)


def _tree(leaves: list[Any], combine: Callable[..., Any], split_every: int) -> Any:
    """Reduce delayed leaves with ``combine`` on at most ``split_every`` children at a time."""
    if split_every < 2:
        raise ValueError(f"split_every must be at least 2, not {split_every}")
    level = list(leaves)
    while len(level) > 1:
        level = [dask.delayed(combine, pure=True)(*level[i:i + split_every])
                 for i in range(0, len(level), split_every)]
    return level[0]


def _hashes_of_partition(pdf: pd.DataFrame, case: str) -> tuple[np.ndarray, np.ndarray]:
    return _case_hashes(pdf[case]), np.empty(0, np.uint64)


def _combine_hashes(*parts: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    return _merge_hashes(parts)


def check_partitioned_by_case(ddf: dd.DataFrame, case: str = CASE, split_every: int = 8) -> None:
    """Raise :class:`CasesSplitAcrossPartitions` when some case has events in two partitions.

    One pass over the case column; each partition sends the sorted 64-bit hashes of its cases
    (8 bytes a case), reduced in a tree of ``split_every`` children.
    """
    if case not in ddf.columns:
        raise KeyError(f"column '{case}' not in the Dask DataFrame; it has {list(map(str, ddf.columns))}")
    parts = ddf[[case]].to_delayed()
    leaves = [dask.delayed(_hashes_of_partition, pure=True)(p, case) for p in parts]
    _, dups = _tree(leaves, _combine_hashes, split_every).compute()
    _raise_if_split(parts, case, dups)


# ---- journey discovery ----

def _discover_partition(pdf: pd.DataFrame, case: str, activity: str, timestamp: str,
                        options: dict[str, Any]) -> tuple[JourneyMap, np.ndarray, np.ndarray]:
    log = EventLog.from_pandas(pdf, case=case, activity=activity, timestamp=timestamp, attributes=[])
    cal = options["calendar"]
    core = _core.discover(log._core, options["durations"], options["quantiles"],
                          None if cal is None else cal._core, options["variants"], options["sketch_bits"],
                          options["threads"], options["max_variants"])
    return JourneyMap(core), _case_hashes(pdf[case]), np.empty(0, np.uint64)


def _combine_maps(*parts: tuple[JourneyMap, np.ndarray, np.ndarray]) -> tuple[JourneyMap, np.ndarray, np.ndarray]:
    merged = parts[0][0]
    for p in parts[1:]:
        merged = merged.merge(p[0])
    hashes, dups = _merge_hashes([(p[1], p[2]) for p in parts])
    return merged, hashes, dups


def discover(ddf: dd.DataFrame, case: str = CASE, activity: str = ACTIVITY, timestamp: str = TIMESTAMP,
             calendar: Calendar | None = None, durations: str = "exact",
             quantiles: Iterable[float] = (0.25, 0.75, 0.9), variants: bool = True, sketch_bits: int = 7,
             threads: int = 1, split_every: int = 8, check: bool = True,
             max_variants: int | None = DEFAULT_MAX_VARIANTS) -> JourneyMap:
    """The journey map of a Dask DataFrame of events partitioned by case.

    Each partition's map is discovered in C++ on a worker; maps are merged in a tree of
    ``split_every`` children (maps cross processes as exact bytes, see ``JourneyMap.to_bytes``).

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Events; every case in exactly one partition (see :func:`partition_by_case`).
    case, activity, timestamp : str
        Column names (timestamps as datetime64 or ISO 8601 text).
    calendar, durations, quantiles, variants, sketch_bits
        As :func:`cxkit.journey.discover`. ``durations="sketch"`` or ``"moments"`` keep the
        summaries that cross the network small (bounded by duration range, not event count);
        ``"exact"`` ships 8 bytes per edge occurrence.
    threads : int
        C++ threads per partition task (default 1: Dask already runs a task per worker thread).
    split_every : int
        Children per merge in the reduction tree.
    check : bool
        Verify that no case straddles partitions (costs 8 bytes per case at the root of the tree).
    max_variants : int or None
        As :func:`cxkit.journey.discover`: each partition keeps at most this many variants and the
        merges keep the cap (Misra-Gries summaries merge). While the whole log has no more distinct
        variants than the cap, the result is exact and equal to one discovery; beyond it each kept
        count is within ``n_cases / (max_variants + 1)`` (``JourneyMap.variant_count_error``).

    Returns
    -------
    cxkit.journey.JourneyMap
        Equal to ``cxkit.journey.discover`` on the concatenated partitions.

    Raises
    ------
    CasesSplitAcrossPartitions
        With ``check=True``, when a case has events in more than one partition.
    """
    for name in (case, activity, timestamp):
        if name not in ddf.columns:
            raise KeyError(f"column '{name}' not in the Dask DataFrame; it has {list(map(str, ddf.columns))}")
    options = {"calendar": calendar, "durations": str(durations), "quantiles": [float(q) for q in quantiles],
               "variants": bool(variants), "sketch_bits": int(sketch_bits), "threads": int(threads),
               "max_variants": None if max_variants is None else int(max_variants)}
    parts = ddf[[case, activity, timestamp]].to_delayed()
    leaves = [dask.delayed(_discover_partition, pure=True)(p, case, activity, timestamp, options) for p in parts]
    result: tuple[JourneyMap, np.ndarray, np.ndarray] = _tree(leaves, _combine_maps, split_every).compute()
    merged, _, dups = result
    if check:
        _raise_if_split(ddf[[case]].to_delayed(), case, dups)
    return merged


# ---- moments ----

def _require(ddf: dd.DataFrame, *names: str) -> None:
    missing = [n for n in names if n not in ddf.columns]
    if missing:
        raise KeyError(f"column(s) {missing} not in the Dask DataFrame; it has {list(map(str, ddf.columns))}")


def _attribute_kinds(ddf: dd.DataFrame, case: str, activity: str, timestamp: str,
                     attributes: Iterable[str] | Mapping[str, str] | None) -> dict[str, str]:
    """Attribute kinds from the frame's dtypes (its meta), once, so every partition agrees."""
    meta = ddf._meta
    if attributes is None:
        kinds = {str(c): infer_kind(meta[c]) for c in meta.columns if c not in {case, activity, timestamp}}
    elif isinstance(attributes, Mapping):
        kinds = {str(k): str(v) for k, v in attributes.items()}
    else:
        kinds = {str(c): infer_kind(meta[c]) for c in attributes}
    _require(ddf, *kinds)
    return kinds


def _scan_partition(pdf: pd.DataFrame, activity: str, timestamp: str,
                    wanted: list[str]) -> tuple[int | None, set[str]]:
    """(latest instant in µs or None, which of the wanted activity names occur)."""
    us = series_to_micros(pdf[timestamp], timestamp)
    us = us[us != np.iinfo(np.int64).min]
    present = set(map(str, pd.unique(pdf[activity]))) & set(wanted)
    return (int(us.max()) if us.size else None), present


def _evaluate_partition(pdf: pd.DataFrame, moments: list[Moment], case: str, activity: str, timestamp: str,
                        kinds: dict[str, str], activities: list[str], as_of: int | None,
                        threads: int) -> tuple[pd.DataFrame, np.ndarray]:
    from cxkit.moments import evaluate
    log = partition_log(pdf, case, activity, timestamp, kinds, activities)
    when = None if as_of is None else from_micros(as_of)
    return evaluate(log, moments, as_of=when, threads=threads), _case_hashes(pdf[case])


def evaluate_moments(ddf: dd.DataFrame, moments: Sequence[Moment], case: str = CASE, activity: str = ACTIVITY,
                     timestamp: str = TIMESTAMP, attributes: Iterable[str] | Mapping[str, str] | None = None,
                     as_of: Any = None, threads: int = 1, check: bool = True) -> pd.DataFrame:
    """Every moment-of-truth clock over a Dask DataFrame of events partitioned by case.

    Clocks run per case, so each partition is evaluated on its own; ``as_of`` is fixed for all of
    them first (default: the latest timestamp of the whole frame, one extra pass over the
    timestamp column, which also finds the activities the moments name; ``ddf.persist()`` first to
    avoid reading the data twice). A partition without events of an activity a moment names still
    evaluates that moment (its log's dictionary holds every named activity).

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Events; every case in exactly one partition (see :func:`partition_by_case`).
    moments : list of cxkit.moments.Moment
    case, activity, timestamp : str
    attributes : list of column names, or dict name -> kind, optional
        Attribute columns the moments use (default: every other column). Kinds are inferred from
        the frame's dtypes once, so every partition reads a column the same way.
    as_of : instant, optional
    threads : int
        C++ threads per partition task.
    check : bool
        Verify that no case straddles partitions.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`cxkit.moments.evaluate`, the rows it gives on ``ddf.compute()``:
        partitions in order, within each its cases in order of first appearance.
    """
    for name in (case, activity, timestamp):
        if name not in ddf.columns:
            raise KeyError(f"column '{name}' not in the Dask DataFrame; it has {list(map(str, ddf.columns))}")
    kinds = _attribute_kinds(ddf, case, activity, timestamp, attributes)
    moments = list(moments)
    parts = ddf[[case, activity, timestamp, *kinds]].to_delayed()
    # First pass, over two columns: the global as_of and which named activities occur anywhere.
    wanted = moment_activities(moments)
    scans: tuple[tuple[int | None, set[str]], ...] = dask.compute(
        *[dask.delayed(_scan_partition, pure=True)(p, activity, timestamp, wanted)
          for p in ddf[[activity, timestamp]].to_delayed()])
    occurring = set().union(*(found for _, found in scans)) if scans else set()
    if scans:
        for name in wanted:
            if name not in occurring:
                raise KeyError(f"activity '{name}' named by a moment is not an activity in the event log "
                               f"(no partition has it)")
    if as_of is None:
        maxima = [m for m, _ in scans if m is not None]
        as_of_us = max(maxima) if maxima else None
    else:
        as_of_us = to_micros(as_of)
    results: tuple[tuple[pd.DataFrame, np.ndarray], ...] = dask.compute(
        *[dask.delayed(_evaluate_partition, pure=True)(p, moments, case, activity, timestamp, kinds, wanted, as_of_us,
                                                       int(threads))
          for p in parts])
    if check:
        _, dups = _merge_hashes([(h, np.empty(0, np.uint64)) for _, h in results])
        _raise_if_split(ddf[[case]].to_delayed(), case, dups)
    frames = [f for f, _ in results]
    non_empty = [f for f in frames if len(f)]
    if not non_empty:
        return frames[0] if frames else _evaluate_empty(moments, kinds)
    return pd.concat(non_empty, ignore_index=True)


def _evaluate_empty(moments: Sequence[Moment], kinds: dict[str, str]) -> pd.DataFrame:
    """The (empty) occurrences frame of a frame without partitions: the single-machine schema."""
    from cxkit.moments import evaluate
    empty = pd.DataFrame({"case": pd.Series([], dtype=object), "activity": pd.Series([], dtype=object),
                          "timestamp": pd.Series([], dtype="datetime64[ns, UTC]"),
                          **{a: pd.Series([], dtype=object) for a in kinds}})
    return evaluate(partition_log(empty, "case", "activity", "timestamp", kinds, moment_activities(moments)),
                    list(moments))


# ---- churn features and scores ----

def _features_partition(pdf: pd.DataFrame, case: str, activity: str, timestamp: str, kinds: dict[str, str],
                        frame: pd.DataFrame | None, key: str, as_of: Any,
                        options: dict[str, Any]) -> tuple[pd.DataFrame, list[str], np.ndarray]:
    from cxkit._churn_features import build_features as single
    log = partition_log(pdf, case, activity, timestamp, kinds, [])
    sub = None
    covered: list[str] = []
    if frame is not None:
        keys = frame[key].astype(str)
        inside = keys.isin(set(log.cases)).to_numpy()
        sub = frame[inside]
        covered = list(keys[inside])
    return single(log, accounts=sub, as_of=as_of, key=key, **options), covered, _case_hashes(pdf[case])


def build_features(ddf: dd.DataFrame, as_of: Any, accounts: Any = None, case: str = CASE, activity: str = ACTIVITY,
                   timestamp: str = TIMESTAMP, attributes: Iterable[str] | Mapping[str, str] | None = None,
                   key: str = "account", numeric: Sequence[str] | str = "auto",
                   categorical: Sequence[str] | Mapping[str, Sequence[str]] | str = "auto",
                   exclude: Sequence[str] | None = None, max_levels: int = 20, threads: int = 1, check: bool = True,
                   **options: Any) -> pd.DataFrame:
    """Point-in-time churn features per account (:func:`cxkit.churn.build_features`) over a Dask
    DataFrame of events partitioned by case (= account).

    Each partition computes the features of its own accounts. What would depend on the partition
    is fixed first on the client from the whole ``accounts`` frame: the numeric and categorical
    account columns (``"auto"`` resolved once) and every categorical column's levels (all its
    values, sorted, as the single-machine default), so every partition makes the same columns.
    Accounts without any event are computed once on the client. ``occurrences`` and ``nps``
    (keyword options) are shipped whole to every partition (each uses its own accounts' rows).

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Events; every case in exactly one partition (see :func:`partition_by_case`).
    as_of : instant, or a Series of instants by account (required)
    accounts : pandas.DataFrame or cxkit.Table, optional
        One row per account, as for the single-machine function; rows of the result follow it.
    attributes : event attribute columns to read (default: all; kinds from the dtypes)
    key, numeric, categorical, exclude, max_levels, **options
        As :func:`cxkit.churn.build_features` (``windows``, ``occurrences``, ``nps``, ``spec``,
        ``active_only``).

    Returns
    -------
    pandas.DataFrame
        Equal to :func:`cxkit.churn.build_features` on the log of ``ddf.compute()``: rows follow
        ``accounts`` (else partitions in order, cases in log order).
    """
    from cxkit import _churn_features as cf
    from cxkit._churn_features import build_features as single
    _require(ddf, case, activity, timestamp)
    kinds = _attribute_kinds(ddf, case, activity, timestamp, attributes)
    excl = cf.DEFAULT_EXCLUDE if exclude is None else tuple(exclude)
    frame = None
    opts = dict(options, threads=int(threads), exclude=excl, max_levels=int(max_levels))
    if accounts is not None:
        frame = cf._accounts_frame(accounts, key)
        excluded = set(excl) | {key}
        if isinstance(numeric, str) and numeric == "auto":
            numeric = [str(c) for c in frame.columns if c not in excluded and pd.api.types.is_numeric_dtype(frame[c])
                       and not pd.api.types.is_bool_dtype(frame[c])]
        if isinstance(categorical, str) and categorical == "auto":
            categorical = [str(c) for c in frame.columns if c not in excluded and cf._is_text(frame[c])
                           and frame[c].nunique(dropna=True) <= max_levels]
        if not isinstance(categorical, (str, Mapping)):
            categorical = {str(c): sorted({str(v) for v in frame[c].dropna().unique()}) for c in categorical}
    opts.update(numeric=numeric, categorical=categorical)
    parts = ddf[[case, activity, timestamp, *kinds]].to_delayed()
    results: tuple[tuple[pd.DataFrame, list[str], np.ndarray], ...] = dask.compute(
        *[dask.delayed(_features_partition, pure=True)(p, case, activity, timestamp, kinds, frame, key, as_of, opts)
          for p in parts])
    if check:
        _, dups = _merge_hashes([(h, np.empty(0, np.uint64)) for _, _, h in results])
        _raise_if_split(ddf[[case]].to_delayed(), case, dups)
    frames = [f for f, _, _ in results]
    if frame is not None:
        order = pd.Index(frame[key].astype(str).to_numpy(), name=key)
        covered = set().union(*(set(c) for _, c, _ in results)) if results else set()
        rest = frame[~order.isin(list(covered))]
        if len(rest) or not frames:
            frames.append(single(EventLog(), accounts=rest, as_of=as_of, key=key, **opts))
        out = pd.concat(frames)
        return out.loc[order[order.isin(out.index)]]
    return pd.concat(frames)


def score(features: Any, model: Any, method: str = "predict_proba") -> Any:
    """Churn risk of each account: ``model.<method>(features)`` (the probability of the positive
    class for ``predict_proba``) per partition of a Dask DataFrame of features, or at once for a
    pandas one. Features are per account, so any partitioning works; the model is shipped to the
    workers once. Returns a Series named ``risk`` indexed like ``features`` (Dask or pandas). Equal
    to scoring all rows at once up to the last bits: a model's matrix product (BLAS) may round
    differently for batches of other sizes."""
    def run(part: pd.DataFrame) -> pd.Series:
        if len(part) == 0:
            return pd.Series([], index=part.index, dtype="float64", name="risk")
        out = np.asarray(getattr(model, method)(part))
        risk = out[:, -1] if out.ndim == 2 else out
        return pd.Series(risk.astype("float64"), index=part.index, name="risk")
    if isinstance(features, dd.DataFrame):
        return features.map_partitions(run, meta=pd.Series([], dtype="float64", name="risk"))
    return run(features)


# ---- feedback theme counts ----

def _customer_keys(values: pd.Series) -> np.ndarray:
    """64-bit keys of customer ids, the same in every partition (distinct customers stay distinct
    unless two 64-bit hashes collide, probability about n^2 / 2^65)."""
    return pd.util.hash_pandas_object(values.reset_index(drop=True), index=False).to_numpy(dtype=np.uint64)


def _themes_partition(pdf: pd.DataFrame, theme: str, time: str, customer: str, weight: str | None,
                      window: Any, origin: Any) -> Any:
    from cxkit._themes import ThemeCounts
    c = ThemeCounts(window, origin)
    rows = pdf[pdf[theme] >= 0]
    c.add(rows[theme].to_numpy(), rows[time], _customer_keys(rows[customer]),
          None if weight is None else rows[weight].to_numpy())
    return c


def _combine_themes(window: Any, origin: Any, *parts: Any) -> Any:
    from cxkit._themes import ThemeCounts
    out = ThemeCounts(window, origin)  # fresh: never mutate a task's input
    for p in parts:
        out.merge(p)
    return out


def _min_time(pdf: pd.DataFrame, time: str) -> Any:
    t = pd.to_datetime(pdf[time], utc=True)
    return t.min() if len(t) else pd.NaT


def count_themes(ddf: dd.DataFrame, theme: str = "theme", time: str = "time", customer: str = "customer",
                 weight: str | None = None, window: Any = "30D", origin: Any = None, split_every: int = 8) -> Any:
    """Mergeable theme counts (:class:`cxkit.feedback.ThemeCounts`) of feedback rows already
    assigned to themes (``theme`` = id, ``-1`` unassigned), reduced in a tree.

    Counts are exact tallies and customer sets, so any partitioning works (no need to partition by
    customer). ``origin`` defaults to the first item's day over the whole frame (one extra pass),
    as ``ThemeResult.counts`` does; per-partition origins would bucket differently.

    Returns
    -------
    cxkit.feedback.ThemeCounts
        ``.to_pandas()`` equals ``ThemeResult.counts(window, origin).to_pandas()`` for the same rows.
    """
    _require(ddf, theme, time, customer, *([] if weight is None else [weight]))
    if origin is None:
        firsts = [t for t in dask.compute(*[dask.delayed(_min_time, pure=True)(p, time)
                                             for p in ddf[[time]].to_delayed()]) if not pd.isna(t)]
        origin = min(firsts).floor("D") if firsts else pd.Timestamp("1970-01-01", tz="UTC")
    cols = [theme, time, customer, *([] if weight is None else [weight])]
    leaves = [dask.delayed(_themes_partition, pure=True)(p, theme, time, customer, weight, window, origin)
              for p in ddf[cols].to_delayed()]
    return _tree(leaves, functools.partial(_combine_themes, window, origin), split_every).compute()
