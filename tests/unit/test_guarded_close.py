"""Closing the reading pool never waits on a worker stuck flushing its last events: a chunk of
many files gives more "reading"/"done" events than a pipe holds, and a worker exits only once
they are all written (a rebuild of Reuters, 21,578 files, hung there in pool shutdown)."""

from __future__ import annotations

import threading
from pathlib import Path

from searchidx.config import ReadSettings
from searchidx.rebuild import workers
from searchidx.rebuild.guarded import Budget, GuardedReader

FILES = 1500  # 3,000 events of ~300 bytes: several times a pipe's 64 KiB


def test_a_chunk_of_many_files_closes_the_pool(tmp_path: Path) -> None:
    folder = tmp_path / ("long-folder-name-" * 12)
    folder.mkdir()
    tasks = []
    for number in range(FILES):
        path = folder / f"story-{number:05d}.txt"
        path.write_text(f"---\ntitle: Oil {number}\n---\nOil rose.\n", encoding="utf-8")
        tasks.append((str(path), str(tmp_path), None, ReadSettings()))
    counted: list[int] = []
    reader: GuardedReader[int, list[workers.Outcome]] = GuardedReader(
        workers.read_many,
        lambda reason: [("", None, reason)],
        jobs=1,
        budget=Budget(),
        on_files=counted.append,
    )
    results: list[int] = []

    def read() -> None:
        for _, outcomes in reader.run([list(enumerate(tasks))]):
            results.append(len(outcomes))

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(timeout=120)  # a hang, not a speed: it takes a few seconds
    assert not thread.is_alive(), "the reading pool did not close"
    assert results == [FILES] and sum(counted) == FILES
