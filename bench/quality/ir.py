"""Readers for the classic IR test collections (CISI, Cranfield, MED, NPL): docs, queries, qrels."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Relevance judgements: query id -> document id -> gain (> 0 means relevant).
Qrels = dict[str, dict[str, int]]


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    body: str


@dataclass(frozen=True)
class Query:
    id: str
    text: str


@dataclass(frozen=True)
class Collection:
    name: str
    documents: tuple[Document, ...]
    queries: tuple[Query, ...]
    qrels: Qrels = field(default_factory=dict)

    def judged_queries(self) -> tuple[Query, ...]:
        """The queries with at least one relevant document (the others cannot be scored)."""
        return tuple(
            q for q in self.queries if any(g > 0 for g in self.qrels.get(q.id, {}).values())
        )


_MARKER = re.compile(r"^\.([A-Z])(?:\s+(\S+))?\s*$")


def smart_records(text: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Split SMART-format text (".I id" then ".X" sections) into (id, {letter: section text})."""
    record_id: str | None = None
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        marker = _MARKER.match(line)
        if marker and marker.group(1) == "I" and marker.group(2):
            if record_id is not None:
                yield record_id, _joined(sections)
            record_id, sections, current = marker.group(2), {}, None
        elif marker and marker.group(2) is None:
            current = marker.group(1)
            sections.setdefault(current, [])
        elif current is not None:
            sections[current].append(line)
    if record_id is not None:
        yield record_id, _joined(sections)


def _joined(sections: dict[str, list[str]]) -> dict[str, str]:
    return {letter: " ".join(" ".join(lines).split()) for letter, lines in sections.items()}


def _read(path: Path) -> str:
    # The collections are plain ASCII, but a stray byte must not stop a whole run.
    return path.read_text(encoding="latin-1")


def smart_documents(text: str) -> tuple[Document, ...]:
    return tuple(
        Document(id=str(int(rid)), title=parts.get("T", ""), body=parts.get("W", ""))
        for rid, parts in smart_records(text)
    )


def smart_queries(text: str, ordinal_ids: bool = False) -> tuple[Query, ...]:
    """Queries from .I/.W records; `ordinal_ids` numbers them 1..n (Cranfield's qrels do)."""
    records = list(smart_records(text))
    return tuple(
        Query(id=str(n) if ordinal_ids else str(int(rid)), text=parts.get("W", ""))
        for n, (rid, parts) in enumerate(records, start=1)
    )


def cisi_qrels(text: str) -> Qrels:
    """CISI.REL lines: query, document, then two unused columns; every listed pair is relevant."""
    qrels: Qrels = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            qrels.setdefault(str(int(parts[0])), {})[str(int(parts[1]))] = 1
    return qrels


def cranfield_qrels(text: str) -> Qrels:
    """cranqrel lines: query ordinal, document, Cleverdon code (1 = complete answer ...
    4 = minimum interest; -1 = no interest). Gains: 1 -> 4, 2 -> 3, 3 -> 2, 4 -> 1; -1 dropped."""
    qrels: Qrels = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        code = int(parts[2])
        if 1 <= code <= 4:
            qrels.setdefault(str(int(parts[0])), {})[str(int(parts[1]))] = 5 - code
    return qrels


def trec_qrels(text: str) -> Qrels:
    """TREC-style lines "query 0 document relevance" (MED.REL)."""
    qrels: Qrels = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 4 and int(parts[3]) > 0:
            qrels.setdefault(str(int(parts[0])), {})[str(int(parts[2]))] = int(parts[3])
    return qrels


def slash_records(text: str) -> Iterator[tuple[str, str]]:
    """NPL files: a number on its own line, then text, each record ending with a "/" line."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip() == "/":
            if lines:
                yield lines[0].strip(), " ".join(" ".join(lines[1:]).split())
            lines = []
        elif line.strip() or lines:
            lines.append(line)
    if lines and lines[0].strip():
        yield lines[0].strip(), " ".join(" ".join(lines[1:]).split())


def npl_documents(text: str) -> tuple[Document, ...]:
    records = slash_records(text)
    return tuple(Document(id=str(int(rid)), title="", body=body) for rid, body in records)


def npl_queries(text: str) -> tuple[Query, ...]:
    # NPL queries are upper case; the lower-casing analyzers make that irrelevant, but the report
    # reads better in lower case.
    return tuple(Query(id=str(int(rid)), text=body.lower()) for rid, body in slash_records(text))


def npl_qrels(text: str) -> Qrels:
    """rlv-ass: the query number, then the relevant document numbers over several lines."""
    qrels: Qrels = {}
    for rid, body in slash_records(text):
        qrels[str(int(rid))] = {str(int(doc)): 1 for doc in body.split()}
    return qrels


COLLECTIONS = ("cisi", "cran", "med", "npl")


def load_collection(name: str, root: Path) -> Collection:
    """Read collection `name` from its folder under `root` (ir_small's layout)."""
    folder = root / name
    if name == "cisi":
        return Collection(
            name,
            smart_documents(_read(folder / "CISI.ALL")),
            smart_queries(_read(folder / "CISI.QRY")),
            cisi_qrels(_read(folder / "CISI.REL")),
        )
    if name == "cran":
        return Collection(
            name,
            smart_documents(_read(folder / "cran.all.1400")),
            smart_queries(_read(folder / "cran.qry"), ordinal_ids=True),
            cranfield_qrels(_read(folder / "cranqrel")),
        )
    if name == "med":
        return Collection(
            name,
            smart_documents(_read(folder / "MED.ALL")),
            smart_queries(_read(folder / "MED.QRY")),
            trec_qrels(_read(folder / "MED.REL")),
        )
    if name == "npl":
        return Collection(
            name,
            npl_documents(_read(folder / "doc-text")),
            npl_queries(_read(folder / "query-text")),
            npl_qrels(_read(folder / "rlv-ass")),
        )
    raise ValueError(f"unknown collection {name!r}: expected one of {', '.join(COLLECTIONS)}")
