"""Feedback text side by side: scikit-learn / datasketch vs cxkit on the same synthetic short texts, one process.

- Vectorising 100k and 1M short texts: sklearn TfidfVectorizer(sublinear_tf=True).fit_transform vs
  cxkit (tokenise with Unicode normalisation, stop words and Snowball stems, then TF-IDF; all cores)
- Near-duplicate grouping of 200k texts: datasketch MinHash.bulk + MinHashLSH (threshold 0.8, 128 perms)
  vs cxkit.feedback.find_duplicates (same threshold and num_perm), recall on the planted near copies.
  Like with like: datasketch hashes the raw whitespace words, so cxkit is run with
  remove_stop_words=False, stem=False (its sets are then the same lower-case words) and, in the headline
  row, the same LSH weights (0.5, 0.5) and so the same (b, r) = (9, 13): recall is then equal in
  expectation (1 - (1 - J^13)^9 averaged over the pairs) and differs only by sampling noise. A second row
  uses weights (0.2, 0.8): cxkit verifies every candidate exactly, so leaning to recall costs only
  verification time (datasketch returns its candidates unverified and would pay in false positives).
- Theme detection at 1M items: wall time, peak memory (resource.getrusage, run in a child process so the
  peak is the run's own) and purity against the planted topics

Run:  PYTHONPATH=build/dev/python .venv/bin/python benchmarks/compare/feedback.py [--sizes 100000 1000000]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import median_seconds, report  # noqa: E402

import numpy as np  # noqa: E402

import cxkit  # noqa: E402
from cxkit import _core  # noqa: E402

COMMON = ("please add dark mode the dashboard export csv fails with timeout login slow page report cannot open file "
          "error when saving settings user users invite team billing invoice missing wrong date format search "
          "results filter by account owner mobile app crashes after update notifications email too many integration "
          "salesforce slack sync broken api rate limit need bulk edit delete archive custom fields permissions admin "
          "role sso password reset link expired chart colors table sorting column width print pdf language "
          "translation time zone calendar reminder task due overdue template import duplicate contacts merge history "
          "audit log support ticket is a to and for it not").split()


def short_texts(n: int, near_copies: float = 0.0, seed: int = 1) -> tuple[list[str], list[tuple[int, int]]]:
    """6-14 words from 100 common words and 300 product terms; a `near_copies` share of items repeats an earlier
    item with one extra word (the planted near-duplicate pairs are returned too)."""
    rng = np.random.default_rng(seed)
    vocab = np.array(COMMON + [f"feature{i}" for i in range(300)])
    lengths = rng.integers(6, 15, size=n)
    words = rng.integers(0, len(vocab), size=int(lengths.sum()))
    copy = rng.random(n) < near_copies
    src = (rng.random(n) * np.maximum(np.arange(n), 1)).astype(np.int64)
    extra = rng.integers(0, len(vocab), size=n)
    out: list[str] = []
    pairs = []
    pos = 0
    for i in range(n):
        if copy[i] and i > 0:
            out.append(out[src[i]] + " " + vocab[extra[i]])
            pairs.append((int(src[i]), i))
        else:
            out.append(" ".join(vocab[words[pos:pos + lengths[i]]]))
        pos += lengths[i]
    return out, pairs


def vectorise_rows(sizes: list[int], repeat: int) -> list[dict]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    rows = []
    for n in sizes:
        texts, _ = short_texts(n)
        a = median_seconds(lambda: TfidfVectorizer(sublinear_tf=True).fit_transform(texts), max(1, min(repeat, 2)))
        c = median_seconds(lambda: _core.tfidf_csr(texts, "en", 0), repeat)
        rows.append({"workload": f"TF-IDF {n:,} short texts (language given)", "events": n,
                     "anchor": "sklearn TfidfVectorizer", "anchor_s": a, "cxkit_s": c})
        g = median_seconds(lambda: _core.tfidf_csr(texts, None, 0), 1)
        rows.append({"workload": f"TF-IDF {n:,} short texts (language guessed)", "events": n,
                     "anchor": "sklearn TfidfVectorizer", "anchor_s": a, "cxkit_s": g})
    return rows


def duplicates_rows(n: int, threshold: float, num_perm: int) -> list[dict]:
    from datasketch import MinHash, MinHashLSH

    texts, planted = short_texts(n, near_copies=0.2, seed=3)
    sets = [set(t.split()) for t in texts]
    truth = [(a, b) for a, b in planted if len(sets[a] & sets[b]) / len(sets[a] | sets[b]) >= threshold]

    found_ds: set[tuple[int, int]] = set()

    def run_datasketch() -> None:
        found_ds.clear()
        mhs = MinHash.bulk([[w.encode() for w in s] for s in sets], num_perm=num_perm)
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        with lsh.insertion_session() as session:
            for i, m in enumerate(mhs):
                session.insert(i, m)
        for i, m in enumerate(mhs):
            for j in lsh.query(m):
                if j > i:
                    found_ds.add((i, j))

    t0 = time.perf_counter()
    run_datasketch()
    a = time.perf_counter() - t0
    result = {}
    rec_ds = np.mean([(a_, b_) in found_ds for a_, b_ in truth])
    rows = []
    for weights in ((0.5, 0.5), (0.2, 0.8)):
        def run_cxkit(weights: tuple[float, float] = weights) -> None:
            result["r"] = cxkit.feedback.find_duplicates(texts, threshold=threshold, num_perm=num_perm, language="en",
                                                         remove_stop_words=False, stem=False, weights=weights)

        c = median_seconds(run_cxkit, 2)
        g = result["r"].assignments.to_numpy()
        rec_cx = np.mean([g[a_] >= 0 and g[a_] == g[b_] for a_, b_ in truth])
        print(f"near-duplicates {n:,}: {len(truth):,} planted pairs with word-set Jaccard >= {threshold}; recall "
              f"datasketch (LSH candidates, weights (0.5, 0.5)) {rec_ds:.4f}, cxkit (verified groups, weights "
              f"{weights}) {rec_cx:.4f}")
        rows.append({"workload": f"near-duplicates {n:,} cx weights {weights} (recall ds {rec_ds:.3f} / cx {rec_cx:.3f})",
                     "events": n, "anchor": "datasketch MinHash.bulk + MinHashLSH", "anchor_s": a, "cxkit_s": c})
    return rows


THEMES_CHILD = r"""
import gc, json, resource, sys, time
import numpy as np
sys.path.insert(0, sys.argv[2])
from feedback import themed_texts
import cxkit
from cxkit import _core
def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1])
n = int(sys.argv[1])
texts, truth = themed_texts(n)
gc.collect()
try:  # reset the peak (VmHWM) so it measures detect_themes, not the text generation before it
    open("/proc/self/clear_refs", "w").write("5")
except OSError:
    pass
base = status("VmRSS:")
t0 = time.perf_counter()
raw = _core.detect_themes(texts, None, 0.3, 0.3, 0.05, 200, 3, 20000, 4, 2, 0.5, 3, 1, 0, "en")
dt = time.perf_counter() - t0
peak = max(status("VmHWM:"), base)
a = np.asarray(raw["assignment"])
m = a >= 0
pur = 0
for t in np.unique(a[m]):
    pur += np.bincount(truth[a == t] + 1).max()
topical = truth >= 0
print(json.dumps({"seconds": dt, "base_kb": base, "peak_kb": peak, "themes": len(raw["themes"]),
                  "rounds": raw["rounds"], "assigned": float(m.mean()), "purity": float(pur / max(m.sum(), 1)),
                  "topical_recall": float((m & topical).sum() / topical.sum()),
                  "labels": [t[1] for t in raw["themes"][:8]]}))
"""


def themed_texts(n: int, topics: int = 40, seed: int = 7) -> tuple[list[str], np.ndarray]:
    """Short feedback: 85% about one of `topics` topics (a 2-word key phrase, its second word one of three
    variants, plus 3-8 Zipf-distributed filler words), 15% filler only."""
    rng = np.random.default_rng(seed)
    vocab = np.array(COMMON + [f"word{i}" for i in range(2000)])
    truth = np.where(rng.random(n) < 0.85, rng.integers(0, topics, size=n), -1)
    lengths = rng.integers(3, 9, size=n)
    zipf = 1.0 / (np.arange(len(vocab)) + 10.0)  # filler words follow a Zipf-like law, as words do
    fill = rng.choice(len(vocab), size=int(lengths.sum()), p=zipf / zipf.sum())
    syn = rng.integers(0, 3, size=n)
    out, pos = [], 0
    for i in range(n):
        words = " ".join(vocab[fill[pos:pos + lengths[i]]])
        pos += lengths[i]
        t = truth[i]
        out.append(f"topic{t}a topic{t}b{syn[i]} {words}" if t >= 0 else words)
    return out, truth


def themes_row(n: int) -> dict:
    here = str(Path(__file__).resolve().parent)
    proc = subprocess.run([sys.executable, "-c", THEMES_CHILD, str(n), here], capture_output=True, text=True,
                          check=True)
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    extra_mb = (r["peak_kb"] - r["base_kb"]) / 1024
    print(f"themes {n:,}: {r['seconds']:.1f} s, {r['themes']} themes in {r['rounds']} rounds, assigned "
          f"{r['assigned']:.3f}, purity {r['purity']:.3f}, topical recall {r['topical_recall']:.3f}; peak RSS "
          f"{r['peak_kb'] / 1024:,.0f} MB (before the call {r['base_kb'] / 1024:,.0f} MB, detect_themes +{extra_mb:,.0f} MB"
          f" = {extra_mb * 1024 * 1024 / n:,.0f} bytes/item)")
    print(f"  labels: {r['labels']}")
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    ap.add_argument("--dup-size", type=int, default=200_000)
    ap.add_argument("--theme-size", type=int, default=1_000_000)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    rows = vectorise_rows(args.sizes, args.repeat)
    if args.dup_size:
        rows += duplicates_rows(args.dup_size, 0.8, 128)
    if rows:
        report("Feedback text: reference vs cxkit (median seconds)", rows, args.json)
    if args.theme_size:
        themes_row(args.theme_size)


if __name__ == "__main__":
    main()
