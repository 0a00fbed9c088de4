"""docs/cli.md documents every command the CLI registers, and every option of each command."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from searchidx.cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def sections(text: str) -> dict[str, str]:
    """Command name -> its section: from a `## searchidx NAME` heading to the next `## `."""
    found: dict[str, str] = {}
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    for part in parts[1:]:
        heading = re.match(r"`?searchidx ([a-z][a-z-]*)\b", part)
        if heading:
            found[heading.group(1)] = part
    return found


def option_names(command: click.Command) -> list[str]:
    return [
        name
        for param in command.params
        if isinstance(param, click.Option)
        for name in param.opts
        if name.startswith("--") and name != "--help"
    ]


def missing_from(docs: str) -> list[str]:
    """What docs/cli.md lacks: `searchidx NAME` for a command without a section, `NAME --opt`
    for an option its command's section does not name."""
    documented = sections(docs)
    missing = []
    for name, command in sorted(main.commands.items()):
        section = documented.get(name)
        if section is None:
            missing.append(f"searchidx {name}")
            continue
        missing += [
            f"{name} {option}"
            for option in option_names(command)
            if not re.search(rf"{re.escape(option)}(?![\w-])", section)
        ]
    return missing


def test_every_command_and_option_is_documented() -> None:
    assert missing_from(DOCS.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("name", ["query", "status", "tui"])
def test_a_missing_heading_is_caught(name: str) -> None:
    docs = DOCS.read_text(encoding="utf-8")
    heading = re.search(rf"^## `?searchidx {name}\b.*$", docs, flags=re.MULTILINE)
    assert heading is not None
    assert f"searchidx {name}" in missing_from(docs.replace(heading.group(0), "## Removed"))


def test_a_missing_option_is_caught() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    assert "query --facet-size" in missing_from(docs.replace("--facet-size", "--facet-count"))
