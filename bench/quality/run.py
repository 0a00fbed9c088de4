"""`make quality`: relevance, extraction, entity and story figures from one command, JSON plus
markdown.

Run: `python -m bench.quality.run [--only relevance,extraction,entities,stories]`. Each section's
results go to bench/results/quality-<section>.json, all tables to bench/results/quality.md and
stdout.
A section whose module or data is missing is reported as skipped; the others still run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "bench" / "results"
SECTIONS = ("relevance", "extraction", "entities", "stories")
COMMAND = "make quality  (python -m bench.quality.run)"


def run_section(name: str) -> tuple[str, dict[str, Any] | None]:
    """(markdown, results) for one section; results None when it was skipped or failed."""
    try:
        module = importlib.import_module(f"bench.quality.{name}")
    except ImportError as error:
        return f"_skipped: bench.quality.{name} is not available ({error})_\n", None
    started = time.perf_counter()
    try:
        results = module.run()
    except (FileNotFoundError, NotADirectoryError) as error:
        return f"_skipped: data not found ({error})_\n", None
    seconds = time.perf_counter() - started
    if isinstance(results, dict):
        results.setdefault("seconds_total", round(seconds, 1))
    text = module.markdown(results)
    return f"{text.rstrip()}\n\n_{name} took {seconds:.0f} s_\n", results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality.run", description=__doc__)
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help="comma-separated sections to run (default: all), e.g. --only relevance",
    )
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section {', '.join(unknown)}: choose from {', '.join(SECTIONS)}")

    taken = datetime.now(UTC).isoformat(timespec="seconds")
    report = [
        "# Quality figures (generated)",
        "",
        f"Command: `{COMMAND}`. Taken {taken} on {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()}.",
        "",
    ]
    failed = False
    RESULTS.mkdir(parents=True, exist_ok=True)
    for name in chosen:
        print(f"== {name}", file=sys.stderr, flush=True)
        try:
            text, results = run_section(name)
        except Exception as error:  # one section failing must not hide the others' figures
            failed = True
            text, results = f"_failed: {type(error).__name__}: {error}_\n", None
            print(f"{name} failed: {type(error).__name__}: {error}", file=sys.stderr)
        report += [f"## {name.capitalize()}", "", text]
        if results is not None:
            results.setdefault("taken", taken)
            target = RESULTS / f"quality-{name}.json"
            target.write_text(
                json.dumps(results, indent=1, ensure_ascii=False, default=str) + "\n",
                encoding="utf-8",
            )
    combined = "\n".join(report)
    if set(chosen) == set(SECTIONS):
        (RESULTS / "quality.md").write_text(combined, encoding="utf-8")
    print(combined)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
