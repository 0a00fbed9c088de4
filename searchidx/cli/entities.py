"""`searchidx entities`: the alias table and the most named entities of the index."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from searchidx.cli.errors import translated
from searchidx.cli.options import format_option, index_option
from searchidx.cli.terminal import echo
from searchidx.config import find_index
from searchidx.errors import IndexMissing, SearchIdxError
from searchidx.models import ENTITY_FIELDS
from searchidx.search.records import dumps

if TYPE_CHECKING:
    from searchidx.entities import AliasTable


def _load_table(index: Path | None) -> AliasTable:
    """The alias table of the live generation; IndexMissing / SearchIdxError otherwise."""
    from searchidx.entities import ALIASES_FILE, AliasTable
    from searchidx.index.generations import current_generation, read_side_json

    folder = find_index(index)
    if folder is None:
        raise IndexMissing("no index found here: run `searchidx rebuild CORPUS` to build one")
    generation = current_generation(folder)
    if generation is None:
        raise IndexMissing(f"no index at {folder}: run `searchidx rebuild CORPUS --index {folder}`")
    try:
        data = read_side_json(generation, ALIASES_FILE)
    except (OSError, ValueError) as error:
        raise SearchIdxError(f"cannot read {generation / ALIASES_FILE}: {error}") from None
    if not isinstance(data, dict):
        raise SearchIdxError(
            "this index has no entity alias table yet: run `searchidx rebuild` (without"
            " --no-entities)"
        )
    return AliasTable.from_json(data)


@click.command()
@click.option("--aliases", is_flag=True, help="Show each entity's merged variants.")
@click.option(
    "--kind",
    "kinds",
    type=click.Choice(ENTITY_FIELDS),
    multiple=True,
    help="Only this kind (repeatable; default: all three).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Entities listed per kind (without --aliases).",
)
@index_option
@format_option("text", "json")
@translated()
def entities(
    aliases: bool, kinds: tuple[str, ...], limit: int, index: Path | None, fmt: str
) -> None:
    """List the most named people, organisations and places, or (--aliases) the alias table.

    The alias table shows which variants were merged into each canonical value. To change it,
    edit <index folder>/entity-aliases.txt (see docs/entities.md) and run `searchidx rebuild`.

    \b
    Examples:
      searchidx entities --kind places --limit 10
      searchidx entities --aliases
      searchidx entities --aliases --format json | jq .organisations
    """
    table = _load_table(index)
    chosen = kinds or ENTITY_FIELDS
    if aliases:
        rows = {kind: table.entries(kind) for kind in chosen}
        if fmt == "json":
            payload = {
                kind: [
                    {"canonical": canonical, "variants": list(variants), "articles": count}
                    for canonical, variants, count in kind_rows
                ]
                for kind, kind_rows in rows.items()
            }
            echo(dumps(payload, indent=2))
            return
        for kind, kind_rows in rows.items():
            echo(f"{kind} ({len(kind_rows)} merged)")
            for canonical, variants, count in kind_rows:
                noun = "article" if count == 1 else "articles"
                echo(f"  {canonical}  <-  {' | '.join(variants)}  ({count:,} {noun})")
        return
    top = {kind: table.top(kind, limit) for kind in chosen}
    if fmt == "json":
        payload_top = {
            kind: [{"value": value, "articles": count} for value, count in kind_top]
            for kind, kind_top in top.items()
        }
        echo(dumps(payload_top, indent=2))
        return
    for kind, kind_top in top.items():
        echo(kind)
        for value, count in kind_top:
            echo(f"  {count:>6,}  {value}")
