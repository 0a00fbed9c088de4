"""Reuters .sgm files built to make the reader's regular expressions quadratic (issue 22)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.conftest import run_python

STORY = '<REUTERS NEWID="1"><DATE>26-FEB-1987 15:01:01.79</DATE>{inside}</REUTERS>'
READ = """
from pathlib import Path
from searchidx.corpus.readers import read_file
result = read_file(Path({path!r}), Path({root!r}))
print(len(result.articles), [p.reason for p in result.problems])
"""


@pytest.mark.parametrize(
    "inside",
    [
        "<TEXT>" + "<TITLE>x " * 200_000 + "</TEXT>",  # unclosed titles
        "<TEXT>y " * 200_000,  # unclosed texts
        "<TEXT>" + "<AUTHOR>z " * 200_000 + "</TEXT>",  # unclosed authors, unprocessed story
        "<TEXT>words" + "\n" * 400_000 + "end</TEXT>",  # a blank run before the last line
    ],
    ids=["title", "text", "author", "blank-run"],
)
def test_unclosed_tags_read_in_linear_time(tmp_path: Path, inside: str) -> None:
    path = tmp_path / "hostile.sgm"
    path.write_text(STORY.format(inside=inside), encoding="ascii")
    done = run_python(READ.format(path=str(path), root=str(tmp_path)), timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("1 ") or "no text" in done.stdout, done.stdout
