"""The rebuild's progress bar on stderr: files done / total with rate and ETA, stages, warnings."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from searchidx.cli.terminal import visible

REDRAW_SECONDS = 0.1  # on a terminal: at most ten redraws a second, the count moves every file
LOG_SECONDS = 5.0  # not a terminal: a plain line this often, so logs stay readable


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.5))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressBar:
    """A `ProgressReporter` drawing on stderr. Truthful: the total is known before the bar starts
    (the walk comes first), each file advances it, and slow steps after the last file (commit,
    merge) are shown as stages, so the display ends exactly when the work does."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False, width: int = 28):
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.width = width
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.label = ""
        self.unit = "files"
        self.total = 0
        self.done = 0
        self._done_at_start = 0
        self._started = time.monotonic()
        self._last_draw = 0.0
        self._open_line = False

    # -- stages -----------------------------------------------------------------------------
    def stage(self, text: str) -> None:
        """A step with no per-file count (walking, committing): one line, ended by the next."""
        text = visible(text)  # file names and reasons come from the corpus
        self._end_line()
        if self.quiet:
            return
        if self.tty:
            self.stream.write(f"{text}...")
            self._open_line = True
        else:
            self.stream.write(f"{text}...\n")
        self.stream.flush()

    def start(self, label: str, total: int, unit: str = "files", done: int = 0) -> None:
        self._end_line()
        self.label, self.total, self.done, self.unit = visible(label), total, done, unit
        self._done_at_start = done  # counted on the bar, not in the rate
        self._started = time.monotonic()
        self._last_draw = 0.0
        if total and self.tty:
            self._draw(force=True)

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._draw(force=self.done >= self.total)

    def pause(self, text: str) -> None:
        """A slow step in the middle of a bar (an interim commit): shown next to the bar, which
        stays where it is until `resume`."""
        text = visible(text)  # file names and reasons come from the corpus
        if self.quiet:
            return
        if self.tty:
            self.stream.write("\r\x1b[2K" + self.render() + f" | {text}...")
            self._open_line = True
        else:
            self.stream.write(f"{self.render()} | {text}...\n")
        self.stream.flush()

    def resume(self) -> None:
        self._draw(force=True)

    def finish(self) -> None:
        """Close the bar (or the stage line) once its last item is done."""
        self._end_line()
        self.total = 0

    def warn(self, text: str) -> None:
        """A warning line that does not tear the bar."""
        text = visible(text)  # file names and reasons come from the corpus
        self._end_line()
        self.stream.write(f"warning: {text}\n")
        self.stream.flush()

    def line(self, text: str) -> None:
        text = visible(text)  # file names and reasons come from the corpus
        self._end_line()
        if not self.quiet:
            self.stream.write(text + "\n")
            self.stream.flush()

    def counts(self, indexed: int, skipped: int, failed: int) -> None:
        """The bar counts files; the summary line at the end gives these."""

    # -- drawing ----------------------------------------------------------------------------
    def rate(self) -> float:
        elapsed = time.monotonic() - self._started
        return (self.done - self._done_at_start) / elapsed if elapsed > 0 else 0.0

    def render(self) -> str:
        total = max(self.total, 1)
        filled = int(self.width * min(self.done, total) / total)
        bar = "#" * filled + "-" * (self.width - filled)
        rate = self.rate()
        remaining = (self.total - self.done) / rate if rate > 0 else 0.0
        eta = _clock(remaining) if rate > 0 and self.done < self.total else "--:--"
        if self.done >= self.total:
            eta = _clock(time.monotonic() - self._started)
            tail = f"took {eta}"
        else:
            tail = f"ETA {eta}"
        return f"{self.label} [{bar}] {self.done:,}/{self.total:,} {self.unit} {rate:,.0f}/s {tail}"

    def _draw(self, force: bool = False) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        interval = REDRAW_SECONDS if self.tty else LOG_SECONDS
        if not force and now - self._last_draw < interval:
            return
        self._last_draw = now
        if self.tty:
            self.stream.write("\r\x1b[2K" + self.render())
            self._open_line = True
        else:
            self.stream.write(self.render() + "\n")
        self.stream.flush()

    def _end_line(self) -> None:
        if self._open_line:
            self.stream.write("\n")
            self.stream.flush()
            self._open_line = False
