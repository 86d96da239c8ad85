import os
from pathlib import Path

import pytest

SHARED_DATA = Path(os.environ.get("CXKIT_SHARED_DATA", Path(__file__).resolve().parents[2] / ".." / "shared" / "data")).resolve()


def shared_file(*parts: str) -> Path:
    """A file under ../shared/data, or skip the test with the reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data file {path} is not present (the real-data checks need ../shared/data)")
    return path
