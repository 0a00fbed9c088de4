"""The executor seam's small parts: `--cluster` addresses, the bounded loop over a real process
pool, and a scheduler that cannot be reached (one line, the text phase kept)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from searchidx.cli import main as cli
from searchidx.rebuild import executors
from searchidx.rebuild.executors import ClusterAddress, LocalPool, parse_cluster, run_bounded


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("local:2", ClusterAddress(None, 2)),
        ("tcp://10.0.0.5:8786", ClusterAddress("tcp://10.0.0.5:8786")),
        ("tls://scheduler.example.org:8786", ClusterAddress("tls://scheduler.example.org:8786")),
        ("10.0.0.5:8786", ClusterAddress("tcp://10.0.0.5:8786")),
        ("tcp://[::1]:8786", ClusterAddress("tcp://[::1]:8786")),
    ],
)
def test_cluster_addresses(text: str, parsed: ClusterAddress) -> None:
    assert parse_cluster(text) == parsed


@pytest.mark.parametrize(
    "text", ["local:0", "local:two", "10.0.0.5", "http://host:8786", "tcp://host", "tcp://a b:1"]
)
def test_bad_cluster_addresses_say_what_to_give(text: str) -> None:
    with pytest.raises(ValueError, match="local:") as raised:
        parse_cluster(text)
    assert "\n" not in str(raised.value)


class CountingExecutor:
    """A real LocalPool, counting the tasks in flight (the seam's bound is what is checked)."""

    def __init__(self, pool: LocalPool) -> None:
        self.pool = pool
        self.in_flight = 0
        self.most = 0

    def capacity(self) -> int:
        return self.pool.capacity()

    def submit(self, function: Callable[[Any], Any], payload: Any) -> int:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        return self.pool.submit(function, payload)

    def wait(self) -> list[tuple[int, Any]]:
        finished = self.pool.wait()
        self.in_flight -= len(finished)
        return finished

    def close(self) -> None:
        self.pool.close()


def test_run_bounded_keeps_few_tasks_in_flight_and_reads_its_input_lazily() -> None:
    executor = CountingExecutor(LocalPool(jobs=2, per_worker=2))
    pulled = 0

    def items() -> Iterator[tuple[int, list[int] | None]]:
        nonlocal pulled
        for number in range(40):
            pulled += 1
            yield number, (None if number % 10 == 0 else [number, 1])

    results = {}
    for number, total in run_bounded(lambda: executor, sum, items()):
        results[number] = total
        assert pulled <= len(results) + executor.capacity()
    assert results == {n: (None if n % 10 == 0 else n + 1) for n in range(40)}
    assert 1 < executor.most <= 4


def test_the_built_in_pool_runs_here_with_one_job() -> None:
    pool = LocalPool(jobs=1, per_worker=8)
    assert pool.capacity() == 1
    number = pool.submit(sum, [2, 3])
    assert pool.wait() == [(number, 5)]
    pool.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_scheduler_is_one_line_and_the_text_is_kept(
    seed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(executors, "CONNECT_SECONDS", 2)
    address = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there
    index_path = tmp_path / "idx"
    result = CliRunner().invoke(
        cli, ["rebuild", str(seed_corpus), "--index", str(index_path), "--cluster", address, "-q"]
    )
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot use the Dask cluster at {address}: ")
    assert "dask scheduler" in line and "without --cluster" in line
    status = CliRunner().invoke(cli, ["status", "--index", str(index_path), "--format", "json"])
    assert '"articles": 2' in status.stdout and '"entities_pending": 2' in status.stdout


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_bad_cluster_value_is_a_usage_error(
    how: str, seed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["rebuild", str(seed_corpus), "--index", str(tmp_path / "idx")]
    if how == "option":
        args += ["--cluster", "local:none"]
    else:
        monkeypatch.setenv("SEARCHIDX_CLUSTER", "local:none")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "after `local:` give a number of workers" in result.stderr
    assert not (tmp_path / "idx").exists()
