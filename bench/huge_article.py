"""Corpus files under the size limit holding one enormous article (issue 22, item 13).

Writes FOLDER/huge.jsonl (a short record, then one record of about MB megabytes of made-up
words, opening with "oil") and, with --html, FOLDER/huge.html (the same size of paragraphs).
Measured by hand (figures in docs/security.md):
    PYTHONPATH=$PWD .venv/bin/python -m bench.huge_article /tmp/big 19
    /usr/bin/time -v .venv/bin/searchidx rebuild /tmp/big --index /tmp/big-idx --no-entities \
        --jobs 1 -q
    /usr/bin/time -v .venv/bin/searchidx query oil --index /tmp/big-idx
"""

from __future__ import annotations

import json
import random
import string
import sys
from pathlib import Path


def words(size: int, seed: int = 1) -> str:
    """About `size` characters of made-up words (20,000 distinct ones)."""
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9))) for _ in range(20_000)
    ]
    return " ".join(rng.choices(vocabulary, k=size // 7))


def main(folder: Path, megabytes: float, html: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    size = int(megabytes * 1024 * 1024)
    small = {"title": "Small", "text": "Oil prices rose today."}
    huge = {"title": "Huge", "text": "oil " + words(size) + " refinery"}
    (folder / "huge.jsonl").write_text(json.dumps(small) + "\n" + json.dumps(huge) + "\n")
    if html:
        text = words(size, seed=2).split(" ")
        paragraphs = (" ".join(text[i : i + 80]) for i in range(0, len(text), 80))
        body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
        (folder / "huge.html").write_text(
            "<html><head><title>Huge page</title></head><body><article><h1>Huge page</h1>"
            f"<p>oil at the start</p>\n{body}</article></body></html>"
        )


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: python -m bench.huge_article FOLDER MEGABYTES [--html]")
    main(Path(sys.argv[1]), float(sys.argv[2]), "--html" in sys.argv[3:])
