"""The tantivy engine: the only package that imports tantivy.

schema.py declares the fields and turns an `Article` into a tantivy document (its text analysed
in Python by the project's analysis, so both engines hold the same terms); matching.py answers
the query tree with exact document sets; reader.py is the `Engine`, writing.py the
`WriteEngine`. The index lives in a `tantivy/` folder of each generation (the generation's own
meta.json is ours). No tantivy object leaves this package.
"""
