"""Import rules from STYLE.md: the core never imports the TUI, the TUI never imports whoosh,
and the fast commands do not load spaCy, trafilatura or textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
ENGINE = PROJECT / "searchidx" / "index" / "whoosh_engine"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _top(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def test_core_never_imports_textual_or_tui() -> None:
    for path in (PROJECT / "searchidx").rglob("*.py"):
        if path == PROJECT / "searchidx" / "cli" / "tui.py":
            continue  # the one recorded exception, imported lazily inside the command
        offenders = _top(_imports(path)) & {"textual", "tui"}
        assert not offenders, f"{path.relative_to(PROJECT)} imports {offenders}"


def test_tui_never_imports_whoosh_and_only_backend_imports_core() -> None:
    for path in (PROJECT / "tui").rglob("*.py"):
        tops = _top(_imports(path))
        assert "whoosh" not in tops, f"{path.relative_to(PROJECT)} imports whoosh"
        if path.name != "backend.py":
            assert "searchidx" not in tops, f"{path.relative_to(PROJECT)} imports searchidx"


def test_whoosh_stays_inside_the_engine_package() -> None:
    for path in (PROJECT / "searchidx").rglob("*.py"):
        if "whoosh" in _top(_imports(path)):
            assert ENGINE in path.parents, (
                f"{path.relative_to(PROJECT)} imports whoosh outside the engine package"
            )


def test_cli_start_does_not_load_heavy_libraries() -> None:
    code = (
        "import sys; import searchidx.cli; "
        "heavy = [m for m in ('spacy', 'trafilatura', 'textual', 'thinc') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT
    )
    assert out.stdout.strip() == ""


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    out = subprocess.run([str(lint)], capture_output=True, text=True, cwd=PROJECT)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
