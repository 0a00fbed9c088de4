"""Corpus files under the size limit holding one enormous article (issue 22, item 13).

Writes FOLDER/huge.jsonl (a short record, then one record of about MB megabytes of made-up
words, opening with "oil") and, with --html, FOLDER/huge.html (the same size of paragraphs).
Measured by hand (figures in docs/security.md):
    PYTHONPATH=$PWD .venv/bin/python -m bench.huge_article /tmp/big 19
    /usr/bin/time -v .venv/bin/searchidx rebuild /tmp/big --index /tmp/big-idx --no-entities \
        --jobs 1 -q
    /usr/bin/time -v .venv/bin/searchidx query oil --index /tmp/big-idx
    PYTHONPATH=$PWD .venv/bin/python -m bench.huge_article /tmp/big 19 --steps
--steps times each stage on the huge record's text in a fresh process of its own (peak RSS of
that process, so the interpreter's own ~60-90 MB is in every figure).
"""

from __future__ import annotations

import json
import random
import string
import subprocess
import sys
from pathlib import Path

# Each stage on the huge record as the reader gives it (`load()`), in a fresh interpreter.
STAGES = {
    "read_file (reader, caps)": "load()",
    "engine segment (analysis, postings, stored)": (
        "write_engine().prepare_scratch(scratch); huge = load(); mark()\n"
        "write_engine().write_segment(scratch, [IndexDocument(huge)])"
    ),
    "story signature + lead terms": (
        "huge = load(); mark(); signature(huge.body); lead_terms(huge.body)"
    ),
    "snippets of the body for 'oil' (two hits)": (
        "huge = load(); highlight = highlight_for(engine, compile_query(engine, 'oil')); mark()\n"
        "[make_snippets(huge.body, highlight) for _ in range(2)]"
    ),
}
_PRELUDE = """
import resource, shutil, sys, time
from pathlib import Path
from searchidx.corpus.readers import read_file
from searchidx.index.engines import open_index, write_engine
from searchidx.index.writing import IndexDocument
from searchidx.search.searching import compile_query
from searchidx.search.snippets import highlight_for, make_snippets
from searchidx.stories.text import lead_terms, signature
folder = Path(sys.argv[1])
scratch = Path(sys.argv[2] + '-scratch')
shutil.rmtree(scratch, ignore_errors=True)
scratch.mkdir()
engine = open_index(Path(sys.argv[2]))
def peak(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
def load(): return read_file(folder / 'huge.jsonl', folder).articles[-1]
def mark():
    global base, started
    base, started = peak(), time.perf_counter()
mark()
"""


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


def steps(folder: Path) -> None:
    """Time and peak memory of each stage, each in a process of its own."""
    folder = folder.absolute()
    index = folder.parent / f"{folder.name}-steps-index"
    small = folder.parent / f"{folder.name}-steps-small"
    small.mkdir(exist_ok=True)
    (small / "a.txt").write_text("Oil\n\nOil rose.\n")
    cli = [sys.executable, "-c", "from searchidx.cli import main; main()"]
    rebuild = [*cli, "rebuild", str(small), "--index", str(index), "--no-entities", "-q"]
    # run outside the tree: `python -c` puts the current folder first on the path
    subprocess.run(rebuild, check=True, cwd=folder.parent)
    for name, stage in STAGES.items():
        code = (
            f"{_PRELUDE}\n{stage}\nprint(f'{{time.perf_counter() - started:.2f}} s, peak"
            " {peak()} MB (before the stage: {base} MB)')"
        )
        done = subprocess.run(
            [sys.executable, "-c", code, str(folder), str(index)],
            capture_output=True,
            text=True,
            cwd=folder.parent,
        )
        print(f"{name}: {done.stdout.strip() or done.stderr.strip().splitlines()[-1]}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: python -m bench.huge_article FOLDER MEGABYTES [--html] [--steps]")
    if "--steps" in sys.argv[3:]:
        steps(Path(sys.argv[1]))
    else:
        main(Path(sys.argv[1]), float(sys.argv[2]), "--html" in sys.argv[3:])
