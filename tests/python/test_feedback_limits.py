"""Resource limits of cxkit.feedback (issue #9): max_vocabulary / max_ngram_features of TextIndex,
max_vocabulary of detect_themes, max_bucket_size of find_duplicates. Cuts by hand, always reported, and
adversarial corpora (200,000 texts of unique tokens; random bytes) within bounded memory, deterministic."""
from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

import cxkit

fb = cxkit.feedback


def test_text_index_vocabulary_cap_by_hand() -> None:
    # Raw words after tokenising: apple x3, banana x2, cherry x2, date x2. A cap of 2 keeps apple and,
    # of the three tied at 2, the byte-wise smallest (banana); "cherry date" and "date" lose every word.
    texts = ["apple apple apple banana", "banana cherry", "cherry date", "date"]
    idx = fb.TextIndex(texts, max_vocabulary=2)
    assert idx.pruning["words"] == 2 and idx.pruning["documents"] == 2
    assert idx.similar("date").empty
    assert idx.similar("banana")["index"].tolist()[0] == 1
    full = fb.TextIndex(texts)
    assert full.pruning == {"words": 0, "ngrams": 0, "documents": 0, "uncounted": 0}
    assert full.similar("date")["index"].tolist() == [3, 2]
    assert pickle.loads(pickle.dumps(idx)).pruning == idx.pruning
    assert idx != full  # same texts, different limits


def test_detect_themes_vocabulary_cap_reported() -> None:
    texts = ["alpha beta"] * 3 + ["alpha beta alpha alpha", "gamma delta", "gamma delta"]
    kw = dict(customer=None, time=None, language="en", max_df=1.0, min_size=2)
    capped = fb.detect_themes(pd.DataFrame({"text": texts}), max_vocabulary=2, **kw)
    assert (capped.info["vocabulary"], capped.info["pruned_terms"], capped.info["emptied_items"]) == (2, 2, 2)
    assert capped.assignments.tolist() == [0, 0, 0, 0, -1, -1]
    full = fb.detect_themes(pd.DataFrame({"text": texts}), **kw)
    assert full.info["pruned_terms"] == 0 and full.assignments.tolist() == [0, 0, 0, 0, 1, 1]


def test_find_duplicates_bucket_cap_keeps_a_template_group() -> None:
    # 30 shared words + 1 unique per text (Jaccard 30/32): a band is the template's own for (30/31)^13 = 65%
    # of the texts, so unlimited LSH proposes nearly all 179,700 pairs.
    common = " ".join(f"word{w}" for w in range(30))
    texts = [f"{common} n{i}" for i in range(600)]
    full = fb.find_duplicates(texts, threshold=0.8, remove_stop_words=False, stem=False, max_bucket_size=0)
    capped = fb.find_duplicates(texts, threshold=0.8, remove_stop_words=False, stem=False)
    assert full.candidate_pairs > 150_000 and full.oversized_buckets == 0
    assert capped.assignments.equals(full.assignments) and len(capped.groups) == 1
    assert capped.oversized_buckets > 0 and capped.skipped_pairs > 0
    assert capped.candidate_pairs < full.candidate_pairs / 10
    assert pickle.loads(pickle.dumps(capped)) == capped


_ADVERSARIAL = textwrap.dedent("""
    import json, random, resource, sys
    import pandas as pd
    import cxkit
    kind, n, words = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"
    if kind == "tokens":
        texts = [" ".join("".join(rng.choice(letters) for _ in range(8)) for _ in range(words)) for _ in range(n)]
    else:
        texts = [bytes(rng.randrange(256) for _ in range(64)).decode("utf-8", "replace") for _ in range(n)]
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = {}
    if kind == "tokens":
        idx = cxkit.feedback.TextIndex(texts)
        out["pruning"] = idx.pruning
        out["sizes"] = list(idx._core.vocabulary_sizes)
        out["hits"] = idx.similar(texts[123], k=3)["index"].tolist()
    else:
        r = cxkit.feedback.detect_themes(pd.DataFrame({"text": texts}), customer=None, time=None, min_df=1)
        out["info"] = {k: r.info[k] for k in ("vocabulary", "pruned_terms", "emptied_items")}
    out["added_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
    print(json.dumps(out))
""")


def _run(kind: str, n: int, words: int = 0) -> dict:
    res = subprocess.run([sys.executable, "-c", _ADVERSARIAL, kind, str(n), str(words)], capture_output=True,
                         text=True, check=True, timeout=900)
    return json.loads(res.stdout)


def test_two_hundred_thousand_texts_of_unique_tokens_hit_the_default_caps_with_bounded_memory() -> None:
    # 200,000 texts of 4 random 8-letter words: 800,000 distinct words and over 4 million distinct character
    # n-grams (5-grams mostly unique; 4-grams saturate at 26^4), so the n-gram counting table fills (max_counted_terms, 4,000,000) and the kept n-grams are cut
    # to max_ngram_features (1,000,000). Both are reported; what the build adds to the process stays far below
    # the ~1 KB per word occurrence the old per-occurrence n-gram strings cost.
    a = _run("tokens", 200_000, 4)
    words, ngrams = a["sizes"]
    print(a)
    assert 799_000 < words <= 800_000 and a["pruning"]["words"] == 0 and ngrams == 1_000_000
    assert a["pruning"]["ngrams"] == 3_000_000  # 4,000,000 counted, 1,000,000 kept
    assert a["pruning"]["uncounted"] > 0
    assert a["hits"][0] == 123  # a text still finds itself: its words are kept
    assert a["added_mb"] < 900, a


def test_random_bytes_themes_bounded() -> None:
    a = _run("bytes", 200_000)
    print(a)
    assert 0 < a["info"]["vocabulary"] <= 1_000_000 and a["info"]["pruned_terms"] == 0
    assert a["added_mb"] < 600, a
