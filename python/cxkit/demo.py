"""`python -m cxkit demo`: the whole library at work on the built-in sample company.

Generates the default simulated company (cxkit.simulate), prints a one-screen summary and
writes cxkit-report/: index.html (figures, sortable tables) plus every table as CSV.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

import cxkit
from cxkit._progress import step
from cxkit.report import Report


def nps_of(scores: pd.Series) -> float:
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6)."""
    s = scores.dropna()
    return float(100.0 * ((s >= 9).mean() - (s <= 6).mean())) if len(s) else float("nan")


def company_section(co: cxkit.simulate.Company, events: pd.DataFrame, report: Report) -> dict[str, object]:
    acc = co.accounts
    churned = int(acc["churned"].sum())
    nps_scores = events.loc[events["activity"] == "nps answered", "score"]
    kpis = {
        "accounts": f"{len(acc):,}",
        "events": f"{len(events):,}",
        "churned accounts": f"{churned:,} ({churned / len(acc):.1%})",
        "annual churn rate": f"{co.truth['churn']['realised_annual_rate']:.1%}",
        "ARR": f"${acc['arr'].sum():,.0f}",
        "NPS": f"{nps_of(nps_scores):+.0f} (n={len(nps_scores):,})",
        "feedback items": f"{len(co.feedback):,}",
    }
    by_tier = (acc.groupby("tier").agg(accounts=("account", "size"), churned=("churned", "sum"),
                                       arr=("arr", "sum")).reset_index())
    by_tier["churn share"] = by_tier["churned"] / by_tier["accounts"]
    sec = report.section("The company")
    sec.text(f"Simulated B2B SaaS company, seed {co.truth['seed']}: accounts, events and feedback "
             "generated with a known churn process, moments of truth and feedback themes.")
    sec.kpis(kpis)
    sec.table(by_tier, "Accounts by tier")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        monthly = events.set_index("timestamp").resample("MS")["case"].size()
        fig, ax = plt.subplots(figsize=(8, 2.8))
        ax.bar(monthly.index.tz_localize(None), monthly.to_numpy(), width=20)
        ax.set_ylabel("events per month")
        sec.figure(fig, "Events per month")
        plt.close(fig)
        quarters = events.loc[nps_scores.index, "timestamp"].dt.tz_localize(None).dt.to_period("Q")
        quarterly = nps_scores.groupby(quarters).apply(nps_of)
        fig, ax = plt.subplots(figsize=(8, 2.8))
        ax.plot([str(p) for p in quarterly.index], quarterly.to_numpy(), marker="o")
        ax.axhline(0, color="#999", lw=0.8)
        ax.set_ylabel("NPS")
        sec.figure(fig, "NPS by quarter")
        plt.close(fig)
    except ImportError:
        sec.text("matplotlib is not installed: figures are left out.")
    return {"kpis": kpis, "by_tier": by_tier}


ONBOARDING = ["signed", "welcome sent", "kickoff call", "workspace set up", "users invited",
              "integrations connected", "training completed", "first value reached", "go-live"]


def journey_section(co: cxkit.simulate.Company, events: pd.DataFrame, report: Report) -> dict[str, object]:
    """The onboarding journey as customers really walk it, and where journeys end."""
    onboarding = events[events["activity"].isin(ONBOARDING)]
    log = cxkit.EventLog.from_pandas(onboarding, case="case", activity="activity", timestamp="timestamp",
                                     attributes=[])
    jm = cxkit.journey.discover(log)
    variants = jm.variants(top=8)
    variants["variant"] = [" > ".join(v) for v in variants["variant"]]
    variants["median days"] = variants["median"] / 86400
    edges = jm.edges.sort_values("count", ascending=False).head(12).copy()
    edges["median hours"] = edges["median"] / 3600
    chain = cxkit.journey.markov(co.events, absorbing=["churned"])
    absorb = chain.absorption_probabilities()
    stages = [s for s in ONBOARDING if s in absorb.index]
    risk = absorb.loc[stages, ["churned"]].rename(columns={"churned": "P(churn eventually)"})
    sec = report.section("Journeys")
    sec.text(f"Onboarding as it really happens: {jm.n_cases:,} accounts, {len(jm.variants()):,} distinct paths; "
             f"{jm.rework_cases:,} accounts repeated a step.")
    try:
        import matplotlib.pyplot as plt
        ax = jm.plot(max_edges=25)
        sec.figure(ax.figure, "Onboarding map (most frequent transitions; box = events)")
        plt.close(ax.figure)
    except ImportError:
        pass
    sec.table(variants[["variant", "count", "share", "median days"]], "Most frequent onboarding paths")
    sec.table(edges[["source", "target", "count", "median hours"]], "Busiest transitions")
    sec.table(risk.reset_index(names="stage"), "Probability of churning from each onboarding stage (Markov chain)")

    # The onboarding funnel (Mixpanel-style unique customers, 120-day window from signing).
    steps = ["signed", "kickoff call", "workspace set up", "first value reached", "go-live"]
    funnel = cxkit.journey.funnel(log, steps, within="120D", segment_by=(co.accounts_table, "tier"))
    f = funnel.steps[["step", "activity", "customers", "conversion_from_first", "median_seconds_from_entry"]].copy()
    f["median days from signing"] = f.pop("median_seconds_from_entry") / 86400
    sec.table(f, "Onboarding funnel (120 days from signing)")

    # Conformance to the designed onboarding (the simulator's truth), with churn as the outcome.
    design = cxkit.journey.JourneyDesign.from_json(_designed_onboarding(co.truth))
    conf = design.check(log, outcome=co.accounts.set_index("account")["churned"])
    effects = conf.outcome_effects.sort_values("difference", ascending=False).head(8)
    sec.text(f"Conformance to the designed onboarding: mean fitness {conf.mean_fitness:.3f}.")
    sec.table(conf.stages, "Designed stages: reached, skipped, out of order")
    sec.table(effects, "Deviations and churn (rate with vs without the deviation)")

    # Accounts behind schedule on the onboarding playbook, as of the end of the period.
    playbook = cxkit.journey.Playbook.from_json(_onboarding_playbook(co.truth))
    cal = cxkit.Calendar.always()
    as_of = pd.Timestamp(co.truth["end"])
    recent = co.accounts[co.accounts["signup"] >= as_of - pd.Timedelta(days=150)]
    progress = playbook.progress(recent.set_index("account")["signup"], log, as_of, cal)
    behind = progress[progress["status"].isin(["at_risk", "overdue"])].sort_values("slip_days", ascending=False)
    sec.table(behind.head(15), f"Accounts behind the onboarding playbook ({len(behind)} of {len(progress)} "
                                f"signed in the last 150 days)")
    return {"map": jm, "variants": variants, "risk": risk, "funnel": f, "conformance": conf, "behind": behind,
            "progress": progress}


def _designed_onboarding(truth: dict) -> dict:
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


def _onboarding_playbook(truth: dict) -> dict:
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


def moments_section(co: cxkit.simulate.Company, events: pd.DataFrame, report: Report) -> dict[str, object]:
    """The simulator's moments of truth, measured on each support hub's business calendar."""
    acc = co.accounts.set_index("account")
    per_hub = []
    for name, cal in co.support_calendars().items():
        target = f"{co.truth['moments'][1]['target_hours']:g}h" if len(co.truth["moments"]) > 1 else "4h"
        per_hub.append((name, cxkit.moments.Moment(f"first reply ({name})", trigger="ticket opened",
                                                   fulfil="first reply", within=target, key="ticket",
                                                   calendar=cal, owner="support", urgency="high")))
    welcome = cxkit.moments.Moment("welcome within 1 day", trigger="signed", fulfil="welcome sent", within="24h",
                                   owner="CSM")
    occ = [cxkit.moments.evaluate(co.events, [welcome])]
    for name, m in per_hub:
        hub_log = cxkit.EventLog.from_pandas(events[events["case"].map(acc["support_hub"]) == name],
                                             case="case", activity="activity", timestamp="timestamp",
                                             attributes={"ticket": "categorical"})
        if len(hub_log):
            occ.append(cxkit.moments.evaluate(hub_log, [m]))
    occurrences = pd.concat(occ, ignore_index=True)
    occurrences["moment"] = occurrences["moment"].str.replace(r" \(.*\)$", "", regex=True)
    table = cxkit.moments.compliance(occurrences, by=["owner"], period=None,
                                     groups=acc[["owner"]])
    scores = events.loc[events["activity"] == "nps answered", ["timestamp", "score"]]
    trend = cxkit.moments.nps(scores["score"], by=scores["timestamp"].dt.tz_localize(None).dt.to_period("Q")
                              .rename("quarter"))
    running = occurrences[occurrences["status"].isin(["pending", "overdue"])].sort_values("deadline")
    sec = report.section("Moments of truth")
    sec.text("SLA clocks measured on each support hub's business calendar; the met rate leaves running clocks out.")
    overall = cxkit.moments.compliance(occurrences, period=None)
    sec.table(overall[["moment", "count", "met", "breached", "pending", "overdue", "met_rate"]], "Compliance per moment")
    sec.table(table.sort_values("met_rate")[["moment", "owner", "count", "met_rate"]].head(15),
              "Compliance by owner (lowest first)")
    sec.table(trend.reset_index().astype({"quarter": str}), "NPS by quarter with the Rocks (2016) 95% interval")
    sec.table(running[["case", "moment", "key", "started", "deadline", "status"]].head(15),
              "Open clocks, nearest deadline first")
    return {"compliance": overall, "by_owner": table, "nps": trend, "running": running}


def feedback_section(co: cxkit.simulate.Company, report: Report) -> pd.DataFrame:
    fb = co.feedback.merge(co.accounts[["account", "arr"]], left_on="customer", right_on="account", how="left")
    themed = fb.dropna(subset=["theme"])
    top = (themed.groupby("theme").agg(items=("feedback", "size"), customers=("customer", "nunique"),
                                        arr=("arr", "sum"), languages=("language", "nunique"))
           .sort_values("items", ascending=False).reset_index())
    sec = report.section("Feedback")
    sec.text("Feedback themes by raw count (the simulator's planted themes; theme detection fills this "
             "section from the text itself).")
    sec.table(top, "Themes")
    sec.table(fb[["time", "customer", "language", "type", "text"]].head(12), "Latest feedback sample")
    return top


def run(out_dir: str = "cxkit-report", n_accounts: int = 2000, seed: int = 7) -> int:
    out = Path(out_dir)
    report = Report("cxkit - customer-success report for the sample company")
    with step(f"generating the sample company ({n_accounts:,} accounts)"):
        co = cxkit.simulate.company(n_accounts=n_accounts, seed=seed)
    with step("building the summary"):
        events = co.events.to_pandas()
        summary = company_section(co, events, report)
        journeys = journey_section(co, events, report)
        moments = moments_section(co, events, report)
        themes = feedback_section(co, report)
    with step("writing the report"):
        out.mkdir(parents=True, exist_ok=True)
        summary["by_tier"].to_csv(out / "accounts_by_tier.csv", index=False)
        themes.to_csv(out / "feedback_themes.csv", index=False)
        journeys["variants"].to_csv(out / "onboarding_variants.csv", index=False)
        journeys["map"].edges.to_csv(out / "journey_edges.csv", index=False)
        journeys["risk"].to_csv(out / "churn_risk_by_stage.csv")
        journeys["funnel"].to_csv(out / "onboarding_funnel.csv", index=False)
        journeys["conformance"].customers.to_csv(out / "onboarding_conformance.csv", index=False)
        journeys["behind"].to_csv(out / "accounts_behind_schedule.csv", index=False)
        moments["compliance"].to_csv(out / "moments_compliance.csv", index=False)
        moments["by_owner"].to_csv(out / "moments_compliance_by_owner.csv", index=False)
        moments["nps"].to_csv(out / "nps_by_quarter.csv")
        moments["running"].to_csv(out / "open_clocks.csv", index=False)
        pd.DataFrame([summary["kpis"]]).to_csv(out / "summary.csv", index=False)
        page = report.write(out)

    print(f"\ncxkit {cxkit.__version__} demo - sample company (seed {seed})")
    print("-" * 72)
    for k, v in summary["kpis"].items():
        print(f"  {k:<22} {v}")
    print("\n  accounts by tier")
    for _, r in summary["by_tier"].iterrows():
        print(f"    {r['tier']:<12} {int(r['accounts']):>6,} accounts  {r['churn share']:>6.1%} churned  "
              f"ARR ${r['arr']:>13,.0f}")
    top_path = journeys["variants"].iloc[0]
    print(f"\n  onboarding: {journeys['map'].n_cases:,} accounts, {len(journeys['map'].variants()):,} paths; "
          f"most common ({top_path['share']:.0%}):")
    print(f"    {top_path['variant'][:100]}")
    fun = journeys["funnel"]
    print("    funnel: " + "  >  ".join(f"{a} {c:,}" for a, c in zip(fun["activity"], fun["customers"])))
    print(f"    conformance to the design: mean fitness {journeys['conformance'].mean_fitness:.3f}; "
          f"{len(journeys['behind'])} of {len(journeys['progress'])} recent accounts behind the playbook")
    comp = moments["compliance"]
    print("\n  moments of truth: " + "; ".join(f"{r.moment} {r.met_rate:.0%} met (n={r.count:,})"
                                              for r in comp.itertuples()))
    print("\n  top feedback themes (raw count)")
    for _, r in themes.head(5).iterrows():
        print(f"    {int(r['items']):>5,} items  {int(r['customers']):>4,} customers  ARR ${r['arr']:>12,.0f}  "
              f"{r['theme']}")
    print(f"\n  report: {page.resolve()}")
    return 0
