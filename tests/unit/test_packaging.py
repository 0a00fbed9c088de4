"""What the package ships for its users: the type marker, and the checks CI runs."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[2]


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))


def test_py_typed_ships_with_the_package() -> None:
    assert (PROJECT / "searchidx" / "py.typed").is_file()
    package_data = _pyproject()["tool"]["setuptools"]["package-data"]
    assert "py.typed" in package_data["searchidx"]


def test_ci_runs_the_tests_and_the_checks() -> None:
    script = (PROJECT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in script if line.strip().startswith("make ")]
    assert commands == ["make test", "make check"]
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    check = makefile.split("\ncheck:", 1)[1].split("\n\n", 1)[0]
    for step in ("ruff check", "ruff format --check", "mypy --strict", "lint-imports"):
        assert step in check, f"make check lacks {step}"


def _modules() -> list[Path]:
    return sorted(p for d in ("searchidx", "tui") for p in (PROJECT / d).rglob("*.py"))


def test_modules_stay_small_and_say_what_they_own() -> None:
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(PROJECT)
        assert len(text.splitlines()) <= 400, f"{name} is over 400 lines: split it"
        tree = ast.parse(text)
        assert ast.get_docstring(tree), f"{name} has no opening docstring saying what it owns"
