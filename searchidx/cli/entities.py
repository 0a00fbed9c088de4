"""`searchidx entities`: the alias table and the most named entities of the index."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from searchidx.cli.errors import translated
from searchidx.cli.options import format_option, index_option
from searchidx.cli.terminal import echo
from searchidx.models import ENTITY_FIELDS
from searchidx.search.records import dumps

if TYPE_CHECKING:
    from searchidx.entities import AliasTable


def _load_table(index: Path | None) -> AliasTable:
    from searchidx.search.entity_table import live_alias_table

    return live_alias_table(index)


@click.group(invoke_without_command=True)
@click.option("--aliases", is_flag=True, help="Show each entity's merged variants.")
@click.option(
    "--dropped", is_flag=True, help="Show the values the junk filter dropped, with the reason."
)
@click.option(
    "--match",
    "match",
    metavar="TEXT",
    help="Only values whose name or a variant contains TEXT (over all values).",
)
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
@click.pass_context
def entities(
    context: click.Context,
    aliases: bool,
    dropped: bool,
    match: str | None,
    kinds: tuple[str, ...],
    limit: int,
    index: Path | None,
    fmt: str,
) -> None:
    """List the most named people, organisations and places, or (--aliases) the alias table.

    The alias table shows which variants were merged into each canonical value. To change it,
    edit <index folder>/entity-aliases.txt (see docs/entities.md) and run `searchidx rebuild`.
    Without --kind it ends with the outlets: the spellings read as each outlet of the index
    (the file's `outlets:` rules, then the known-outlets table shipped with searchidx).
    --dropped lists what the junk filter left out (time zones, legal forms, generic words...);
    `kind: + Name` in that file keeps one.

    \b
    Examples:
      searchidx entities --kind places --limit 10
      searchidx entities --aliases
      searchidx entities --aliases --format json | jq .organisations
      searchidx entities --match blair --kind people
      searchidx entities --dropped
      searchidx entities review               # merge, split, retype, drop, undo (TUI)
    """
    if context.invoked_subcommand is not None:
        context.obj = index
        return
    table = _load_table(index)
    chosen = kinds or ENTITY_FIELDS
    if dropped:
        junk = {kind: table.junk(kind) for kind in chosen}
        if fmt == "json":
            payload_junk = {
                kind: [{"value": v, "reason": r, "articles": n} for v, r, n in junk_rows]
                for kind, junk_rows in junk.items()
            }
            echo(dumps(payload_junk, indent=2))
            return
        for kind, junk_rows in junk.items():
            echo(f"{kind} ({len(junk_rows)} dropped)")
            for value, reason, count in junk_rows:
                echo(f"  {count:>6,}  {value}  ({reason})")
        return
    if aliases:
        rows = {kind: table.entries(kind) for kind in chosen}
        if not kinds:  # outlets too: the spellings read as each outlet (rules, shipped table)
            from searchidx.search.entity_table import outlet_aliases

            rows["outlets"] = outlet_aliases(index)
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
    top = {
        kind: table.top(kind, limit) if match is None else table.matching(kind, match, limit)
        for kind in chosen
    }
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


@entities.command()
@index_option
@translated()
@click.pass_context
def review(context: click.Context, index: Path | None) -> None:
    """Review merge candidates and suspicious values in a TUI screen, most articles first.

    Keys: m merge, s split, p/o/l retype to people/organisations/places, d drop, k keep (a
    dropped value), n skip, u undo. Each decision is a line in the alias file
    (<index folder>/entity-aliases.txt, or $SEARCHIDX_ALIASES); the next `searchidx rebuild`
    applies it without running NER again.

    \b
    Example:
      searchidx entities review --index ~/news/.searchidx
    """
    from searchidx.cli.tui import open_review
    from searchidx.search.entity_table import index_folder, live_alias_table

    chosen = index if index is not None else context.obj
    live_alias_table(chosen)  # no index or no table: one line, before the screen opens
    open_review(index_folder(chosen))
