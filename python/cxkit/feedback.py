"""Feedback text: normalisation, multilingual tokenisation, language guess, near-duplicates, retrieval.

Themes, trends and alerts build on these (see docs/feedback_text.md for every normalisation rule:
NFKC + case folding, Persian/Arabic letter unification, ZWNJ removed inside words, digits of every
script folded, Snowball stemming where Snowball has the language).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from cxkit import _core

__all__ = ["DuplicateResult", "TextIndex", "find_duplicates", "guess_language", "normalize", "tokenize"]


def normalize(text: str) -> str:
    """NFKC, case folding, letter unification, digit folding. Invalid UTF-8 never reaches here from Python
    strings; bytes are decoded with replacement first.

    Examples
    --------
    >>> import cxkit
    >>> cxkit.feedback.normalize("Straße ١٢٣")
    'strasse 123'
    """
    return str(_core.normalize_text(text)[0])


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
    return list(_core.tokenize(text, language, bool(remove_stop_words), bool(stem)))


def guess_language(texts: str | Iterable[str]) -> str | list[str]:
    """ISO 639-1 code per text (``"unknown"`` when unsure)."""
    if isinstance(texts, str):
        return str(_core.guess_languages([texts])[0])
    return list(_core.guess_languages(list(texts)))


class DuplicateResult:
    """Near-duplicate groups: ``groups`` (lists of positions), ``assignments`` (group id per text, -1 alone)."""

    def __init__(self, group: list[int], groups: list[list[int]], candidates: int, verified: int) -> None:
        self.assignments = pd.Series(group, name="group", dtype="int64")
        self.groups = [list(g) for g in groups]
        self.candidate_pairs = int(candidates)
        self.verified_pairs = int(verified)

    def __repr__(self) -> str:
        return f"DuplicateResult({len(self.groups)} groups, {self.verified_pairs} verified pairs)"


def find_duplicates(texts: Iterable[str], threshold: float = 0.8, num_perm: int = 128, shingle_size: int = 1,
                    language: str | None = None) -> DuplicateResult:
    """Groups of near-duplicates: MinHash signatures, LSH banding chosen from ``threshold`` (Jaccard of the
    token sets), exact verification of every candidate pair, union of verified pairs."""
    g, groups, cand, ver = _core.find_duplicates([str(t) for t in texts], float(threshold), int(num_perm),
                                                 int(shingle_size), language)
    return DuplicateResult(g, groups, cand, ver)


class TextIndex:
    """"Has this been asked before?": TF-IDF cosine retrieval over a collection of texts.

    Examples
    --------
    >>> import cxkit
    >>> idx = cxkit.feedback.TextIndex(["add dark mode", "export to excel", "dark theme please"])
    >>> idx.similar("dark mode", k=2)["index"].tolist()[0]
    0
    """

    def __init__(self, texts: Iterable[str]) -> None:
        self._core = _core.TextIndex([str(t) for t in texts])

    def similar(self, query: str, k: int = 10) -> pd.DataFrame:
        """The ``k`` most similar texts, best first: columns ``index`` and ``score``."""
        hits: Any = self._core.similar(str(query), int(k))
        return pd.DataFrame(hits, columns=["index", "score"]).astype({"index": "int64", "score": "float64"})
