"""An HTML page built to make the parser quadratic: refused before any parser sees it (issue 22)."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.conftest import run_python

READ = """
from pathlib import Path
from searchidx.corpus.readers import read_file
result = read_file(Path({path!r}), Path({root!r}))
print(len(result.articles), [p.reason for p in result.problems])
"""


def test_a_tag_with_a_million_distinct_attributes_is_refused_quickly(tmp_path: Path) -> None:
    attributes = " ".join(f"a{n}=x" for n in range(1_000_000))  # about 9 MB
    story = "<p>" + "Dockers at the harbour struck on Monday. " * 20 + "</p>"
    page = f"<html><body><div {attributes}>hi</div>{story}</body></html>"
    (tmp_path / "many.html").write_text(page, encoding="ascii")
    done = run_python(READ.format(path=str(tmp_path / "many.html"), root=str(tmp_path)), 60)
    assert done.returncode == 0, done.stderr
    assert "a tag with 1,000,000 attributes" in done.stdout, done.stdout


def test_pages_with_ordinary_tags_are_still_read(tmp_path: Path) -> None:
    from searchidx.corpus.readers import read_file

    image = '<img src="data:image/png;base64,' + "A" * 200_000 + '" alt="a harbour">'
    story = "<p>" + "Dockers at the harbour struck on Monday. " * 20 + "</p>"
    (tmp_path / "ok.html").write_text(f"<html><body>{image}{story}</body></html>", "ascii")
    result = read_file(tmp_path / "ok.html", tmp_path)
    assert len(result.articles) == 1, result.problems


def test_long_quoted_values_are_not_counted_as_attributes(tmp_path: Path) -> None:
    """An SVG path of thousands of numbers (FAZ, NRK) or JSON in a data- attribute (iNews) is
    one attribute; a million quoted attributes are still a million."""
    from searchidx.corpus.readers import read_file

    path_data = " ".join(f"L {n}.5 {n}.25" for n in range(3_000))
    story = "<p>" + "Dockers at the harbour struck on Monday. " * 20 + "</p>"
    page = f'<html><body><svg><path fill="none" d="M 0 0 {path_data}"/></svg>{story}</body></html>'
    (tmp_path / "svg.html").write_text(page, encoding="ascii")
    result = read_file(tmp_path / "svg.html", tmp_path)
    assert result.articles and "Dockers" in result.articles[0].body, result.problems
    quoted = " ".join(f'a{n}="x y"' for n in range(3_000))
    (tmp_path / "many.html").write_text(f"<html><body><div {quoted}>hi</div>{story}</body></html>")
    (problem,) = read_file(tmp_path / "many.html", tmp_path).problems
    assert "a tag with 3,000 attributes" in problem.reason
