"""The entity bench's readers and scoring, on tiny hand-made inputs."""

from __future__ import annotations

from pathlib import Path

from bench.quality.entities import _person_found, _place_found, _prf, read_conll

CONLL_EXCERPT = """\
North NNP I-NP I-LOC
Korea NNP I-NP I-LOC
's POS B-NP O
army NN I-NP O
. . O O

Kim NNP I-NP I-PER
Jong NNP I-NP I-PER
Un NNP I-NP I-PER
met NN I-NP O
Reuters NNP I-NP I-ORG
Moon NNP I-NP B-ORG

-DOCSTART- -X- O O
Seoul NNP I-NP I-LOC
. . O O

-DOCSTART- -X- O O"""


def test_read_conll_splits_documents_and_spans(tmp_path: Path) -> None:
    path = tmp_path / "eng.testa"
    path.write_text(CONLL_EXCERPT, encoding="utf-8")
    documents = read_conll(path)
    assert len(documents) == 2
    text, gold = documents[0]
    assert text.splitlines()[0] == "North Korea 's army ."
    assert gold == {
        "people": {"Kim Jong Un"},
        "organisations": {"Reuters", "Moon"},  # B- starts a new span next to the previous
        "places": {"North Korea"},
    }
    assert documents[1][1]["places"] == {"Seoul"}


def test_prf_is_case_and_punctuation_blind() -> None:
    scores = _prf([{"U.S.", "Seoul", "Busan"}], [{"US", "Seoul", "Tokyo", "Osaka"}])
    assert scores == {"precision": round(2 / 3, 3), "recall": 0.5, "f1": round(4 / 7, 3)}


def test_prf_matches_a_canonical_value_through_the_forms_the_document_used() -> None:
    predicted, gold = [{"U.S.", "Tony Blair"}], [{"United States", "Blair"}]
    assert _prf(predicted, gold)["recall"] == 0.0
    forms = [{"U.S.": {"United States"}, "Tony Blair": {"Blair"}}]
    assert _prf(predicted, gold, forms) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_reuters_codes_match_names() -> None:
    assert _place_found("usa", {"U.S."})
    assert _place_found("west-germany", {"West Germany"})
    assert not _place_found("uk", {"Ukraine"})
    assert _person_found("james-baker", {"James Baker"})
    assert _person_found("reagan", {"Ronald Reagan"})
    assert not _person_found("reagan", {"Reagan Administration Official"})
