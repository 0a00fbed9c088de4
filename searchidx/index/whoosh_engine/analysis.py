"""Analyzer pipelines (tokenizer | filters) for the text fields."""

from __future__ import annotations

from whoosh.analysis import Analyzer, StemmingAnalyzer
from whoosh.lang.porter2 import stem as porter2_stem

# Porter2, not whoosh's default Porter: the old one leaves "running" as "runn"
# (whoosh-notes trap 1).


def body_analyzer() -> Analyzer:
    return StemmingAnalyzer(stemfn=porter2_stem, cachesize=50000)


def title_analyzer() -> Analyzer:
    return StemmingAnalyzer(stemfn=porter2_stem, cachesize=50000)
