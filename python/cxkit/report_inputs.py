"""What the report runs on: events, accounts and feedback under canonical column names.

``from_files`` reads a company's own exports as the configuration maps them; ``from_company``
wraps the simulated sample company. Canonical names: events ``case``, ``activity``,
``timestamp`` (+ attributes); accounts ``account`` (+ ``arr``, ``tier``, ``seats``, ``signup``,
``churned``, ``churn_date``, ``renewal_date``, ``owner``, ...); feedback ``customer``, ``time``,
``text``.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cxkit.event_log import EventLog
from cxkit.io import read_csv
from cxkit.report_config import ConfigError

__all__ = ["Inputs", "from_company", "from_files"]


@dataclass
class Inputs:
    name: str
    log: EventLog
    events: pd.DataFrame
    accounts: pd.DataFrame | None = None
    feedback: pd.DataFrame | None = None
    end: pd.Timestamp | None = None  # the end of observation (default: the last event)

    @property
    def as_of(self) -> pd.Timestamp:
        return self.end if self.end is not None else self.events["timestamp"].max()


def _read_table(path: str, kind: str, required: Mapping[str, str], source: str) -> pd.DataFrame:
    try:
        df = pd.read_csv(path)
    except FileNotFoundError:
        raise ConfigError(f"--{kind}: no such file: {path}") from None
    missing = {canon: col for canon, col in required.items() if col not in df.columns}
    if missing:
        canon, col = next(iter(missing.items()))
        raise ConfigError(f"{source}: {kind}: column {col!r} (for {canon}) not in {path}; "
                          f"it has {list(map(str, df.columns))}")
    return df.rename(columns={col: canon for canon, col in required.items()})


def _times(df: pd.DataFrame, columns: list[str], path: str) -> None:
    for c in columns:
        if c in df.columns:
            parsed = pd.to_datetime(df[c], utc=True, errors="coerce", format="ISO8601")
            bad = parsed.isna() & df[c].notna()
            if bad.any():
                row = int(bad.to_numpy().argmax())
                raise ValueError(f"{path}, row {row}, column '{c}': not a timestamp: {df[c].iloc[row]!r}")
            df[c] = parsed


def from_files(events: str | os.PathLike[str], cfg: Mapping[str, Any], accounts: str | None = None,
               feedback: str | None = None) -> Inputs:
    """Reads the exports named on the command line with the configuration's column mappings."""
    src = cfg.get("$source", "config")
    ev = cfg["events"]
    log = read_csv(os.fspath(events), case=ev["case"], activity=ev["activity"], timestamp=ev["timestamp"],
                   sep=ev["sep"], timestamp_format=ev["timestamp_format"], on_bad_row=ev["on_bad_row"],
                   dtypes=ev["attributes"] or None)
    frame = log.to_pandas()
    acc = None
    if accounts is not None:
        mapping = {"account": cfg["accounts"]["key"], **cfg["accounts"]["columns"]}
        acc = _read_table(accounts, "accounts", mapping, src)
        acc["account"] = acc["account"].astype(str)
        _times(acc, ["signup", "churn_date", "renewal_date"], accounts)
    fb = None
    if feedback is not None:
        f = cfg["feedback"]
        mapping = {k: f[k] for k in ("customer", "time", "text")}
        for canon in ("id", "type"):
            if f[canon]:
                mapping["feedback" if canon == "id" else "type"] = f[canon]
        fb = _read_table(feedback, "feedback", mapping, src)
        fb["customer"] = fb["customer"].astype(str)
        fb["text"] = fb["text"].fillna("").astype(str)
        _times(fb, ["time"], feedback)
    return Inputs(name=os.path.basename(os.fspath(events)), log=log, events=frame, accounts=acc, feedback=fb)


def from_company(co: Any) -> Inputs:
    """The simulated sample company (cxkit.simulate.Company) as report inputs."""
    return Inputs(name=f"sample company (seed {co.truth['seed']})", log=co.events, events=co.events.to_pandas(),
                  accounts=co.accounts, feedback=co.feedback, end=pd.Timestamp(co.truth["end"]))
