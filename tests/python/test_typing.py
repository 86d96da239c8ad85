"""Typing: the examples pass `mypy --strict` against cxkit's annotations and the _core stubs, and run;
cxkit's own sources pass it too (`--strict --warn-unreachable`, every module).

For the examples mypy reads cxkit from the package directory this test imports (the dev stage
build/<dir>/python, or an installed wheel), so it checks what a user gets: py.typed, the .py
annotations and python/cxkit/_core.pyi for the C++ extension.
"""
from __future__ import annotations

import ast
import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cxkit
from cxkit import _core

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "python").glob("*.py"))
STAGE = Path(cxkit.__file__).parent.parent  # the directory holding the imported cxkit (unresolved)


def _env() -> dict[str, str]:
    """The environment of a child process that imports the same cxkit as this test."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(STAGE), *filter(None, [env.get("PYTHONPATH")])])
    return env


def test_package_ships_typing_markers():
    # A py.typed marker makes mypy use the package's annotations; the stub types the extension.
    # The dev stage symlinks both (re-configure after adding a .pyi); the wheel packs python/cxkit.
    staged = Path(cxkit.__file__).parent
    assert (staged / "py.typed").is_file()
    assert (staged / "_core.pyi").is_file(), f"{staged} lacks _core.pyi (re-run cmake -S . -B <build> to stage it)"


def _stub_names() -> tuple[set[str], dict[str, set[str]]]:
    tree = ast.parse((Path(cxkit.__file__).parent / "_core.pyi").read_text(encoding="utf-8"))
    top: set[str] = set()
    members: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            top.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            top.add(node.target.id)
        if isinstance(node, ast.ClassDef):
            members[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)} | {
                n.target.id for n in node.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
    return top, members


def test_stub_declares_every_public_name_of_the_extension():
    # The stub is generated from a build (pybind11-stubgen, see docs/python.md); this catches a
    # binding added or renamed since, which mypy would otherwise report as a missing attribute.
    top, members = _stub_names()
    runtime = {n for n in dir(_core) if not n.startswith("_")} | {"__version__"}
    declared = {n for n in top if not n.startswith("_") or n == "__version__"}
    assert sorted(runtime - declared) == [], "names of the extension missing from the stub"
    assert sorted(declared - runtime) == [], "the stub declares names the extension lacks"
    for name in sorted(runtime - {"__version__"}):
        obj = getattr(_core, name)
        if inspect.isclass(obj):
            public = {m for m in vars(obj) if not m.startswith("_")}
            assert sorted(public - members[name]) == [], f"_core.{name} members missing from the stub"
    metrics = {n for n in dir(_core.metrics) if not n.startswith("_")}
    assert sorted(metrics - members["_Metrics"]) == []


def test_examples_pass_mypy_strict():
    pytest.importorskip("mypy", reason="mypy is a development requirement (scripts/requirements.txt)")
    r = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "mypy.ini"), "--strict",
                        "--no-incremental", *map(str, EXAMPLES)],
                       cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"no issues found in {len(EXAMPLES)} source files" in r.stdout


PACKAGE = ROOT / "python" / "cxkit"


def test_package_sources_pass_mypy_strict():
    """cxkit's own modules pass `mypy --strict --warn-unreachable`, every one of them.

    mypy runs on the directory python/cxkit (as `python -m mypy python/cxkit` from the repository
    root, with mypy.ini), so it checks the sources in the tree against python/cxkit/_core.pyi,
    whichever cxkit this test imported. A gap in a third-party library's annotations is marked
    where it occurs (`# type: ignore[code]` with the reason), never by leaving a module out.
    """
    pytest.importorskip("mypy", reason="mypy is a development requirement (scripts/requirements.txt)")
    sources = sorted(PACKAGE.rglob("*.py")) + sorted(PACKAGE.rglob("*.pyi"))
    r = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "mypy.ini"), "--strict",
                        "--warn-unreachable", "--no-incremental", str(PACKAGE.relative_to(ROOT))],
                       cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr  # 1: type errors (listed), 2: mypy could not run
    assert f"no issues found in {len(sources)} source files" in r.stdout, r.stdout  # every module was checked


def test_mypy_rejects_a_misuse_of_the_api(tmp_path):
    # The check has teeth: types flow from cxkit (annotations and the extension stub) into user code.
    pytest.importorskip("mypy", reason="mypy is a development requirement (scripts/requirements.txt)")
    bad = tmp_path / "bad.py"
    bad.write_text("import cxkit\n"
                   "jm = cxkit.journey.discover(cxkit.EventLog(), threads='all')\n"
                   "cases: str = jm.n_cases\n"
                   "ok: float = cxkit._core.metrics.roc_auc_score(1, 2)\n")
    r = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(bad)],
                       cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=600)
    assert r.returncode == 1, r.stdout + r.stderr
    assert 'Argument "threads" to "discover" has incompatible type "str"; expected "int"' in r.stdout
    assert 'expression has type "int", variable has type "str"' in r.stdout
    assert 'Argument 1 to "roc_auc_score" of "_Metrics" has incompatible type "int"' in r.stdout


EXPECTED = {  # a line each example must print: the figure it exists to show
    "journeys.py": "where journeys end",
    "moments.py": "planted: ",
    "churn.py": "Kaplan-Meier: ",
    "feedback.py": "asked before?",
}


def test_every_pillar_has_an_example():
    assert sorted(p.name for p in EXAMPLES) == sorted(EXPECTED)
    for p in EXAMPLES:
        assert len(p.read_text(encoding="utf-8").splitlines()) < 60, f"{p.name} should stay under 60 lines"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(example):
    if example.name == "churn.py":
        pytest.importorskip("sklearn", reason="cxkit.churn needs scikit-learn")
    r = subprocess.run([sys.executable, str(example)], cwd=ROOT, env=_env(), capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr
    assert EXPECTED[example.name] in r.stdout, r.stdout
