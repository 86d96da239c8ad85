"""Feedback: themes detected from the text, with customers and ARR; alerts; emerging themes;
themes that drive detractors."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from cxkit.report import Report
from cxkit.report_config import config_error
from cxkit.report_inputs import Inputs
from cxkit.sections import SectionResult
from cxkit.sections.company import nps_scores


def build(inp: Inputs, cfg: Mapping[str, Any], report: Report,
          earlier: Mapping[str, SectionResult]) -> SectionResult:
    import cxkit

    sec = report.section("Feedback")
    out = SectionResult()
    if inp.feedback is None or inp.feedback.empty:
        sec.text("No feedback given (--feedback).")
        return out
    tc = cfg["themes"]
    fb = inp.feedback
    if tc["exclude_types"]:
        if "type" not in fb.columns:
            raise config_error(cfg, "themes.exclude_types", "the feedback has no type column (map feedback.type)")
        fb = fb[~fb["type"].isin(tc["exclude_types"])]
    fb = fb.reset_index(drop=True)
    weight = None
    if inp.accounts is not None and "arr" in inp.accounts.columns:
        fb["arr"] = fb["customer"].map(inp.accounts.set_index("account")["arr"])
        weight = "arr"
    options = {} if tc["threshold"] is None else {"link_threshold": tc["threshold"]}
    result = cxkit.feedback.detect_themes(fb, text="text", customer="customer", time="time", weight=weight, **options)
    themes = result.themes.sort_values("customers", ascending=False)
    assigned = int((result.assignments >= 0).sum())
    excluded = f" (types {', '.join(tc['exclude_types'])} left out)" if tc["exclude_types"] else ""
    sec.text(f"{len(fb):,} items{excluded}; {len(themes):,} themes detected from the text itself "
             f"({assigned:,} items assigned, {len(fb) - assigned:,} left unassigned as unclear).")
    sec.table(themes.head(15), "Top themes by distinct customers")
    out.tables["feedback_themes"] = themes
    out.data["themes"] = result
    out.lines.append("top feedback themes (detected)")
    for r in themes.head(5).to_dict("records"):
        w = f"  ARR ${r['weight']:>12,.0f}" if weight else ""
        out.lines.append(f"  {int(r['items']):>5,} items  {int(r['customers']):>4,} customers{w}  {r['label']}")

    alerts = result.alerts(min_customers=tc["min_customers"], window=tc["window"], as_of=inp.as_of)
    if len(alerts):
        sec.table(alerts, f"Alerts: themes raised by at least {tc['min_customers']} customers in the last {tc['window']}")
        out.tables["feedback_alerts"] = alerts
        for line in alerts["message"].head(3):
            out.lines.append(f"  alert: {line}")
    emerging = result.emerging(window=tc["window"], as_of=inp.as_of)
    emerging = emerging[emerging["emerging"]]
    if len(emerging):
        sec.table(emerging, "Emerging themes (demand above their own baseline)")
        out.tables["feedback_emerging"] = emerging
    scores = nps_scores(inp, cfg)
    if len(scores):
        answers = scores.rename(columns={"case": "customer", "timestamp": "time"})
        by_theme = cxkit.feedback.theme_nps(result, answers)
        sec.table(by_theme, "Themes and detractors (NPS of the customers who raised each theme)")
        out.tables["feedback_theme_nps"] = by_theme
    return out
