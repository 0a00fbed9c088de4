"""All of Reuters-21578 through the real walk and readers: the counts the issue promises."""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest

from searchidx.corpus.readers import read_file
from searchidx.corpus.walk import Source, walk
from tests.conftest import shared_corpus


@pytest.mark.slow
def test_whole_reuters_collection() -> None:
    root = shared_corpus("reuters21578")
    started = time.perf_counter()
    articles = []
    problems = []
    walked = [item for item in walk(root) if isinstance(item, Source)]
    # the folder also holds category lists (.txt); README.txt and SOURCE.md are not walked
    assert "README.txt" not in {s.rel for s in walked} and "SOURCE.md" not in {
        s.rel for s in walked
    }
    sources = [s for s in walked if s.rel.endswith(".sgm")]
    assert [s.rel for s in sources] == [f"reut2-{n:03d}.sgm" for n in range(22)]
    for source in sources:
        result = read_file(source.path, root)
        articles.extend(result.articles)
        problems.extend(result.problems)
    elapsed = time.perf_counter() - started

    # counted independently of the reader, straight from the raw files
    raw = "".join(s.path.read_text(encoding="utf-8") for s in sources)
    assert raw.count("<REUTERS ") == 21_578
    assert raw.count("<TITLE>") == 20_841

    assert len(articles) == 21_577
    assert len({a.id for a in articles}) == 21_577
    assert all(a.outlet == "Reuters" and a.title for a in articles)
    stories = re.findall(r'NEWID="(\d+)">(.*?)</REUTERS>', raw, re.DOTALL)
    no_title = {newid for newid, story in stories if "<TITLE>" not in story}
    assert len(no_title) == 737  # 736 with text, and NEWID 12793 with none
    by_newid = {a.id.split("#")[1]: a for a in articles}
    untitled = [by_newid[newid] for newid in sorted(no_title) if newid in by_newid]
    assert len(untitled) == 736
    for article in untitled:  # the title is the opening line of the text
        assert article.title and " ".join(article.body.split()).startswith(
            article.title.rstrip("…")
        )
    assert sum(1 for a in articles if not a.body) == 1_798  # TYPE="BRIEF": title only

    skipped = [p for p in problems if p.skipped]
    warnings = [p for p in problems if not p.skipped]
    assert [(p.path, p.reason) for p in skipped] == [
        ("reut2-012.sgm", "story NEWID=12793: no text at all (no title, no body)")
    ]
    malformed = sorted(re.search(r"NEWID=(\d+)", p.reason).group(1) for p in warnings)  # type: ignore[union-attr]
    assert malformed == ["14609", "15370", "15785", "17192"]
    assert all("malformed date" in p.reason for p in warnings)
    undated = {a.id.split("#")[1] for a in articles if a.published is None}
    assert undated == set(malformed)
    assert all(a.published is None or a.published.tzinfo is not None for a in articles)
    years = Counter(a.published.year for a in articles if a.published)
    assert set(years) == {1987}
    # a hang catcher (a reader gone quadratic takes minutes), not a speed target: that is in bench/
    assert elapsed < 180, f"reading Reuters took {elapsed:.1f}s"
