"""The live generation's entity alias table (aliases.json), for `searchidx entities` and the
TUI's entity review, and the spellings folded into each outlet of the index."""

from __future__ import annotations

import os
from pathlib import Path

from searchidx.config import find_index
from searchidx.corpus.outlets import (
    OutletRules,
    OutletRulesError,
    outlet_lines,
    outlet_variants,
    parse_outlet_rules,
)
from searchidx.entities import ALIASES_FILE, OVERRIDES_FILE_NAME, AliasTable
from searchidx.errors import IndexMissing, SearchIdxError
from searchidx.index.generations import current_generation, read_side_json
from searchidx.models import SearchRequest


def index_folder(index: Path | None) -> Path:
    """The index folder (`--index`, $SEARCHIDX_INDEX or the nearest .searchidx/)."""
    folder = find_index(index)
    if folder is None:
        raise IndexMissing("no index found here: run `searchidx rebuild CORPUS` to build one")
    return folder


def live_alias_table(index: Path | None) -> AliasTable:
    """The alias table of the live generation; IndexMissing / SearchIdxError otherwise."""
    folder = index_folder(index)
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


def review_file(folder: Path) -> Path:
    """Where review decisions go: $SEARCHIDX_ALIASES if set, else <index>/entity-aliases.txt."""
    env = os.environ.get("SEARCHIDX_ALIASES")
    return Path(env).expanduser() if env else folder / OVERRIDES_FILE_NAME


def _outlet_rules(folder: Path) -> OutletRules | None:
    try:
        lines = outlet_lines(review_file(folder).read_text(encoding="utf-8"))
        return parse_outlet_rules(lines) if lines else None
    except (OSError, UnicodeDecodeError, OutletRulesError):
        return None  # the rebuild that read the files said why


def outlet_aliases(index: Path | None) -> list[tuple[str, tuple[str, ...], int]]:
    """Each outlet of the index with the spellings folded into it (the user's outlet rules in
    the alias file, then the shipped known-outlets table) and its articles; outlets without
    other spellings are left out, and all of them when the index cannot be read."""
    from searchidx.index import open_index
    from searchidx.search.searching import search

    folder = index_folder(index)
    request = SearchRequest(facets=("outlet",), facet_size=1_000_000, limit=1, snippets=0)
    try:
        counts = search(open_index(folder), request).facet("outlet")
    except SearchIdxError:  # an alias table without a readable index: the entities still show
        return []
    rules = _outlet_rules(folder)
    rows = []
    for facet in counts:
        variants = outlet_variants(facet.value, rules)
        if variants:
            rows.append((facet.value, tuple(variants), facet.count))
    return rows
