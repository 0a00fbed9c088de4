"""A reading pool shuts down even when its workers left more progress events unread than a pipe
holds (a 216k-file rebuild hung there: each worker waited at exit to flush them, the rebuild
waited for the workers)."""

from __future__ import annotations

import threading
from pathlib import Path

from searchidx.config import ReadSettings
from searchidx.rebuild import workers
from searchidx.rebuild.guarded import DEFAULT_WORKER_MEMORY


def test_the_pool_closes_with_events_unread(tmp_path: Path) -> None:
    name = "n" * 200  # long paths: a few hundred events fill a 64 KiB pipe
    tasks: list[workers.Task] = []
    for number in range(1500):
        path = tmp_path / f"{name}{number}.txt"
        path.write_text("---\ntitle: Oil\n---\nOil rose.\n", encoding="utf-8")
        tasks.append((str(path), str(tmp_path), None, ReadSettings()))
    executor, events = workers.reading_pool(1, DEFAULT_WORKER_MEMORY)
    try:
        outcomes = executor.submit(workers.read_many, tasks).result(timeout=300)
        assert len(outcomes) == 1500 and all(error is None for _, _, error in outcomes)
        # nobody reads `events`, as when the rebuild has its last result and closes the pool
        closing = threading.Thread(target=executor.shutdown, daemon=True)
        closing.start()
        closing.join(timeout=60)
        assert not closing.is_alive(), "the reading worker never exited"
    finally:
        events.close()
