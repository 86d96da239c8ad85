"""Moments of truth: compliance per moment and owner, NPS trend, open clocks about to breach."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from cxkit.report import Report
from cxkit.report_config import config_error
from cxkit.report_inputs import Inputs
from cxkit.sections import SectionResult
from cxkit.sections.company import nps_scores


def calendars(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """The configuration's named calendars as cxkit.Calendar objects."""
    import cxkit

    out = {}
    for name, c in cfg["calendars"].items():
        try:
            out[name] = cxkit.Calendar(c.get("timezone", "UTC"), c.get("working_hours"), c.get("holidays"))
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise config_error(cfg, f"calendars.{name}", e) from None
    return out


def moments(cfg: Mapping[str, Any], cals: Mapping[str, Any]) -> list[Any]:
    """The configured moments; a "calendar" given by name refers to ``calendars``."""
    import cxkit
    from cxkit.moments import _calendar_json

    out = []
    for i, definition in enumerate(cfg["moments"]):
        d = dict(definition)
        cal = d.get("calendar")
        if isinstance(cal, str):
            if cal not in cals:
                raise config_error(cfg, f"moments[{i}].calendar", f"no calendar named {cal!r}; have {sorted(cals)}")
            d["calendar"] = _calendar_json(cals[cal])
        try:
            out.append(cxkit.moments.Moment.from_json(d))
        except (ValueError, KeyError, TypeError) as e:
            raise config_error(cfg, f"moments[{i}]", e) from None
    return out


def evaluate(inp: Inputs, cfg: Mapping[str, Any]) -> tuple[pd.DataFrame, list[Any]]:
    """Every configured moment's clocks; with ``moment_calendar_by`` each account's clocks run on
    the calendar its accounts column names (e.g. its support hub)."""
    import cxkit

    cals = calendars(cfg)
    defs = moments(cfg, cals)
    if not defs:
        return pd.DataFrame(), defs
    by = cfg["moment_calendar_by"]
    if not by:
        return cxkit.moments.evaluate(inp.log, defs, as_of=inp.as_of), defs
    if inp.accounts is None or by.get("column") not in inp.accounts.columns:
        raise config_error(cfg, "moment_calendar_by.column", "needs --accounts with that column")
    from cxkit.moments import _calendar_json

    hub_of = inp.accounts.set_index("account")[by["column"]]
    parts = []
    for value, cal_name in by["calendars"].items():
        if cal_name not in cals:
            raise config_error(cfg, f"moment_calendar_by.calendars.{value}", f"no calendar named {cal_name!r}")
        # Each group's clocks on its own calendar: evaluate everything on that calendar and keep
        # the group's accounts (simple, and the evaluation is cheap next to the rest).
        on_cal = [cxkit.moments.Moment.from_json({**m.to_json(), "calendar": _calendar_json(cals[cal_name])})
                  for m in defs]
        occ = cxkit.moments.evaluate(inp.log, on_cal, as_of=inp.as_of)
        parts.append(occ[occ["case"].map(hub_of).to_numpy() == value])
    return (pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()), defs


def build(inp: Inputs, cfg: Mapping[str, Any], report: Report,
          earlier: Mapping[str, SectionResult]) -> SectionResult:
    import cxkit

    occurrences, defs = evaluate(inp, cfg)
    out = SectionResult(data={"occurrences": occurrences})
    sec = report.section("Moments of truth")
    if occurrences.empty:
        sec.text("No moments configured (config key 'moments').")
        return out
    sec.text("SLA clocks measured on business calendars; the met rate leaves running clocks out.")
    overall = cxkit.moments.compliance(occurrences, period=None)
    sec.table(overall[["moment", "count", "met", "breached", "pending", "overdue", "met_rate"]], "Compliance per moment")
    out.tables["moments_compliance"] = overall
    out.lines.append("moments of truth: " + "; ".join(f"{r.moment} {r.met_rate:.0%} met (n={r.count:,})"
                                                      for r in overall.itertuples()))
    if inp.accounts is not None and "owner" in inp.accounts.columns:
        by_owner = cxkit.moments.compliance(occurrences, by=["owner"], period=None,
                                            groups=inp.accounts.set_index("account")[["owner"]])
        sec.table(by_owner.sort_values("met_rate")[["moment", "owner", "count", "met_rate"]].head(15),
                  "Compliance by owner (lowest first)")
        out.tables["moments_compliance_by_owner"] = by_owner
    scores = nps_scores(inp, cfg)
    if len(scores):
        quarter = scores["timestamp"].dt.tz_localize(None).dt.to_period("Q").rename("quarter")
        trend = cxkit.moments.nps(scores["score"], by=quarter).reset_index().astype({"quarter": str})
        sec.table(trend, "NPS by quarter with the Rocks (2016) 95% interval")
        out.tables["nps_by_quarter"] = trend
    if inp.accounts is not None and "churned" in inp.accounts.columns:
        outcomes = inp.accounts[["account", "churned"]].rename(columns={"account": "case"})
        if "tier" in inp.accounts.columns:
            outcomes["tier"] = inp.accounts["tier"].astype(str).to_numpy()
        effect = cxkit.moments.impact(occurrences, outcomes, outcome="churned",
                                      stratify="tier" if "tier" in outcomes.columns else None)
        sec.table(effect, "Churn when the moment was met vs missed (difference with a 95% interval"
                          + (", adjusted for tier)" if "tier" in outcomes.columns else ")"))
        out.tables["moments_impact_churn"] = effect
        for r in effect.to_dict("records"):
            out.lines.append(f"  {r['moment']}: churn {r['outcome_met']:.1%} when met vs {r['outcome_baseline']:.1%} "
                             f"when missed (difference {r['difference'] * 100:+.1f} points, 95% CI "
                             f"{r['ci_low'] * 100:+.1f} to {r['ci_high'] * 100:+.1f})")
    if len(scores):
        answers = scores.rename(columns={"score": "nps"})
        nps_effect = cxkit.moments.impact(occurrences, answers, outcome="nps", statistic="nps", method="wald")
        sec.table(nps_effect, "NPS when the moment was met vs missed (points, 95% interval)")
        out.tables["moments_impact_nps"] = nps_effect

    running = occurrences[occurrences["status"].isin(["pending", "overdue"])].sort_values("deadline")
    soon = running[running["status"] == "pending"].head(15)
    sec.table(soon[["case", "moment", "key", "started", "deadline", "remaining"]],
              "Open clocks about to breach (nearest deadline first)")
    sec.table(running[running["status"] == "overdue"][["case", "moment", "key", "started", "deadline"]].head(15),
              "Open clocks already past their deadline")
    out.tables["open_clocks"] = running

    if cfg["notifications"]:
        try:
            policy = cxkit.moments.NotificationPolicy.from_json(cfg["notifications"])
        except (ValueError, KeyError, TypeError) as e:
            raise config_error(cfg, "notifications", e) from None
        sent = policy.replay(occurrences, inp.accounts, moments=defs, log=inp.log, until=inp.as_of,
                             account_key="account")
        summary = sent.attrs["summary"]
        volume = (sent.groupby("kind").size().rename("notifications").reset_index()
                  if len(sent) else pd.DataFrame({"kind": [], "notifications": []}))
        sec.text(f"Notification volume: {summary['naive_notifications']:,} if every item notified its recipients "
                 f"at once, {summary['notifications']:,} after routing, digests, grouping and inhibition "
                 f"({summary['ratio']:.1%} of the naive volume).")
        sec.table(volume, "Notifications by kind after routing")
        out.tables["notifications"] = sent
        out.lines.append(f"  notifications: {summary['naive_notifications']:,} naive -> {summary['notifications']:,} "
                         f"after routing ({summary['ratio']:.1%})")
    return out
