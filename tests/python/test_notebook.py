"""examples/notebooks/tour.ipynb runs headless, top to bottom, without an error, and draws its figures.

The kernel is this interpreter (a kernelspec written to a temporary directory points at
sys.executable) and imports the same cxkit as the tests (its package directory is put first on the
kernel's PYTHONPATH), so the notebook is checked against the build under test, not an installed copy.
"""
from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

import cxkit  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "notebooks" / "tour.ipynb"
GENERATOR = ROOT / "scripts" / "make_tour_notebook.py"
CELL_TIMEOUT_S = 60


def _kernel_manager(tmp: pathlib.Path):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    spec_dir = tmp / "kernels" / "cxkit-test"
    spec_dir.mkdir(parents=True)
    # not resolve(): a build stages the package as symlinks to python/cxkit/*.py next to the fresh _core
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(cxkit.__file__)))
    inherited = [os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    path = os.pathsep.join([package_parent, *inherited])
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "cxkit test kernel", "language": "python",
        "env": {"PYTHONPATH": path, "MPLBACKEND": "module://matplotlib_inline.backend_inline"},
    }), encoding="utf-8")
    ksm = KernelSpecManager(kernel_dirs=[str(tmp / "kernels")])
    return KernelManager(kernel_name="cxkit-test", kernel_spec_manager=ksm)


def test_notebook_is_generated_from_its_script_with_outputs_cleared() -> None:
    r = subprocess.run([sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_tour_notebook_executes_without_error_and_draws_figures(tmp_path: pathlib.Path) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, km=_kernel_manager(tmp_path), timeout=CELL_TIMEOUT_S,
                                     allow_errors=False, resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError naming the cell on any exception

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, errors
    # an exception caught and printed (e.g. inside a display hook) still counts as a failure
    stderr = "".join(o.get("text", "") for o in outputs if o.output_type == "stream" and o.name == "stderr")
    assert "Traceback" not in stderr, stderr
    pngs = [o for o in outputs if o.output_type in ("display_data", "execute_result") and "image/png" in o.get("data", {})]
    assert len(pngs) >= 4, f"expected at least 4 figures, got {len(pngs)}"
    # the kernel imported the cxkit under test
    version_cell = next(c for c in nb.cells if c.cell_type == "code" and "cxkit.__version__" in c.source)
    printed = "".join(o.get("text", "") for o in version_cell.outputs if o.output_type == "stream")
    assert f"cxkit {cxkit.__version__}" in printed
