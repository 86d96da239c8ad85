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
from cxkit._time import check_state_version
from cxkit._themes import ThemeCounts, ThemeResult, detect_themes, theme_nps  # noqa: F401  (themes API)

__all__ = ["DuplicateResult", "TextIndex", "ThemeCounts", "ThemeResult", "detect_themes", "find_duplicates",
           "guess_language", "normalize", "theme_nps", "tokenize"]


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

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DuplicateResult):
            return NotImplemented
        return (self.assignments.equals(other.assignments) and self.groups == other.groups
                and (self.candidate_pairs, self.verified_pairs) == (other.candidate_pairs, other.verified_pairs))

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "group": self.assignments.tolist(), "groups": self.groups,
                "candidates": self.candidate_pairs, "verified": self.verified_pairs}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "DuplicateResult")
        self.__init__(state["group"], state["groups"], state["candidates"], state["verified"])  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"DuplicateResult({len(self.groups)} groups, {self.verified_pairs} verified pairs)"


def find_duplicates(texts: Iterable[str], threshold: float = 0.8, num_perm: int = 128, shingle_size: int = 1,
                    language: str | None = None, remove_stop_words: bool = True, stem: bool = True,
                    weights: tuple[float, float] = (0.5, 0.5)) -> DuplicateResult:
    """Groups of near-duplicates: MinHash signatures, LSH banding chosen from ``threshold`` (Jaccard of the
    token sets), exact verification of every candidate pair, union of verified pairs.

    Texts are tokenised as :func:`tokenize` does; ``remove_stop_words=False, stem=False`` keeps every
    normalised word, so the sets are the lower-cased words of the text (what a plain ``text.split()``
    MinHash sees, minus punctuation). ``weights`` = (false-positive, false-negative) weights of the LSH
    band/row choice, as datasketch's ``MinHashLSH(weights=...)``; since every candidate is verified exactly,
    leaning to recall (e.g. ``(0.2, 0.8)``) costs only verification time, never precision.

    Examples
    --------
    >>> import cxkit
    >>> r = cxkit.feedback.find_duplicates(["add dark mode", "Add dark mode!", "export fails"], threshold=0.9)
    >>> r.assignments.tolist()
    [0, 0, -1]
    """
    g, groups, cand, ver = _core.find_duplicates([str(t) for t in texts], float(threshold), int(num_perm),
                                                 int(shingle_size), language, bool(remove_stop_words), bool(stem),
                                                 float(weights[0]), float(weights[1]))
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
        self._texts = [str(t) for t in texts]  # kept for pickling and equality (the C++ index does not expose them)
        self._core = _core.TextIndex(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def __eq__(self, other: object) -> bool:
        """Indexes of the same texts in the same order (so every query answers the same)."""
        return isinstance(other, TextIndex) and self._texts == other._texts

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "texts": self._texts}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "TextIndex")
        self.__init__(state["texts"])  # type: ignore[misc]  # rebuilt: O(total text length)

    def similar(self, query: str, k: int = 10) -> pd.DataFrame:
        """The ``k`` most similar texts, best first: columns ``index`` and ``score``."""
        hits: Any = self._core.similar(str(query), int(k))
        return pd.DataFrame(hits, columns=["index", "score"]).astype({"index": "int64", "score": "float64"})
