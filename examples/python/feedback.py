"""Feedback patterns: themes in four languages, weighted by ARR, near-duplicates and "asked before?".

The simulator planted a theme on most items (``co.feedback["theme"]``); the program shows how
the themes found line up with it. Run with ``python examples/python/feedback.py``.
"""
from __future__ import annotations

import pandas as pd

import cxkit
from cxkit.feedback import ThemeResult


def main() -> None:
    co = cxkit.simulate.company(n_accounts=300, months=12, seed=1)
    arr = co.accounts.set_index("account")["arr"]
    asks = co.feedback[co.feedback["type"] != "praise"]  # themes of requests and problems
    items = asks.assign(arr=asks["customer"].map(arr))
    themes: ThemeResult = cxkit.feedback.detect_themes(items, weight="arr", min_size=3)
    print(themes)
    top = themes.themes.sort_values("weight", ascending=False).head(5)
    print(top[["label", "items", "customers", "weight", "language"]].to_string(index=False))

    found = themes.assignments
    assigned = found >= 0
    table = pd.crosstab(found[assigned], items["theme"][assigned].fillna("(off-topic)"))
    purity = table.max(axis=1).sum() / max(int(assigned.sum()), 1)
    print(f"share of assigned items in their theme's majority planted topic: {purity:.0%}")

    alerts = themes.alerts(min_customers=3, window="90D")
    for message in alerts["message"].head(3):
        print("alert:", message)

    dups = cxkit.feedback.find_duplicates(items["text"], threshold=0.7)
    sizes = sorted((len(g) for g in dups.groups), reverse=True)
    print(f"\n{dups}; largest groups: {sizes[:5]}")

    index = cxkit.feedback.TextIndex(items["text"])
    query = "the Salesforce integration stopped syncing"
    hits = index.similar(query, k=3)
    print(f"\nasked before? {query!r}")
    for i, score in zip(hits["index"], hits["score"]):
        print(f"  {score:.2f}  {items['text'].iloc[int(i)][:70]}")


if __name__ == "__main__":
    main()
