"""The investigator's working set, kept beside the index: tags, stars, notes, saved searches and
what a watchlist or saved search has already shown.

Flow: db.py opens one SQLite database (stdlib sqlite3, WAL mode) in the index folder, outside
every generation, so a rebuild (killed or not) never touches it. tags.py keys marks by article
id plus a content fingerprint and re-attaches them to the live index on lookup (a moved file
keeps its tags, an edited article keeps them too); saved.py keeps named searches; seen.py
remembers the articles a watchlist name or saved search matched last time ("what is new");
watchlist.py reads watchlist files. This package sits below `search` (the query language
resolves `tag:` through it) and above `index`; running searches is `search.worksets`.
"""
