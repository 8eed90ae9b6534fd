"""Long bodies for Excel: a cell holds at most 32,767 characters, and Excel cuts the rest off on load.

With `export --excel`, a body longer than that is split into parts: the first stays in `body`,
the others go to continuation columns `body_2`, `body_3`, … at the end of the row (after every
column the contract names), as many as the longest exported body needs. Concatenating `body`,
`body_2`, … in order gives the whole text. A part is cut after a space where one is near, and
never so that the next part begins with a character that would make Excel read it as a formula.
"""
from __future__ import annotations

EXCEL_LIMIT = 32_767  # characters per cell, counted as Excel does (UTF-16 code units)
ROOM = 1  # inert() may put a quote mark in front of the first part
NEAR = 200  # how far back from the limit a space is looked for
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LONG = EXCEL_LIMIT // 2  # a body at most this many characters long fits in one cell whatever its characters


def units(text: str) -> int:
    """Length in UTF-16 code units, as Excel counts."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def split_body(text: str) -> list[str]:
    """text in parts Excel keeps whole (one part if it fits in a cell)."""
    if len(text) <= LONG:  # fits whatever its characters: no count of UTF-16 units needed
        return [text]
    parts = []
    while units(text) > EXCEL_LIMIT - ROOM:
        cut = _cut(text)
        parts.append(text[:cut])
        text = text[cut:]
    return parts + [text]


def _cut(text: str) -> int:
    """Where the first part of text ends: within the limit, after a near space, before no formula start."""
    cut = EXCEL_LIMIT - ROOM
    while units(text[:cut]) > EXCEL_LIMIT - ROOM:
        cut -= units(text[:cut]) - (EXCEL_LIMIT - ROOM)
    space = text.rfind(" ", cut - NEAR, cut)
    cut = space + 1 if space > 0 else cut
    while cut > 1 and text[cut].startswith(FORMULA_START):
        cut -= 1
    return cut


def continuation_header(parts: int) -> list[str]:
    """The names of the continuation columns for bodies of up to `parts` parts."""
    return [f"body_{n}" for n in range(2, parts + 1)]


def spread(cells: list, column: int, parts: int) -> list:
    """A row with its body cut into `parts` cells: the first in place, the rest appended."""
    pieces = split_body(cells[column]) if isinstance(cells[column], str) else [cells[column]]
    cells[column] = pieces[0]
    return cells + pieces[1:] + [None] * (parts - len(pieces))
