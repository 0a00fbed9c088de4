"""Restricted unpickling: an index folder may come from anyone, so nothing in it runs code.

A pickle names the callables that rebuild its objects (`module.name` pairs), and plain `pickle`
imports and calls whatever it names (`os.system` included). `restricted_load` admits only the
pairs it is given: the engine's own classes for its files, builtins and numpy arrays for the
story table. Anything else raises `UnsafePickle` before a single call is made. Writing is
plain `pickle.dump`: only loading an untrusted file is the danger.
"""

from __future__ import annotations

import io
import pickle
from typing import IO, Any

from searchidx.errors import IndexCorrupt

# Plain containers and numbers as protocols 2-5 spell them (`__builtin__` is protocol 2's name).
BUILTINS = frozenset(
    (module, name)
    for module in ("builtins", "__builtin__")
    for name in ("set", "frozenset", "int", "long", "float", "complex", "bytearray", "slice")
) | {("collections", "defaultdict"), ("collections", "OrderedDict")}

# numpy arrays of plain numbers (numpy 1 and 2 spell the module differently).
NUMPY = frozenset(
    (module, name)
    for core in ("numpy.core", "numpy._core")
    for module, name in (
        (f"{core}.multiarray", "_reconstruct"),
        (f"{core}.multiarray", "scalar"),
        (f"{core}.numeric", "_frombuffer"),
    )
) | {("numpy", "ndarray"), ("numpy", "dtype")}


class UnsafePickle(pickle.UnpicklingError, IndexCorrupt):
    """A pickle naming a callable outside the allowed set (a planted or damaged file). An
    `IndexCorrupt` too, so wherever whoosh meets one (opening the index, or later reading a
    posting block or a stored field) the CLI shows one line, not a traceback."""


class _Restricted(pickle.Unpickler):
    def __init__(self, file: IO[bytes], allowed: frozenset[tuple[str, str]]):
        super().__init__(file)
        self._allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self._allowed:
            raise UnsafePickle(
                f"refused to load {module}.{name} from the index: not a class searchidx writes "
                "(a planted or damaged index: delete it, or rebuild it from your own corpus with "
                "`searchidx rebuild CORPUS --full`)"
            )
        return super().find_class(module, name)


def restricted_load(file: IO[bytes], allowed: frozenset[tuple[str, str]]) -> Any:
    """`pickle.load` that admits only the `(module, name)` pairs in `allowed`."""
    return _Restricted(file, allowed).load()


def restricted_loads(data: bytes, allowed: frozenset[tuple[str, str]]) -> Any:
    return _Restricted(io.BytesIO(data), allowed).load()
