"""Disk full during the entity phase (issue 22).

How it is simulated: a real file-size limit, RLIMIT_FSIZE, set in a subprocess (SIGXFSZ
ignored), so a write past the limit fails with EFBIG at the kernel, as writes fail with ENOSPC
on a full disk. First at 64 KB: the NER cache (small) is written, the entity phase's new
generation (the articles' long text) is not, mid-write; then at 0, where not one byte fits
(folders, renames and empty files still work, as on a full ext4 with free inodes), the next
rebuild must still get past its lock file. No write call is mocked: whoosh, sqlite and our own
files all meet the real error where they write.
"""

from __future__ import annotations

from pathlib import Path

from tests.hostile.conftest import run_python

SCRIPT = """
import resource, signal, sys
from pathlib import Path
from searchidx.errors import SearchIdxError
from searchidx.rebuild.run import rebuild
corpus, index = Path({corpus!r}), Path({index!r})
rebuild(index, corpus, entities=False, jobs=1)  # text published, entities pending
generations = lambda: sorted(p.name for p in index.glob("gen-*"))
before = generations()
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
for attempt, limit in ((1, 65536), (2, 0)):  # the second run must not die writing its lock
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        rebuild(index, corpus, jobs=1)
    except SearchIdxError as error:
        print(f"run {{attempt}}: {{error}}")
    print(f"after {{attempt}}:", generations() == before)
resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
report = rebuild(index, corpus, jobs=1)
print("finally pending:", report.entities_pending, "articles:", report.articles)
"""


def test_a_full_disk_in_the_entity_phase_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "idx"
    corpus.mkdir()
    words = [f"w{n:x}" for n in range(25_000)]  # 150 KB of distinct words: over the limit
    texts = {"a": "Angela Merkel met Emmanuel Macron in Paris. " + " ".join(words), "b": "Oil."}
    for name, body in texts.items():
        (corpus / f"{name}.txt").write_text(f"---\ntitle: {name}\n---\n{body}\n", "utf-8")
    done = run_python(SCRIPT.format(corpus=str(corpus), index=str(index)), timeout=240)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("run 1: could not write the index"), done.stdout
    assert "(File too large)" in lines[0]  # the new generation, not the cache, hit the limit
    assert lines[1] == "after 1: True"  # the unfinished generation was removed
    assert lines[2].startswith("run 2: could not write the index"), done.stdout
    assert lines[3] == "after 2: True"
    assert lines[4] == "finally pending: 0 articles: 2"
