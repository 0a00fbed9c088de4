"""TUI keystroke-to-painted-results latency over a scripted typing session (run by hand).

    .venv/bin/python -m bench.tui_latency [--index PATH] [--interval 0.12] [--json OUT]

Without --index, a Reuters-21578 index (no entity pass) is built once under
/tmp/searchidx-bench/reuters-tui and reused. The real app runs headless at 160x48 through
Textual's Pilot; each query of the script is typed one key at a time, `interval` seconds apart,
then erased. For every keystroke the latency is the time from sending the key to the first
repaint that shows results for that box content or a later one (a newer keystroke supersedes
an older one: that is what the user sees). "settled" is the same for the last key of each query.
"core_search" is the backend's search alone (wall), "core_cpu" its thread's CPU time: on a
loaded machine the wall figures grow with the load, the CPU ones much less. "tui_cpu_s" is the
main thread's CPU time over the session (the app: messages, layout, rendering; searches run in
worker threads), "process_cpu_s" the whole process's. "answer_to_paint_cpu" is the main
thread's CPU time from the moment it takes a search's answer to the paint that shows it: the
app's own work for a keystroke, which the load stretches in wall time but not in CPU time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

DEFAULT_INDEX = Path("/tmp/searchidx-bench/reuters-tui")
SCRIPT = (
    "oil prices",
    "opec output",
    "bank of japan",
    "wheat exports",
    '"interest rates"',
    "dollar AND yen",
    "copper strike",
    "coffee quota",
    "trade deficit",
    "gold",
)


def build_reuters_index(folder: Path) -> None:
    from bench.corpora import reuters_stories
    from searchidx.models import Article
    from searchidx.rebuild.run import index_articles

    def articles():  # type: ignore[no-untyped-def]
        for story in reuters_stories():
            published = (
                datetime.strptime(str(story.day), "%Y%m%d").replace(tzinfo=UTC)
                if story.day
                else None
            )
            yield Article(
                id=story.id,
                path=story.relpath,
                title=story.title,
                body=story.body,
                outlet=story.outlet or "Reuters",
                published=published,
                date_only=True,
            )

    started = time.perf_counter()
    index_articles(folder, articles())
    print(f"built {folder} in {time.perf_counter() - started:.0f}s", file=sys.stderr)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def session(index: Path, interval: float) -> dict[str, object]:
    from tui.app import make_app
    from tui.backend import IndexBackend
    from tui.screens.search import SearchScreen

    class TimedBackend(IndexBackend):
        """Records how long each core search took, to tell the core's share from the TUI's."""

        def search(self, request):  # type: ignore[no-untyped-def]
            started, cpu = time.perf_counter(), time.thread_time()
            try:
                return super().search(request)
            finally:
                core.append((time.perf_counter() - started) * 1000)
                core_cpu.append((time.thread_time() - cpu) * 1000)

    core: list[float] = []
    core_cpu: list[float] = []
    answers: list[tuple[float, float]] = []  # (time, main thread CPU) as answers are taken
    paint_cpu: list[float] = []  # main thread CPU at each recorded paint
    take_answer = SearchScreen.on_search_done

    def timed_answer(screen, message):  # type: ignore[no-untyped-def]
        if message.serial == screen.serial and not message.note and not message.append:
            answers.append((time.perf_counter(), time.thread_time()))
        take_answer(screen, message)

    tui_cpu = time.thread_time()
    SearchScreen.on_search_done = timed_answer  # type: ignore[method-assign]
    app = make_app(TimedBackend(index))
    app.record_paints = True
    painted = app._painted

    def timed_paint(query: str) -> None:
        paint_cpu.append(time.thread_time())
        painted(query)

    app._painted = timed_paint  # type: ignore[method-assign]
    presses: list[tuple[float, int, int]] = []  # (time, query number, length typed)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause(1.0)
        await app.workers.wait_for_complete()
        await pilot.pause(0.5)
        for number, query in enumerate(SCRIPT):
            for length in range(1, len(query) + 1):
                sent = time.perf_counter()
                presses.append((sent, number, length))
                await pilot.press(query[length - 1])
                await asyncio.sleep(max(0.0, sent + interval - time.perf_counter()))
            await asyncio.sleep(1.0)  # the user reads the results
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            app.screen.query_one("#query").value = ""
            await asyncio.sleep(0.5)
            await app.workers.wait_for_complete()
        paints = list(app.paint_log)
    SearchScreen.on_search_done = take_answer  # type: ignore[method-assign]
    tui_cpu = time.thread_time() - tui_cpu
    answer_cpu = []  # each answer's first paint (a paint with no answer before it is skipped)
    waiting: tuple[float, float] | None = None
    for (at, _), cpu in zip(paints, paint_cpu, strict=True):
        while answers and answers[0][0] <= at:
            waiting = answers.pop(0)
        if waiting is not None:
            answer_cpu.append((cpu - waiting[1]) * 1000)
            waiting = None
    every: list[float] = []
    settled: list[float] = []
    for sent, number, length in presses:
        typed = SCRIPT[number]
        wanted = {typed[:n] for n in range(length, len(typed) + 1)}
        shown = [at for at, query in paints if at >= sent and query in wanted]
        if not shown:
            continue
        every.append((shown[0] - sent) * 1000)
        if length == len(typed):
            settled.append((shown[0] - sent) * 1000)
    return {
        "keystrokes": len(presses),
        "measured": len(every),
        "interval_ms": interval * 1000,
        "p50_ms": round(statistics.median(every), 1),
        "p95_ms": round(percentile(every, 0.95), 1),
        "max_ms": round(max(every), 1),
        "settled_p50_ms": round(statistics.median(settled), 1),
        "settled_p95_ms": round(percentile(settled, 0.95), 1),
        "core_search_p50_ms": round(statistics.median(core), 1),
        "core_search_p95_ms": round(percentile(core, 0.95), 1),
        "core_cpu_p50_ms": round(statistics.median(core_cpu), 1),
        "core_cpu_p95_ms": round(percentile(core_cpu, 0.95), 1),
        "answer_to_paint_cpu_p50_ms": round(statistics.median(answer_cpu), 1),
        "answer_to_paint_cpu_p95_ms": round(percentile(answer_cpu, 0.95), 1),
        "tui_cpu_s": round(tui_cpu, 1),
        "process_cpu_s": round(time.process_time(), 1),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "searches": len(core),
        "index": str(index),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.tui_latency",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--index", type=Path, help="index folder (default: Reuters, built once)")
    parser.add_argument("--interval", type=float, default=0.12, help="seconds between keys")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    index = args.index
    if index is None:
        index = DEFAULT_INDEX
        if not (index / "CURRENT").exists():
            build_reuters_index(index)
    result = asyncio.run(session(index, args.interval))
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
