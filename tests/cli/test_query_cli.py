"""`searchidx query`, `show`, `similar` through CliRunner: stdout, stderr, exit code, JSON shape."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from searchidx.cli import main

CNN = "cnn-2016-04-11-north-korean-colonel-defects"
VICE = "vice-news-2016-04-11-most-senior-military-defection"
HIT_KEYS = {
    "id", "path", "title", "outlet", "published", "authors", "url", "score",
    "people", "organisations", "places", "snippets", "title_spans",
}  # fmt: skip
TOP_KEYS = {"hits", "total", "query", "suggestion", "took_ms"}


def run(args: list[str], stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, args, input=stdin, env={"NO_COLOR": None})


def test_json_shape_is_pinned(seed_index: Path) -> None:
    result = run(["query", "defection", "--format", "json", "--index", str(seed_index)])
    assert result.exit_code == 0 and result.stderr == ""
    document = json.loads(result.stdout)
    assert set(document) >= TOP_KEYS and "facets" not in document
    assert document["total"] == 2 and {h["id"] for h in document["hits"]} == {CNN, VICE}
    for hit in document["hits"]:
        assert set(hit) >= HIT_KEYS
        assert hit["published"] == "2016-04-11" and hit["url"] is None
        assert isinstance(hit["score"], float) and isinstance(hit["authors"], list)
        assert hit["snippets"] and all(set(s) == {"text", "spans"} for s in hit["snippets"])
        for snippet in hit["snippets"]:
            for start, end in snippet["spans"]:
                assert snippet["text"][start:end].lower().startswith("defect")
        # title_spans: [[start, end], ...] into `title`, like a snippet's spans
        assert hit["title_spans"] and all(
            isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span)
            for span in hit["title_spans"]
        )
        assert all(hit["title"][s:e].lower().startswith("defect") for s, e in hit["title_spans"])
    assert isinstance(document["took_ms"], float) and document["suggestion"] is None


def test_org_filter_finds_both_merged_names(seed_index: Path) -> None:
    result = run(["query", "--org", "General Reconnaissance Bureau", "--format", "json",
                  "--index", str(seed_index)])  # fmt: skip
    assert result.exit_code == 0
    assert {h["id"] for h in json.loads(result.stdout)["hits"]} == {CNN, VICE}


def test_outlet_filter_keeps_other_outlets_in_the_facet(seed_index: Path) -> None:
    result = run(["query", "--outlet", "CNN", "--facets", "--format", "json",
                  "--index", str(seed_index)])  # fmt: skip
    document = json.loads(result.stdout)
    assert result.exit_code == 0 and document["total"] == 1
    outlets = {f["value"]: f["count"] for f in document["facets"]["outlet"]}
    assert outlets == {"CNN": 1, "VICE News": 1}
    assert set(document["facets"]) == {
        "outlet",
        "year",
        "month",
        "people",
        "organisations",
        "places",
        "tags",  # the working set's tags (none here: an empty list)
    }
    assert all(
        {"value", "count"} <= set(row) for rows in document["facets"].values() for row in rows
    )


def test_text_output_without_a_terminal_has_no_colour(seed_index: Path) -> None:
    result = run(["query", "defection", "--facets", "--index", str(seed_index)])
    assert result.exit_code == 0 and "\x1b[" not in result.stdout
    assert result.stdout.startswith("2 articles") and "[defect" in result.stdout.lower()
    assert "outlet:" in result.stdout


def test_text_marks_the_title_and_cuts_only_where_cut(seed_index: Path) -> None:
    result = run(["query", "defection", "--index", str(seed_index)])
    lines = result.stdout.splitlines()
    assert "Senior North Korean military official [defects], South Korea says" in lines
    snippets = [line for line in lines if line.startswith("  ")]
    # the CNN body opens with its title: that fragment starts the article, no "…" before it
    opening = [s for s in snippets if s.startswith("  Senior North Korean military official")]
    assert len(opening) == 1 and opening[0].endswith("…")
    assert all(s.startswith("  …") for s in snippets if s not in opening)


def test_jsonl_is_one_hit_per_line(seed_index: Path) -> None:
    result = run(["query", "defection", "--format", "jsonl", "--index", str(seed_index)])
    lines = result.stdout.strip().splitlines()
    assert result.exit_code == 0 and len(lines) == 2
    assert all(set(json.loads(line)) >= HIT_KEYS for line in lines)


def test_csv_joins_multi_values(seed_index: Path) -> None:
    result = run(["query", "place:china", "--format", "csv", "--index", str(seed_index)])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.exit_code == 0 and len(rows) == 1
    assert rows[0]["places"] == "North Korea; South Korea; Seoul; China"


def test_zero_hits_is_exit_0_with_a_suggestion(seed_index: Path) -> None:
    result = run(["query", "colonl", "--format", "json", "--index", str(seed_index)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["suggestion"] == "colonel"
    assert "did you mean: colonel" in result.stderr


def test_bad_query_is_exit_2_one_line_on_stderr(seed_index: Path) -> None:
    result = run(["query", "title:(unclosed", "--index", str(seed_index)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "unclosed" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.rstrip().endswith("or search it literally (--literal)")


def test_a_bad_date_does_not_suggest_literal(seed_index: Path) -> None:
    result = run(["query", "date:2016-13", "--index", str(seed_index)])
    assert result.exit_code == 2 and "malformed date" in result.stderr
    assert "--literal" not in result.stderr


def test_missing_index_is_exit_3_naming_rebuild(tmp_path: Path) -> None:
    result = run(["query", "x", "--index", str(tmp_path / "nowhere")])
    assert result.exit_code == 3 and result.stdout == ""
    assert "searchidx rebuild" in result.stderr
    for command in (["show", CNN], ["similar", CNN]):
        assert run([*command, "--index", str(tmp_path / "nowhere")]).exit_code == 3


def test_bad_date_option_is_usage_error(seed_index: Path) -> None:
    result = run(["query", "--since", "2016-13", "--index", str(seed_index)])
    assert result.exit_code == 2 and result.stdout == ""


def test_since_until(seed_index: Path) -> None:
    args = ["query", "--format", "json", "--index", str(seed_index)]
    assert json.loads(run([*args, "--since", "2016-04", "--until", "2016-04"]).stdout)["total"] == 2
    assert json.loads(run([*args, "--since", "2016-04-12"]).stdout)["total"] == 0


def test_batch_one_json_object_per_line(seed_index: Path) -> None:
    result = run(["query", "--batch", "--limit", "1", "--index", str(seed_index)],
                 stdin="defection\n\nplace:china\n")  # fmt: skip
    assert result.exit_code == 0 and result.stderr == ""
    documents = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["total"] for d in documents] == [2, 2, 1]
    assert [d["query"] for d in documents] == ["defection", "", "place:china"]


def test_batch_bad_line_keeps_alignment_and_exits_2(seed_index: Path) -> None:
    result = run(["query", "--batch", "--index", str(seed_index)], stdin="(bad\ndefection\n")
    lines = result.stdout.splitlines()
    assert result.exit_code == 2 and len(lines) == 2
    assert "error" in json.loads(lines[0]) and json.loads(lines[1])["total"] == 2
    assert json.loads(lines[0])["error"].endswith("(--literal)")


def test_show_json_and_unknown_id(seed_index: Path) -> None:
    result = run(["show", CNN, "--format", "json", "--highlight", "defector",
                  "--index", str(seed_index)])  # fmt: skip
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert "body" in document
    assert document["organisations"] == ["Reconnaissance General Bureau", "Yonhap News Agency"]
    assert {document["body"][s:e] for s, e in document["body_spans"]} == {"Defector", "defector",
                                                                          "defectors"}  # fmt: skip
    missing = run(["show", "nope", "--index", str(seed_index)])
    assert missing.exit_code == 1 and missing.stdout == "" and "nope" in missing.stderr


def test_show_json_is_a_query_hit_plus_the_body(seed_index: Path) -> None:
    query = run(["query", "defector", "--format", "json", "--index", str(seed_index)])
    hit_keys = set(json.loads(query.stdout)["hits"][0])
    assert hit_keys >= HIT_KEYS
    plain = run(["show", CNN, "--format", "json", "--index", str(seed_index)])
    marked = run(["show", CNN, "--format", "json", "--highlight", '"north korean"',
                  "--index", str(seed_index)])  # fmt: skip
    assert plain.exit_code == marked.exit_code == 0 and plain.stderr == marked.stderr == ""
    for result in (plain, marked):
        assert set(json.loads(result.stdout)) == hit_keys | {"body", "body_spans"}
    document = json.loads(plain.stdout)
    assert document["score"] is None and document["snippets"] == [] and document["body_spans"] == []
    document = json.loads(marked.stdout)
    assert document["score"] is None and 1 <= len(document["snippets"]) <= 3
    assert "North Korea " in document["body"]  # "north" outside the phrase: never marked
    body_words = {document["body"][s:e].lower() for s, e in document["body_spans"]}
    assert body_words == {"north", "korean", "koreans"}
    for snippet in document["snippets"]:
        assert set(snippet) == {"text", "spans"} and snippet["spans"]
        assert snippet["text"] in " ".join(document["body"].split())
        words = [snippet["text"][s:e].lower() for s, e in snippet["spans"]]
        assert words[0] == "north" and words[-1].startswith("korean")
        assert all(words[i + 1].startswith("korean") for i, w in enumerate(words) if w == "north")


def test_similar(seed_index: Path) -> None:
    result = run(["similar", CNN, "--format", "jsonl", "--index", str(seed_index)])
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [VICE]


def test_query_never_imports_heavy_libraries(seed_index: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from searchidx.cli import main\n"
        f"args = ['query', 'defection', '--facets', '--index', {str(seed_index)!r}]\n"
        "r = CliRunner().invoke(main, args)\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in ('spacy', 'trafilatura', 'textual') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
