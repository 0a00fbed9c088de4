"""The whoosh engine: the only package that imports whoosh.

schema.py declares the fields and the document shape, analysis.py the analyzers; the read side
(the searcher behind the `Engine` interface, the query-tree compiler, exact doc sets) and the
write side (the one writer of a rebuild, worker segments, merges) implement the interfaces of
searchidx.index.engine and searchidx.index.writing. No whoosh object leaves this package.
"""
