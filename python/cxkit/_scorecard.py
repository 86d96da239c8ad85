"""Health scorecards (Gainsight / HubSpot / ChurnZero style) over a features DataFrame.

The scoring runs in C++ (``cxkit._core.Scorecard``); this module converts definitions (dict or
JSON) and DataFrames. Semantics and the JSON schema: docs/churn_scorecards.md.
"""
from __future__ import annotations

import html
import json
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from cxkit import _core
from cxkit._describe import FeatureDescriptions, feature_descriptions
from cxkit._time import check_state_version, state_damage, state_fields

__all__ = ["Scorecard"]

_STATE_VERSION = 1


class Scorecard:
    """A transparent 0-100 health score from weighted, grouped measures.

    Parameters
    ----------
    definition : dict, JSON text, or Scorecard
        ``{"name", "min_coverage", "bands": [{"name", "min", "max"}], "groups": [{"name",
        "weight", "measures": [{"name", "feature", "weight", "scheme"}]}]}`` (or a flat
        ``"measures"`` list instead of ``"groups"``). Validated at once: a bad field raises
        ``ValueError`` (C++ ``cxkit::InputError``) naming it, e.g. ``groups[0].measures[1].weight``.

    Examples
    --------
    >>> import pandas as pd, cxkit
    >>> card = cxkit.churn.Scorecard({"measures": [
    ...     {"name": "logins_30d", "weight": 3, "scheme": {"type": "linear", "lower": 0, "upper": 20}},
    ...     {"name": "open_p1_tickets", "scheme": {"type": "thresholds", "direction": "lower_is_better",
    ...      "steps": [{"bound": 0, "points": 100}, {"bound": 2, "points": 50}]}}]})
    >>> df = pd.DataFrame({"logins_30d": [10, 20], "open_p1_tickets": [1, 0]}, index=["acme", "globex"])
    >>> card.score(df)[["score", "band"]]
            score   band
    acme     50.0    red
    globex  100.0  green
    """

    def __init__(self, definition: Mapping[str, Any] | str | Scorecard) -> None:
        if isinstance(definition, Scorecard):
            text = definition.to_json()
        elif isinstance(definition, str):
            text = definition
        elif isinstance(definition, Mapping):
            text = json.dumps(definition)
        else:
            raise TypeError(f"a Scorecard is defined by a dict or JSON text, not {type(definition).__name__}")
        self._core = _core.Scorecard.from_json_text(text)

    # ---- definitions ----
    @classmethod
    def from_json(cls, text: str) -> Scorecard:
        """Read the JSON schema of docs/churn_scorecards.md."""
        return cls(str(text))

    @classmethod
    def from_dict(cls, definition: Mapping[str, Any]) -> Scorecard:
        return cls(definition)

    def to_json(self, indent: int | None = None) -> str:
        """The full definition (always with ``groups``); ``Scorecard.from_json(s.to_json()) == s``."""
        text = self._core.to_json_text()
        return text if indent is None else json.dumps(json.loads(text), indent=indent)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = json.loads(self._core.to_json_text())
        return out

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scorecard) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        name = self._core.name or "unnamed"
        return f"Scorecard({name!r}, {len(self.measures)} measures, bands {[b[0] for b in self._core.bands]})"

    def __getstate__(self) -> dict[str, Any]:
        return {"version": _STATE_VERSION, "definition": self._core.to_json_text()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        check_state_version(state, "Scorecard", _STATE_VERSION)
        text, = state_fields(state, "Scorecard", {"definition": str})
        with state_damage("Scorecard"):
            self._core = _core.Scorecard.from_json_text(text)

    def _repr_html_(self) -> str:
        w = self.weights.reset_index()
        bands = ", ".join(f"{b} {lo:g}-{hi:g}" for b, lo, hi in self._core.bands)
        return (f"<p><b>Scorecard {html.escape(self._core.name or 'unnamed')}</b>: {len(self.measures)} measures; "
                f"bands {html.escape(bands)}</p>" + w.to_html(index=False, float_format=lambda v: f"{v:.1f}"))

    @property
    def name(self) -> str:
        return self._core.name

    @property
    def measures(self) -> list[str]:
        return list(self._core.measures)

    @property
    def bands(self) -> pd.DataFrame:
        return pd.DataFrame(self._core.bands, columns=["band", "min", "max"])

    @property
    def weights(self) -> pd.DataFrame:
        """Each measure's group, input column and effective weight with every measure present (sum 100)."""
        return pd.DataFrame({"group": self._core.measure_groups, "feature": self._core.inputs,
                             "weight": np.asarray(self._core.full_weights)},
                            index=pd.Index(self.measures, name="measure"))

    def points(self, measure: str, value: float) -> float:
        """Points (0-100) the measure's scheme gives one value."""
        return float(self._core.points(self.measures.index(measure), float(value)))

    # ---- scoring ----
    def _values(self, df: pd.DataFrame) -> np.ndarray:
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"score() takes a DataFrame of features, not {type(df).__name__}")
        inputs = list(self._core.inputs)
        missing = sorted({c for c in inputs if c not in df.columns})
        if missing:
            raise KeyError(f"feature column(s) {missing} not in the DataFrame (a missing VALUE is NaN)")
        V = np.empty((len(df), len(inputs)), dtype=np.float64, order="F")
        for j, c in enumerate(inputs):
            col = df[c]
            try:
                V[:, j] = pd.to_numeric(col, errors="raise").to_numpy(dtype=np.float64, na_value=np.nan)
            except (TypeError, ValueError) as e:
                raise TypeError(f"feature column '{c}' is not numeric: {e}") from None
        return V

    @staticmethod
    def _previous(previous: Any, index: pd.Index) -> np.ndarray | None:
        if previous is None:
            return None
        if isinstance(previous, pd.DataFrame):
            if "score" not in previous.columns:
                raise KeyError("previous must be scores: a Series, an array, or a score() result with a 'score' column")
            previous = previous["score"]
        if isinstance(previous, pd.Series):
            return previous.reindex(index).to_numpy(dtype=np.float64, na_value=np.nan)
        p = np.asarray(previous, dtype=np.float64).reshape(-1)
        if p.shape[0] != len(index):
            raise ValueError(f"previous has {p.shape[0]} scores for {len(index)} accounts")
        return np.ascontiguousarray(p)

    def score(self, df: pd.DataFrame, previous: Any = None, details: bool = False) -> pd.DataFrame:
        """Score every row (account) of a features DataFrame.

        Parameters
        ----------
        df : DataFrame with one numeric column per measure input (NaN = missing measure).
        previous : the last scores, to report ``change``: a Series indexed by account (aligned
            on the index; accounts without one get NaN), an array in row order, or an earlier
            ``score()`` result.
        details : also return each measure's points and re-weighted weight.

        Returns
        -------
        DataFrame indexed like ``df``: ``score`` (NaN when no score: nothing present or coverage
        below ``min_coverage``), ``band`` (categorical, in band order), ``change``, ``coverage``
        (share of the full weight present), ``contribution_<measure>`` (points x weight / 100;
        the contributions sum to the score) and with ``details`` ``points_<measure>``,
        ``weight_<measure>``.
        """
        V = self._values(df)
        r = self._core.score(V, self._previous(previous, df.index))
        names = [b[0] for b in self._core.bands]
        band = pd.Categorical.from_codes(  # pandas-stubs 2.3 type the codes as Sequence[int]; pandas takes arrays
            np.asarray(r["band"], dtype=np.int64), categories=pd.Index(names), ordered=True)  # type: ignore[arg-type]
        out = pd.DataFrame({"score": np.asarray(r["score"]), "band": band, "change": np.asarray(r["change"]),
                            "coverage": np.asarray(r["coverage"])}, index=df.index)
        blocks = [("contribution", r["contribution"])]
        if details:
            blocks += [("points", r["points"]), ("weight", r["weight"])]
        extra = {f"{kind}_{m}": np.asarray(M)[:, j] for kind, M in blocks for j, m in enumerate(self.measures)}
        return pd.concat([out, pd.DataFrame(extra, index=df.index)], axis=1)

    def explain(self, df: pd.DataFrame, top: int = 3,
                descriptions: FeatureDescriptions | None = None) -> pd.DataFrame:
        """Each account's measures that cost it the most points, in words.

        A measure's cost is what it falls short of full marks: ``weight * (100 - points) / 100``
        score points (with the account's re-weighted weights). Measures at full marks and missing
        measures are not listed.

        Returns
        -------
        DataFrame with columns account, rank (1 = costliest), measure, feature, value, points,
        contribution (minus the points lost) and text, e.g. "3 open P1 tickets (-20 points)".
        The words come from ``descriptions`` (default :data:`cxkit.churn.feature_descriptions`),
        with the typical value taken as the median over ``df``.
        """
        if int(top) < 1:
            raise ValueError(f"top must be >= 1, got {top}")
        words = descriptions if descriptions is not None else feature_descriptions
        V = self._values(df)
        r = self._core.score(V, None)
        P, W = np.asarray(r["points"]), np.asarray(r["weight"])
        lost = np.where(np.isnan(P), 0.0, W * (100.0 - np.nan_to_num(P)) / 100.0)
        with warnings.catch_warnings():  # an all-missing column has no median: NaN, said as "unknown"
            warnings.simplefilter("ignore", RuntimeWarning)
            typical = np.nanmedian(V, axis=0) if len(df) else np.full(V.shape[1], np.nan)
        inputs = list(self._core.inputs)
        rows = []
        order = np.argsort(-lost, axis=1, kind="stable")  # ties: scorecard order
        for i, account in enumerate(df.index):
            rank = 0
            for j in order[i, : int(top)]:
                if not lost[i, j] > 0:
                    break
                rank += 1
                text = words.describe(inputs[j], V[i, j], typical[j])
                rows.append((account, rank, self.measures[j], inputs[j], V[i, j], P[i, j], -lost[i, j],
                             f"{text} (-{lost[i, j]:.1f}".rstrip("0").rstrip(".") + " points)"))
        return pd.DataFrame(rows, columns=["account", "rank", "measure", "feature", "value", "points", "contribution",
                                           "text"])
