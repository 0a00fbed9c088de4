"""The engine seam: everything search, facets, snippets and stories ask of an open index.

One Protocol, typed, with no engine's objects in it: queries come in as the neutral tree of
`querytree`, documents go out as opaque int numbers (valid for one generation) and stored
fields as the `Article` they came from. whoosh is one implementation (`whoosh_engine`); another
engine is one more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from searchidx.index.querytree import QueryNode, TermLeaf
from searchidx.models import Article

if TYPE_CHECKING:  # numpy is imported only by a process that counts facets
    from searchidx.index.value_table import ValueTable

T = TypeVar("T")
# document numbers: opaque, valid for the generation the engine has open
DocSet = frozenset[int]


# one analysed word of a text: (index term, word position, start, end) with [start, end) its
# characters; a plain tuple, since snippets make one per word of every body shown
Token = tuple[str, int, int, int]


class Segment(Protocol):
    """One part of the index as the engine stores it, with documents numbered locally. Story
    grouping follows segments: an unchanged segment need not be read again."""

    @property
    def id(self) -> str: ...

    def doc_count(self) -> int:
        """Live documents in the segment."""
        ...

    def live(self) -> Iterable[int]:
        """Local numbers of the segment's live documents."""
        ...

    def is_deleted(self, local: int) -> bool: ...

    def stored(self, local: int) -> Article: ...

    def doc(self, local: int) -> int:
        """The engine-wide document number of a local one."""
        ...


class Engine(Protocol):
    """An open index: the live generation, followed by `refresh`."""

    @property
    def generation(self) -> Path:
        """The generation folder open now (its side files, story state)."""
        ...

    def refresh(self) -> bool:
        """Follow the index to its live generation; True when a newer one was opened."""
        ...

    def close(self) -> None: ...

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """`compute()`, remembered until the generation changes (upper layers' caches)."""
        ...

    def side_json(self, name: str, default: object = None) -> object:
        """A JSON side file of the generation (aliases, meta), read once per generation."""
        ...

    # -- matching

    def live_docs(self) -> DocSet: ...

    def match(self, query: QueryNode) -> DocSet:
        """Exactly the live documents `query` matches."""
        ...

    def day_docs(self, low: int | None, high: int | None) -> DocSet:
        """Live dated documents published in [low, high] (yyyymmdd; None: open end)."""
        ...

    def date_ordered(self, docs: DocSet, newest: bool, limit: int) -> list[int]:
        """The first `limit` of `docs` by publication time, undated documents last."""
        ...

    def rank(self, query: QueryNode, within: DocSet, limit: int | None) -> list[tuple[int, float]]:
        """(document, score) of the best `limit` of `within` (all: None) by relevance."""
        ...

    def term_scores(
        self, terms: Sequence[tuple[str, str, float]], docs: Sequence[int]
    ) -> list[float]:
        """For each of `docs`: the sum over (field, term, weight) of weight x the score `rank`
        gives `Term(field, term)` in it (0 where the document lacks the term), reading only what
        those documents need (feedback reorders a ranking's best documents with it)."""
        ...

    def more_like(self, doc: int, limit: int) -> list[tuple[int, float]]:
        """(document, score) of the documents sharing the key terms of `doc`'s body."""
        ...

    # -- documents and fields

    def stored(self, doc: int) -> Article:
        """The article as indexed (its stored fields)."""
        ...

    def doc_of(self, article_id: str) -> int | None: ...

    def field_values(self, field: str) -> Mapping[str, DocSet]:
        """Each indexed value of a keyword field -> its live documents (placeholders left out)."""
        ...

    def value_count(self, field: str, value: str) -> int:
        """How many live documents hold this value of a keyword field (`len` of its
        `field_values` entry, without listing them)."""
        ...

    def facet_table(self, field: str) -> ValueTable | None:
        """The facet table written with the generation for a field (`facet_tables`): values
        with aliases applied and document -> value ids; None when the generation has none."""
        ...

    def number_column(self, field: str) -> Sequence[int]:
        """A numeric sortable field's value of every document, indexed by document number (0 when
        it has none; read for live documents only)."""
        ...

    def text_column(self, field: str) -> Sequence[str]:
        """A single-valued sortable text field's value of every document, indexed by document
        number ("" when it has none; read for live documents only)."""
        ...

    def segments(self) -> Sequence[Segment]: ...

    # -- terms and analysis

    def analyze(self, text: str, field: str = "body") -> list[str]:
        """The index terms a text becomes in a text field, as a query analyses it."""
        ...

    def tokens(self, text: str, field: str = "body") -> list[Token]:
        """The words of a text as the index analysed them, with positions and characters."""
        ...

    def term_frequency(self, field: str, term: str) -> int: ...

    def doc_frequency(self, field: str, term: str) -> int:
        """Live and deleted documents holding the term (what BM25's idf counts)."""
        ...

    def terms_within(self, field: str, term: str, maxdist: int) -> list[str]:
        """Index terms at most `maxdist` edits from `term`."""
        ...

    def expand(self, leaf: TermLeaf) -> list[str]:
        """The index terms a leaf stands for (a term: itself, when the index holds it)."""
        ...

    def describe(self, query: QueryNode) -> str:
        """The query as the engine reads it, for `parsed_query`."""
        ...
