"""whoosh reads its files through the restricted unpickler: a planted index cannot run code.

whoosh pickles its schema and segment list into the TOC, and block metadata, inlined postings
and some columns into segment files, and loads them all with plain `pickle`. `install()` points
each of whoosh's bindings of `pickle.load`/`loads` at `searchidx.index.pickles.restricted_load`
admitting only the classes our schema and the whoosh 3 codec write (`ENGINE_CLASSES`); the
reader and the writer call it before opening an index. A file naming anything else fails to
open (the reader turns that into `IndexCorrupt`, naming the index) before any call is made.
"""

from __future__ import annotations

import pickle
from typing import IO, Any

import whoosh.codec.whoosh3
import whoosh.columns
import whoosh.filedb.structfile
import whoosh.formats
import whoosh.index

from searchidx.index.pickles import BUILTINS, restricted_load, restricted_loads

_WHOOSH = {
    "whoosh.fields": ("Schema", "ID", "KEYWORD", "NUMERIC", "STORED", "TEXT", "DATETIME",
                      "BOOLEAN", "IDLIST", "NGRAM", "NGRAMWORDS"),
    "whoosh.analysis.analyzers": ("CompositeAnalyzer",),
    "whoosh.analysis.filters": ("LowercaseFilter", "StopFilter"),
    "whoosh.analysis.morph": ("StemFilter",),
    "whoosh.analysis.tokenizers": ("IDTokenizer", "RegexTokenizer", "SpaceSeparatedTokenizer",
                                   "CommaSeparatedTokenizer"),
    "whoosh.codec.whoosh3": ("W3Codec", "W3Segment"),
    "whoosh.columns": ("NumericColumn", "VarBytesColumn", "RefBytesColumn", "BitColumn",
                       "FixedBytesColumn", "CompressedBytesColumn", "StructColumn"),
    "whoosh.formats": ("Existence", "Frequency", "Positions", "Characters", "PositionBoosts"),
    "whoosh.lang.porter2": ("stem",),  # the stemming function our analyzers name
    "whoosh.idsets": ("BitSet", "OnDiskBitSet", "SortedIntSet", "ReverseIdSet"),
    "searchidx.index.whoosh_engine.analysis": ("ScriptTokenizer",),  # CJK and Thai words
}  # fmt: skip

# `re._compile` rebuilds the tokenizers' patterns and `_codecs.encode` protocol 2's bytes:
# neither can reach anything beyond making a pattern or a byte string.
ENGINE_CLASSES = (
    BUILTINS
    | frozenset((module, name) for module, names in _WHOOSH.items() for name in names)
    | {("re", "_compile"), ("_codecs", "encode"), ("array", "array")}
)


def _load(file: IO[bytes], *args: object, **kwargs: object) -> Any:
    return restricted_load(file, ENGINE_CLASSES)


def _loads(data: bytes, *args: object, **kwargs: object) -> Any:
    return restricted_loads(data, ENGINE_CLASSES)


class _TocPickle:
    """What `whoosh.index` uses of the `pickle` module, with loading restricted."""

    PicklingError = pickle.PicklingError
    UnpicklingError = pickle.UnpicklingError
    dumps = staticmethod(pickle.dumps)
    loads = staticmethod(_loads)


def install() -> None:
    """Point every whoosh module we use that unpickles at the restricted loader (idempotent)."""
    whoosh.index.pickle = _TocPickle
    whoosh.filedb.structfile.load_pickle = _load
    whoosh.codec.whoosh3.loads = _loads
    whoosh.columns.loads = _loads
    whoosh.formats.loads = _loads
