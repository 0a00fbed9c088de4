"""Regroup every article of an index from scratch in memory: CPU time and story counts.

Usage: .venv/bin/python bench/stories_regroup.py INDEX
Reads the stored fields of the live generation (as a rebuild's grouping does), places them all
with `StoryIndex.add`, and prints the CPU time of the placing and the sizes of the stories.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from whoosh import index as whoosh_index

from searchidx.index.generations import current_generation
from searchidx.index.whoosh_engine.schema import article_from_stored
from searchidx.stories.grouping import StoryIndex
from searchidx.stories.sync import _aliases, story_input


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("index", type=Path)
    args = parser.parse_args()
    live = current_generation(args.index)
    if live is None:
        raise SystemExit(f"no index at {args.index}")
    reader = whoosh_index.open_dir(str(live)).reader()
    aliases = _aliases(live)
    items = [
        story_input(article_from_stored(dict(fields)), aliases)
        for fields in reader.all_stored_fields()
    ]
    reader.close()
    items.sort(key=lambda i: (i.day or 99_999_999, i.id))
    state, started = StoryIndex(), time.process_time()
    state.add(items)
    spent = time.process_time() - started
    groups = [ids for ids in state.stories().values() if len(ids) > 1]
    sizes = Counter(len(ids) for ids in groups)
    print(f"{len(items)} articles placed in {spent:.1f} s CPU; {len(groups)} stories of 2+ "
          f"holding {sum(map(len, groups))}; largest {max(sizes, default=0)}")  # fmt: skip


if __name__ == "__main__":
    main()
