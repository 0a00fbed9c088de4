"""Quality measurements against shared corpora with expected answers."""
