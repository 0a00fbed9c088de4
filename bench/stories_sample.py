"""How many stories grouping formed, and a seeded random sample of multi-article stories to read.

Usage: .venv/bin/python bench/stories_sample.py INDEX [--seed 11] [--count 30] [--chars 300]
It runs `searchidx stories --format jsonl` (every story with 2+ articles) and prints the counts,
then for each sampled story its articles: date, title, entities, and the body's opening.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("index", type=Path)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--chars", type=int, default=300)
    args = parser.parse_args()
    command = [
        sys.executable,
        "-m",
        "searchidx",
        "stories",
        "--index",
        str(args.index),
        "--limit",
        "1000000",
        "--articles",
        "50",
        "--snippets",
        "0",
        "--format",
        "jsonl",
    ]
    print("$", " ".join(command[2:]))
    lines = subprocess.run(command, capture_output=True, text=True, check=True).stdout.splitlines()
    stories = [json.loads(line) for line in lines]
    total = subprocess.run(
        [sys.executable, "-m", "searchidx", "query", "--limit", "0", "--format", "json",
         "--index", str(args.index)], capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    articles = int(json.loads(total)["total"])
    grouped = sum(s["size"] for s in stories)
    sizes = Counter(s["size"] for s in stories)
    print(f"articles {articles}; stories with 2+ articles {len(stories)} holding {grouped}; "
          f"single-article stories {articles - grouped}; total stories "
          f"{len(stories) + articles - grouped}")  # fmt: skip
    print("sizes:", dict(sorted(sizes.items())))
    sample = random.Random(args.seed).sample(stories, min(args.count, len(stories)))
    for number, story in enumerate(sample, 1):
        print(f"\n=== {number}. {story['id']} ({story['size']} articles)")
        for hit in sorted(story["articles"], key=lambda h: h["published"] or ""):
            shown = subprocess.run(
                [sys.executable, "-m", "searchidx", "show", hit["id"], "--format", "json",
                 "--index", str(args.index)], capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            body = " ".join(json.loads(shown)["body"].split())[: args.chars]
            names = ", ".join((hit["people"] + hit["organisations"])[:6])
            print(f"- {hit['published']} {hit['title']}\n  [{names}]\n  {body}")


if __name__ == "__main__":
    main()
