"""`searchidx tui`: the interactive search; the one place searchidx imports the `tui` package."""

from __future__ import annotations

from pathlib import Path

import click

from searchidx.cli.errors import translated
from searchidx.cli.options import index_option
from searchidx.config import find_index


@click.command()
@index_option
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Corpus folder to offer for a rebuild when there is no index yet.",
)
@translated()
def tui(index: Path | None, corpus: Path | None) -> None:
    """Search interactively: as-you-type results, facets, highlighted articles.

    With no index yet, the TUI offers to build one and shows the rebuild's progress.
    Keys: f1 help, ctrl+p every action, ctrl+q quit.

    \b
    Example:
      searchidx tui --index ~/news/.searchidx
    """
    # imported here so that every other command starts without loading Textual
    from tui.app import run_tui

    run_tui(find_index(index), corpus)


def open_review(index: Path) -> None:
    """`searchidx entities review`: the entity review screen on its own."""
    from tui.app import run_review

    run_review(index)
