"""Reading the corpus folder: which files are articles, and what each file says.

Flow: `walk(corpus)` (walk.py, with `.searchidxignore` rules from ignore.py) yields a `Source`
per candidate file and a `Problem` per entry that cannot be used; `read_file(path)` (readers/,
one module per format) turns a file into `Article`s and `Problem`s and never raises for bad
input. dates.py and language.py give each article its publication time and language. Nothing
here knows about the index: the rebuild layer calls these, in worker processes.
"""
