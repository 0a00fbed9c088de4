"""The CLI commands, one module each; heavy libraries are imported inside the commands."""

from __future__ import annotations

import importlib

import click

# module name -> names of the click commands it defines
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "rebuild": ("rebuild", "status"),
    "query": ("query", "show", "similar"),
    "entities": ("entities",),
    "tui": ("tui",),
    "stories": ("stories", "related"),
    "workset": ("watch", "saved", "tag", "untag", "note"),
}


def register_all(group: click.Group) -> None:
    for module_name, command_names in COMMAND_MODULES.items():
        try:
            module = importlib.import_module(f"searchidx.cli.{module_name}")
        except ModuleNotFoundError as missing:
            if missing.name == f"searchidx.cli.{module_name}":
                continue  # not written yet
            raise
        for name in command_names:
            command = getattr(module, name, None)
            if isinstance(command, click.Command):
                group.add_command(command)
