"""`query --group-stories` and `query --timeline`: the searches they add and their output."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from searchidx.cli.output import results_text
from searchidx.cli.story_output import grouped_hits_json, grouped_text, stories_csv
from searchidx.cli.terminal import visible
from searchidx.models import SearchRequest, SearchResults
from searchidx.search.records import Json, Record, dumps, hit_record, hits_csv, results_record
from searchidx.stories.grouped import StoryResults
from searchidx.stories.timeline import Timeline, timeline_json, timeline_text

if TYPE_CHECKING:
    from searchidx.index.engine import Engine


@dataclass(frozen=True)
class ExtendedResults:
    """A page of results with, when asked, its hits grouped by story and its timeline."""

    results: SearchResults
    found: StoryResults | None  # with --group-stories: one hit per story
    line: Timeline | None  # with --timeline

    def hit_records(self) -> list[Json]:
        if self.found is not None:
            return list(grouped_hits_json(self.found))
        return [hit_record(h) for h in self.results.hits]

    def record(self, with_facets: bool) -> Record:
        """The `--format json` object: `results_record`, plus `stories_total` and `timeline`."""
        record = results_record(self.results, with_facets)
        if self.found is not None:
            record["hits"] = self.hit_records()
            record["stories_total"] = self.found.total_stories
        if self.line is not None:
            record["timeline"] = timeline_json(self.line)
        return record


def extended_search(
    index: Engine,
    request: SearchRequest,
    group: bool,
    interval: str | None,
    all_copies: bool = False,
) -> ExtendedResults:
    from searchidx.search.searching import search
    from searchidx.stories.collapse import collapsed_search
    from searchidx.stories.grouped import search_stories
    from searchidx.stories.timeline import timeline

    request = replace(request, all_copies=all_copies)
    found = search_stories(index, request, articles=1) if group else None
    if found is not None:
        results = found.results
    else:
        results = search(index, request) if all_copies else collapsed_search(index, request)
    line = timeline(index, request, interval) if interval else None
    return ExtendedResults(results, found, line)


def render_extended(extended: ExtendedResults, fmt: str, with_facets: bool, colour: bool) -> str:
    if fmt == "json":
        return dumps(extended.record(with_facets))
    if fmt == "jsonl":
        return "\n".join(dumps(hit) for hit in extended.hit_records())
    found, results = extended.found, extended.results
    if fmt == "csv":
        return stories_csv(found) if found is not None else hits_csv(results.hits)
    if found is None:
        text = results_text(results, with_facets, colour)
    else:
        # Counts, suggestion and facets from the plain renderer; one block per story for hits.
        head, *rest = results_text(replace(results, hits=()), with_facets, colour).split("\n\n")
        first = results.request.offset + 1
        last = first + len(found.stories) - 1
        shown = f", showing stories {first}-{last}" if found.stories else ""
        noun = "story" if found.total_stories == 1 else "stories"
        head = f"{head} in {found.total_stories} {noun}{shown}"
        text = "\n\n".join([head, *grouped_text(found, colour), *rest])
    if extended.line is not None:
        text += "\n\n" + visible(timeline_text(extended.line))
    return text
