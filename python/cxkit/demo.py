"""`python -m cxkit demo`: the whole library at work on the built-in sample company.

Generates the default simulated company (cxkit.simulate), derives the configuration a company
would write for itself (calendars of its support hubs, moments of truth, the designed onboarding,
a playbook, a scorecard, a notification policy) and runs the same report as
`python -m cxkit report`: a one-screen summary, and cxkit-report/ with index.html, every table
as CSV and the configuration used (cxkit.json, a working example of the format).
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import cxkit
from cxkit._progress import step
from cxkit.report_config import load_config
from cxkit.report_inputs import from_company
from cxkit.run_report import run as run_report

ONBOARDING = ["signed", "welcome sent", "kickoff call", "workspace set up", "users invited",
              "integrations connected", "training completed", "first value reached", "go-live"]


def sample_config(co: cxkit.simulate.Company) -> dict[str, Any]:
    """The configuration for the sample company, derived from its ground truth."""
    truth = co.truth
    calendars = {}
    for hub in truth["support_hubs"]:
        hours = {day.lower(): [list(iv) for iv in ivs] for day, ivs in hub["week"].items() if ivs}
        calendars[hub["name"]] = {"timezone": hub["timezone"], "working_hours": hours,
                                  "holidays": hub.get("holidays", [])}
    reply_hours = truth["moments"][1]["target_hours"] if len(truth["moments"]) > 1 else 4
    return {
        "title": "cxkit - customer-success report for the sample company",
        "calendars": calendars,
        "journey": {"onboarding": ONBOARDING, "absorbing": ["churned"],
                    "funnel": {"steps": ["signed", "kickoff call", "workspace set up", "first value reached", "go-live"],
                               "within": "120D"},
                    "design": _designed_onboarding(truth), "playbook": _onboarding_playbook(truth)},
        "moments": [
            {"name": "welcome within 1 day", "trigger": "signed", "fulfil": "welcome sent", "within": "24h",
             "owner": "CSM", "urgency": "normal"},
            {"name": "first reply", "trigger": "ticket opened", "fulfil": "first reply", "within": f"{reply_hours:g}h",
             "key": "ticket", "owner": "support", "urgency": "normal"},
        ],
        "moment_calendar_by": {"column": "support_hub", "calendars": {name: name for name in calendars}},
        "notifications": _notification_policy(co, calendars),
        "feedback": {"type": "type"},
        "themes": {"exclude_types": ["praise"]},
    }


def _notification_policy(co: cxkit.simulate.Company, calendars: dict[str, Any]) -> dict[str, Any]:
    """Each CSM hears about their accounts in a 09:00 local digest; urgent tickets go to the
    support desk at once; a breach escalates to the owner, then after 2 hours to the CS lead."""
    acc = co.accounts
    hub_of_owner = acc.groupby("owner")["support_hub"].first()
    recipients = [{"id": str(owner), "role": "csm", "manager": "cs-lead",
                   "timezone": calendars[hub]["timezone"], "digest_at": "09:00"}
                  for owner, hub in hub_of_owner.items()]
    recipients += [{"id": "cs-lead", "role": "lead", "timezone": "Europe/Berlin", "digest_at": "08:30"},
                   {"id": "support-desk", "role": "support", "timezone": "UTC", "digest_at": "07:00"}]
    return {
        "recipients": recipients,
        "routes": [
            {"name": "urgent tickets", "match": {"moment": "first reply", "priority": ["P0", "P1"]},
             "recipient": "support-desk", "immediate": True},
            {"name": "other tickets", "match": {"moment": "first reply"}, "recipient": "support-desk"},
            {"name": "account owner", "recipient_from": "owner"},
        ],
        "grouping": {"group_by": ["moment"], "group_wait": "30s", "group_interval": "5m",
                     "repeat_interval": "24h"},
        "inhibit": [{"source": {"priority": "P0"}, "target": {"priority": ["P2", "P3"]}, "equal": ["case"]}],
        "escalation": {"match": {"kind": "breached", "priority": ["P0", "P1"]}, "acknowledge_on": ["first reply", "welcome sent"],
                       "levels": [{"target": "owner", "timeout": "2h"}, {"target": "manager", "timeout": "2h"}]},
    }


def _designed_onboarding(truth: dict[str, Any]) -> dict[str, Any]:
    """The simulator's designed onboarding as a JourneyDesign: stages in order, optional ones
    skippable (an edge from every stage to each later one up to the next mandatory stage)."""
    stages = truth["onboarding"]["stages"]
    out = []
    for i, st in enumerate(stages):
        nxt = []
        for later in stages[i + 1:]:
            nxt.append(later["activity"])
            if not later["optional"]:
                break
        out.append({"name": st["activity"], "mandatory": not st["optional"], "next": nxt})
    return {"stages": out}


def _onboarding_playbook(truth: dict[str, Any]) -> dict[str, Any]:
    """A playbook with each designed stage as a task lasting the 80th percentile of its delay
    (log-normal: median * exp(0.8416 * sigma)), rounded up to whole days."""
    stages = [st for st in truth["onboarding"]["stages"] if not st["optional"]]  # what every account must do
    tasks = []
    for i, st in enumerate(stages[1:], start=1):
        p80_hours = st["median_delay_hours"] * math.exp(0.8416 * st["delay_sigma"])
        days = max(1, math.ceil(p80_hours / 24))
        tasks.append({"name": st["activity"], "duration": f"{days}D", "owner": st.get("actor", ""),
                      "depends_on": [stages[i - 1]["activity"]] if i > 1 else []})
    return {"tasks": tasks}


def run(out_dir: str = "cxkit-report", n_accounts: int = 2000, seed: int = 7) -> int:
    with step(f"generating the sample company ({n_accounts:,} accounts)"):
        co = cxkit.simulate.company(n_accounts=n_accounts, seed=seed)
    definition = sample_config(co)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "cxkit.json").write_text(json.dumps(definition, indent=2), encoding="utf-8")
    return run_report(from_company(co), load_config(definition), out)
