"""The index: generations on disk and the engine seam every other layer goes through.

Flow: a rebuild writes a new generation folder (generations.py: the atomic CURRENT pointer,
side files, pruning) through the engine's write interface (writing.py), with the per-file
manifest (manifest.py) and under the rebuild lock (lock.py); readers open the live generation
with `open_index(path)` and get an `Engine` (engine.py): match sets of a parsed query
(querytree.py), ranked pages, stored fields, facet value sets, term statistics. whoosh is one
implementation (whoosh_engine/) and the only place whoosh is imported.
"""

from searchidx.index.engine import DocSet, Engine
from searchidx.index.engines import open_index

__all__ = ["DocSet", "Engine", "open_index"]
