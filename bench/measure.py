"""Measuring child processes: wall time, peak memory (one process and the whole tree), stats."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measured:
    """One finished child process."""

    argv: list[str]
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    max_rss_mb: float  # the largest single process in the tree (kernel's ru_maxrss, via wait4)
    tree_peak_mb: float  # the largest sampled sum of RSS over the child and its descendants
    marks: dict[str, float] = field(default_factory=dict)  # event name -> seconds after start
    cpu_seconds: float = 0.0  # user + system, with the descendants it waited for (workers)


def _tree_rss_bytes(root: int) -> int:
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                raw = stat.read().decode("ascii", "replace")
        except OSError:
            continue
        # fields after the command name, which may itself hold spaces and parentheses
        rest = raw[raw.rfind(")") + 2 :].split()
        pid = int(entry.name)
        parents[pid] = int(rest[1])
        rss[pid] = int(rest[21]) * _PAGE
    total = 0
    for pid in rss:
        walk = pid
        while walk > 1:
            if walk == root:
                total += rss[pid]
                break
            walk = parents.get(walk, 0)
    return total


def run_measured(
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdin_text: str | None = None,
    on_tick: Callable[[float, Measured], None] | None = None,
    sample_every: float = 0.25,
    timeout: float = 3600.0,
) -> Measured:
    """Run `argv` to the end, sampling its tree's memory; `on_tick(elapsed, partial)` adds marks."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (closed at the end; files avoid pipe stalls)
    err = tempfile.TemporaryFile()  # noqa: SIM115
    stdin = subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL
    full_env = {**os.environ, **(env or {})}
    result = Measured(list(argv), 0.0, -1, "", "", 0.0, 0.0)
    start = time.perf_counter()
    process = subprocess.Popen(
        list(argv), stdin=stdin, stdout=out, stderr=err, env=full_env, cwd=cwd
    )
    if stdin_text is not None and process.stdin is not None:
        process.stdin.write(stdin_text.encode("utf-8"))
        process.stdin.close()
    peak = 0
    while True:
        # wait4 reaps the child and gives its own rusage (ru_maxrss covers its reaped children too)
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        elapsed = time.perf_counter() - start
        if pid:
            result.seconds = elapsed
            result.returncode = os.waitstatus_to_exitcode(status)
            process.returncode = result.returncode
            result.max_rss_mb = usage.ru_maxrss / 1024
            result.cpu_seconds = usage.ru_utime + usage.ru_stime
            break
        peak = max(peak, _tree_rss_bytes(process.pid))
        if on_tick is not None:
            on_tick(elapsed, result)
        if elapsed > timeout:
            process.kill()
        time.sleep(sample_every)
    result.tree_peak_mb = max(peak / 2**20, result.max_rss_mb)
    out.seek(0)
    err.seek(0)
    result.stdout = out.read().decode("utf-8", "replace")
    result.stderr = err.read().decode("utf-8", "replace")
    out.close()
    err.close()
    return result


def summarise(values: Sequence[float]) -> dict[str, float | int]:
    """median / min / max (and p50 / p95 when there are enough values) of `values`."""
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    summary: dict[str, float | int] = {
        "n": len(ordered),
        "median": statistics.median(ordered),
        "min": ordered[0],
        "max": ordered[-1],
    }
    if len(ordered) >= 10:
        summary["p50"] = percentile(ordered, 50)
        summary["p95"] = percentile(ordered, 95)
    return summary


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: every figure is one that was measured)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def write_results(path: Path, results: object) -> None:
    """A bench's figures as indented JSON (dates and paths as strings), the file named on stdout."""
    path.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(f"written: {path}", flush=True)


def dir_bytes(path: Path) -> int:
    """Bytes on disk under `path`, each file counted once: searchidx's index generations
    hard-link the segments they share, which a plain sum would count twice (as `du` does not)."""
    if path.is_file():
        return path.stat().st_size
    seen: set[tuple[int, int]] = set()
    total = 0
    for item in path.rglob("*"):
        if item.is_file() and not item.is_symlink():
            info = item.stat()
            if (info.st_dev, info.st_ino) not in seen:
                seen.add((info.st_dev, info.st_ino))
                total += info.st_size
    return total


def _command(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=10).stdout.rstrip()
    except (OSError, subprocess.SubprocessError) as error:
        return f"unavailable: {error}"


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()


def machine() -> dict[str, object]:
    """What the figures were taken on."""
    return {
        "nproc": _command(["nproc"]),
        "free_h": _command(["free", "-h"]),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "load_average_at_start": load_average(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def other_cpu_users(own_root: int, seconds: float = 2.0) -> list[tuple[str, float]]:
    """Processes outside our own tree using CPU right now (name, % of one core), busiest first."""

    def sample() -> dict[int, tuple[str, int]]:
        ticks: dict[int, tuple[str, int]] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    raw = Path(f"/proc/{entry.name}/stat").read_text()
                except OSError:
                    continue
                name = raw[raw.find("(") + 1 : raw.rfind(")")]
                rest = raw[raw.rfind(")") + 2 :].split()
                ticks[int(entry.name)] = (name, int(rest[11]) + int(rest[12]))
        return ticks

    before = sample()
    time.sleep(seconds)
    after = sample()
    hz = os.sysconf("SC_CLK_TCK")
    busy = []
    for pid, (name, used) in after.items():
        if pid == own_root or pid not in before:
            continue
        share = (used - before[pid][1]) / hz / seconds * 100
        if share >= 5:
            busy.append((name, round(share)))
    return sorted(busy, key=lambda item: -item[1])
