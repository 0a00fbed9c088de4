"""Readers for the IR collections, on small excerpts in each format, plus the real files' counts."""

from __future__ import annotations

import pytest

from bench.quality.ir import (
    cisi_qrels,
    cranfield_qrels,
    load_collection,
    npl_documents,
    npl_qrels,
    npl_queries,
    smart_documents,
    smart_queries,
    trec_qrels,
)
from tests.conftest import shared_corpus

CISI = """.I 1
.T
18 Editions of the Dewey Decimal Classifications
.A
Comaromi, J.P.
.W
   The present study is a history of the DEWEY Decimal
Classification.
.X
1\t5\t1
92\t1\t1
.I 2
.T<sp>
Use Made of Technical Libraries
.A<sp>
Slater, M.
.W
This report is an analysis of 6300 acts of use
in 104 technical libraries.
""".replace("<sp>", " ")  # CISI has markers with a trailing space

CRAN_QUERIES = """.I 001
.W
what similarity laws must be obeyed when constructing aeroelastic models
of heated high speed aircraft .
.I 002
.W
what are the structural and aeroelastic problems .
.I 004
.W
what problems of heat conduction in composite slabs have been solved so
far .
"""

NPL_DOCS = """1
compact memories have flexible capacities  a digital data storage
system with capacity up to bits
   /
2
an electronic analogue computer for solving systems of linear equations
   /
"""


def test_smart_documents_take_title_and_body_not_authors_or_links() -> None:
    docs = smart_documents(CISI)
    assert [d.id for d in docs] == ["1", "2"]
    assert docs[0].title == "18 Editions of the Dewey Decimal Classifications"
    assert docs[0].body == "The present study is a history of the DEWEY Decimal Classification."
    assert "Comaromi" not in docs[0].body and "92" not in docs[0].body
    # ".T " with a trailing space is still a section marker.
    assert docs[1].title == "Use Made of Technical Libraries"
    assert docs[1].body.endswith("in 104 technical libraries.")


def test_cranfield_queries_numbered_by_ordinal() -> None:
    queries = smart_queries(CRAN_QUERIES, ordinal_ids=True)
    assert [q.id for q in queries] == ["1", "2", "3"]
    assert queries[2].text.startswith("what problems of heat conduction")
    assert [q.id for q in smart_queries(CRAN_QUERIES)] == ["1", "2", "4"]


def test_cranfield_codes_become_gains_and_minus_one_is_dropped() -> None:
    qrels = cranfield_qrels("1 184 2 \n1 29 1\n1 486 -1\n2 12 4\n")
    assert qrels == {"1": {"184": 3, "29": 4}, "2": {"12": 1}}


def test_cisi_and_trec_qrels() -> None:
    assert cisi_qrels("     1     28\t0\t0.000000\n     1     35\t0\t0.000000\n 2 7 0 0\n") == {
        "1": {"28": 1, "35": 1},
        "2": {"7": 1},
    }
    assert trec_qrels("1 0 13 1\n1 0 14 1\n2 0 99 0\n") == {"1": {"13": 1, "14": 1}}


def test_npl_records_end_with_slash() -> None:
    docs = npl_documents(NPL_DOCS)
    assert [d.id for d in docs] == ["1", "2"]
    assert docs[0].body == (
        "compact memories have flexible capacities a digital data storage system with capacity up"
        " to bits"
    )
    assert docs[0].title == ""
    queries = npl_queries("1\nMEASUREMENT OF DIELECTRIC CONSTANT\n/\n2\nWAVEGUIDE FED\n/\n")
    assert [(q.id, q.text) for q in queries] == [
        ("1", "measurement of dielectric constant"),
        ("2", "waveguide fed"),
    ]
    qrels = npl_qrels("1\n 1239  1502\n 7923\n   /\n2\n  414\n   /\n")
    assert qrels == {"1": {"1239": 1, "1502": 1, "7923": 1}, "2": {"414": 1}}


@pytest.mark.parametrize(
    ("name", "documents", "queries", "judged"),
    [
        ("cisi", 1460, 112, 76),
        ("cran", 1400, 225, 225),
        ("med", 1033, 30, 30),
        ("npl", 11429, 93, 93),
    ],
)
def test_real_collections_match_source_counts(
    name: str, documents: int, queries: int, judged: int
) -> None:
    collection = load_collection(name, shared_corpus("ir_small").parent / "ir_small")
    assert len(collection.documents) == documents
    assert len(collection.queries) == queries
    assert len(collection.judged_queries()) == judged
    ids = {d.id for d in collection.documents}
    assert all(doc in ids for judged_docs in collection.qrels.values() for doc in judged_docs)
