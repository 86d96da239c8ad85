"""Churn models side by side: lifelines / scikit-learn vs cxkit on the same arrays, one process.

- Cox PH fit, n x 10 covariates with ties: lifelines.CoxPHFitter vs cxkit.churn.CoxPH (coefficients compared)
- Logistic regression fit, 1M x 50: sklearn lbfgs vs cxkit (final objectives compared)
- Concordance index on n survival rows: lifelines.utils.concordance_index vs cxkit
- Scoring throughput: cxkit LogisticRegression.predict_proba rows per second

Run:  make build && PYTHONPATH=build/dev/python .venv/bin/python benchmarks/compare/churn.py [--cox-sizes 100000 1000000]
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import median_seconds, report  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import cxkit  # noqa: E402

warnings.filterwarnings("ignore")


def cox_data(n: int, p: int = 10, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    beta = np.linspace(-0.5, 0.5, p)
    t = rng.exponential(1.0 / np.exp(X @ beta))
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(p)])
    df["T"] = np.ceil(t * 50)  # ties, as in day-level churn data
    df["E"] = (rng.random(n) < 0.7).astype(float)
    return df


def logistic_objective(X, y, coef, intercept, C):
    z = X @ coef + intercept
    return C * np.sum(np.logaddexp(0, -z) * y + np.logaddexp(0, z) * (1 - y)) + 0.5 * coef @ coef


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cox-sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    ap.add_argument("--logistic-rows", type=int, default=1_000_000)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    import lifelines
    from lifelines.utils import concordance_index
    from sklearn.linear_model import LogisticRegression as SkLogistic

    rows = []
    for n in args.cox_sizes:
        df = cox_data(n)
        ref = lifelines.CoxPHFitter()
        a = median_seconds(lambda: ref.fit(df, duration_col="T", event_col="E"), max(1, min(args.repeat, 2)))
        ours = cxkit.churn.CoxPH()
        c = median_seconds(lambda: ours.fit(df, duration_col="T", event_col="E"), args.repeat)
        diff = float(np.max(np.abs(ours.params_.to_numpy() - ref.params_.to_numpy())))
        rows.append({"workload": f"Cox fit {n:,} x 10 (max |coef diff| {diff:.1e})", "events": n,
                     "anchor": "lifelines.CoxPHFitter", "anchor_s": a, "cxkit_s": c})
        T, E = df["T"].to_numpy(), df["E"].to_numpy()
        s = -(df.iloc[:, :10].to_numpy() @ np.linspace(-0.5, 0.5, 10))
        a = median_seconds(lambda: concordance_index(T, s, E), 1)
        c = median_seconds(lambda: cxkit.churn.metrics.concordance_index(T, s, E), args.repeat)
        rows.append({"workload": f"concordance index {n:,}", "events": n,
                     "anchor": "lifelines.utils.concordance_index", "anchor_s": a, "cxkit_s": c})

    n, p = args.logistic_rows, 50
    rng = np.random.default_rng(2)
    X = rng.normal(size=(n, p))
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ np.linspace(-1, 1, p) * 0.3 - 1)))).astype(int)
    sk = SkLogistic(C=1.0, tol=1e-8, max_iter=1000)
    a = median_seconds(lambda: sk.fit(X, y), max(1, min(args.repeat, 2)))
    ours = cxkit.churn.LogisticRegression(C=1.0, tol=1e-8, max_iter=1000, solver="lbfgs")
    Xf = np.asfortranarray(X)
    c = median_seconds(lambda: ours.fit(Xf, y), args.repeat)
    o_sk = logistic_objective(X, y, sk.coef_[0], sk.intercept_[0], 1.0)
    o_cx = logistic_objective(X, y, ours.coef_[0], ours.intercept_[0], 1.0)
    rows.append({"workload": f"logistic fit {n:,} x {p} (objective sk {o_sk:.6f} / cx {o_cx:.6f})", "events": n,
                 "anchor": "sklearn LogisticRegression(lbfgs)", "anchor_s": a, "cxkit_s": c})
    t0 = time.perf_counter()
    ours.predict_proba(X)
    dt = time.perf_counter() - t0
    print(f"scoring: {n / dt / 1e6:,.1f} M accounts/s ({p} features, predict_proba)")
    report("Churn models: reference vs cxkit (median seconds)", rows, args.json)


if __name__ == "__main__":
    main()
