"""The rebuild lock: one rebuild at a time per index, released by the kernel when it dies."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from searchidx.errors import IndexLocked, SearchIdxError

LOCK_NAME = "LOCK"


class RebuildLock:
    """An exclusive flock on `<index>/LOCK`, which also holds the holder's pid for messages.

    flock, not a pid file: the kernel drops it when the holder dies (SIGKILL, power loss), so a
    stale LOCK file never blocks the next rebuild. The descriptor is close-on-exec and worker
    processes are spawned (not forked), so no worker ever holds the lock.
    """

    def __init__(self, index_path: Path):
        self.path = index_path / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        make_index_folder(self.path.parent)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise _unwritable(self.path.parent, error) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f"pid {holder}" if holder else "another process"
            raise IndexLocked(
                f"another rebuild ({who}) is updating the index at {self.path.parent}; "
                "wait for it to finish, or stop it, then run the rebuild again"
            ) from None
        self._fd = fd
        self.write_pid()

    def write_pid(self) -> None:
        """Record the holder's pid for other commands' messages. The flock is the lock: on a
        full disk the pid may not fit, and the rebuild must still get to the cleanup that makes
        room (it calls this again after)."""
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass

    def release(self) -> None:
        if self._fd is not None:
            # Leave the file in place: unlinking it would let two rebuilds lock different inodes.
            os.ftruncate(self._fd, 0)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RebuildLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()


def _unwritable(folder: Path, error: OSError) -> SearchIdxError:
    return SearchIdxError(
        f"cannot write in the index folder {folder} ({error.strerror or error}): "
        "give a folder you can write with --index"
    )


def make_index_folder(folder: Path) -> None:
    """Create the index folder (and its parents), or fail with one line saying which."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _unwritable(folder, error) from None


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def lock_holder(index_path: Path) -> int | None:
    """The pid of the rebuild holding the index, or None when no rebuild runs."""
    path = index_path / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_pid(fd) or -1
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
