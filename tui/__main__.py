"""`python -m tui [--index PATH] [--corpus FOLDER]`: the TUI on an index folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.backend import find_index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui", description=__doc__)
    parser.add_argument("--index", help="index folder (default: SEARCHIDX_INDEX or .searchidx/)")
    parser.add_argument("--corpus", help="corpus folder offered when there is no index yet")
    args = parser.parse_args(argv)
    from tui.app import run_tui

    index = find_index(args.index)
    run_tui(index, Path(args.corpus) if args.corpus else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
