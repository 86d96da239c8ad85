"""What meeting or missing a moment of truth does to an outcome (retention, churn, NPS).

The unit is the customer (case): for each moment a customer **met** it when every decided clock
(met, breached, overdue) was met, and **missed** it when any was breached or overdue; customers
whose clocks are all pending or cancelled are in neither group. Each row of ``outcomes`` is one
observation of the outcome for its customer (one row per account for churn, one per answer for
NPS). Formulas and their sources are in docs/moments.md ("Impact").
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxkit import _core

__all__ = ["impact", "newcombe_interval", "wilson_interval"]

_DECIDED = ("met", "breached", "overdue")
_MISSED = ("breached", "overdue")


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1, not {confidence!r}")
    from statistics import NormalDist
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def wilson_interval(successes: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion (no continuity correction); (nan, nan) when n == 0."""
    if n <= 0:
        return math.nan, math.nan
    z = _z(confidence)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe_interval(x1: float, n1: float, x0: float, n0: float, confidence: float = 0.95) -> tuple[float, float]:
    """Newcombe (1998) hybrid score interval ("method 10") for p1 - p0 from two Wilson intervals."""
    if n1 <= 0 or n0 <= 0:
        return math.nan, math.nan
    p1, p0 = x1 / n1, x0 / n0
    l1, u1 = wilson_interval(x1, n1, confidence)
    l0, u0 = wilson_interval(x0, n0, confidence)
    d = p1 - p0
    return d - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)


class _Stat:
    """Estimate, variance and interval of one statistic on one group of observations."""

    def __init__(self, kind: str, values: np.ndarray) -> None:
        self.kind, self.n = kind, len(values)
        v = values
        if kind == "rate":
            self.x = float(v.sum())
            self.value = self.x / self.n if self.n else math.nan
            self.var = self.value * (1 - self.value) / self.n if self.n else math.nan
            self.centre = self.value
        elif kind == "mean":
            self.value = float(v.mean()) if self.n else math.nan
            self.var = float(v.var(ddof=1)) / self.n if self.n > 1 else math.nan
            self.centre = self.value
        else:  # nps, in points; Rocks (2016) adjusted Wald variance
            pro, det = float((v >= 9).sum()), float((v <= 6).sum())
            self.value = 100 * (pro - det) / self.n if self.n else math.nan
            n_adj = self.n + 3
            pp, pm = (pro + 0.75) / n_adj, (det + 0.75) / n_adj
            self.centre = 100 * (pp - pm)
            self.var = 1e4 * max(0.0, pp + pm - (pp - pm) ** 2) / n_adj


def _difference(kind: str, method: str, a: _Stat, b: _Stat, z: float, confidence: float
                ) -> tuple[float, float, float, float]:
    """(difference, variance, ci_low, ci_high) of a - b."""
    d = a.value - b.value
    var = a.var + b.var
    if kind == "rate" and method == "newcombe":
        lo, hi = newcombe_interval(a.x, a.n, b.x, b.n, confidence)
        return d, var, lo, hi
    centre = a.centre - b.centre
    half = z * math.sqrt(var) if var == var else math.nan
    lo, hi = centre - half, centre + half
    if kind == "nps":
        lo, hi = max(-200.0, lo), min(200.0, hi)
    return d, var, lo, hi


def _customer_groups(occ: pd.DataFrame) -> pd.Series:
    """Per case: "met" or "missed" over its decided clocks (index: case)."""
    decided = occ[occ["status"].isin(_DECIDED)]
    missed = decided["status"].isin(_MISSED).groupby(decided["case"]).any()
    return missed.map({True: "missed", False: "met"})


def impact(occurrences: pd.DataFrame, outcomes: pd.DataFrame, outcome: str = "churned", by_moment: bool = True,
           stratify: str | None = None, baseline: str = "missed", statistic: str = "auto",
           method: str = "newcombe", case: str = "case", confidence: float = 0.95) -> pd.DataFrame:
    """Outcome when the moment was met vs missed (or vs customers who never had the problem).

    Parameters
    ----------
    occurrences : the frame :func:`evaluate` returns (columns case, moment, status)
    outcomes : one row per observation with a ``case`` column (or the case ids as index) and
        the ``outcome`` column: 0/1 or bool (retained, churned), a number (a mean), or 0-10 answers
    outcome : the outcome column
    by_moment : one row per moment; False pools all moments (missed when any was missed)
    stratify : an ``outcomes`` column (a segment such as tier): the difference is the
        Mantel-Haenszel-weighted (Cochran) average of the per-stratum differences, weights
        n_met n_base / (n_met + n_base), variance sum w^2 v_k / (sum w)^2, Wald interval
    baseline : "missed" (met vs missed) or "no problem" (service recovery: customers whose clock
        was met vs customers with no clock of that moment at all, e.g. never opened a ticket)
    statistic : "rate" (share of 1s), "mean", "nps" (NPS of 0-10 answers, in points), or "auto"
        (rate for 0/1 or bool outcomes, mean otherwise)
    method : "newcombe" (hybrid score interval, rates only) or "wald"
    confidence : of the interval

    Returns
    -------
    DataFrame with ``moment``, ``baseline``, ``statistic``, ``n_met``, ``n_baseline``,
    ``outcome_met``, ``outcome_baseline``, ``difference`` (met - baseline), ``ci_low``, ``ci_high``,
    ``method``; with ``stratify`` also ``crude_difference`` and ``strata`` (strata used: those
    with both groups). Rates are proportions (0-1), NPS in points (-100..100).

    Examples
    --------
    >>> import pandas as pd, cxkit
    >>> occ = pd.DataFrame({"case": ["a", "b", "c", "d"], "moment": "welcome",
    ...                     "status": ["met", "met", "breached", "breached"]})
    >>> out = pd.DataFrame({"case": ["a", "b", "c", "d"], "churned": [0, 0, 1, 0]})
    >>> r = cxkit.moments.impact(occ, out, outcome="churned").iloc[0]
    >>> [float(r[c]) for c in ("outcome_met", "outcome_baseline", "difference")]
    [0.0, 0.5, -0.5]
    """
    if baseline not in ("missed", "no problem"):
        raise ValueError(f"baseline must be 'missed' or 'no problem', not {baseline!r}")
    if method not in ("newcombe", "wald"):
        raise ValueError(f"method must be 'newcombe' or 'wald', not {method!r}")
    if statistic not in ("auto", "rate", "mean", "nps"):
        raise ValueError(f"statistic must be 'auto', 'rate', 'mean' or 'nps', not {statistic!r}")
    z = _z(confidence)
    for c in ("case", "moment", "status"):
        if c not in occurrences.columns:
            raise KeyError(f"occurrences have no column '{c}'")
    if outcome not in outcomes.columns:
        raise KeyError(f"outcomes have no column '{outcome}'")
    cases = outcomes[case] if case in outcomes.columns else pd.Series(outcomes.index, index=outcomes.index)
    obs = pd.DataFrame({"case": cases.to_numpy(), "y": outcomes[outcome].to_numpy()})
    if stratify is not None:
        if stratify not in outcomes.columns:
            raise KeyError(f"outcomes have no stratify column '{stratify}'")
        obs["stratum"] = outcomes[stratify].to_numpy()
    obs = obs[obs["y"].notna()]
    y = obs["y"]
    if y.dtype == bool:
        obs["y"] = y.astype(np.float64)
    obs["y"] = pd.to_numeric(obs["y"], errors="raise").astype(np.float64)
    kind = statistic
    if kind == "auto":
        kind = "rate" if obs["y"].isin([0.0, 1.0]).all() else "mean"
    if kind == "rate" and not obs["y"].isin([0.0, 1.0]).all():
        bad = obs["y"][~obs["y"].isin([0.0, 1.0])].iloc[0]
        raise ValueError(f"outcome '{outcome}': a rate needs 0/1 values, found {bad!r}")
    if kind == "nps":
        _core.nps(obs["y"].to_numpy(dtype=np.float64))  # raises ValueError naming a score outside 0..10
    meth = method if kind == "rate" else "wald"

    occ = occurrences[["case", "moment", "status"]]
    if by_moment:
        parts = [(str(m), g) for m, g in occ.groupby("moment", sort=True)]
    else:
        parts = [("all moments", occ)]
    rows = []
    for name, g in parts:
        status = _customer_groups(g)
        group = obs["case"].map(status)
        if baseline == "no problem":
            had = set(g["case"])
            group = group.where(group == "met")
            group[~obs["case"].isin(had)] = "base"
        else:
            group = group.map({"met": "met", "missed": "base"})
        a_mask, b_mask = (group == "met").to_numpy(), (group == "base").to_numpy()
        a, b = _Stat(kind, obs["y"].to_numpy()[a_mask]), _Stat(kind, obs["y"].to_numpy()[b_mask])
        d, _, lo, hi = _difference(kind, meth, a, b, z, confidence)
        row: dict[str, Any] = {"moment": name, "baseline": baseline, "statistic": kind, "n_met": a.n,
                               "n_baseline": b.n, "outcome_met": a.value, "outcome_baseline": b.value,
                               "difference": d, "ci_low": lo, "ci_high": hi, "method": meth}
        if stratify is not None:
            num = den = var = 0.0
            used = 0
            strata = obs["stratum"].to_numpy()
            yv = obs["y"].to_numpy()
            for s in pd.unique(strata):
                in_s = strata == s if s == s else pd.isna(strata)
                sa, sb = _Stat(kind, yv[a_mask & in_s]), _Stat(kind, yv[b_mask & in_s])
                if sa.n == 0 or sb.n == 0:
                    continue
                w = sa.n * sb.n / (sa.n + sb.n)
                num += w * (sa.value - sb.value)
                var += w * w * (sa.var + sb.var)
                den += w
                used += 1
            adj = num / den if den else math.nan
            se = math.sqrt(var) / den if den else math.nan
            row.update({"crude_difference": d, "difference": adj, "ci_low": adj - z * se, "ci_high": adj + z * se,
                        "method": "mantel-haenszel", "strata": used})
        rows.append(row)
    cols = ["moment", "baseline", "statistic", "n_met", "n_baseline", "outcome_met", "outcome_baseline",
            "difference", "ci_low", "ci_high", "method"] + (["crude_difference", "strata"] if stratify else [])
    return pd.DataFrame(rows, columns=cols)
