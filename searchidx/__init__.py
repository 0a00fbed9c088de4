"""searchidx: private, offline news search in the terminal.

The public API, loaded on first use so that `import searchidx` stays cheap for the CLI:

    from searchidx import open_index, search, SearchRequest
    results = search(open_index(path), SearchRequest(query="defect*", facets=("outlet",)))
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "rebuild": "searchidx.rebuild.run",
    "index_status": "searchidx.rebuild.run",
    "open_index": "searchidx.index",
    "search": "searchidx.search.searching",
    "get_article": "searchidx.search.searching",
    "similar": "searchidx.search.searching",
    "Article": "searchidx.models",
    "Hit": "searchidx.models",
    "Snippet": "searchidx.models",
    "FacetCount": "searchidx.models",
    "SearchRequest": "searchidx.models",
    "SearchResults": "searchidx.models",
    "StoredArticle": "searchidx.models",
    "SearchIdxError": "searchidx.errors",
    "QuerySyntaxError": "searchidx.errors",
    "IndexMissing": "searchidx.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'searchidx' has no attribute {name!r}")
    return getattr(import_module(module), name)
