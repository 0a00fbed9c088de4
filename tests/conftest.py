"""Shared fixtures: paths to the shipped corpus and to ../shared, skipped cleanly when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SEED_CORPUS = PROJECT / "corpus"
SHARED = PROJECT.parent / "shared"
CORPORA = SHARED / "corpora"


def shared_corpus(name: str) -> Path:
    """The folder ../shared/corpora/NAME, or a clean skip when it is not there."""
    folder = CORPORA / name
    if not folder.is_dir():
        pytest.skip(f"../shared/corpora/{name} is not available on this machine")
    return folder


@pytest.fixture
def seed_corpus() -> Path:
    return SEED_CORPUS


# Entity values given by hand (no spaCy in these tests): the two articles name the same bureau
# in two word orders, merged by the alias table.
SEED_ENTITIES = {
    "cnn": (
        ("Moon Sang-gyun", "Jeong Joon-hee"),
        ("Reconnaissance General Bureau", "Yonhap News Agency"),
        ("North Korea", "South Korea", "Seoul", "China"),
    ),
    "vice": (
        ("Lee Jin-man",),
        ("General Reconnaissance Bureau", "Yonhap"),
        ("North Korea", "South Korea", "Seoul", "Washington"),
    ),
}
SEED_ALIASES = {
    "people": {},
    "organisations": {
        "reconnaissance general bureau": "General Reconnaissance Bureau",
        "yonhap news agency": "Yonhap",
    },
    "places": {},
}


def seed_articles() -> list:
    """The seed corpus as Articles, front matter parsed here, entity values from SEED_ENTITIES."""
    from datetime import UTC, datetime

    from searchidx.models import Article

    articles = []
    for path in sorted(SEED_CORPUS.glob("*.txt")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = dict(line.split(": ", 1) for line in front.strip().splitlines())
        year, month, day = (int(x) for x in meta["date"].split("-"))
        people, orgs, places = SEED_ENTITIES["cnn" if path.name.startswith("cnn") else "vice"]
        articles.append(
            Article(
                id=path.stem, path=path.name, title=meta["title"].strip('"'), body=body.strip(),
                outlet=meta["outlet"], published=datetime(year, month, day, tzinfo=UTC),
                date_only=True, people=people, organisations=orgs, places=places,
            )
        )  # fmt: skip
    return articles


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the seed corpus with hand-made entities and alias table (built once)."""
    from searchidx.index.generations import write_side_json
    from searchidx.rebuild.run import index_articles

    path = tmp_path_factory.mktemp("seed") / "index"
    generation = index_articles(path, seed_articles())
    write_side_json(generation, "aliases.json", SEED_ALIASES)
    return path


def child_pids(pid: int) -> list[int]:
    """The pids whose parent is `pid`, read from /proc (the rebuild's worker processes)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found
