"""`searchidx entities --aliases` lists the spellings folded into each outlet (issue 20)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from searchidx.cli import main


def test_the_alias_table_lists_outlet_spellings(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    outlets = {"a": "DW.COM", "b": "Deutsche Welle", "c": "nkz.example", "d": "Lokalblatt"}
    for name, outlet in outlets.items():
        (corpus / f"{name}.txt").write_text(
            f"---\ntitle: Story {name}\noutlet: {outlet}\n---\nAngela Merkel spoke in Berlin.\n"
        )
    index = tmp_path / "idx"
    index.mkdir()
    (index / "entity-aliases.txt").write_text("outlets: NKZ = nkz.example = Nord Kurier\n")
    runner = CliRunner()
    done = runner.invoke(main, ["rebuild", str(corpus), "--index", str(index)])
    assert done.exit_code == 0, done.output

    shown = runner.invoke(main, ["entities", "--aliases", "--index", str(index)])
    assert shown.exit_code == 0, shown.output
    assert "outlets (2 merged)" in shown.stdout
    assert "  DW  <-  Deutsche Welle | dw.com | dw.de  (2 articles)" in shown.stdout
    assert "  NKZ  <-  nkz.example | Nord Kurier  (1 article)" in shown.stdout
    assert "Lokalblatt" not in shown.stdout  # no other spelling known

    data = json.loads(
        runner.invoke(
            main, ["entities", "--aliases", "--index", str(index), "--format", "json"]
        ).stdout
    )
    assert {row["canonical"] for row in data["outlets"]} == {"DW", "NKZ"}
    # --kind picks entity kinds only
    people = runner.invoke(
        main, ["entities", "--aliases", "--kind", "people", "--index", str(index)]
    )
    assert "outlets" not in people.stdout
