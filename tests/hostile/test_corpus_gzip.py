"""gzip bombs: decompression is capped by output size, memory stays small (issue 22)."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from pathlib import Path

from searchidx.config import ReadSettings
from searchidx.corpus.readers import read_file
from searchidx.corpus.readers.html import gunzip

LIMIT = 1_000_000


def _bomb(expanded: int) -> bytes:
    """A gzip file of `expanded` zero bytes, written in pieces (~1000:1)."""
    pack = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    parts = [pack.compress(block) for _ in range(expanded // len(block))]
    return b"".join(parts) + pack.flush()


def test_a_gzip_bomb_is_reported_too_large_after_decompression(tmp_path: Path) -> None:
    bomb = _bomb(64 << 20)
    assert len(bomb) < 100_000
    (tmp_path / "bomb.html.gz").write_bytes(bomb)
    tracemalloc.start()
    try:
        result = read_file(tmp_path / "bomb.html.gz", tmp_path, ReadSettings(max_file_bytes=LIMIT))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not result.articles
    (problem,) = result.problems
    assert problem.skipped and "too large after decompression" in problem.reason
    assert peak < 8 * LIMIT  # the 64 MB it would expand to were never held


def test_gunzip_reads_every_member_and_stops_at_the_limit() -> None:
    two = gzip.compress(b"<html>one ") + gzip.compress(b"two</html>")
    assert gunzip(two, 100) == b"<html>one two</html>"
    assert gunzip(two, 19) is None  # one byte over
    assert gunzip(gzip.compress(b"x" * 500), 500) == b"x" * 500
