"""TUI fixtures: a fake backend over the two seed articles (front matter read by hand)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.tui.fake_backend import FakeArticle, FakeBackend

SEED = Path(__file__).resolve().parents[2] / "corpus"

# what the entity extractor is expected to find; enough to exercise the entity facets
ENTITIES = {
    "cnn": (
        ("Moon Sang-gyun", "Jeong Joon-hee", "Kim Jong Un"),
        ("Reconnaissance General Bureau", "Yonhap", "CNN"),
        ("North Korea", "South Korea", "Seoul", "Pyongyang"),
    ),
    "vice-news": (
        ("Park Geun-hye", "Lee Jin-man"),
        ("General Reconnaissance Bureau", "Yonhap", "Minjoo Party"),
        ("North Korea", "South Korea", "Seoul", "Washington"),
    ),
}


def seed_fake_articles() -> list[FakeArticle]:
    articles = []
    for path in sorted(SEED.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        _, head, body = text.split("---\n", 2)
        meta = dict(line.split(": ", 1) for line in head.strip().splitlines())
        key = "cnn" if path.name.startswith("cnn") else "vice-news"
        people, organisations, places = ENTITIES[key]
        articles.append(
            FakeArticle(
                id=path.stem,
                title=meta["title"].strip('"'),
                outlet=meta["outlet"],
                published=datetime.fromisoformat(meta["date"]).replace(tzinfo=UTC),
                body=body.strip(),
                people=people,
                organisations=organisations,
                places=places,
            )
        )
    return articles


@pytest.fixture
def fake_backend() -> FakeBackend:
    return FakeBackend(seed_fake_articles())


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index of the two seed articles (entities added by hand: no spaCy run here)."""
    from dataclasses import replace

    from searchidx.corpus.readers import read_file
    from searchidx.rebuild.run import index_articles

    articles = []
    for path in sorted(SEED.glob("*.txt")):
        article = read_file(path, SEED).articles[0]
        key = "cnn" if path.name.startswith("cnn") else "vice-news"
        people, organisations, places = ENTITIES[key]
        articles.append(replace(article, people=people, organisations=organisations, places=places))
    folder = tmp_path_factory.mktemp("seed") / ".searchidx"
    index_articles(folder, articles)
    return folder


@pytest.fixture
def seed_backend(seed_index: Path):
    """The real backend (searchidx.search.searching) over the seed index."""
    from tui.backend import IndexBackend

    return IndexBackend(seed_index)
