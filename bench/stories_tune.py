"""The text-link thresholds of story grouping, searched on ECB+ dev: B-cubed P/R/F1 per setting.

Usage: .venv/bin/python bench/stories_tune.py [--index DIR] [--wide]
The ECB+ dev articles are indexed once with entities (in DIR, reused when it exists), then
grouped from scratch with entities on and off for each cosine threshold (TEXT_LINK), then for
each plain-word bar (PLAIN_LINK) and each merge bar of the second look (MERGE_LINK, with a row
without the second look at all) at the chosen TEXT_LINK; --wide also varies the boost of entity
terms and the title. Prints one row per setting (markdown).
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from pathlib import Path

from bench.quality.stories import (
    ECB_DEV,
    bcubed,
    gold_events,
    grouped,
    index_corpus,
    indexed_inputs,
    without_entities,
)
from searchidx.stories import grouping, refine, text, vectors

THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
PLAIN_BARS = (0.0, 0.05, 0.1, 0.2)
MERGE_BARS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, None)  # None: no merges


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path)
    parser.add_argument("--wide", action="store_true")
    args = parser.parse_args()
    gold = gold_events()
    with tempfile.TemporaryDirectory(prefix="ecb-tune-") as scratch:
        folder = args.index or Path(scratch) / "index"
        index_corpus(folder, ECB_DEV / "articles")
        items = indexed_inputs(folder)
    plain = without_entities(items)
    chosen_link, chosen_plain = grouping.TEXT_LINK, grouping.PLAIN_LINK
    entity_weights = (1.0, 2.0, 4.0) if args.wide else (vectors.ENTITY_WEIGHT,)
    title_weights = (1, 2, 3) if args.wide else (text.TITLE_WEIGHT,)
    print("| TEXT_LINK | entity weight | title weight | entities | P | R | F1 |")
    print("|---|---|---|---|---|---|---|")
    for threshold, entity, title in itertools.product(THRESHOLDS, entity_weights, title_weights):
        grouping.TEXT_LINK, vectors.ENTITY_WEIGHT, text.TITLE_WEIGHT = threshold, entity, title
        for name, chosen in (("on", items), ("off", plain)):
            if name == "off" and entity != entity_weights[0]:
                continue  # the entity weight changes nothing without entities
            s = bcubed(grouped(chosen), gold)
            print(f"| {threshold:.2f} | {entity:g} | {title} | {name} | {s['precision']:.3f} "
                  f"| {s['recall']:.3f} | {s['f1']:.3f} |", flush=True)  # fmt: skip
    grouping.TEXT_LINK, vectors.ENTITY_WEIGHT, text.TITLE_WEIGHT = chosen_link, 2.0, 2
    print(f"\n| PLAIN_LINK (TEXT_LINK {chosen_link}) | entities | P | R | F1 |")
    print("|---|---|---|---|---|")
    for bar in PLAIN_BARS:
        grouping.PLAIN_LINK = bar
        for name, chosen in (("on", items), ("off", plain)):
            s = bcubed(grouped(chosen), gold)
            print(f"| {bar:.2f} | {name} | {s['precision']:.3f} | {s['recall']:.3f} "
                  f"| {s['f1']:.3f} |", flush=True)  # fmt: skip
    grouping.PLAIN_LINK = chosen_plain
    chosen_merge = refine.MERGE_LINK
    print(f"\n| MERGE_LINK (TEXT_LINK {chosen_link}) | entities | P | R | F1 |")
    print("|---|---|---|---|---|")
    for merge in (*MERGE_BARS, "no second look"):
        refine.MERGE_LINK = merge if isinstance(merge, float) else 99.0
        if isinstance(merge, str):
            setattr(grouping, "refine", lambda state, bars, bounds: None)  # noqa: B010
        for name, chosen in (("on", items), ("off", plain)):
            s = bcubed(grouped(chosen), gold)
            label = f"{merge:.2f}" if isinstance(merge, float) else merge or "moves only"
            print(f"| {label} | {name} | {s['precision']:.3f} | {s['recall']:.3f} "
                  f"| {s['f1']:.3f} |", flush=True)  # fmt: skip
    refine.MERGE_LINK = chosen_merge
    setattr(grouping, "refine", refine.refine)  # noqa: B010


if __name__ == "__main__":
    main()
