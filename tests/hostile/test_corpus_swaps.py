"""A file swapped for a FIFO or a /dev/zero link between the walk and the read (issue 22)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile.conftest import run_python

READ = """
from pathlib import Path
from searchidx.config import ReadSettings
from searchidx.corpus.walk import walk
from searchidx.rebuild.workers import read_one
root = Path({root!r})
(source,) = list(walk(root))
{swap}
print(read_one((str(source.path), str(root), None, ReadSettings())))
"""
SWAPS = {
    "fifo": "source.path.unlink(); __import__('os').mkfifo(source.path)",
    "dev-zero": "source.path.unlink(); source.path.symlink_to('/dev/zero')",
}


@pytest.mark.parametrize("swap", sorted(SWAPS))
def test_a_swapped_file_is_refused_not_read_forever(tmp_path: Path, swap: str) -> None:
    if swap == "dev-zero" and not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero on this system")
    (tmp_path / "a.txt").write_text("---\ntitle: A\n---\nHarbour.\n", encoding="utf-8")
    done = run_python(READ.format(root=str(tmp_path), swap=SWAPS[swap]), timeout=30)
    assert done.returncode == 0, done.stderr
    assert "not a regular file" in done.stdout, done.stdout


def test_the_reader_refuses_a_device_it_is_handed(tmp_path: Path) -> None:
    from searchidx.corpus.regular import open_regular

    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(OSError, match="not a regular file"):
        open_regular(tmp_path / "pipe.txt")
