"""Small entity fixtures shared by the entity tests: a spaCy Doc with hand-marked entities, and
one article's entities as the corpus-level decisions read them."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from searchidx.entities import ArticleEntities

NLP = spacy.blank("en")


def marked_doc(text: str, spans: list[tuple[str, str]]) -> Doc:
    """`text` tokenised by spaCy's English rules, with each (words, label) marked as an entity."""
    doc = NLP(text)
    ents = []
    for words, label in spans:
        start = text.index(words)
        span = doc.char_span(start, start + len(words), label=label)
        assert span is not None, words
        ents.append(span)
    doc.ents = ents
    return doc


def article(
    people: tuple[str, ...] = (),
    orgs: tuple[str, ...] = (),
    places: tuple[str, ...] = (),
    cues: tuple[tuple[str, str, str], ...] = (),
) -> ArticleEntities:
    """One English article's entity values and context cues."""
    return ArticleEntities(
        people=people, organisations=orgs, places=places, language="en", cues=cues
    )
