"""Feedback text: normalisation, multilingual tokenisation, language guess, near-duplicates, retrieval.

Themes, trends and alerts build on these (see docs/feedback_text.md for every normalisation rule:
NFKC + case folding, Persian/Arabic letter unification, ZWNJ removed inside words, digits of every
script folded, Snowball stemming where Snowball has the language).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from cxkit import _core
from cxkit._progress import ProgressArg, reporter
from cxkit._text import utf8_text
from cxkit._time import check_state_version, state_damage, state_fields
from cxkit._themes import ThemeCounts, ThemeResult, detect_themes, theme_nps  # noqa: F401  (themes API)

__all__ = ["DuplicateResult", "TextIndex", "ThemeCounts", "ThemeResult", "detect_themes", "find_duplicates",
           "guess_language", "normalize", "theme_nps", "tokenize"]


def normalize(text: str) -> str:
    """NFKC, case folding, letter unification, digit folding. Lone surrogates (invalid bytes decoded
    with ``errors="surrogateescape"``) become U+FFFD, as invalid UTF-8 does in C++.

    Examples
    --------
    >>> import cxkit
    >>> cxkit.feedback.normalize("Straße ١٢٣")
    'strasse 123'
    """
    return str(_core.normalize_text(utf8_text(text))[0])


def tokenize(text: str, language: str | None = None, remove_stop_words: bool = True, stem: bool = True) -> list[str]:
    """Tokens for matching: normalised words, stop words dropped, Snowball-stemmed.

    ``language`` is a code (``"en"``, ``"ru"``, ``"pt"``, ``"es"``, ``"de"``, ``"fr"``, ``"fa"``, ...);
    guessed per text when omitted.

    Examples
    --------
    >>> import cxkit
    >>> cxkit.feedback.tokenize("Please add a dark mode", language="en")
    ['add', 'dark', 'mode']
    """
    return list(_core.tokenize(utf8_text(text), language, bool(remove_stop_words), bool(stem)))


def guess_language(texts: str | Iterable[str]) -> str | list[str]:
    """ISO 639-1 code per text (``"unknown"`` when unsure)."""
    if isinstance(texts, str):
        return str(_core.guess_languages([utf8_text(texts)])[0])
    return list(_core.guess_languages([utf8_text(t) for t in texts]))


class DuplicateResult:
    """Near-duplicate groups: ``groups`` (lists of positions), ``assignments`` (group id per text, -1 alone).

    ``oversized_buckets`` counts LSH band buckets larger than ``max_bucket_size`` (over all bands) and
    ``skipped_pairs`` the pairs they did not propose (summed over bands); both 0 unless the limit was hit.
    """

    def __init__(self, group: list[int], groups: list[list[int]], candidates: int, verified: int,
                 oversized_buckets: int = 0, skipped_pairs: int = 0) -> None:
        self.assignments = pd.Series(group, name="group", dtype="int64")
        self.groups = [list(g) for g in groups]
        self.candidate_pairs = int(candidates)
        self.verified_pairs = int(verified)
        self.oversized_buckets = int(oversized_buckets)
        self.skipped_pairs = int(skipped_pairs)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DuplicateResult):
            return NotImplemented
        return (self.assignments.equals(other.assignments) and self.groups == other.groups
                and (self.candidate_pairs, self.verified_pairs, self.oversized_buckets, self.skipped_pairs)
                == (other.candidate_pairs, other.verified_pairs, other.oversized_buckets, other.skipped_pairs))

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "group": self.assignments.tolist(), "groups": self.groups,
                "candidates": self.candidate_pairs, "verified": self.verified_pairs,
                "oversized_buckets": self.oversized_buckets, "skipped_pairs": self.skipped_pairs}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "DuplicateResult")
        fields = state_fields(state, "DuplicateResult",
                              {"group": list, "groups": list, "candidates": (int, np.integer),
                               "verified": (int, np.integer), "oversized_buckets": (int, np.integer),
                               "skipped_pairs": (int, np.integer)},
                              defaults={"oversized_buckets": 0, "skipped_pairs": 0})  # older pickles lack both
        with state_damage("DuplicateResult"):  # e.g. a group that is not a list of positions
            self.__init__(*fields)  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"DuplicateResult({len(self.groups)} groups, {self.verified_pairs} verified pairs)"


def find_duplicates(texts: Iterable[str], threshold: float = 0.8, num_perm: int = 128, shingle_size: int = 1,
                    language: str | None = None, remove_stop_words: bool = True, stem: bool = True,
                    weights: tuple[float, float] = (0.5, 0.5), *, max_bucket_size: int = 100,
                    progress: ProgressArg = None) -> DuplicateResult:
    """Groups of near-duplicates: MinHash signatures, LSH banding chosen from ``threshold`` (Jaccard of the
    token sets), exact verification of every candidate pair, union of verified pairs.

    Texts are tokenised as :func:`tokenize` does; ``remove_stop_words=False, stem=False`` keeps every
    normalised word, so the sets are the lower-cased words of the text (what a plain ``text.split()``
    MinHash sees, minus punctuation). ``weights`` = (false-positive, false-negative) weights of the LSH
    band/row choice, as datasketch's ``MinHashLSH(weights=...)``; since every candidate is verified exactly,
    leaning to recall (e.g. ``(0.2, 0.8)``) costs only verification time, never precision.

    ``max_bucket_size`` is a resource limit: an LSH bucket of more distinct texts (many texts sharing a band,
    e.g. a template with a varying number) proposes only each member with the bucket's first and next member
    instead of every pair, so candidates stay linear in the corpus; ``0`` = no limit. The result reports how
    often it applied. ``progress``: True shows a tqdm bar, a callable gets ``f(done, total)`` (4 units per
    text: shingling, signatures, bands, verification); Ctrl-C interrupts either way (KeyboardInterrupt),
    and an exception from the callable propagates.

    Examples
    --------
    >>> import cxkit
    >>> r = cxkit.feedback.find_duplicates(["add dark mode", "Add dark mode!", "export fails"], threshold=0.9)
    >>> r.assignments.tolist()
    [0, 0, -1]
    """
    texts = [utf8_text(t) for t in texts]
    with reporter(progress, "near-duplicates") as callback:
        g, groups, cand, ver, oversized, skipped = _core.find_duplicates(
            texts, float(threshold), int(num_perm), int(shingle_size), language, bool(remove_stop_words), bool(stem),
            float(weights[0]), float(weights[1]), int(max_bucket_size), callback)
    return DuplicateResult(g, groups, cand, ver, oversized, skipped)


class TextIndex:
    """"Has this been asked before?": TF-IDF cosine retrieval over a collection of texts.

    Words and character 3-5-grams of the words are both indexed. ``max_vocabulary`` and ``max_ngram_features``
    are resource limits (0 = none): the most frequent word terms / n-gram features are kept (ties by term), and
    :attr:`pruning` says how many were dropped. ``max_counted_terms`` bounds the counting pass itself (distinct
    words, and distinct n-grams, counted; terms first seen once a table is full are not counted and never kept,
    reported as ``pruning["uncounted"]`` occurrences), so hostile input cannot exhaust memory. ``progress`` (True, a callable ``f(done, total)`` over 2 units
    per text, or None) reports the build; Ctrl-C interrupts it.

    Examples
    --------
    >>> import cxkit
    >>> idx = cxkit.feedback.TextIndex(["add dark mode", "export to excel", "dark theme please"])
    >>> idx.similar("dark mode", k=2)["index"].tolist()[0]
    0
    """

    def __init__(self, texts: Iterable[str], *, max_vocabulary: int = 1_000_000, max_ngram_features: int = 1_000_000,
                 max_counted_terms: int = 4_000_000, progress: ProgressArg = None) -> None:
        self._texts = [utf8_text(t) for t in texts]  # kept for pickling and equality (the C++ index does not expose them)
        self._limits = (int(max_vocabulary), int(max_ngram_features), int(max_counted_terms))
        with reporter(progress, "indexing texts") as callback:
            self._core = _core.TextIndex(self._texts, *self._limits, callback)

    @property
    def pruning(self) -> dict[str, int]:
        """What the limits dropped: ``words``, ``ngrams`` (terms), ``documents`` (texts left with no word) and
        ``uncounted`` (word and n-gram occurrences refused by ``max_counted_terms``)."""
        words, ngrams, documents, uncounted = self._core.pruning
        return {"words": int(words), "ngrams": int(ngrams), "documents": int(documents), "uncounted": int(uncounted)}

    def __len__(self) -> int:
        return len(self._texts)

    def __eq__(self, other: object) -> bool:
        """Indexes of the same texts in the same order (so every query answers the same)."""
        return isinstance(other, TextIndex) and self._texts == other._texts and self._limits == other._limits

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "texts": self._texts, "limits": list(self._limits)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "TextIndex")
        texts, limits = state_fields(state, "TextIndex", {"texts": list, "limits": (list, tuple)},
                                     defaults={"limits": (1_000_000, 1_000_000, 4_000_000)})  # older pickles
        with state_damage("TextIndex"):  # e.g. a negative limit (the C++ constructor's TypeError)
            self.__init__(texts, max_vocabulary=limits[0],  # type: ignore[misc]  # rebuilt: O(total length)
                          max_ngram_features=limits[1], max_counted_terms=limits[2])

    def similar(self, query: str, k: int = 10) -> pd.DataFrame:
        """The ``k`` most similar texts, best first: columns ``index`` and ``score``."""
        hits: Any = self._core.similar(str(query), int(k))
        return pd.DataFrame(hits, columns=["index", "score"]).astype({"index": "int64", "score": "float64"})
