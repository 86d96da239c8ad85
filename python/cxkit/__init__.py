"""cxkit: customer-success analytics — journeys, moments of truth, churn risk, feedback patterns.

The C++ core does the work (``cxkit._core``); this package gives it a pandas-first face.
"""
from types import ModuleType
from typing import TYPE_CHECKING

from cxkit import _core, feedback, journey, moments, simulate
from cxkit.calendar import Calendar
from cxkit.event_log import EventLog
from cxkit.io import read_csv, read_xes
from cxkit.table import Table

__version__: str = _core.__version__

if TYPE_CHECKING:  # type checkers see the real module; at run time __getattr__ imports it on first use
    from cxkit import churn


def __getattr__(name: str) -> ModuleType:  # lazy: cxkit.churn needs scikit-learn
    if name == "churn":
        import importlib
        return importlib.import_module("cxkit.churn")
    raise AttributeError(f"module 'cxkit' has no attribute {name!r}")


__all__ = ["Calendar", "EventLog", "Table", "read_csv", "read_xes", "churn", "feedback", "journey", "moments", "simulate", "__version__"]
