"""Journeys: the paths customers of the simulated company really take, and where they end up.

Run with ``python examples/python/journeys.py``.
"""
from __future__ import annotations

import pandas as pd

import cxkit
from cxkit.journey import JourneyMap, MarkovChain


def busiest_handoffs(jm: JourneyMap, top: int = 5) -> pd.DataFrame:
    """The most travelled directly-follows edges with their median duration in days."""
    edges = jm.edges.sort_values("count", ascending=False).head(top)
    edges["median_days"] = edges["median"] / 86400.0
    return edges[["source", "target", "count", "median_days"]]


def main() -> None:
    co = cxkit.simulate.company(n_accounts=300, months=12, seed=1)
    jm: JourneyMap = cxkit.journey.discover(co.events)
    print(jm)
    print(f"{jm.rework_cases} of {jm.n_cases} accounts repeat some activity")
    starts = ", ".join(f"{a} ({n})" for a, n in jm.start_activities.items())
    print(f"journeys start with: {starts}")
    print("\nbusiest hand-offs:")
    print(busiest_handoffs(jm).to_string(index=False, float_format="{:.1f}".format))

    chain = cxkit.journey.markov(co.events, absorbing=["churned", "renewal"])
    assert isinstance(chain, MarkovChain)  # one chain: no segment_by
    print("\nwhere journeys end (absorbing Markov chain from the observed starts):")
    for state, p in chain.absorption_from_start().items():
        print(f"  {state:<8} {p:6.1%}")
    days = chain.expected_time() / 86400.0
    print("expected days until an outcome, from:",
          ", ".join(f"{stage} {days[stage]:.0f}" for stage in ("signed", "kickoff call", "go-live")))


if __name__ == "__main__":
    main()
