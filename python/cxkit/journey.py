"""Journey modelling: what path customers really take, where they stall, and where they end up.

``discover(log)`` builds a :class:`JourneyMap` (directly-follows graph with duration statistics,
variants, start/end activities, rework); ``markov(log or map, absorbing=[...])`` an absorbing
Markov chain over the stages. Counts agree with pm4py's ``discover_dfg``, ``get_variants`` and
``discover_performance_dfg`` (see docs/journeys.md). Durations are in seconds.
"""
from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxkit import _core
from cxkit._progress import ProgressArg, reporter
from cxkit.calendar import Calendar
from cxkit.event_log import EventLog
from cxkit.table import Table
from cxkit._time import check_state_version, state_fields

from cxkit._journey_plans import Conformance, FunnelResult, JourneyDesign, Playbook, funnel  # noqa: E402

__all__ = ["DEFAULT_MAX_VARIANTS", "Conformance", "FunnelResult", "JourneyDesign", "JourneyMap", "MarkovChain",
           "Playbook", "discover", "funnel", "markov"]

_STATS = ["sum", "mean", "median", "min", "max", "stdev"]


def _frame(d: dict[str, Any], quantiles: Sequence[float]) -> pd.DataFrame:
    q = d.pop("quantiles", None)
    df = pd.DataFrame({k: (v if not isinstance(v, np.ndarray) else v.astype(np.int64) if v.dtype == np.uint64 else v)
                       for k, v in d.items()})
    if q is not None:
        for k, p in enumerate(quantiles):
            df[f"q{round(p * 100):g}"] = q[:, k]
    return df


class JourneyMap:
    """The discovered journey: activities, directly-follows edges, variants, start and end activities.

    Build with :func:`discover`; combine partitions with :meth:`merge` (exact: the merged map equals
    the map of all cases). Duration statistics are in seconds (business seconds when discovered
    with a calendar).

    Variants are capped at :attr:`max_variants` distinct sequences (a mergeable Misra-Gries
    summary): below the cap every count is exact; beyond it the most frequent sequences are kept,
    each count at most :attr:`variant_count_error` below the truth, and :attr:`other_variant_cases`
    and :attr:`dropped_variants` say what was left out. Activity and edge counts are always exact.
    """

    __slots__ = ("_core",)

    def __init__(self, core: Any) -> None:
        self._core = core

    @property
    def n_cases(self) -> int:
        return int(self._core.n_cases)

    @property
    def n_events(self) -> int:
        return int(self._core.n_events)

    @property
    def rework_cases(self) -> int:
        """Cases in which some activity occurs more than once."""
        return int(self._core.rework_cases)

    @property
    def max_variants(self) -> int | None:
        """The cap on distinct variants kept (None: no cap)."""
        v = self._core.max_variants
        return None if v is None else int(v)

    @property
    def variants_exact(self) -> bool:
        """True when :meth:`variants` lists every distinct sequence with its exact count."""
        return bool(self._core.variants_exact)

    @property
    def n_variants(self) -> int:
        """Distinct activity sequences among all cases: exact when :attr:`variants_exact`, otherwise
        a HyperLogLog estimate (standard error 1.6 %). 0 when discovered with ``variants=False``."""
        return int(self._core.n_variants)

    @property
    def dropped_variants(self) -> int:
        """Distinct sequences not in :meth:`variants` (``n_variants - len(variants())``; an
        estimate beyond the cap, 0 when exact)."""
        return int(self._core.dropped_variants)

    @property
    def other_variant_cases(self) -> int:
        """Cases not counted in any listed variant's ``count`` (exact; 0 when exact)."""
        return int(self._core.other_variant_cases)

    @property
    def variant_count_error(self) -> int:
        """E such that every sequence's true case count lies in ``[count, count + E]`` (count 0 for
        a sequence not listed); ``E <= n_cases / (max_variants + 1)``, 0 when exact."""
        return int(self._core.variant_count_error)

    @property
    def activities(self) -> pd.DataFrame:
        """One row per activity: ``activity``, ``events``, ``cases``, ``starts``, ``ends``,
        ``rework_cases``, ``self_loops``."""
        return _frame(self._core.activities(), [])

    @property
    def edges(self) -> pd.DataFrame:
        """One row per directly-follows edge: ``source``, ``target``, ``count``, then ``sum``, ``mean``,
        ``median``, ``min``, ``max``, ``stdev`` (seconds; stdev is the sample standard deviation, as in
        pm4py) and the chosen quantiles (``q25``, ``q75``, ``q90`` by default)."""
        return _frame(self._core.edges(), self._core.quantiles)

    def variants(self, top: int | None = None, coverage: float | None = None) -> pd.DataFrame:
        """One row per variant (distinct activity sequence), most frequent first: ``variant`` (a tuple
        of activities), ``count``, ``share`` and case-duration statistics (seconds).

        ``top=k`` keeps the k most frequent; ``coverage=0.8`` the fewest that cover 80% of cases.
        """
        d = self._core.variants(top=-1 if top is None else int(top),
                                coverage=-1.0 if coverage is None else float(coverage))
        return _frame(d, self._core.quantiles)

    @property
    def start_activities(self) -> dict[str, int]:
        return {k: int(v) for k, v in self._core.start_activities()}

    @property
    def end_activities(self) -> dict[str, int]:
        return {k: int(v) for k, v in self._core.end_activities()}

    def merge(self, other: JourneyMap) -> JourneyMap:
        """A new map holding the cases of both (which must be disjoint), matched by activity name."""
        return JourneyMap(self._core.merged(other._core))

    def to_dot(self, labels: str = "frequency", statistic: str = "mean", start_end: bool = True,
               rankdir: str = "LR") -> str:
        """Graphviz DOT text; ``labels="performance"`` labels edges with a duration ``statistic``."""
        return str(self._core.to_dot(labels, statistic, start_end, rankdir))

    def to_networkx(self) -> Any:
        """A ``networkx.DiGraph``: nodes carry the activity statistics, edges the edge statistics."""
        import networkx as nx
        g = nx.DiGraph()
        for record in self.activities.to_dict("records"):
            row = {str(k): v for k, v in record.items()}  # column names, as keyword attributes
            g.add_node(row.pop("activity"), **row)
        for record in self.edges.to_dict("records"):
            row = {str(k): v for k, v in record.items()}
            g.add_edge(row.pop("source"), row.pop("target"), **row)
        return g

    def plot(self, ax: Any = None, max_edges: int = 40) -> Any:
        """Draw the map with matplotlib: the ``max_edges`` most frequent edges and their activities,
        laid out in layers by distance from the start activities, edge width by count. Returns the axes."""
        import matplotlib.pyplot as plt
        edges = self.edges.sort_values("count", ascending=False).head(max_edges)
        shown = sorted(set(edges["source"]) | set(edges["target"]) | set(self.start_activities))
        layer = _layers(shown, edges, self.start_activities)
        layers: dict[int, list[str]] = {}
        for a, r in sorted(layer.items(), key=lambda kv: (kv[1], kv[0])):
            layers.setdefault(r, []).append(a)
        tallest = max((len(v) for v in layers.values()), default=1)
        pos = {a: (3.0 * r, 1.2 * (k - (len(v) - 1) / 2)) for r, v in layers.items() for k, a in enumerate(v)}
        if ax is None:
            _, ax = plt.subplots(figsize=(2.2 * len(layers) + 2, 0.55 * tallest + 1.5))
        top = max(int(edges["count"].max()), 1) if len(edges) else 1
        for source, target, count in zip(edges["source"], edges["target"], edges["count"]):
            (x0, y0), (x1, y1) = pos[source], pos[target]
            ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                        arrowprops=dict(arrowstyle="->", lw=0.4 + 4 * count / top, alpha=0.45, color="#4a6fa5",
                                        connectionstyle="arc3,rad=0.2", shrinkA=14, shrinkB=14))
        events = dict(zip(self.activities["activity"], self.activities["events"]))
        for a, (x, y) in pos.items():
            ax.text(x, y, f"{a}\n{events.get(a, 0):,}", ha="center", va="center", fontsize=7,
                    bbox=dict(boxstyle="round", fc="#e8f0fe", ec="#4a6fa5"))
        ax.set_xlim(-1.5, 3.0 * max(layers, default=0) + 1.5)
        ax.set_ylim(-0.6 * tallest - 0.6, 0.6 * tallest + 0.6)
        ax.axis("off")
        return ax

    def memory_bytes(self) -> int:
        return int(self._core.memory_bytes())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JourneyMap) and bool(self._core == other._core)

    # ---- serialisation: the C++ core's exact, versioned byte format (journey_map_io.hpp) ----
    def to_bytes(self) -> bytes:
        """The map as bytes (``CXJM`` magic, format version, payload, checksum): exact, so
        ``JourneyMap.from_bytes(jm.to_bytes()) == jm`` with bit-identical statistics. This is how maps
        cross process boundaries (pickle, Dask, Spark)."""
        return bytes(self._core.to_bytes())

    @classmethod
    def from_bytes(cls, data: bytes) -> JourneyMap:
        """The map serialised in ``data``. Raises ValueError for truncated, altered or foreign bytes,
        and for a format version newer than this cxkit reads (the message says to upgrade)."""
        return cls(_core.journey_map_from_bytes(bytes(data)))

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "bytes": self.to_bytes()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get("version") != 1:
            raise ValueError(f"cannot read a JourneyMap pickled with state version {state.get('version')}; "
                             "it was written by a newer cxkit")
        self._core = _core.journey_map_from_bytes(state["bytes"])

    def variant_summary(self) -> str:
        """One line on the variants kept and, beyond the cap, what was left out."""
        if not self._core.has_variants:
            return "variants not collected"
        kept = len(self._core.variants(top=-1, coverage=-1.0)["count"])
        if self.variants_exact:
            return f"{kept:,} variants (exact)"
        return (f"{kept:,} of ~{self.n_variants:,} variants kept (cap {self.max_variants:,}); "
                f"{self.other_variant_cases:,} cases in ~{self.dropped_variants:,} variants left out; "
                f"kept counts at most {self.variant_count_error:,} below the truth")

    def _repr_html_(self) -> str:
        top = self.edges.sort_values("count", ascending=False, kind="stable").head(10)
        cols = [c for c in ("source", "target", "count", "mean", "median") if c in top.columns]
        return (f"<p><b>{html.escape(repr(self))}</b>, {self.rework_cases:,} cases with rework; "
                f"{html.escape(self.variant_summary())}; "
                f"the 10 most frequent edges (durations in seconds):</p>"
                + top[cols].to_html(index=False, float_format=lambda v: f"{v:,.0f}"))

    def __repr__(self) -> str:
        return (f"JourneyMap({self.n_cases:,} cases, {self.n_events:,} events, "
                f"{len(self._core.activities()['activity'])} activities, {len(self._core.edges()['source'])} edges)")


def _layers(activities: list[str], edges: pd.DataFrame, starts: dict[str, int]) -> dict[str, int]:
    """Layer (column) of each activity for drawing: breadth-first distance from the start activities
    along edges taken most frequent first; activities never reached go in a last layer."""
    layer = {a: 0 for a in starts}
    by_source: dict[str, list[str]] = {}
    ranked = edges.sort_values("count", ascending=False)
    for source, target in zip(ranked["source"], ranked["target"]):
        by_source.setdefault(source, []).append(target)
    frontier = list(starts)
    while frontier:
        nxt = []
        for a in frontier:
            for b in by_source.get(a, []):
                if b not in layer:
                    layer[b] = layer[a] + 1
                    nxt.append(b)
        frontier = nxt
    last = max(layer.values(), default=-1) + 1
    return {a: layer.get(a, last) for a in activities}


DEFAULT_MAX_VARIANTS = 100_000
"""The default cap on distinct variants kept by :func:`discover` (C++ ``kDefaultMaxVariants``)."""


def discover(log: EventLog, calendar: Calendar | None = None, durations: str = "exact",
             quantiles: Iterable[float] = (0.25, 0.75, 0.9), variants: bool = True, sketch_bits: int = 7,
             threads: int = 0, *, max_variants: int | None = DEFAULT_MAX_VARIANTS,
             progress: ProgressArg = None) -> JourneyMap:
    """Discover the journey map of an event log.

    Parameters
    ----------
    log : cxkit.EventLog
    calendar : cxkit.Calendar, optional
        Measure durations in business time on this calendar (default: elapsed time).
    durations : {"exact", "sketch", "moments", "none"}
        ``exact`` keeps every duration (exact medians and quantiles, 8 bytes per edge occurrence);
        ``sketch`` a mergeable log-scale histogram (relative error 2^-(sketch_bits+1));
        ``moments`` only count/sum/min/max/stdev; ``none`` counts only (fastest).
    quantiles : floats in [0, 1]
    variants : bool
        Also collect variants.
    threads : int
        0 = all cores. Results are identical for any thread count.
    max_variants : int or None
        Keep at most this many distinct variants (default 100,000; None: no cap). Up to the cap
        every variant count is exact; beyond it the most frequent are kept (a Misra-Gries
        summary, mergeable) and :attr:`JourneyMap.other_variant_cases`,
        :attr:`JourneyMap.dropped_variants` and :attr:`JourneyMap.variant_count_error` report
        what was left out. Each kept variant costs 280 + 4 bytes per activity plus its durations.
    progress : bool or callable
        True shows a tqdm bar of events scanned; a callable is called as ``f(done, total)`` in
        events, about every 65,536 events and once when the map is ready. Never changes the
        result. Ctrl-C interrupts the discovery either way.

    Raises
    ------
    ValueError
        A quantile outside [0, 1], ``sketch_bits`` outside 1..12 or ``max_variants`` below 1.
    KeyboardInterrupt
        Ctrl-C during the discovery; an exception raised by a ``progress`` callable stops it the
        same way and propagates.

    Examples
    --------
    >>> import cxkit
    >>> co = cxkit.simulate.company(n_accounts=100, months=6, seed=1)
    >>> jm = cxkit.journey.discover(co.events)
    >>> int(jm.edges["count"].sum()) == len(co.events) - co.events.n_cases
    True
    """
    cal = None if calendar is None else calendar._core
    if max_variants is not None and int(max_variants) < 1:
        raise ValueError(f"max_variants must be at least 1 (None for no cap), not {max_variants!r}")
    cap = None if max_variants is None else int(max_variants)
    with reporter(progress, "discovering journeys", unit="ev", unit_scale=True) as callback:
        return JourneyMap(_core.discover(log._core, durations, list(quantiles), cal, bool(variants),
                                         int(sketch_bits), int(threads), cap, callback))


class MarkovChain:
    """An absorbing Markov chain over journey stages, estimated from directly-follows counts.

    Transient states are the activities that are not absorbing; a case's last event moves to the
    implicit absorbing state ``"(end)"`` unless it is absorbing itself (``end_state=True``).
    """

    __slots__ = ("_core", "segment", "n_cases")

    def __init__(self, core: Any, segment: str | None = None) -> None:
        self._core = core
        self.segment = segment
        self.n_cases = int(core.n_cases)

    @property
    def states(self) -> list[str]:
        return list(self._core.states)

    @property
    def transient_states(self) -> list[str]:
        return list(self._core.transient_states)

    @property
    def absorbing_states(self) -> list[str]:
        return list(self._core.absorbing_states)

    def transition_matrix(self) -> pd.DataFrame:
        """Row-stochastic transition probabilities, states in canonical order (transient first)."""
        return pd.DataFrame(self._core.transition_matrix(), index=self.states, columns=self.states)

    def transition_counts(self) -> pd.DataFrame:
        return pd.DataFrame(self._core.transition_counts(), index=self.states, columns=self.states)

    def fundamental_matrix(self) -> pd.DataFrame:
        """N = (I - Q)^-1: expected visits to each transient state from each transient state."""
        t = self.transient_states
        return pd.DataFrame(self._core.fundamental_matrix(), index=t, columns=t)

    def absorption_probabilities(self) -> pd.DataFrame:
        """B = N R: probability of ending in each absorbing state (columns) from each transient stage (index)."""
        return pd.DataFrame(self._core.absorption_probabilities(), index=self.transient_states,
                            columns=self.absorbing_states)

    def expected_steps(self) -> pd.Series:
        """Expected number of steps to absorption from each transient stage."""
        return pd.Series(self._core.expected_steps(), index=self.transient_states, name="expected_steps")

    def expected_time(self) -> pd.Series:
        """Expected time to absorption from each transient stage (seconds)."""
        return pd.Series(self._core.expected_time(), index=self.transient_states, name="expected_seconds")

    def absorption_from_start(self) -> pd.Series:
        """Where journeys end, from the observed start distribution."""
        return pd.Series(self._core.absorption_from_start(), index=self.absorbing_states, name="probability")

    # ---- pickling: every matrix the chain answers with (the C++ chain has no constructor from them) ----
    def __getstate__(self) -> dict[str, Any]:
        c = self._core
        return {"version": 1, "segment": self.segment, "n_cases": self.n_cases,
                **{k: list(getattr(c, k)) for k in _CHAIN_NAMES},
                **{k: np.asarray(getattr(c, k)()) for k in _CHAIN_ARRAYS}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "MarkovChain")
        kinds: dict[str, type[Any] | tuple[type[Any], ...]] = {
            "segment": object, "n_cases": (int, np.integer), **dict.fromkeys(_CHAIN_NAMES, list),
            **dict.fromkeys(_CHAIN_ARRAYS, np.ndarray)}
        self.segment, n_cases = state_fields(state, "MarkovChain", kinds)[:2]
        self.n_cases = int(n_cases)
        self._core = _StoredChain(state)  # every field it reads is there, with its type

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MarkovChain):
            return NotImplemented
        a, b = self.__getstate__(), other.__getstate__()
        return a.keys() == b.keys() and all(
            np.array_equal(a[k], b[k], equal_nan=True) if isinstance(a[k], np.ndarray) else a[k] == b[k] for k in a)

    __hash__ = None  # type: ignore[assignment]  # equal by value, not hashable

    def _repr_html_(self) -> str:
        steps = self.expected_steps()
        table = pd.concat([self.absorption_probabilities(), steps], axis=1)
        return (f"<p><b>{html.escape(repr(self))}</b>, {self.n_cases:,} cases</p>"
                + table.to_html(float_format=lambda v: f"{v:.3g}"))

    def __repr__(self) -> str:
        seg = f", segment={self.segment!r}" if self.segment is not None else ""
        return f"MarkovChain({len(self.transient_states)} transient, {len(self.absorbing_states)} absorbing{seg})"


_CHAIN_NAMES = ("states", "transient_states", "absorbing_states")
_CHAIN_ARRAYS = ("transition_counts", "transition_matrix", "fundamental_matrix", "absorption_probabilities",
                 "expected_steps", "expected_time", "holding_time", "start_distribution", "absorption_from_start",
                 "expected_steps_from_start", "expected_time_from_start")


class _StoredChain:
    """An unpickled chain's core: answers MarkovChain's questions from the stored arrays."""

    def __init__(self, state: dict[str, Any]) -> None:
        self.n_cases = state["n_cases"]
        for k in _CHAIN_NAMES:
            setattr(self, k, list(state[k]))
        self._arrays = {k: np.asarray(state[k]) for k in _CHAIN_ARRAYS}

    def __getattr__(self, name: str) -> Any:
        arrays = self.__dict__.get("_arrays", {})
        if name in arrays:
            return lambda: arrays[name].copy()
        raise AttributeError(name)


def markov(source: EventLog | JourneyMap, absorbing: Sequence[str], end_state: bool = True,
           end_name: str = "(end)", calendar: Calendar | None = None, threads: int = 0,
           segment_by: tuple[Table, str] | None = None) -> MarkovChain | dict[str, MarkovChain]:
    """An absorbing Markov chain of the journey.

    Parameters
    ----------
    source : EventLog or JourneyMap
    absorbing : list of activity names (e.g. ``["renewal", "churned"]``); an unknown name raises
        KeyError listing the known activities.
    end_state : bool
        Send each case's last event to an implicit absorbing ``end_name`` state.
    calendar : Calendar, optional
        Holding times in business time (event-log source only).
    segment_by : (Table, column), optional
        One chain per value of a categorical account column; returns ``{segment: MarkovChain}``.

    Examples
    --------
    >>> import cxkit
    >>> co = cxkit.simulate.company(n_accounts=200, months=12, seed=2)
    >>> mc = cxkit.journey.markov(co.events, absorbing=["churned"])
    >>> list(mc.absorption_probabilities().columns)
    ['churned', '(end)']
    """
    cal = None if calendar is None else calendar._core
    if segment_by is not None:
        if not isinstance(source, EventLog):
            raise TypeError("segment_by needs an EventLog source")
        table, column = segment_by
        chains = _core.markov_by_segment(source._core, table._core, column, list(absorbing), end_state,
                                         end_name, cal, int(threads))
        return {seg: MarkovChain(core, segment=seg) for seg, _, core in chains}
    if isinstance(source, JourneyMap):
        if calendar is not None:
            raise ValueError("a calendar applies when the chain is built from an EventLog")
        return MarkovChain(_core.markov_from_map(source._core, list(absorbing), end_state, end_name, int(threads)))
    return MarkovChain(_core.markov_from_log(source._core, list(absorbing), end_state, end_name, cal, int(threads)))
