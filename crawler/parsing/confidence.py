"""How sure the extractor is that a record's paragraphs are the page's own text, in [0, 1].

Signals, each a reason to doubt: no prose block at all, a body made mostly of links, very little
prose, a little prose found only in a sidebar, menu or footer (and, in crawler.parsing.page, a second
extractor that took another block). A site template that matched is
trusted unless it yields no prose. Below 0.5 a record counts toward the drift alarm.
"""
from __future__ import annotations

from .fallback import is_prose
from .text import Block

_ENOUGH_PROSE = 400  # characters of running text: a short release is still a release
_LINKY = 0.5
_IN_CHROME = 0.4  # the prose was found in a sidebar, menu or footer only


def confidence(blocks: list[Block], from_template: bool, in_chrome: bool = False) -> float:
    """0.0 (the paragraphs are probably not the page's text) to 1.0 (surely its text)."""
    prose = [block for block in blocks if is_prose(block)]
    if not prose:
        return 0.0
    text = sum(len(block.text) for block in blocks)
    links = sum(block.link_chars for block in blocks) / text if text else 1.0
    if from_template:
        return 1.0 if links < _LINKY else 0.6
    amount = min(1.0, sum(len(block.text) for block in prose) / _ENOUGH_PROSE)
    score = 0.4 + 0.6 * amount
    if links >= _LINKY:
        score *= 0.5
    if in_chrome and amount < 1.0:
        # A little text in a sidebar, menu or footer: the page's own text is missing. (Some sites
        # put a whole article in an <aside>: with enough prose it is trusted.)
        score = min(score, _IN_CHROME)
    return round(score, 2)
