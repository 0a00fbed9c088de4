"""The engine implementations: the one module naming them; `open_index` and `write_engine`
choose one.

The seam modules (engine.py, writing.py) name no implementation, and implementations import the
seam, so the choice lives here and imports stay one way.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from searchidx.errors import IndexMissing
from searchidx.index.generations import META_NAME, current_generation, read_side_json

if TYPE_CHECKING:  # a query process imports neither seam's module just to name its types
    from searchidx.index.engine import Engine
    from searchidx.index.writing import WriteEngine

DEFAULT_ENGINE = "whoosh"
# the engines `write_engine` knows; each generation's meta records the one that wrote it
ENGINES = ("whoosh", "tantivy")
# From about this many articles the whoosh engine's warm query p95 (55 bench queries, facets and
# snippets) passes 100 ms on a 2-core machine, and `rebuild` suggests `--engine tantivy`:
# 36-40 ms at 21,578 articles (docs/benchmarks.md, scale curve), ~1 s at 215,770 (issue 15's
# table): 25x for 10x, so 100 ms falls near 2x Reuters (log-log interpolation; the 100k
# point of `bench.scale --engines` in docs/benchmarks.md checks it).
TANTIVY_ADVICE_ARTICLES = 40_000


def open_index(path: Path | None) -> Engine:
    """Open the index at `path`; IndexMissing (exit 3) when there is none."""
    if path is None:
        raise IndexMissing("no index found here: run `searchidx rebuild CORPUS` to build one")
    if engine_of(path) == "tantivy":
        from searchidx.index.tantivy_engine.reader import TantivyEngine

        return TantivyEngine.open(path)
    from searchidx.index.whoosh_engine.reader import WhooshEngine

    return WhooshEngine.open(path)


def engine_of(path: Path) -> str:
    """The engine that wrote the live generation (its meta.json; the default when none)."""
    live = current_generation(path)
    meta = read_side_json(live, META_NAME, {}) if live is not None else {}
    name = meta.get("engine", DEFAULT_ENGINE) if isinstance(meta, dict) else DEFAULT_ENGINE
    return str(name)


def write_engine(name: str = DEFAULT_ENGINE) -> WriteEngine:
    """The write side of the engine called `name` (one of ENGINES)."""
    if name == "whoosh":
        from searchidx.index.whoosh_engine.writing import WhooshWriteEngine

        return WhooshWriteEngine()
    if name == "tantivy":
        from searchidx.index.tantivy_engine.writing import TantivyWriteEngine

        return TantivyWriteEngine()
    raise ValueError(f"unknown index engine {name!r}: one of {', '.join(ENGINES)}")
