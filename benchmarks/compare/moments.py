"""Moments-of-truth evaluation side by side: pandas/numpy and pm4py vs cxkit, one process.

Five moments on a business-hours calendar (America/New_York, Mon-Fri 09:00-17:00, US holidays)
over the simulated company (~180 events per account over 24 months; n_accounts scaled to reach
--sizes events):
  welcome       signed -> welcome sent, 24 business hours
  first reply   ticket opened -> first reply, per ticket, 4 h
  resolution    ticket opened -> resolved, per ticket, 40 h, paused by "pending", resumed by "agent update"
  closure       resolved -> closed, per ticket, 8 h
  NPS follow-up nps answered -> check-in, repeating, 24 h

Anchors:
  pandas  what a data scientist writes: pair triggers and fulfilments with groupby/merge (first
          fulfilment after the first trigger per key; merge_asof + drop_duplicates for the repeating
          moment), then business-hours elapsed with numpy.busday_count plus vectorised arithmetic on
          local times (partial first and last days), status against the target, open clocks up to
          as_of. Pauses are ignored (the usual shortcut).
  pm4py   pm4py.get_all_case_durations(business_hours=True) on the pandas-paired trigger/fulfilment
          events (each occurrence one case, local times, Mon-Fri 09:00-17:00 slots; pm4py has no
          holidays or time zones). Only the pm4py call is timed (the pairing it needs is not).
  cxkit   cxkit.moments.evaluate(log, moments) on an EventLog built from the same DataFrame (build
          time reported separately), 1 thread and all threads; the result is a DataFrame.
Check: on the fulfilled occurrences of moments without pauses, and on tickets that never paused
for resolution, pandas and cxkit must have the same occurrences, status and elapsed within 1 s.

Run:  PYTHONPATH=build/<dir>/python .venv/bin/python benchmarks/compare/moments.py [--sizes 1000000 10000000]
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

TZ = "America/New_York"
HOLIDAYS = ["2024-01-01", "2024-05-27", "2024-07-04", "2024-09-02", "2024-11-28", "2024-12-25",
            "2025-01-01", "2025-05-26", "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25",
            "2026-01-01", "2026-05-25", "2026-07-04", "2026-09-07", "2026-11-26", "2026-12-25"]
OPEN_H, CLOSE_H = 9, 17
# name, trigger, fulfil, target hours, keyed, repeat, pause, resume
SPECS = [("welcome", "signed", "welcome sent", 24, False, False, None, None),
         ("first reply", "ticket opened", "first reply", 4, True, False, None, None),
         ("resolution", "ticket opened", "resolved", 40, True, False, "pending", "agent update"),
         ("closure", "resolved", "closed", 8, True, False, None, None),
         ("NPS follow-up", "nps answered", "check-in", 24, False, True, None, None)]


def company_events(n_events: int) -> pd.DataFrame:
    accounts = max(50, int(n_events / 181))
    co = cxkit.simulate.company(n_accounts=accounts, seed=7)
    return co.events.to_pandas()[["case", "activity", "timestamp", "ticket"]]


def cxkit_moments() -> list:
    cal = cxkit.Calendar(TZ, holidays=HOLIDAYS)
    out = []
    for name, trig, ful, hours, keyed, repeat, pause, resume in SPECS:
        out.append(cxkit.moments.Moment(name, trigger=trig, fulfil=ful, within=f"{hours}h", calendar=cal,
                                        key="ticket" if keyed else None, repeat=repeat, pause_on=pause,
                                        resume_on=resume))
    return out


# ----------------------------------------------------------------------------- the pandas way
def business_seconds(start: pd.Series, end: pd.Series, holidays: np.ndarray) -> np.ndarray:
    """Business seconds between UTC instants on Mon-Fri OPEN_H-CLOSE_H local time, holidays off."""
    s = start.dt.tz_convert(TZ).dt.tz_localize(None).to_numpy()
    e = end.dt.tz_convert(TZ).dt.tz_localize(None).to_numpy()
    sd, ed = s.astype("datetime64[D]"), e.astype("datetime64[D]")
    op, cl = np.timedelta64(OPEN_H, "h"), np.timedelta64(CLOSE_H, "h")
    s_tod = np.clip(s - sd, op, cl)
    e_tod = np.clip(e - ed, op, cl)
    s_bus = np.is_busday(sd, holidays=holidays)
    e_bus = np.is_busday(ed, holidays=holidays)
    between = np.maximum(np.busday_count(sd + np.timedelta64(1, "D"), ed, holidays=holidays), 0)
    first = np.where(s_bus, cl - s_tod, np.timedelta64(0))
    last = np.where(e_bus, e_tod - op, np.timedelta64(0))
    span = np.where(sd == ed, np.where(s_bus, np.maximum(e_tod - s_tod, np.timedelta64(0)), np.timedelta64(0)),
                    first + last + between * (cl - op))
    return span.astype("timedelta64[us]").astype(np.int64) / 1e6


def pandas_pairs(df: pd.DataFrame) -> pd.DataFrame:
    """(moment, case, key, started, stopped) per occurrence, the pandas way."""
    out = []
    for name, trig, ful, _, keyed, repeat, _, _ in SPECS:
        keys = ["case", "ticket"] if keyed else ["case"]
        t = df.loc[df["activity"] == trig, [*keys, "timestamp"]]
        f = df.loc[df["activity"] == ful, [*keys, "timestamp"]]
        if keyed:
            t = t.dropna(subset=["ticket"])
            f = f.dropna(subset=["ticket"])
        if not repeat:
            first = t.groupby(keys, sort=False)["timestamp"].min().rename("started").reset_index()
            m = first.merge(f, on=keys, how="left")
            m = m[m["timestamp"].isna() | (m["timestamp"] >= m["started"])]
            stop = m.groupby(keys, sort=False)["timestamp"].min().rename("stopped").reset_index()
            pairs = first.merge(stop, on=keys, how="left")
        else:
            t = t.sort_values("timestamp").rename(columns={"timestamp": "started"})
            f = f.sort_values("timestamp").rename(columns={"timestamp": "stopped"})
            pairs = pd.merge_asof(t, f, left_on="started", right_on="stopped", by=keys, direction="forward")
            dup = pairs["stopped"].notna() & pairs.duplicated([*keys, "stopped"], keep="first")
            pairs = pairs[~dup]
        pairs["moment"] = name
        pairs["key"] = pairs["ticket"].astype(object) if keyed else ""
        out.append(pairs[["moment", "case", "key", "started", "stopped"]])
    return pd.concat(out, ignore_index=True)


def pandas_way(df: pd.DataFrame) -> pd.DataFrame:
    holidays = np.array(HOLIDAYS, dtype="datetime64[D]")
    as_of = df["timestamp"].max()
    p = pandas_pairs(df)
    end = p["stopped"].fillna(as_of)
    p["elapsed_s"] = business_seconds(p["started"], end, holidays)
    target = p["moment"].map({s[0]: s[3] * 3600.0 for s in SPECS})
    ok = p["elapsed_s"] <= target
    p["status"] = np.where(p["stopped"].notna(), np.where(ok, "met", "breached"), np.where(ok, "pending", "overdue"))
    return p


def pm4py_way(pairs: pd.DataFrame):
    import pm4py

    done = pairs[pairs["stopped"].notna()]
    n = len(done)
    ids = np.arange(n).astype(str)
    local = lambda s: s.dt.tz_convert(TZ).dt.tz_localize(None)  # noqa: E731
    ev = pd.DataFrame({"case:concept:name": np.concatenate([ids, ids]),
                       "concept:name": np.repeat(["trigger", "fulfil"], n),
                       "time:timestamp": pd.concat([local(done["started"]), local(done["stopped"])],
                                                   ignore_index=True)})
    slots = [(d * 86400 + OPEN_H * 3600, d * 86400 + CLOSE_H * 3600) for d in range(5)]
    return lambda: pm4py.get_all_case_durations(ev, business_hours=True, business_hour_slots=slots)


def check_agreement(ours: pd.DataFrame, ref: pd.DataFrame, df: pd.DataFrame) -> str:
    paused = df.loc[df["activity"] == "pending", ["case", "ticket"]].dropna().drop_duplicates()
    paused_keys = set(zip(paused["case"], paused["ticket"].astype(str)))

    def comparable(x: pd.DataFrame) -> pd.DataFrame:
        x = x[x["status"].isin(["met", "breached"])].copy()
        res = x["moment"] == "resolution"
        x = x[~res | ~pd.Series(list(zip(x["case"], x["key"].astype(str))), index=x.index).isin(paused_keys)]
        return x

    a = comparable(ours.assign(elapsed_s=ours["elapsed"].dt.total_seconds()))
    b = comparable(ref)
    keys = ["moment", "case", "key", "started"]
    j = a.merge(b, on=keys, how="outer", suffixes=("_cx", "_pd"), indicator=True)
    both = j[j["_merge"] == "both"]
    worst = float((both["elapsed_s_cx"] - both["elapsed_s_pd"]).abs().max()) if len(both) else 0.0
    same_status = bool((both["status_cx"] == both["status_pd"]).all())
    only = int((j["_merge"] != "both").sum())
    verdict = "AGREE" if only == 0 and worst <= 1.0 and same_status else "DIFFER"
    return (f"{verdict}: {len(a):,} fulfilled non-paused occurrences in cxkit, {len(b):,} in pandas, "
            f"{only} unmatched, max |elapsed difference| {worst:.3g} s, same status: {same_status}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sizes", type=int, nargs="*", default=[1_000_000, 10_000_000])
    ap.add_argument("--no-pm4py", action="store_true")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    moments = cxkit_moments()
    rows = []
    for n in args.sizes:
        t0 = time.perf_counter()
        df = company_events(n)
        sim_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        log = cxkit.EventLog.from_pandas(df, case="case", activity="activity", timestamp="timestamp",
                                         attributes={"ticket": "categorical"})
        build_s = time.perf_counter() - t0
        events = len(log)
        anchor_repeat = max(1, min(args.repeat, 2 if events <= 2_000_000 else 1))
        ref = pandas_way(df)
        a = median_seconds(lambda: pandas_way(df), anchor_repeat)
        c1 = median_seconds(lambda: cxkit.moments.evaluate(log, moments, threads=1), args.repeat)
        c = median_seconds(lambda: cxkit.moments.evaluate(log, moments), args.repeat)
        ours = cxkit.moments.evaluate(log, moments)
        label = f"{events / 1e6:g}M events"
        rows.append({"workload": f"5 moments, {label}, 1 thread", "events": events,
                     "anchor": "pandas groupby/merge + numpy.busday_count", "anchor_s": a, "cxkit_s": c1})
        rows.append({"workload": f"5 moments, {label}, all threads", "events": events,
                     "anchor": "pandas (as above)", "anchor_s": a, "cxkit_s": c})
        if not args.no_pm4py:
            fn = pm4py_way(ref)
            p = median_seconds(fn, 1)
            rows.append({"workload": f"business-hours durations, {label}, 1 thread", "events": events,
                         "anchor": "pm4py.get_all_case_durations(business_hours=True), pairing not timed",
                         "anchor_s": p, "cxkit_s": c1})
        print(f"{label}: simulated in {sim_s:.1f} s, EventLog.from_pandas {build_s:.2f} s, "
              f"{len(ours):,} occurrences; cxkit {events / c1 / 1e6:.1f} M events/s on one core; "
              f"{check_agreement(ours, ref, df)}", flush=True)
    report("Moments evaluation: pandas/numpy and pm4py vs cxkit (median seconds)", rows, args.json)


if __name__ == "__main__":
    main()
