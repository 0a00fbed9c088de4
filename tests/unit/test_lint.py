"""Style regressions fail `make test`: ruff over every package (mypy stays in `make check`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# the ruff installed with the dev extras, beside this interpreter (not whatever is on PATH)
RUFF = Path(sys.executable).parent / "ruff"


def test_ruff_finds_nothing() -> None:
    assert RUFF.exists(), f"{RUFF} is missing: install the dev extras (make install-dev)"
    done = subprocess.run(
        [str(RUFF), "check", "--no-cache", "searchidx", "tui", "tests", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
