"""Plain-words descriptions of feature values, for explanations ("logins down 45% over 30 days").

A :class:`FeatureDescriptions` registry maps feature-name patterns (regular expressions matched
against the whole name) to formatters. The first rule whose pattern matches describes the value;
rules registered by the user are tried before the built-in ones, and a generic fallback
("support_tickets is high (12 vs typical 4.1)") describes anything else. The built-in rules
follow the naming conventions of :func:`cxkit.churn.build_features` (docs/churn_features.md) and
common hand-made names; see docs/churn_models.md, "Explanations in words".
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import NamedTuple

__all__ = ["FeatureDescriptions", "feature_descriptions"]

#: A formatter gets the pattern's match (named groups), the account's value and the reference
#: (typical, e.g. the training mean) value, and returns the words.
Formatter = Callable[[re.Match[str], float, float], str]

_UNITS = {"d": "day", "w": "week", "h": "hour", "m": "month", "y": "year"}


def _num(x: float) -> str:
    """A number as people write it: integers without decimals, others with up to 3 significant digits."""
    if not math.isfinite(x):
        return str(x)
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def _g(m: re.Match[str], key: str) -> str | None:
    """A named group of the match, None if the pattern has no such group or it did not take part."""
    return m.groupdict().get(key)


def _req(m: re.Match[str], key: str) -> str:
    """A named group the rule's pattern always fills (a group outside any optional part)."""
    value = _g(m, key)
    if value is None:
        raise LookupError(f"pattern {m.re.pattern!r} did not capture the group {key!r}")
    return value


def _words(name: str) -> str:
    return name.replace("_", " ").strip()


def _plural(word: str, count: float) -> str:
    return word if count == 1 else (word if word.endswith("s") else word + "s")


def _noun(stem: str, count: float) -> str:
    """'login' -> 'logins' for a one-word stem; longer phrases ('features used') stay as they are."""
    words = _words(stem)
    return _plural(words, count) if " " not in words else words


def _priority(p: str | None) -> str:
    """'p1' -> 'P1 ', 'urgent' -> 'urgent ', None -> ''."""
    if not p:
        return ""
    return (p.upper() if re.fullmatch(r"p\d+", p) else _words(p)) + " "


def _window(n: str, unit: str) -> str:
    u = _UNITS.get(unit.lower(), unit)
    return f"{n} {_plural(u, float(n))}"


def _change(what: str, change: float, n: str | None, unit: str | None) -> str:
    """`change` is relative (-0.45 = down 45%)."""
    span = f" over {_window(n, unit)}" if n and unit else ""
    if change == 0:
        return f"{what} unchanged{span}"
    return f"{what} {'up' if change > 0 else 'down'} {abs(change) * 100:.0f}%{span}"


def _log_trend(m: re.Match[str], v: float, ref: float) -> str:
    """build_features' trend: log((1 + now) / (1 + before)) between consecutive windows."""
    return _change(_noun(_req(m, "what"), 2), math.expm1(v), _g(m, "n"), _g(m, "unit"))


def _pct_change(m: re.Match[str], v: float, ref: float) -> str:
    return _change(_words(_req(m, "what")), v, _g(m, "n"), _g(m, "unit"))


def _abs_change(m: re.Match[str], v: float, ref: float) -> str:
    what, n, unit = _words(_req(m, "what")), _g(m, "n"), _g(m, "unit")
    span = f" over {_window(n, unit)}" if n and unit else ""
    if v == 0:
        return f"{what} unchanged{span}"
    return f"{what} {'up' if v > 0 else 'down'} {_num(abs(v))}{span}"


def _arr(m: re.Match[str], v: float, ref: float) -> str:
    return f"ARR {_num(v)} (typical {_num(ref)})"


def _nps_flag(m: re.Match[str], v: float, ref: float) -> str:
    kind = _g(m, "kind")
    return f"last NPS answer {'was' if v == 1 else 'was not'} a {kind} ({ref * 100:.0f}% of accounts)"


def _ratio_trend(m: re.Match[str], v: float, ref: float) -> str:
    return _change(_words(_req(m, "what")), v - 1.0, _g(m, "n"), _g(m, "unit"))


def _count_window(m: re.Match[str], v: float, ref: float) -> str:
    return f"{_num(v)} {_noun(_req(m, 'what'), v)} in the last {_window(_req(m, 'n'), _req(m, 'unit'))} (typical {_num(ref)})"


def _open_tickets(m: re.Match[str], v: float, ref: float) -> str:
    return f"{_num(v)} open {_plural('ticket', v)}"


def _tickets_window(m: re.Match[str], v: float, ref: float) -> str:
    span = f" in the last {_window(_req(m, 'n'), _req(m, 'unit'))}" if _g(m, "n") else ""
    return f"{_num(v)} {_priority(_g(m, 'prio'))}{_plural('ticket', v)}{span} (typical {_num(ref)})"


def _renewal(m: re.Match[str], v: float, ref: float) -> str:
    return f"renewal in {_num(v)} {_plural('day', v)}" if v >= 0 else f"renewal {_num(-v)} days overdue"


def _tenure(m: re.Match[str], v: float, ref: float) -> str:
    if _g(m, "unit") in ("months", "month"):
        return f"customer for {_num(v)} {_plural('month', v)}"
    return f"customer for {_num(v)} {_plural('day', v)}"


def _nps(m: re.Match[str], v: float, ref: float) -> str:
    kind = "detractor" if v <= 6 else ("passive" if v <= 8 else "promoter")
    return f"last NPS answer {_num(v)} ({kind})"


def _share(m: re.Match[str], v: float, ref: float) -> str:
    stem = _g(m, "what") or ""
    what = "of licensed seats active" if stem in ("seat", "seats") else _words(stem)
    return f"{v * 100:.0f}% {what} (typical {ref * 100:.0f}%)"


def _breaches(m: re.Match[str], v: float, ref: float) -> str:
    stem = _g(m, "what")
    what = _words(stem) if stem else "SLA"
    span = f" in the last {_window(_req(m, 'n'), _req(m, 'unit'))}" if _g(m, 'n') else ""
    return f"{_num(v)} {what} {_plural('breach', v) if v == 1 else 'breaches'}{span} (typical {_num(ref)})"


def _fallback(name: str, v: float, ref: float) -> str:
    words = _words(name)
    if v in (0.0, 1.0) and 0.0 <= ref <= 1.0:
        return f"{words}: {'yes' if v == 1.0 else 'no'} ({ref * 100:.0f}% of accounts: yes)"
    if v == ref:
        return f"{words} is typical ({_num(v)})"
    return f"{words} is {'high' if v > ref else 'low'} ({_num(v)} vs typical {_num(ref)})"


def _prio_any(m: re.Match[str], v: float, ref: float) -> str:
    prio = _priority(_g(m, "prio") or _g(m, "prio2") or _g(m, "prio3"))
    return f"{_num(v)} open {prio}{_plural('ticket', v)}"


def _since_any(m: re.Match[str], v: float, ref: float) -> str:
    what = _g(m, "what") or _g(m, "what2")
    what = {"nps": "NPS answer"}.get(what or "", _words(what) if what else "activity")
    return f"last {what} {_num(v)} {_plural('day', v)} ago (typical {_num(ref)})"


_W = r"(?P<n>\d+)(?P<unit>[dwhmy])"  # a window suffix: 7d, 30d, 4w, ...

_DEFAULT_RULES: list[tuple[str, Formatter]] = [
    # build_features' trend between consecutive windows: log((1 + now) / (1 + before)).
    (rf"(?P<what>.+?)_trend_{_W}", _log_trend),
    (rf"(?P<what>.+?)_{_W}_trend", _log_trend),
    # Relative change as a fraction (-0.45 = down 45%), ratio now / before, absolute change.
    (rf"(?P<what>.+?)_(?:pct_change|growth)_{_W}", _pct_change),
    (rf"(?P<what>.+?)_ratio_{_W}", _ratio_trend),
    (rf"(?P<what>.+?)_change_{_W}", _abs_change),
    (r"open_(?P<prio>p\d+)_tickets|tickets_open_(?P<prio2>\w+)|open_tickets_(?P<prio3>\w+)", _prio_any),
    (r"open_tickets|tickets_open", _open_tickets),
    (rf"tickets(?:_{_W})?", _tickets_window),
    (rf"tickets_(?P<prio>[a-z0-9]+)(?:_{_W})?", _tickets_window),
    (r"days_since_(?:last_)?(?P<what>.+)|(?P<what2>.+)_recency_days|recency_days", _since_any),
    (r"days_(?:to|until)_renewal", _renewal),
    (r"tenure(?:_(?P<unit>days|months))?", _tenure),
    (r"(?:last_nps|nps_last|nps)(?:_score)?", _nps),
    (r"nps_(?P<kind>detractor|promoter)", _nps_flag),
    (r"arr(?:_usd)?", _arr),
    (r"(?P<what>seats?|seat)_(?:utili[sz]ation|active_share|active_ratio)", _share),
    (r"(?P<what>.+?)_(?:share|ratio|rate|utili[sz]ation)", _share),
    (rf"(?:(?P<what>.+?)_)?breach(?:es)?(?:_{_W})?", _breaches),
    (rf"(?P<what>.+?)_(?:count_)?{_W}", _count_window),
]



class _Rule(NamedTuple):
    pattern: re.Pattern[str]
    formatter: Formatter


class FeatureDescriptions:
    """A pluggable registry: feature-name pattern -> formatter of (match, value, reference).

    Parameters
    ----------
    defaults : bool
        Start with the built-in rules (window counts, trends, open tickets, recency, renewal,
        tenure, NPS, shares, breaches) behind any rule you register.

    Examples
    --------
    >>> import math
    >>> d = FeatureDescriptions()
    >>> d.describe("logins_trend_30d", math.log(0.55), 0.0)  # build_features: log((1 + now) / (1 + before))
    'logins down 45% over 30 days'
    >>> d.describe("open_p1_tickets", 3, 0.2)
    '3 open P1 tickets'
    >>> d.register(r"mrr_usd", lambda m, v, ref: f"MRR ${v:,.0f}")
    >>> d.describe("mrr_usd", 1250.0, 900.0)
    'MRR $1,250'
    >>> d.describe("widgets", 12, 4.1)
    'widgets is high (12 vs typical 4.1)'
    """

    def __init__(self, defaults: bool = True) -> None:
        self._user: list[_Rule] = []
        self._defaults = [_Rule(re.compile(p), f) for p, f in _DEFAULT_RULES] if defaults else []

    def register(self, pattern: str, formatter: Formatter) -> None:
        """Add a rule, tried before every earlier one (the latest registration wins).

        ``pattern`` must match the WHOLE feature name (``re.fullmatch``); its named groups reach
        the formatter through the match. ``formatter(match, value, reference) -> str``.
        """
        if not callable(formatter):
            raise TypeError("formatter must be callable: (match, value, reference) -> str")
        self._user.insert(0, _Rule(re.compile(pattern), formatter))

    def describe(self, feature: str, value: float, reference: float) -> str:
        """Words for one feature value; the reference is the typical value (training mean)."""
        value, reference = float(value), float(reference)
        if math.isnan(value):
            return f"{_words(feature)} unknown"
        for rule in (*self._user, *self._defaults):
            m = rule.pattern.fullmatch(feature)
            if m is not None:
                return str(rule.formatter(m, value, reference))
        return _fallback(feature, value, reference)


#: The registry explanations use unless given another one; register project-wide rules here.
feature_descriptions = FeatureDescriptions()
