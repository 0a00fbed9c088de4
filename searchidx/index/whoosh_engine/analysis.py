"""Analyzer pipelines (tokenizer | filters) for the text fields, and the terms and tokens they
give (both engines index these; the tantivy engine imports only this module of whoosh's side)."""

from __future__ import annotations

from whoosh.analysis import Analyzer, StemmingAnalyzer
from whoosh.lang.porter2 import stem as porter2_stem

from searchidx.index.engine import Token

# Porter2, not whoosh's default Porter: the old one leaves "running" as "runn"
# (whoosh-notes trap 1).


def body_analyzer() -> Analyzer:
    return StemmingAnalyzer(stemfn=porter2_stem, cachesize=50000)


def title_analyzer() -> Analyzer:
    return StemmingAnalyzer(stemfn=porter2_stem, cachesize=50000)


_ANALYZERS: dict[str, Analyzer] = {}


def _analyzer(field: str) -> Analyzer:
    name = "title" if field == "title" else "body"
    if name not in _ANALYZERS:
        _ANALYZERS[name] = title_analyzer() if name == "title" else body_analyzer()
    return _ANALYZERS[name]


def analyze_text(text: str, field: str = "body") -> list[str]:
    """The index terms (stems, stop words removed) a query's text becomes in a text field."""
    return [token.text for token in _analyzer(field)(text, mode="query")]


def text_tokens(text: str, field: str = "body") -> list[Token]:
    """The words of a text as indexing analyses them, with positions and character spans."""
    return [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in _analyzer(field)(text, positions=True, chars=True, mode="index")
    ]
