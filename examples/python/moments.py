"""Moments of truth: was every new account welcomed within a day, and did it matter for churn?

The simulator planted the answer (``co.truth["moments"]``), so the program prints both.
Run with ``python examples/python/moments.py``.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

import cxkit
from cxkit.moments import Moment


def main() -> None:
    co = cxkit.simulate.company(n_accounts=300, months=12, seed=1)
    welcome = Moment("welcome within 1 day", trigger="signed", fulfil="welcome sent", within="24h",
                     owner="CSM", urgency="high")
    occurrences: pd.DataFrame = cxkit.moments.evaluate(co.events, [welcome])
    counts = occurrences["status"].value_counts()
    truth: dict[str, Any] = co.truth["moments"][0]
    missed = int(counts.get("breached", 0)) + int(counts.get("overdue", 0))
    print(f"{welcome.name}: {len(occurrences)} clocks, {counts.get('met', 0)} met, {missed} missed "
          f"(planted: {truth['missed']} missed of {truth['opportunities']})")

    by_tier = cxkit.moments.compliance(occurrences, by="tier", period=None, accounts=co.accounts)
    print("\ncompliance by tier:")
    print(by_tier[["tier", "count", "met", "met_rate", "median_elapsed"]].to_string(index=False))

    outcomes = co.accounts[["account", "churned"]].rename(columns={"account": "case"})
    effect = cxkit.moments.impact(occurrences, outcomes, outcome="churned").iloc[0]
    print(f"\nchurn when met {effect['outcome_met']:.1%} vs missed {effect['outcome_baseline']:.1%}: "
          f"difference {effect['difference']:+.1%} "
          f"(95% CI {effect['ci_low']:+.1%} to {effect['ci_high']:+.1%})")

    answers = co.events.to_pandas()
    scores = answers.loc[answers["activity"] == "nps answered", "score"].dropna()
    nps = cxkit.moments.nps(scores).iloc[0]
    print(f"NPS {nps['nps']:+.0f} from {nps['n']} answers ({nps['ci_low']:+.0f} to {nps['ci_high']:+.0f})")


if __name__ == "__main__":
    main()
