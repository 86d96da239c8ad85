"""The sample company: a simulated B2B SaaS customer base with known ground truth.

Every pillar of cxkit needs data with a known answer, at any scale; the demo needs a customer
base nobody had to bring. See docs/simulator.md for the generative model and its formulas.
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

import pandas as pd

from cxkit import _core
from cxkit._progress import ProgressArg, reporter
from cxkit._time import check_state_version, state_fields, to_micros
from cxkit.calendar import Calendar
from cxkit.event_log import EventLog
from cxkit.table import Table

__all__ = ["Company", "company"]

_GROUPS = {"tiers": ("tier_", {"smb", "mid_market", "enterprise"}),
           "languages": ("language_", {"en", "ru", "pt", "fa"}),
           "text": ("", {"typo_rate", "lowercase_rate", "uppercase_rate", "arabic_letter_rate",
                         "zwnj_drop_rate", "zwnj_space_rate", "english_share"})}


class Company:
    """A simulated company: ``accounts`` and ``feedback`` DataFrames, ``events`` EventLog, ``truth``.

    Attributes
    ----------
    accounts : pandas.DataFrame
        One row per account (``account`` first): tier, plan, arr, seats, signup, contract,
        renewal_date, owner, region, timezone, support_hub, industry, language, churned, churn_date.
    events : cxkit.EventLog
        Onboarding, product usage, support tickets, CSM touches, surveys, renewals and churn.
    feedback : pandas.DataFrame
        One row per feedback item (``feedback`` first): customer, time, channel, type, language,
        text, theme (the planted truth; missing for off-topic items).
    truth : dict
        The generative model's parameters and realised figures (schema ``cxkit.simulate.truth/1``).
    """

    __slots__ = ("_core", "_options", "accounts_table", "feedback_table", "events", "truth", "_accounts", "_feedback")

    def __init__(self, core: Any, options: dict[str, Any] | None = None) -> None:
        self._core = core
        self._options = options  # the simulator's arguments: save() of an unpickled company regenerates from them
        self.accounts_table = Table(core.accounts)
        self.feedback_table = Table(core.feedback)
        self.events = EventLog(core.events)
        self.truth: dict[str, Any] = json.loads(core.truth_json())
        self._accounts: pd.DataFrame | None = None
        self._feedback: pd.DataFrame | None = None

    @property
    def accounts(self) -> pd.DataFrame:
        if self._accounts is None:
            self._accounts = self.accounts_table.to_pandas()
        return self._accounts

    @property
    def feedback(self) -> pd.DataFrame:
        if self._feedback is None:
            self._feedback = self.feedback_table.to_pandas()
        return self._feedback

    def support_calendars(self) -> dict[str, Calendar]:
        """Each support hub's business calendar (name -> Calendar), as the simulator used it;
        ``accounts["support_hub"]`` names each account's hub."""
        out = {}
        for hub in self.truth["support_hubs"]:
            hours = {day.lower(): [tuple(iv) for iv in ivs] for day, ivs in hub["week"].items() if ivs}
            out[hub["name"]] = Calendar(hub["timezone"], hours, holidays=hub.get("holidays", []))
        return out

    def save(self, directory: str | os.PathLike[str]) -> None:
        """Write accounts.csv, events.csv, feedback.csv and truth.json into ``directory``.

        ``cxkit.read_csv(dir/"events.csv", case="case", activity="activity", timestamp="timestamp")``
        reads the events back exactly.
        """
        if self._core is None:  # unpickled: the C++ company is rebuilt (deterministic) and must match
            if self._options is None:
                raise ValueError("this Company was not built by cxkit.simulate.company(): it cannot be saved")
            regenerated = Company(_core.simulate_company(dict(self._options)), self._options)
            if regenerated != self:
                raise ValueError("this Company was pickled by a cxkit whose simulator gave other data; "
                                 "write its frames (accounts, feedback, events.to_pandas()) instead")
            self._core = regenerated._core
        self._core.save(os.fspath(directory))

    def __eq__(self, other: object) -> bool:
        """Same accounts, feedback, events and truth."""
        if not isinstance(other, Company):
            return NotImplemented
        return (self.truth == other.truth and self.events == other.events
                and self.accounts_table == other.accounts_table and self.feedback_table == other.feedback_table)

    __hash__ = None  # type: ignore[assignment]  # equal by value, so unhashable (typeshed's idiom)

    # ---- pickling: the data itself (Table / EventLog state) and the simulator's arguments ----
    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "options": self._options, "accounts": self.accounts_table,
                "feedback": self.feedback_table, "events": self.events, "truth": self.truth}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "Company")
        # the tables and the log arrive already rebuilt (and checked) by their own __setstate__
        self._options, self.accounts_table, self.feedback_table, self.events, self.truth = state_fields(
            state, "Company", {"options": (dict, type(None)), "accounts": Table, "feedback": Table,
                               "events": EventLog, "truth": dict})
        self._core = None
        self._accounts = self._feedback = None

    def __repr__(self) -> str:
        return (f"Company({len(self.accounts_table):,} accounts, {len(self.events):,} events, "
                f"{len(self.feedback_table):,} feedback items)")


def company(n_accounts: int = 2000, start: Any = "2024-01-01", months: int = 24, seed: int = 7,
            *, progress: ProgressArg = False, **options: Any) -> Company:
    """Generate a sample company. Deterministic: the same arguments give the same data.

    Parameters
    ----------
    n_accounts, start, months, seed
        Size, first day (naive = UTC), length in months and random seed.
    **options
        ``annual_churn_rate`` (0.15), ``first_reply_target_hours`` (4, business hours),
        ``welcome_target_hours`` (24), ``nps_response_rate`` (0.45), ``feedback_rate`` (1.0),
        ``threads`` (0 = all cores; never changes the output), ``tiers={"smb", "mid_market",
        "enterprise"}``, ``languages={"en", "ru", "pt", "fa"}`` (shares) and
        ``text={"typo_rate", ...}`` (feedback noise); see docs/simulator.md.
    progress : bool or callable
        True shows a tqdm bar; a callable is called as ``f(done, total)`` with account
        simulations done out of ``2 * n_accounts`` (every account is simulated twice). Never
        changes the result. Ctrl-C interrupts the simulation either way.

    Raises
    ------
    ValueError
        An option out of range (the message names it).
    TypeError
        An unknown option.
    KeyboardInterrupt
        Ctrl-C during the simulation (checked about every 256 accounts); an exception raised
        by a ``progress`` callable stops the simulation the same way and propagates.

    Examples
    --------
    >>> import cxkit
    >>> co = cxkit.simulate.company(n_accounts=50, months=6, seed=1)
    >>> co.accounts["account"].iloc[0], len(co.events) > 0
    ('A000001', True)
    """
    flat: dict[str, Any] = {"n_accounts": int(n_accounts), "start_us": to_micros(start), "months": int(months),
                            "seed": int(seed)}
    for key, value in options.items():
        if key in _GROUPS and isinstance(value, Mapping):
            prefix, allowed = _GROUPS[key]
            for sub, v in value.items():
                if sub not in allowed:
                    raise TypeError(f"unknown simulator option {key}[{sub!r}]; use {sorted(allowed)}")
                flat[prefix + sub] = v
        else:
            flat[key] = value
    with reporter(progress, "simulating", unit="acct") as callback:
        core = _core.simulate_company(dict(flat), callback)  # a copy: the binding consumes the dict
    return Company(core, flat)
