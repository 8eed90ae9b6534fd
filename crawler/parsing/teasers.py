"""Teaser runs: boxes of other pages' headlines ("Weitere Pressemitteilungen", "Das könnte Sie auch
interessieren", a listing's cards), found by their shape rather than their class names.

A teaser is an item with a linked title and a date or heading of its own; a run is two or more
sibling items of one kind. Cards with long teaser texts defeat a link-density test, so the shape is
what marks them. The box is the run together with its own heading and "more" link.
"""
from __future__ import annotations

import re

from lxml import etree

from .dates import parse_date_line
from .text import HEADING_TAGS, clean, kind_of, tag_of

_MIN_RUN = 2
_MIN_TITLE = 12  # characters of a linked title ("Weiterlesen" is no title)
_MAX_ITEM = 700  # characters: an item longer than this is an article, not a teaser
_MAX_DATE_TEXT = 60
_MIN_EXCERPT = 40  # characters of unlinked text after a teaser's title
_MAX_ABOVE_TITLE = 300  # characters of text above a teaser's linked title: a date, a kicker
_MAX_BOX_EXTRA = 80  # characters a box may hold beside its run: a heading, a "more" link
# Share of the parent's text its teasers must make up: a body that embeds two cards is still a body.
_RUN_SHARE = 0.5
_INVISIBLE = frozenset({"script", "style", "noscript", "template"})
_VISIBLE_TEXT = etree.XPath(".//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
                           " or ancestor::template)]")
_SHORT_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})?")


def teaser_boxes(scope) -> set:
    """The elements under scope that are teaser boxes (runs of teasers with their heading)."""
    boxes: set = set()
    for parent in scope.iter():
        if len(parent) < _MIN_RUN or parent in boxes or not isinstance(parent.tag, str):
            continue
        if _holds_run(parent):
            boxes.add(_box(parent, scope))
    return boxes


def _holds_run(parent) -> bool:
    # Two or more children of one tag and class that all read as teasers.
    groups: dict[tuple, list] = {}
    for child in parent:
        if isinstance(child.tag, str):
            groups.setdefault(kind_of(child), []).append(child)
    runs = [items for items in groups.values() if len(items) >= _MIN_RUN and all(map(is_teaser, items))]
    if not runs:
        return False
    whole = len(_text(parent))
    return any(sum(len(_text(item)) for item in items) >= _RUN_SHARE * whole for items in runs)


def is_teaser(item) -> bool:
    """A short item with a linked title on top and, of its own, a date element, a heading or an excerpt."""
    above = _text_above_title(item)  # cheap first: it stops after a few hundred characters
    if above is None:
        return False
    length = len(_text(item))
    if length > _MAX_ITEM:
        return False
    if next(item.iter(*HEADING_TAGS, "time"), None) is not None or _has_date_element(item):
        return True
    # "Related posts" without dates: the item opens with the title and an excerpt follows it.
    return above == 0 and length - _linked(item) >= _MIN_EXCERPT


def _linked(item) -> int:
    return sum(len(_text(a)) for a in item.iter("a"))


def _text_above_title(item) -> int | None:
    # A teaser opens with its linked title (after a date or an image at most); a link below a
    # paragraph of text ("back to the section") does not make an article a teaser.
    before = 0
    for event, el in etree.iterwalk(item, events=("start", "end")):
        if not isinstance(el.tag, str):
            continue
        if event == "end":
            before += len(clean(el.tail)) if el is not item else 0
        elif el.tag == "a" and el.get("href") and len(_text(el)) >= _MIN_TITLE:
            return before
        elif el.tag not in _INVISIBLE:
            before += len(clean(el.text))
        if before > _MAX_ABOVE_TITLE:
            return None
    return None


def _has_date_element(item) -> bool:
    for el in item.iter():
        text = _text(el) if isinstance(el.tag, str) and len(el) == 0 else ""
        if text and len(text) <= _MAX_DATE_TEXT and (_SHORT_DATE.fullmatch(text) or parse_date_line(text)):
            return True
    return False


def _box(run, scope):
    # Up while the parent adds no more than a heading and a link ("Weitere Meldungen", "Alle anzeigen").
    node, length = run, len(_text(run))
    while node is not scope and (parent := node.getparent()) is not None and tag_of(parent) not in {"body", "html"}:
        wider = len(_text(parent))
        if wider - length > _MAX_BOX_EXTRA:
            break
        node, length = parent, wider
    return node


def _text(el) -> str:
    # What a reader sees: a card's inline <script> and <style> are no text (they made cards "long").
    return clean("".join(_VISIBLE_TEXT(el)))
