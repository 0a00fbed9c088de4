"""One exception hierarchy: whoosh, bs4 and spaCy errors are translated into these at the edge."""

from __future__ import annotations


class SearchIdxError(Exception):
    """Root of every error searchidx raises on purpose. `exit_code` is what the CLI returns."""

    exit_code = 1


class CorpusError(SearchIdxError):
    """The corpus folder cannot be used at all (missing, not a folder)."""


class IndexMissing(SearchIdxError):
    """No index where one was looked for."""

    exit_code = 3


class IndexLocked(SearchIdxError):
    """Another rebuild holds the index lock."""

    exit_code = 4


class IndexCorrupt(SearchIdxError):
    """The index exists but cannot be opened."""


class QuerySyntaxError(SearchIdxError):
    """A query that cannot be parsed. `position` is a 0-based character offset when known.

    `hint` is worded for any front end; `literal_helps` says that searching the text as plain
    words would work, so each front end can name its own way to do that (the CLI's `--literal`)."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        position: int | None = None,
        hint: str | None = None,
        literal_helps: bool = False,
    ):
        super().__init__(message)
        self.position = position
        self.hint = hint
        self.literal_helps = literal_helps

    def __str__(self) -> str:
        text = super().__str__()
        if self.position is not None:
            text += f" (at character {self.position + 1})"
        if self.hint:
            text += f"; {self.hint}"
        return text


class UnknownArticle(SearchIdxError):
    """An article id that is not in the index."""


class ClusterError(SearchIdxError):
    """The Dask cluster of `rebuild --cluster` cannot be reached, or went away mid-rebuild."""
