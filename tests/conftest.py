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
