"""Every registered command has help text with an example (sqlite-utils' docs test, our way)."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from searchidx.cli import main


def all_commands() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = [("searchidx", main)]
    for name, command in main.commands.items():
        found.append((name, command))
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", c) for sub, c in command.commands.items()]
    return found


def test_the_query_commands_are_registered() -> None:
    assert {"query", "show", "similar"} <= set(main.commands)


@pytest.mark.parametrize(("name", "command"), all_commands(), ids=lambda x: str(x))
def test_help_has_an_example(name: str, command: click.Command) -> None:
    # "searchidx" is the group itself; the others are command paths below it ("saved add")
    args = [*(name.split() if name != "searchidx" else []), "--help"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout, f"`{name} --help` shows no example"
    assert "searchidx " in result.stdout.split("Example", 1)[1], f"`{name}` example runs nothing"
