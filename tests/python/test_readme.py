"""The README's Python quick start runs as written."""
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_python_quick_start_runs(capsys):
    text = README.read_text()
    block = re.search(r"## Quick start \(Python\)\s+```python\n(.*?)```", text, re.S)
    assert block, "the README has a Python quick start"
    exec(compile(block.group(1), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "0 days 02:00:00" in out
