"""Searching the index: the query language, one search API, facets, snippets, records.

Flow: query.py parses the user's text into a neutral query tree (searchidx.index.querytree);
searching.py runs `search(engine, SearchRequest) -> SearchResults`: exact match set, filters,
ranked page, snippets (snippets.py: spans as data, no markup), disjunctive facet counts
(facets.py); records.py turns hits into the one record shape every output (CLI JSON, JSONL,
CSV, the TUI export) writes; worksets.py runs the working set's searches (watchlists, batch
queries, saved searches) into summary rows. Everything asked of the index goes through the
typed `Engine` interface, so this package works the same on any engine.
"""
