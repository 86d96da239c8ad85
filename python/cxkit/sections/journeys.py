"""Journeys: the onboarding map, paths, funnel, churn risk by stage, conformance, playbook."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from cxkit.report import Report
from cxkit.report_config import config_error
from cxkit.report_inputs import Inputs
from cxkit.sections import SectionResult
from cxkit.sections._figures import pyplot


def build(inp: Inputs, cfg: Mapping[str, Any], report: Report,
          earlier: Mapping[str, SectionResult]) -> SectionResult:
    import cxkit

    jc = cfg["journey"]
    ev = inp.events
    onboarding = jc["onboarding"]
    if onboarding:
        unknown = sorted(set(onboarding) - set(inp.log.activities))
        if unknown:
            raise config_error(cfg, "journey.onboarding", f"activities not in the events: {unknown}")
        part = ev[ev["activity"].isin(onboarding)]
        log = cxkit.EventLog.from_pandas(part, case="case", activity="activity", timestamp="timestamp", attributes=[])
    else:
        log = inp.log
    jm = cxkit.journey.discover(log)
    variants = jm.variants(top=8)
    variants["variant"] = [" > ".join(v) for v in variants["variant"]]
    variants["median days"] = variants["median"] / 86400
    edges = jm.edges.sort_values("count", ascending=False).head(12).copy()
    edges["median hours"] = edges["median"] / 3600
    what = "Onboarding" if onboarding else "The journey"

    sec = report.section("Journeys")
    paths = f"{jm.n_variants:,}" if jm.variants_exact else f"about {jm.n_variants:,}"  # estimated past the cap
    sec.text(f"{what} as it really happens: {jm.n_cases:,} customers, {paths} distinct paths; "
             f"{jm.rework_cases:,} customers repeated a step.")
    plt = pyplot()
    if plt is not None:
        ax = jm.plot(max_edges=25)
        sec.figure(ax.figure, f"{what} map (most frequent transitions; box = events)")
        plt.close(ax.figure)
    sec.table(variants[["variant", "count", "share", "median days"]], "Most frequent paths")
    sec.table(edges[["source", "target", "count", "median hours"]], "Busiest transitions")
    out = SectionResult(tables={"journey_variants": variants, "journey_edges": jm.edges}, data={"map": jm})
    top = variants.iloc[0]
    out.lines.append(f"{what.lower()}: {jm.n_cases:,} customers, {paths} paths; "
                     f"most common ({top['share']:.0%}):")
    out.lines.append(f"  {top['variant'][:100]}")

    if jc["absorbing"]:
        chain = cxkit.journey.markov(inp.log, absorbing=jc["absorbing"])
        assert isinstance(chain, cxkit.journey.MarkovChain)  # one chain: no segment_by
        absorb = chain.absorption_probabilities()
        stages = [s for s in (onboarding or list(absorb.index)) if s in absorb.index]
        risk = absorb.loc[stages, jc["absorbing"]].add_prefix("P(").add_suffix(" eventually)")
        sec.table(risk.reset_index(names="stage"), "Probability of each outcome from each stage (Markov chain)")
        out.tables["outcome_risk_by_stage"] = risk.reset_index(names="stage")

    segment = None
    if inp.accounts is not None and "tier" in inp.accounts.columns:
        segment = (cxkit.Table.from_pandas(inp.accounts[["account", "tier"]], key="account"), "tier")
    if jc["funnel"]["steps"]:
        funnel = cxkit.journey.funnel(log if onboarding else inp.log, jc["funnel"]["steps"],
                                      within=jc["funnel"]["within"], segment_by=segment)
        f = funnel.steps[["step", "activity", "customers", "conversion_from_first", "median_seconds_from_entry"]].copy()
        f["median days from entry"] = f.pop("median_seconds_from_entry") / 86400
        sec.table(f, f"Funnel ({jc['funnel']['within']} from entry)")
        out.tables["funnel"] = f
        out.lines.append("  funnel: " + "  >  ".join(f"{a} {c:,}" for a, c in zip(f["activity"], f["customers"])))

    if jc["design"]:
        try:
            design = cxkit.journey.JourneyDesign.from_json(jc["design"])
        except (ValueError, KeyError) as e:
            raise config_error(cfg, "journey.design", e) from None
        outcome = None
        if inp.accounts is not None and "churned" in inp.accounts.columns:
            outcome = inp.accounts.set_index("account")["churned"]
        conf = design.check(log, outcome=outcome)
        sec.text(f"Conformance to the designed journey: mean fitness {conf.mean_fitness:.3f}.")
        sec.table(conf.stages, "Designed stages: reached, skipped, out of order")
        if outcome is not None:
            effects = conf.outcome_effects.sort_values("difference", ascending=False).head(8)
            sec.table(effects, "Deviations and churn (rate with vs without the deviation)")
        out.tables["conformance"] = conf.customers
        out.lines.append(f"  conformance to the design: mean fitness {conf.mean_fitness:.3f}")

    if jc["playbook"] and inp.accounts is not None and "signup" in inp.accounts.columns:
        try:
            playbook = cxkit.journey.Playbook.from_json(jc["playbook"])
        except (ValueError, KeyError) as e:
            raise config_error(cfg, "journey.playbook", e) from None
        as_of = inp.as_of
        recent = inp.accounts[inp.accounts["signup"] >= as_of - pd.Timedelta(days=150)]
        progress = playbook.progress(recent.set_index("account")["signup"], log, as_of, cxkit.Calendar.always())
        behind = progress[progress["status"].isin(["at_risk", "overdue"])].sort_values("slip_days", ascending=False)
        sec.table(behind.head(15), f"Accounts behind the playbook ({len(behind)} of {len(progress)} "
                                   f"signed in the last 150 days)")
        out.tables["accounts_behind_schedule"] = behind
        out.lines.append(f"  {len(behind)} of {len(progress)} recent accounts behind the playbook")
    return out
