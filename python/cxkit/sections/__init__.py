"""The report's sections, one module per pillar. Each ``build(inputs, cfg, report, earlier)`` adds
its section to the report and returns a :class:`SectionResult`: the tables written as CSV beside
the page and the lines printed in the terminal summary. ``earlier`` holds the results of the
sections already built, by label (churn uses the moments' clocks)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["SectionResult"]


@dataclass
class SectionResult:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    data: dict[str, object] = field(default_factory=dict)  # objects other sections may use
