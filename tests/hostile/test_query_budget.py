"""Query budgets: too many words, brackets too deep, wildcards and fuzzy words that stand for too
much are refused with a message saying what to change; did-you-mean stays bounded; `--batch`
answers every line."""

from __future__ import annotations

import itertools
import json
import string
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from searchidx.cli import main
from searchidx.errors import QuerySyntaxError
from searchidx.index.engines import open_index
from searchidx.index.whoosh_engine.reader import WhooshEngine
from searchidx.models import Article, SearchRequest
from searchidx.rebuild.run import index_articles
from searchidx.search import query_budget
from searchidx.search.searching import search

HANG = 5.0  # seconds: catches a hang, does not measure speed


def _words(count: int) -> list[str]:
    """`count` distinct made-up words the stemmer leaves alone ("qbaab", "qbaac", ...)."""
    letters = itertools.product("bcdfgklmnp", repeat=4)
    return ["q" + "".join(x) for x in itertools.islice(letters, count)]


@pytest.fixture(scope="module")
def big_lexicon(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index with 6,000 distinct words: more than a query may expand to."""
    words = _words(6000)
    articles = [
        Article(id=f"a{n}", path=f"a{n}.txt", title=f"Harbour report {n}",
                body=" ".join(words[n::4]) + " harbour cranes stopped")
        for n in range(4)
    ]  # fmt: skip
    path = tmp_path_factory.mktemp("lexicon") / "index"
    index_articles(path, articles)
    return path


def _refused(index: Path, text: str) -> QuerySyntaxError:
    started = time.monotonic()
    with pytest.raises(QuerySyntaxError) as refused:
        search(open_index(index), SearchRequest(query=text))
    assert time.monotonic() - started < HANG
    return refused.value


def run(args: list[str], stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(main, args, input=stdin, env={"SEARCHIDX_INDEX": None})


def test_too_many_words(big_lexicon: Path) -> None:
    error = _refused(big_lexicon, " AND ".join(_words(300)))
    assert "300 words" in str(error) and "fewer" in str(error)
    assert "1,000 words" in str(_refused(big_lexicon, " ".join(_words(1000))))


def test_literal_queries_may_be_longer(big_lexicon: Path) -> None:
    """A pasted paragraph (a CISI question has 334 words) is one group of optional words."""
    text = " ".join(_words(query_budget.MAX_LITERAL_WORDS))
    found = search(open_index(big_lexicon), SearchRequest(query=text, literal=True))
    assert found.total == 4
    refused = _words(query_budget.MAX_LITERAL_WORDS + 1)
    with pytest.raises(QuerySyntaxError, match="more than the 500 allowed"):
        search(open_index(big_lexicon), SearchRequest(query=" ".join(refused), literal=True))
    assert "101 words" in str(_refused(big_lexicon, " ".join(_words(101))))


def test_words_at_the_limit_are_answered(big_lexicon: Path) -> None:
    text = " ".join(_words(query_budget.MAX_WORDS))
    found = search(open_index(big_lexicon), SearchRequest(query=text))
    assert found.total == 4


def test_brackets_too_deep(big_lexicon: Path) -> None:
    error = _refused(big_lexicon, "(" * 400 + "harbour" + ")" * 400)
    assert "nested more than" in str(error) and "brackets" in str(error)
    depth = query_budget.MAX_DEPTH
    nested = "(" * depth + "harbour" + ")" * depth
    assert search(open_index(big_lexicon), SearchRequest(query=nested)).total == 4


def test_wildcard_matching_the_whole_lexicon(big_lexicon: Path) -> None:
    error = _refused(big_lexicon, "??*??")
    assert "'??*' matches 6,00" in str(error) and "more letters" in str(error)  # `?` ends it
    assert "matches" in str(_refused(big_lexicon, "q*"))
    assert search(open_index(big_lexicon), SearchRequest(query="qbbb*")).total == 4


def test_too_many_wildcard_or_fuzzy_words(big_lexicon: Path) -> None:
    fuzzy = " ".join(f"{w}~2" for w in _words(30))
    assert "wildcard or fuzzy words" in str(_refused(big_lexicon, fuzzy))
    wild = " ".join(f"*{c}*" for c in string.ascii_lowercase[:16])
    assert "spell some of them out" in str(_refused(big_lexicon, wild))


def test_did_you_mean_is_bounded(big_lexicon: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each unknown word costs a scan of the terms: only the first few are tried, and no word
    longer than a real word."""
    scans: list[str] = []
    real = WhooshEngine.terms_within

    def counted(self: WhooshEngine, field: str, term: str, maxdist: int) -> list[str]:
        scans.append(term)
        return real(self, field, term, maxdist)

    monkeypatch.setattr(WhooshEngine, "terms_within", counted)
    unknown = " ".join(f"zz{w}" for w in _words(60))
    found = search(open_index(big_lexicon), SearchRequest(query=unknown))
    assert found.total == 0
    assert len(scans) <= query_budget.SUGGEST_WORDS
    scans.clear()
    search(open_index(big_lexicon), SearchRequest(query="harbourx" * 125))  # 1,000 characters
    assert scans == []


def test_undecodable_query_is_a_message(big_lexicon: Path) -> None:
    # `searchidx query $'author:\xff'`: Python hands the byte over as a lone surrogate
    result = run(["query", "author:\udcff", "--index", str(big_lexicon)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: the query holds a byte that is not UTF-8")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", ["show", "similar"])
def test_undecodable_article_id_is_a_message(big_lexicon: Path, command: str) -> None:
    result = run([command, "a\udcff", "--index", str(big_lexicon)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no article with id 'a\\udcff'")
    assert "Traceback" not in result.output


def test_budget_errors_exit_2_with_one_line(big_lexicon: Path) -> None:
    result = run(["query", "(" * 400 + "x" + ")" * 400, "--index", str(big_lexicon)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_batch_answers_every_line(big_lexicon: Path) -> None:
    lines = [
        "harbour",
        "(" * 400 + "harbour" + ")" * 400,  # crashed the parser's recursion
        " ".join(_words(1000)),
        "??*??",
        "author:\udcff",
        "cranes",
    ]
    stdin = ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")  # the byte as it came
    result = run(["query", "--batch", "--index", str(big_lexicon)], stdin)
    assert result.exit_code == 2  # some lines failed
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == len(lines)
    assert [a.get("total") for a in answers] == [4, None, None, None, None, 4]
    assert all("error" in a for a in answers[1:5])
    assert "Traceback" not in result.stderr
