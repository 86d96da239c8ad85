"""matplotlib for the report's figures, headless; None when matplotlib is not installed."""
from __future__ import annotations

from typing import Any


def pyplot() -> Any:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    return plt
