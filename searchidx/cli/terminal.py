"""The CLI's one way to the terminal: control characters in what it prints are shown, never sent.

Titles, bodies, outlets, authors, file names and error messages come from untrusted files. An
ESC or C1 byte in them could set the window title (OSC 0), write the clipboard (OSC 52), make
links (OSC 8), move the cursor or recolour the screen (CSI), and bidi overrides reorder what is
shown. `visible` replaces each such character with its escape as text (`\\x1b`, `\\x9b`,
`\\u202e`); `echo` passes everything the CLI prints through it. The renderers' own styles (the
`STYLES` below, only on a colour terminal) are the one thing let through, and the renderers
sanitise the texts they style, so an article cannot bring its own. JSON goes out exact:
`search.records.dumps` writes those characters as JSON `\\u` escapes instead.
"""

from __future__ import annotations

import re

import click

BOLD, YELLOW, DIM, RESET = "\x1b[1m", "\x1b[1;33m", "\x1b[2m", "\x1b[0m"
STYLES = (BOLD, YELLOW, DIM, RESET)
_STYLE = re.compile("|".join(re.escape(s) for s in STYLES))

# C0 controls but newline and tab, DEL, C1 controls, and the bidi embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069) that reorder a line ("Trojan Source"), and lone
# surrogates, which no terminal encoding can write.
_CONTROLS = [
    *(c for c in range(0x20) if c not in (0x09, 0x0A)),
    *range(0x7F, 0xA0),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    *range(0xD800, 0xE000),  # lone surrogates (undecodable bytes): a terminal cannot print them
]
_SHOWN = {c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in _CONTROLS}


def visible(text: str) -> str:
    """The text with every terminal control character written out as an escape."""
    return text.translate(_SHOWN)


def visible_styled(text: str) -> str:
    """As `visible`, keeping the renderers' own `STYLES` sequences (colour output only)."""
    pieces, last = [], 0
    for match in _STYLE.finditer(text):
        pieces += [visible(text[last : match.start()]), match.group()]
        last = match.end()
    pieces.append(visible(text[last:]))
    return "".join(pieces)


def echo(text: str, *, err: bool = False, styled: bool = False) -> None:
    """Print a line (stdout, or stderr with `err`) with its control characters made visible;
    `styled`: the text carries the renderers' colour (only when writing to a colour terminal)."""
    click.echo(visible_styled(text) if styled else visible(text), err=err)
