"""Building and updating the index from the corpus folder: `rebuild()` and `index_status()`.

Flow: run.py takes the rebuild lock, walks the corpus and plans the changes against the live
generation's manifest; phase 1 (textphase.py, reading in workers.py processes) indexes title,
body and metadata and publishes a searchable generation as it goes; phase 2 (enrich.py) fills
in the entities of pending articles with spaCy, in batches, and the story table is brought in
step (searchidx.stories.sync). Progress is reported through the `progress` interface, which the
CLI's stderr bar and the TUI both implement. Everything written goes through the engine's write
interface (searchidx.index), so no engine object appears here.
"""
