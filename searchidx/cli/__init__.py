"""The command line: the `searchidx` click group and its commands.

Each command module (rebuild.py, query.py, stories.py, entities.py, tui.py; registered by
commands.py) parses options (shared ones in options.py), calls the layers below, and renders
what comes back (output.py, story_output.py, the records of searchidx.search.records) on stdout;
messages and exit codes come from the one translator in errors.py, progress from progress_bar.py
on stderr. Heavy modules are imported inside the commands, so `searchidx --help` stays fast.
"""

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
