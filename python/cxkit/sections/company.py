"""The company at a glance: size, churn, ARR, NPS, activity over time."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from cxkit.report import Report
from cxkit.report_inputs import Inputs
from cxkit.sections import SectionResult
from cxkit.sections._figures import pyplot


def nps_scores(inp: Inputs, cfg: Mapping[str, Any]) -> pd.DataFrame:
    """Survey answers found in the events: ``timestamp``, ``case``, ``score`` (0-10)."""
    s = cfg["surveys"]
    score: str = s["score"]
    activity: str = s["nps_activity"]
    ev = inp.events
    if score not in ev.columns:
        return pd.DataFrame({"timestamp": pd.Series([], dtype="datetime64[ns, UTC]"), "case": [], "score": []})
    rows = ev[(ev["activity"] == activity) & ev[score].notna()]
    return rows[["timestamp", "case", score]].rename(columns={score: "score"})


def build(inp: Inputs, cfg: Mapping[str, Any], report: Report,
          earlier: Mapping[str, SectionResult]) -> SectionResult:
    import cxkit

    ev, acc = inp.events, inp.accounts
    scores = nps_scores(inp, cfg)
    kpis: dict[str, str] = {"events": f"{len(ev):,}", "customers": f"{inp.log.n_cases:,}"}
    by_tier = None
    if acc is not None:
        kpis["accounts"] = f"{len(acc):,}"
        if "churned" in acc.columns:
            churned = int(acc["churned"].sum())
            kpis["churned accounts"] = f"{churned:,} ({churned / max(len(acc), 1):.1%})"
        if "arr" in acc.columns:
            kpis["ARR"] = f"${acc['arr'].sum():,.0f}"
        if "tier" in acc.columns:
            agg: dict[str, Any] = {"accounts": ("account", "size")}
            if "churned" in acc.columns:
                agg["churned"] = ("churned", "sum")
            if "arr" in acc.columns:
                agg["arr"] = ("arr", "sum")
            by_tier = acc.groupby("tier").agg(**agg).reset_index()
            if "churned" in by_tier.columns:
                by_tier["churn share"] = by_tier["churned"] / by_tier["accounts"]
    if len(scores):
        overall = cxkit.moments.nps(scores["score"])
        kpis["NPS"] = f"{overall['nps'].iloc[0]:+.0f} (n={len(scores):,})"
    if inp.feedback is not None:
        kpis["feedback items"] = f"{len(inp.feedback):,}"

    sec = report.section("The company")
    sec.text(f"{inp.name}: {ev['timestamp'].min():%Y-%m-%d} to {ev['timestamp'].max():%Y-%m-%d}.")
    sec.kpis(kpis)
    result = SectionResult(lines=[f"{k:<22} {v}" for k, v in kpis.items()])
    result.tables["summary"] = pd.DataFrame([kpis])
    if by_tier is not None:
        sec.table(by_tier, "Accounts by tier")
        result.tables["accounts_by_tier"] = by_tier
        for _, r in by_tier.iterrows():
            extra = f"  {r['churn share']:>6.1%} churned" if "churn share" in r else ""
            extra += f"  ARR ${r['arr']:>13,.0f}" if "arr" in r else ""
            result.lines.append(f"  {r['tier']:<12} {int(r['accounts']):>6,} accounts{extra}")
    plt = pyplot()
    if plt is None:
        sec.text("matplotlib is not installed: figures are left out.")
        return result
    monthly = ev.set_index("timestamp").resample("MS")["case"].size()
    fig, ax = plt.subplots(figsize=(8, 2.8))
    ax.bar(pd.DatetimeIndex(monthly.index).tz_localize(None), monthly.to_numpy(), width=20)
    ax.set_ylabel("events per month")
    sec.figure(fig, "Events per month")
    plt.close(fig)
    return result
