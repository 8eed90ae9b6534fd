"""Search snippets: one line of the original wording around the matches, matched words marked [like this]."""
from __future__ import annotations

import re
import unicodedata

from .normalise import TOKEN, term
from .query import Query

SNIPPET_WIDTH = 140  # characters of original text; marks and ellipses keep the line under ~160


def make_snippet(texts: list[str], parsed: Query) -> str:
    """One line from the first text that holds a match, the matched words marked [like this]."""
    flat = [" ".join(unicodedata.normalize("NFC", t).split()) for t in texts if t and t.strip()]
    exact, prefixes = parsed.exact, tuple(parsed.prefixes)
    for candidate in flat:
        # Distinct words first (C-speed), so texts without a match cost no per-word Python loop.
        matching = {w for w in set(TOKEN.findall(candidate)) if _matches(term(w), exact, prefixes)}
        if matching:
            return _window(candidate, _positions(candidate, matching))
    return _shorten(flat[0]) if flat else ""


def _positions(line: str, matching: set[str]) -> list[tuple[int, int]]:
    """(start, end) of the first 200 occurrences of these whole words in line.

    One regular expression over the line instead of normalising every word of it in Python: a
    long body's snippet took ~2 ms that way, 20 of them most of a search's time."""
    # Longest first, and bounded like TOKEN's runs of letters and digits, so only whole words match.
    words = "|".join(re.escape(w) for w in sorted(matching, key=len, reverse=True))
    pattern = re.compile(rf"(?<![^\W_])(?:{words})(?![^\W_])")
    return [match.span() for _, match in zip(range(200), pattern.finditer(line))]


def _matches(token: str, exact: set[str], prefixes: tuple[str, ...]) -> bool:
    return token in exact or (bool(prefixes) and token.startswith(prefixes))


def _window(line: str, found: list[tuple[int, int]]) -> str:
    """The SNIPPET_WIDTH-wide stretch of line with the most matches, marked."""
    start, end = _bounds(line, found)
    parts, pos = ["… " if start else ""], start
    for s, e in found[:8]:  # at most eight marks, so the line stays short
        if s >= start and e <= end:
            parts += [line[pos:s], "[", line[s:e], "]"]
            pos = e
    parts += [line[pos:end], " …" if end < len(line) else ""]
    return "".join(parts)


def _bounds(line: str, found: list[tuple[int, int]]) -> tuple[int, int]:
    """Start and end of the window: around the densest run of matches, cut at word boundaries."""
    def density(i: int) -> int:
        return sum(1 for s, _ in found[i:] if s < found[i][0] + SNIPPET_WIDTH - 30)

    first = found[max(range(len(found)), key=lambda i: (density(i), -i))][0]
    start = max(0, first - 30)
    if start:  # begin at a word boundary, never after the match
        start = line.find(" ", start, first) + 1 or first
    end = min(len(line), start + SNIPPET_WIDTH)
    if end < len(line):
        cut = line.rfind(" ", start + SNIPPET_WIDTH // 2, end)
        end = cut if cut > first else end
    return start, end


def _shorten(line: str) -> str:
    return line if len(line) <= SNIPPET_WIDTH else line[:SNIPPET_WIDTH].rsplit(" ", 1)[0] + " …"
