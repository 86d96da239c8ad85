"""The docs quote example files verbatim (scripts/sync_doc_examples); a stale quote fails here."""
from __future__ import annotations

import importlib.machinery
import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _sync_module():
    loader = importlib.machinery.SourceFileLoader("sync_doc_examples", str(ROOT / "scripts" / "sync_doc_examples"))
    spec = importlib.util.spec_from_loader("sync_doc_examples", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


DOCS = sorted((ROOT / "docs").glob("*.md"))


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_quoted_examples_match_their_files(doc: pathlib.Path) -> None:
    text = doc.read_text(encoding="utf-8")
    assert _sync_module().sync(text) == text, f"{doc.name} quotes a stale example: run scripts/sync_doc_examples"


def test_cpp_guide_quotes_every_example_program() -> None:
    text = (ROOT / "docs" / "cpp.md").read_text(encoding="utf-8")
    for program in sorted((ROOT / "examples" / "cpp").glob("*.cpp")):
        assert f"<!-- example: examples/cpp/{program.name} -->" in text, program.name
