"""The engine implementations: the one module naming them; `open_index` and `write_engine`
choose one.

The seam modules (engine.py, writing.py) name no implementation, and implementations import the
seam, so the choice lives here and imports stay one way.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from searchidx.errors import IndexMissing

if TYPE_CHECKING:  # a query process imports neither seam's module just to name its types
    from searchidx.index.engine import Engine
    from searchidx.index.writing import WriteEngine

DEFAULT_ENGINE = "whoosh"
# the engines `write_engine` knows; each generation's meta records the one that wrote it
ENGINES = ("whoosh",)


def open_index(path: Path | None) -> Engine:
    """Open the index at `path`; IndexMissing (exit 3) when there is none."""
    if path is None:
        raise IndexMissing("no index found here: run `searchidx rebuild CORPUS` to build one")
    from searchidx.index.whoosh_engine.reader import WhooshEngine

    return WhooshEngine.open(path)


def write_engine(name: str = DEFAULT_ENGINE) -> WriteEngine:
    """The write side of the engine called `name` (one of ENGINES)."""
    if name == "whoosh":
        from searchidx.index.whoosh_engine.writing import WhooshWriteEngine

        return WhooshWriteEngine()
    raise ValueError(f"unknown index engine {name!r}: one of {', '.join(ENGINES)}")
