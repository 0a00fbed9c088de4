"""A file that needs more memory than a reading worker may use fails alone (issue 22)."""

from __future__ import annotations

from pathlib import Path

from searchidx.config import ReadSettings
from searchidx.rebuild import workers
from searchidx.rebuild.guarded import DIED, Budget, GuardedReader


def test_a_file_over_the_memory_budget_fails_with_a_reason(tmp_path: Path) -> None:
    # 20 MB of JSON (under the 20 MB limit) that becomes 5,000,000 floats: about 200 MB more
    # (objects or lists this dense are refused unparsed: test_corpus_sizes.py)
    (tmp_path / "heavy.json").write_text("[" + ",".join(["0.5"] * 5_000_000) + "]")
    (tmp_path / "light.json").write_text('{"title": "Oil", "text": "Oil rose."}')
    counted: list[int] = []

    def failed(reason: str) -> list[workers.Outcome]:
        return [("", None, reason)]

    reader: GuardedReader[str, list[workers.Outcome]] = GuardedReader(
        workers.read_many,
        failed,
        jobs=1,
        budget=Budget(seconds=120, memory_bytes=256 * 1024**2),
        on_files=counted.append,
    )
    tasks = [
        [(name, (str(tmp_path / name), str(tmp_path), None, ReadSettings()))]
        for name in ("heavy.json", "light.json")
    ]
    results = {names[0]: outcome for names, (outcome,) in reader.run(tasks)}
    # MemoryError in the worker names the budget; should the worker die of it instead (the
    # allocation failing where nothing can catch it), the file is still the one that fails
    assert results["heavy.json"][2] in (workers.MEMORY_REASON, DIED), results["heavy.json"]
    light = results["light.json"][1]
    assert light is not None and [a.title for a in light.articles] == ["Oil"]
    assert sum(counted) == 2
