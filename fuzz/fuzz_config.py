"""libFuzzer target (through atheris) for the report configuration: cxkit.report_config.loads_config.

Two ways in, chosen by the first byte: the raw bytes as a config file, or (structure-aware, since
random bytes rarely stay valid JSON) one of the seed configs in fuzz/corpus/config with a few
values replaced, deleted or added at fuzzer-chosen key paths. Exactly two outcomes are allowed: a completed configuration, or a ConfigError (whose
message names the source). Anything else (a KeyError, a TypeError from pandas, a C++ error that
escaped a definition reader) is a finding. An accepted configuration must also survive its own
round trip: dumping it to JSON and reading it again gives the same configuration.

    .venv/bin/python fuzz/fuzz_config.py -max_total_time=60 build/fuzz-corpus/config fuzz/corpus/config

scripts/fuzz runs it with the C++ targets (PYTHONPATH must point at a built package).
"""
import json
import pathlib
import sys
from typing import Any

import atheris

with atheris.instrument_imports(include=["cxkit.report_config", "cxkit.report_config_check"]):
    import cxkit.report_config_check  # noqa: F401  (imported lazily by loads_config; instrument it too)
    from cxkit.report_config import DEFAULTS, ConfigError, loads_config


SEEDS = pathlib.Path(__file__).resolve().parent / "corpus" / "config"
BASES = []
for path in sorted(SEEDS.glob("*.json")):
    try:
        base = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        continue
    if isinstance(base, dict):
        BASES.append(base)


def _slots(node: Any, out: list) -> list:
    """Every (container, key) in a JSON tree, containers first."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        out.append((node, key))
        _slots(child, out)
    return out


def _value(fdp: atheris.FuzzedDataProvider) -> Any:
    kind = fdp.ConsumeIntInRange(0, 9)
    if kind == 0:
        return None
    if kind == 1:
        return fdp.ConsumeBool()
    if kind == 2:
        return fdp.ConsumeIntInRange(-(2**63), 2**63)
    if kind == 3:
        return fdp.ConsumeFloat()  # may be NaN or inf: json.dumps writes NaN, which must be refused
    if kind == 4:
        return [_value(fdp) for _ in range(fdp.ConsumeIntInRange(0, 3))]
    if kind == 5:
        return {fdp.ConsumeUnicodeNoSurrogates(8): _value(fdp) for _ in range(fdp.ConsumeIntInRange(0, 3))}
    if kind == 6:  # strings that look like what configs hold
        return fdp.PickValueInList(["30D", "-1D", "0D", "4h", "P1D", "2025-06-30", "not a date", "", "mon",
                                    "09:00", "25:00", "Europe/Berlin", "Mars/Olympus", "raise", "skip",
                                    "numeric", "categorical", "churned", "\x00", "\ud800"])
    return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 24))


def _structured(fdp: atheris.FuzzedDataProvider) -> bytes:
    cfg = json.loads(json.dumps(fdp.PickValueInList(BASES)))
    for _ in range(fdp.ConsumeIntInRange(1, 4)):
        slots = _slots(cfg, [])
        if not slots:
            break
        node, key = slots[fdp.ConsumeIntInRange(0, len(slots) - 1)]
        op = fdp.ConsumeIntInRange(0, 3)
        if op == 0 and isinstance(node, dict):
            del node[key]
        elif op == 1 and isinstance(node, dict):
            node[fdp.ConsumeUnicodeNoSurrogates(12)] = _value(fdp)
        else:
            node[key] = _value(fdp)
    return json.dumps(cfg).encode("utf-8", "surrogatepass")


def test_one_input(data: bytes) -> None:
    if BASES and data[:1] and data[0] % 4 != 0:
        data = _structured(atheris.FuzzedDataProvider(data[1:]))
    try:
        cfg = loads_config(data, "fuzz.json")
    except ConfigError as e:
        if not str(e).startswith("fuzz.json: "):
            raise AssertionError(f"ConfigError without its source: {e}") from None
        return
    if cfg.pop("$source") != "fuzz.json" or not set(DEFAULTS) <= set(cfg):
        raise AssertionError("accepted configuration lacks its sections")
    again = loads_config(json.dumps(cfg), "fuzz.json")
    again.pop("$source")
    if again != cfg:
        raise AssertionError("configuration changed in its own round trip")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
