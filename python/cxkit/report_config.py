"""The JSON configuration of ``python -m cxkit report``: reading, defaults and validation.

Every key is documented in docs/cli.md and shown in cxkit.json.example. Unknown keys are errors
(a typo must not silently switch a feature off); ``"$comment"`` keys are allowed anywhere and
ignored. Errors are :class:`ConfigError` (a ValueError) naming the file and the key path, e.g.
``cxkit.json: moments[1].within: ...``.
"""
from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping
from typing import Any

__all__ = ["ConfigError", "DEFAULTS", "load_config", "loads_config"]


class ConfigError(ValueError):
    """A bad configuration value; the message names the file and the key path."""


# The full shape with defaults. A value of None means "optional, no default"; nested dicts are
# sections whose keys are checked; lists and free-form definitions (moments, design, scorecard,
# notifications) are checked by their own classes when used.
DEFAULTS: dict[str, Any] = {
    "title": "cxkit customer-success report",
    "events": {
        "case": "case", "activity": "activity", "timestamp": "timestamp",
        "timestamp_format": None, "sep": None, "on_bad_row": "raise",
        "attributes": {},  # column -> numeric | categorical | text | timestamp (others inferred)
    },
    "accounts": {
        "key": "account",
        # canonical name -> column in the file; canonical names the report understands:
        "columns": {},  # arr, tier, segment, seats, signup, churned, churn_date, renewal_date, owner
    },
    "feedback": {"customer": "customer", "time": "time", "text": "text", "id": None, "type": None},
    "surveys": {"nps_activity": "nps answered", "score": "score"},  # where NPS answers are in the events
    "calendars": {},  # name -> {"timezone", "working_hours": {"mon": [["09:00","17:00"]], ...}, "holidays"}
    "journey": {
        "onboarding": [],       # activities that make up onboarding (the map is drawn on these)
        "absorbing": [],        # outcome activities for the Markov chain, e.g. ["churned"]
        "funnel": {"steps": [], "within": "120D"},
        "design": None,         # JourneyDesign JSON
        "playbook": None,       # Playbook JSON (scheduled from accounts.signup)
    },
    "moments": [],              # Moment JSON objects; "calendar" may name a calendar above
    "moment_calendar_by": None,  # {"column": accounts column, "calendars": {value: calendar name}}
    "notifications": None,      # NotificationPolicy JSON
    "churn": {"as_of": None, "horizon": "90D", "windows": ["7D", "30D", "90D"], "backtest_folds": 3,
              "renewal_within": "90D"},
    "scorecard": None,          # Scorecard JSON
    "themes": {"min_customers": 5, "window": "30D", "threshold": None, "exclude_types": []},
}

_FREE_FORM = {"attributes", "columns", "calendars", "design", "playbook", "notifications", "scorecard",
              "moment_calendar_by"}


def _merge(defaults: Any, given: Any, path: str, source: str) -> Any:
    if isinstance(defaults, dict) and defaults is not None and path.split(".")[-1] not in _FREE_FORM:
        if not isinstance(given, Mapping):
            raise ConfigError(f"{source}: {path or '<top>'}: expected an object, got {type(given).__name__}")
        out = copy.deepcopy(defaults)
        for key, value in given.items():
            if key == "$comment":
                continue
            if key not in defaults:
                where = f"{path}.{key}" if path else key
                raise ConfigError(f"{source}: {where}: unknown key; allowed: {sorted(defaults)}")
            sub = f"{path}.{key}" if path else key
            out[key] = _merge(defaults[key], value, sub, source)
        return out
    return _strip_comments(given)


def _strip_comments(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _strip_comments(v) for k, v in value.items() if k != "$comment"}
    if isinstance(value, list):
        return [_strip_comments(v) for v in value]
    return value


def load_config(config: str | os.PathLike[str] | Mapping[str, Any] | None) -> dict[str, Any]:
    """The configuration with defaults filled in, every value checked.

    ``config`` is a path to a JSON file, an already-parsed mapping, or None (all defaults).
    Raises ConfigError for an unreadable file, invalid JSON, unknown keys, wrongly typed values
    and definitions (calendars, moments, design, playbook, notifications, scorecard) that do not
    parse: all before any data is read (see :mod:`cxkit.report_config_check`).
    """
    if config is None:
        return copy.deepcopy(DEFAULTS)
    if isinstance(config, Mapping):
        return _complete(config, "config")
    source = os.fspath(config)
    try:
        with open(source, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise ConfigError(f"{source}: no such file") from None
    except OSError as e:
        raise ConfigError(f"{source}: cannot read: {e.strerror}") from None
    return loads_config(data, source)


def loads_config(text: str | bytes, source: str = "config") -> dict[str, Any]:
    """As :func:`load_config`, from JSON text (bytes must be UTF-8); ``source`` names it in errors."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ConfigError(f"{source}: byte {e.start}: not UTF-8 (0x{text[e.start]:02x})") from None
    try:
        given = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        raise ConfigError(f"{source}: line {e.lineno}, column {e.colno}: invalid JSON: {e.msg}") from None
    except ValueError as e:  # NaN / Infinity, refused by _reject_constant
        raise ConfigError(f"{source}: invalid JSON: {e}") from None
    except RecursionError:
        raise ConfigError(f"{source}: invalid JSON: nested too deeply") from None
    return _complete(given, source)


def _reject_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity; JSON does not, and no config value may be either.
    raise ValueError(f"{name} is not a JSON number")


def _complete(given: Any, source: str) -> dict[str, Any]:
    from cxkit.report_config_check import check_config

    cfg: dict[str, Any] = _merge(DEFAULTS, given, "", source)
    if not isinstance(cfg["moments"], list):
        raise ConfigError(f"{source}: moments: expected a list of Moment definitions")
    for i, m in enumerate(cfg["moments"]):
        if not isinstance(m, Mapping):
            raise ConfigError(f"{source}: moments[{i}]: expected an object")
    if cfg["events"]["on_bad_row"] not in ("raise", "skip"):
        raise ConfigError(f"{source}: events.on_bad_row: must be 'raise' or 'skip', "
                          f"not {cfg['events']['on_bad_row']!r}")
    check_config(cfg, source)
    cfg["$source"] = source
    return cfg


def config_error(cfg: Mapping[str, Any], path: str, error: Exception | str) -> ConfigError:
    """Wraps an error raised while building a definition found at ``path`` in the config (or says
    what is wrong there)."""
    return ConfigError(f"{cfg.get('$source', 'config')}: {path}: {error}")
