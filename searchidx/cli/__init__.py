"""The `searchidx` command group; each command, in searchidx/commands/, owns its messages."""

from __future__ import annotations

import click

from searchidx import __version__
from searchidx.cli.commands import register_all


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="searchidx")
def main() -> None:
    """Private, offline news search in the terminal.

    \b
    Example:
      searchidx rebuild ~/news          # index a folder of saved articles
      searchidx query 'defect* AND place:"North Korea"' --facets
      searchidx tui                     # interactive faceted search
    """


register_all(main)
