"""No-op rebuild benchmark: Reuters-21578 laid out as one file per story, rebuilt twice.

Usage: .venv/bin/python bench/rebuild_noop.py [--keep DIR]
Writes every <REUTERS> story of ../shared/corpora/reuters21578 as a front-matter .txt file in a
temporary folder, builds the index once (--no-entities), then times `searchidx rebuild` with
nothing changed (the whole command, Python start included) and prints the figures.
"""

from __future__ import annotations

import argparse
import html
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REUTERS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "reuters21578"
STORY = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)
FIELD = {name: re.compile(rf"<{name}>(.*?)</{name}>", re.S) for name in ("TITLE", "BODY", "DATE")}


def _field(name: str, story: str) -> str:
    match = FIELD[name].search(story)
    return html.unescape(match.group(1)).strip() if match else ""


def lay_out(target: Path) -> int:
    count = 0
    for sgm in sorted(REUTERS.glob("reut2-*.sgm")):
        text = sgm.read_bytes().decode("latin-1")
        for newid, story in STORY.findall(text):
            title = _field("TITLE", story).replace("\n", " ") or f"Reuters story {newid}"
            body = _field("BODY", story) or title
            day = _field("DATE", story).split()[0] if _field("DATE", story) else ""
            folder = target / f"{int(newid) // 1000:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{newid}.txt").write_text(
                f"---\ntitle: {title!r}\noutlet: Reuters\ndate: {day}\n---\n{body}\n",
                encoding="utf-8",
            )
            count += 1
    return count


def run(corpus: Path, index: Path) -> float:
    command = [
        sys.executable,
        "-m",
        "searchidx",
        "rebuild",
        str(corpus),
        "--index",
        str(index),
        "--no-entities",
        "--quiet",
    ]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    took = time.perf_counter() - started
    if result.returncode not in (0, 1):
        sys.exit(f"rebuild failed ({result.returncode}): {result.stderr.strip()}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="lay the corpus out here and keep it")
    args = parser.parse_args()
    if not REUTERS.is_dir():
        sys.exit(f"{REUTERS} not found")
    with tempfile.TemporaryDirectory() as scratch:
        base = args.keep or Path(scratch)
        corpus, index = base / "reuters-files", base / "index"
        if not corpus.is_dir():
            print(f"files written: {lay_out(corpus):,}", flush=True)
        print(f"first rebuild (--no-entities): {run(corpus, index):.1f} s", flush=True)
        times = [run(corpus, index) for _ in range(3)]
        print(
            "no-op rebuild: "
            + ", ".join(f"{t:.2f} s" for t in times)
            + f" (best {min(times):.2f} s)"
        )


if __name__ == "__main__":
    main()
