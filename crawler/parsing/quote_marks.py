"""The quoted spans of a paragraph: every German quote-mark style, outermost marks only."""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Span", "spans"]

# Every German style: „…“, »…«, «…» (Swiss), “…”, "…", and the single ones ›…‹, ‹…›, ‚…‘ when they stand
# outermost (inside an open quote only its own closer counts, so a nested ‚…‘ stays in the text).
_CLOSERS = {"„": "“”\"", "»": "«", "«": "»", '"': '"', "“": "”“", "›": "‹", "‹": "›", "‚": "‘"}
_MARKS = re.compile(r'[„“”"»«›‹‚‘]')  # not ’: it is the apostrophe of "geht’s"


@dataclass
class Span:
    start: int  # the opening mark
    end: int  # just after the closing mark (len(paragraph) when open-ended)
    text: str
    open_ended: bool = False


def spans(p: str) -> list[Span]:
    """The quoted spans of a paragraph, outermost marks only (,…‘ inside stays in the text)."""
    found: list[Span] = []
    opener = None
    ostart = 0
    for m in _MARKS.finditer(p):
        ch = m.group()
        if opener is None:
            if ch in _CLOSERS:
                opener, ostart = ch, m.start()
            continue
        if ch in _CLOSERS[opener]:
            inner = p[ostart + 1:m.start()].strip()
            if inner:
                found.append(Span(ostart, m.end(), inner))
            opener = None
    if opener is not None and opener != '"':
        inner = p[ostart + 1:].strip()
        if len(inner.split()) >= 3:  # a quote running on into the next paragraph
            found.append(Span(ostart, len(p), inner, open_ended=True))
    return found
