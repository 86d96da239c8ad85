#!/usr/bin/env python3
"""Writes examples/notebooks/tour.ipynb, the notebook tour of cxkit's four pillars.

The notebook's source lives here, as reviewable Python, and the .ipynb is generated from it
(outputs cleared): edit this file, then run

    .venv/bin/python scripts/make_tour_notebook.py

tests/python/test_notebook.py executes the notebook headless and checks it is up to date.
"""
from __future__ import annotations

import pathlib
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "examples" / "notebooks" / "tour.ipynb"

CELLS: list[tuple[str, str]] = [
    ("md", """\
# A tour of cxkit

cxkit answers four questions a customer-success team asks every week, from the exports it already has:

1. **Journeys** — what path do customers really take, where do they drop out, and where does each stage lead?
2. **Moments of truth** — do we keep our promises (first reply, welcome) on each team's business hours, and does it matter?
3. **Churn risk** — who is likely to leave, why (in words), and how good is the model on data it has not seen?
4. **Feedback** — what are customers asking about, what is growing, and which topics drive detractors?

The tour runs on the **simulated company** built into cxkit (`cxkit.simulate`): a B2B SaaS business with
1,000 accounts over 18 months, support hubs on six business calendars and multilingual feedback, whose
generative truth is known."""),
    ("code", """\
%matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import cxkit
from cxkit import churn, feedback, journey, moments

pd.set_option("display.width", 140)
pd.set_option("display.max_columns", 20)
print("cxkit", cxkit.__version__)"""),
    ("code", """\
co = cxkit.simulate.company(n_accounts=1000, months=18, seed=7)
co"""),
    ("md", """\
`co.accounts` has one row per account, `co.events` is a `cxkit.EventLog` (case = account) and
`co.feedback` one row per feedback item."""),
    ("code", """\
co.accounts[["account", "tier", "plan", "arr", "seats", "signup", "owner", "support_hub", "churned"]].head()"""),
    ("code", """\
events = co.events.to_pandas()


def as_log(frame, **kw):  # an EventLog from rows of `events` (e.g. a filtered subset)
    return cxkit.EventLog.from_pandas(frame, case="case", activity="activity", timestamp="timestamp", **kw)


events["activity"].value_counts().head(12)"""),
    # ------------------------------------------------------------------------------------------ journeys
    ("md", """\
## 1. Journeys

Discovery works on any event log. The full log is dominated by logins and feature use, so we look
at the **onboarding** activities (plus churn) to see the path accounts take after signing."""),
    ("code", """\
ONBOARDING = ["signed", "welcome sent", "kickoff call", "workspace set up", "users invited",
              "integrations connected", "training completed", "first value reached", "go-live"]
onboarding_log = as_log(events[events["activity"].isin(ONBOARDING + ["churned"])], attributes=[])
jm = journey.discover(onboarding_log)
print(f"{jm.n_cases:,} accounts, {jm.n_events:,} events, {jm.rework_cases:,} accounts repeated a stage")
jm.activities"""),
    ("code", """\
ax = jm.plot(max_edges=25)
ax.set_title("Onboarding as it really happens (edge width = accounts taking the step)")
plt.show()"""),
    ("md", "The most frequent variants (complete activity sequences) and the share of accounts following each:"),
    ("code", """\
variants = jm.variants(top=8)
variants.assign(variant=variants["variant"].map(" → ".join),
                median_days=variants["median"] / 86400)[["variant", "count", "share", "median_days"]]"""),
    ("md", """\
A **funnel** counts unique accounts reaching each step (in order) within 120 days of signing, here per tier."""),
    ("code", """\
steps = ["signed", "kickoff call", "workspace set up", "first value reached", "go-live"]
f = journey.funnel(co.events, steps, within="120D", segment_by=(co.accounts_table, "tier"))
f.steps"""),
    ("code", """\
fig, ax = plt.subplots(figsize=(7, 3.5))
for tier, g in f.segments.groupby("segment"):
    ax.plot(g["step"], 100 * g["conversion_from_first"], marker="o", label=tier)
ax.set_xticks(range(1, len(steps) + 1), steps, rotation=20)
ax.set_ylabel("% of signed accounts")
ax.set_title("Onboarding funnel by tier (within 120 days)")
ax.legend()
plt.show()
f.next_after_drop(4)  # what accounts that reached first value but not go-live did next"""),
    ("md", """\
An absorbing **Markov chain** of the onboarding log answers "from each stage, how likely is the account
to churn?" (the rest reach `(end)`: still a customer when the data ends). One chain per tier:"""),
    ("code", """\
mc = journey.markov(onboarding_log, absorbing=["churned"])
print(mc, "- churn from the start:", round(float(mc.absorption_from_start()["churned"]), 3))
by_tier = journey.markov(onboarding_log, absorbing=["churned"], segment_by=(co.accounts_table, "tier"))
risk = pd.DataFrame({tier: chain.absorption_probabilities()["churned"] for tier, chain in by_tier.items()})
risk = risk.loc[[s for s in ONBOARDING if s in risk.index]]
ax = (100 * risk).plot.barh(figsize=(7, 4))
ax.set_xlabel("% of accounts at this stage that end churned")
ax.set_title("Churn risk by onboarding stage and tier (absorbing Markov chains)")
ax.invert_yaxis()
plt.show()
risk.round(3)"""),
    # ------------------------------------------------------------------------------------------ moments
    ("md", """\
## 2. Moments of truth

Each support hub works its own hours (New York, Berlin, Singapore, Moscow, São Paulo, Tehran), so an SLA
is counted in **business time** on the hub's calendar. The simulator gives the calendars it used:"""),
    ("code", """\
calendars = co.support_calendars()
emea = calendars["EMEA"]
print(emea.timezone, emea.working_hours["mon"])
# a ticket opened on Friday 16:30 Berlin time with a 4 business-hour target is due on Monday:
opened = pd.Timestamp("2025-03-07 16:30", tz="Europe/Berlin")
print("due", emea.add_business_time(opened, pd.Timedelta(hours=4)).tz_convert("Europe/Berlin"))"""),
    ("md", """\
Two moments: the welcome within 24 hours of signing, and the first reply to each ticket within 4
business hours (P0: 1 hour). Clocks are evaluated per hub, each on its own calendar."""),
    ("code", """\
def moments_for(calendar):
    return [
        moments.Moment("welcome", trigger="signed", fulfil="welcome sent", within="24h", owner="CSM"),
        moments.Moment("first reply", trigger="ticket opened", fulfil="first reply", within="4h",
                       targets={"by": "priority", "values": {"P0": "1h"}}, key="ticket",
                       calendar=calendar, owner="support", urgency="high"),
    ]

hub_of = co.accounts.set_index("account")["support_hub"]
parts = []
for hub, cal in calendars.items():
    hub_events = events[events["case"].map(hub_of) == hub]
    if len(hub_events):
        parts.append(moments.evaluate(as_log(hub_events), moments_for(cal)))
occ = pd.concat(parts, ignore_index=True)
occ["status"].value_counts()"""),
    ("code", """\
comp = moments.compliance(occ, by="support_hub", period=None, accounts=co.accounts)
comp[["moment", "support_hub", "count", "met", "breached", "met_rate", "median_elapsed", "p90_elapsed"]]"""),
    ("code", """\
monthly = moments.compliance(occ, by=None, period="M")
fig, ax = plt.subplots(figsize=(7, 3.2))
for name, g in monthly.groupby("moment"):
    ax.plot(g["period"].astype(str), 100 * g["met_rate"], marker=".", label=name)
ax.set_ylabel("% met")
ax.set_title("Moment compliance by month")
ax.tick_params(axis="x", rotation=60)
ax.legend()
plt.show()"""),
    ("md", """\
**Does it matter?** Churn among accounts whose moments were all met, against accounts that missed one
(Newcombe interval; an association, not a proof of cause)."""),
    ("code", """\
outcomes = co.accounts.set_index("account")[["churned", "tier"]]
moments.impact(occ, outcomes, outcome="churned")"""),
    ("md", "NPS answers come from the event log (`nps answered`, a `score` attribute); a 90-day moving NPS with its interval:"),
    ("code", """\
answers = events.loc[events["activity"] == "nps answered", ["case", "timestamp", "score"]]
trend = moments.nps(answers, window="90D")
fig, ax = plt.subplots(figsize=(7, 3.2))
x = trend["window_end"].dt.tz_localize(None)
ax.plot(x, trend["nps"], marker="o")
ax.fill_between(x, trend["ci_low"], trend["ci_high"], alpha=0.25)
ax.set_ylabel("NPS (90-day window)")
ax.set_title("NPS trend with its 95% interval")
plt.show()
trend[["n", "nps", "ci_low", "ci_high"]].tail()"""),
    ("md", """\
A **notification policy** decides who hears about which clock: urgent P0 tickets go to the support lead
at once, everything else reaches the account owner in a digest; breaches of high-urgency moments escalate to
the owner's manager. Replaying it over the history shows the volume against notifying on every event."""),
    ("code", """\
owners = sorted(co.accounts["owner"].unique())
owner_tz = {o: calendars[hub].timezone for o, hub in co.accounts.groupby("owner")["support_hub"].first().items()}
policy = moments.NotificationPolicy(
    recipients=[{"id": o, "manager": "cs-lead", "timezone": owner_tz[o], "digest_at": "09:00"} for o in owners]
               + [{"id": "cs-lead", "timezone": "Europe/Berlin"}, {"id": "support-lead", "timezone": "UTC"}],
    routes=[{"name": "urgent tickets", "match": {"priority": "P0"}, "recipient": "support-lead", "immediate": True},
            {"name": "account owner", "recipient_from": "owner", "immediate": False}],
    default_recipient="cs-lead",
    grouping={"group_by": ["moment"], "repeat_interval": "24h"},
    escalation={"match": {"kind": "breached", "priority": ["P0", "P1"]}, "acknowledge_on": ["first reply"],
                "levels": [{"target": "owner", "timeout": "2h"}, {"target": "manager"}]})
notes = policy.replay(occ, co.accounts, moments_for(None), log=co.events)
summary = notes.attrs["summary"]
print(f"{summary['items']:,} items: {summary['naive_notifications']:,} notifications if every event notified, "
      f"{summary['notifications']:,} with the policy (ratio {summary['ratio']:.2f})")
notes["kind"].value_counts()"""),
    # ------------------------------------------------------------------------------------------ churn
    ("md", """\
## 3. Churn risk

`build_features` describes every active account **as of** a date from its events strictly before it
(usage windows and trends, tickets, breaches, NPS, tenure, renewal calendar); `label` marks churn in the
following 90 days."""),
    ("code", """\
as_of = pd.Timestamp("2025-01-01", tz="UTC")
X = churn.build_features(co.events, co.accounts, as_of=as_of, occurrences=occ)
y = churn.label(co.accounts, as_of=as_of, horizon="90D").reindex(X.index)
print(X.shape, f"{int(y.sum())} of {len(y)} active accounts churn within 90 days")
X.iloc[:5, :8]"""),
    ("code", """\
# a small, readable model: usage, adoption, support experience, voice of the customer, contract
FEATURES = ["login_30d", "login_trend_30d", "days_since_last_use", "seat_utilisation", "features_used_90d",
            "tickets_90d", "open_tickets", "first_reply_breaches_90d", "nps_detractor", "tenure_days",
            "days_to_renewal", "contract_monthly"]
# seat utilisation is undefined for accounts without seat data: fill with the typical value
X_filled = X[FEATURES].fillna(X[FEATURES].median())
model = churn.LogisticRegression(C=1.0, class_weight="balanced").fit(X_filled, y)
print("in-sample AUC", round(churn.metrics.roc_auc_score(y, model.predict_proba(X_filled)[:, 1]), 3))
risk_now = pd.Series(model.predict_proba(X_filled)[:, 1], index=X.index, name="risk").sort_values(ascending=False)
top = risk_now.head(5)
top"""),
    ("md", "Why are those accounts at risk? Each model explains itself in words a CSM can read:"),
    ("code", """\
why = model.explain(X_filled.loc[top.index], top=3)
why[["rank", "feature", "effect", "text"]]"""),
    ("md", "**Survival by tier** (Kaplan-Meier, with lifelines' log-log intervals): time from signup to churn, censored at the end of the data."),
    ("code", """\
end = events["timestamp"].max()  # the end of the data: accounts still active are censored here
acc = co.accounts
stop = acc["churn_date"].fillna(end)
days = (stop - acc["signup"]).dt.total_seconds() / 86400
fig, ax = plt.subplots(figsize=(7, 3.5))
for tier in sorted(acc["tier"].unique()):
    mask = (acc["tier"] == tier).to_numpy()
    churn.KaplanMeier().fit(days[mask], acc["churned"][mask], label=tier).plot(ax=ax)
ax.set_xlabel("days since signup")
ax.set_title("Kaplan-Meier survival by tier")
plt.show()"""),
    ("md", """\
A **health scorecard** is the transparent alternative a CS team configures by hand: points per measure,
weights, and red / yellow / green bands."""),
    ("code", """\
card = churn.Scorecard({
    "name": "Customer health",
    "groups": [
        {"name": "Adoption", "weight": 60, "measures": [
            {"name": "logins", "feature": "login_30d", "weight": 2,
             "scheme": {"type": "linear", "lower": 0, "upper": 8}},
            {"name": "seats", "feature": "seat_utilisation",
             "scheme": {"type": "linear", "lower": 0.3, "upper": 0.8}}]},
        {"name": "Support", "weight": 40, "measures": [
            {"name": "open tickets", "feature": "open_tickets",
             "scheme": {"type": "thresholds", "direction": "lower_is_better",
                        "steps": [{"bound": 0, "points": 100}, {"bound": 2, "points": 50}], "otherwise": 0}}]},
    ]})
scores = card.score(X)
scores["band"].value_counts().sort_index()"""),
    ("code", """\
pd.crosstab(scores["band"], y.rename("churned in 90 days"), normalize="index").round(3)"""),
    ("md", """\
**Backtest**: at each date, train on the snapshots whose outcome was already known and score the
accounts at that date; AUC and lift on data the model never saw."""),
    ("code", """\
dates = pd.date_range("2024-05-01", "2025-05-01", freq="MS", tz="UTC")
bt = churn.backtest(co.events, co.accounts, dates, horizon="60D", features=FEATURES, occurrences=occ)
bt.folds"""),
    # ------------------------------------------------------------------------------------------ feedback
    ("md", """\
## 4. Feedback

`detect_themes` groups same-topic feedback in any of the company's languages (English, Russian,
Portuguese, Persian) and names each theme in its customers' own words. Weighting by ARR tells which
themes matter to revenue. With the default TF-IDF vectors a topic raised in four languages forms one
theme per language; `embeddings=` (vectors from any multilingual model) joins them."""),
    ("code", """\
arr = co.accounts.set_index("account")["arr"]
fb = co.feedback[co.feedback["type"] != "praise"]  # thanks are welcome, but they are not a topic
fb = fb.assign(arr=fb["customer"].map(arr))
themes = feedback.detect_themes(fb, text="text", customer="customer", time="time", weight="arr")
print(f"{len(themes.themes)} themes; {(themes.assignments >= 0).mean():.0%} of {len(fb)} items assigned")
themes.themes.sort_values("customers", ascending=False)[["id", "label", "items", "customers", "weight"]].head(10)"""),
    ("code", """\
trends = themes.trends("30D")
top_ids = themes.themes.sort_values("items", ascending=False)["id"].head(5)
wide = trends[trends["theme"].isin(top_ids)].pivot_table(index="start", columns="label", values="items",
                                                          fill_value=0)
ax = wide.plot(figsize=(8, 3.5), marker=".")
ax.set_ylabel("items per 30 days")
ax.set_title("The five largest feedback themes over time")
plt.show()"""),
    ("code", """\
alerts = themes.alerts(min_customers=3, window="60D")
list(alerts["message"].head(5))"""),
    ("md", "Which themes over-represent detractors? The NPS answers of each theme's customers against everyone's:"),
    ("code", """\
nps_answers = answers.rename(columns={"case": "customer"})
feedback.theme_nps(themes, nps_answers).head(8)"""),
    ("md", """\
## Where next

- `python -m cxkit demo` runs every pillar on the sample company and writes an HTML report.
- `python -m cxkit report --events ... --accounts ... --feedback ... --config cxkit.json` does the same
  on a company's own exports (docs/cli.md).
- Each pillar's guide is in `docs/`: journeys.md, moments.md, churn_features.md, feedback_themes.md."""),
]


def build() -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, (kind, source) in enumerate(CELLS):
        cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
        cell["id"] = f"tour-{i:02d}"  # stable ids: regenerating gives the same file
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def render() -> str:
    return nbformat.writes(build()) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run scripts/make_tour_notebook.py", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(CELLS)} cells)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
