"""Per-partition building blocks shared by cxkit.dask and the Spark recipe (docs/scale.md).

No Dask or Spark import here: these run inside workers and executors on plain pandas frames.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from cxkit import _core
from cxkit._columns import factorize, infer_kind, to_spec
from cxkit._time import series_to_micros
from cxkit.event_log import EventLog

__all__ = ["moment_activities", "partition_log"]


def moment_activities(moments: Sequence[Any]) -> list[str]:
    """Activity names the moments' conditions name (trigger, fulfil, pause_on, resume_on, cancel_on),
    in order of first mention."""
    names: list[str] = []
    for m in moments:
        d = m.to_json()
        for field in ("trigger", "fulfil", "pause_on", "resume_on", "cancel_on"):
            value = d.get(field)
            for c in value if isinstance(value, list) else [] if value is None else [value]:
                name = c if isinstance(c, str) else c.get("activity")
                if isinstance(name, str) and name not in names:
                    names.append(name)
    return names


def partition_log(pdf: pd.DataFrame, case: str, activity: str, timestamp: str,
                  attributes: Mapping[str, str] | Sequence[str] = (), activities: Sequence[str] = ()) -> EventLog:
    """``EventLog.from_pandas`` of one partition, with ``activities`` in the log's activity dictionary
    even when the partition has no event of them. A moment that names an activity occurring only
    in other partitions then finds it here and simply never fires, as in the log of all partitions
    (``EventLog.from_pandas`` would leave it out and the moment would raise KeyError).

    ``attributes``: name -> kind (fix kinds from the whole frame's dtypes, so every partition
    reads a column the same way), or names (kinds inferred from this partition's dtypes).
    """
    kinds = dict(attributes) if isinstance(attributes, Mapping) else {str(c): infer_kind(pdf[c]) for c in attributes}
    case_codes, case_names = factorize(pdf[case])
    activity_codes, activity_names = factorize(pdf[activity])
    known = set(activity_names)
    activity_names = activity_names + [a for a in activities if a not in known]
    times = series_to_micros(pdf[timestamp], timestamp)
    specs = [to_spec(pdf[name], name, kind) for name, kind in kinds.items()]
    return EventLog(_core.EventLog.from_arrays(case_codes, case_names, activity_codes, activity_names, times, specs,
                                               "DataFrame", case, activity, timestamp))
