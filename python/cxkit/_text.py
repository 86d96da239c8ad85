"""Python text on its way to C++, which takes UTF-8."""
from __future__ import annotations

from typing import Any


def utf8_text(value: Any) -> str:
    """``str(value)``, with lone surrogates repaired to U+FFFD as the C++ readers repair invalid UTF-8.

    Lone surrogates are what invalid bytes become when decoded with ``errors="surrogateescape"``
    (as ``os.fsdecode`` and some CSV readers do); they cannot be encoded as UTF-8, so pybind11
    would refuse the whole call. The bytes they stand for are decoded with replacement instead.
    Valid text is returned unchanged (one encode to check, no copy kept).
    """
    text = value if isinstance(value, str) else str(value)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:  # surrogateescape'd bytes: decode the original bytes with replacement
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # other lone surrogates (e.g. "\ud800")
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
