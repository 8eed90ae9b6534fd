"""A second extractor's view of a page no site template knows: trafilatura's body, compared with ours.

Only the fallback asks (a template page keeps its fast path). When the two bodies share almost no
prose, one of them took the wrong block: the record is flagged below 0.5 confidence, and when
trafilatura found running text our guess lacks, its paragraphs stand in for ours (on real pages the
block we picked in such a disagreement was a sidebar, a product table or nothing). When they agree,
short lines at the end of our body that trafilatura left out ("Auch interessant:", "Tags", a
newsletter call) go: box titles and calls to action whose box was dropped.
"""
from __future__ import annotations

import logging

from .text import clean

_MIN_LINE = 30  # characters: shorter lines (labels, buttons) say nothing about agreement
_PROBE = 60  # characters of a line looked up in the other body: robust to differing line breaks
_AGREE = 0.2  # below this share of shared prose, either way, the extractors disagree
_PARAGRAPH = 100  # characters
_SENTENCE_ENDS = frozenset('.!?"“”»«)')
_MAX_TEXT = 5_000_000  # characters: a page this big is hostile, not a release worth a second parse


def other_body(html: str) -> list[str] | None:
    """trafilatura's paragraphs of the page (None when it is not installed or finds nothing)."""
    if len(html) > _MAX_TEXT:
        return None
    try:
        import trafilatura  # noqa: PLC0415 - imported on the first page that needs it
    except ImportError:
        return None
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its warnings are about the page
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=True, fast=True)
    except Exception:  # noqa: BLE001 - a second opinion never costs the first one
        return None
    lines = [clean(line) for line in (text or "").split("\n")]
    return [line for line in lines if line] or None


def agreement(ours: list[str], theirs: list[str]) -> float:
    """How much prose the two bodies share: the larger of the two shares, 0.0 to 1.0."""
    return max(_shared(ours, " ".join(theirs)), _shared(theirs, " ".join(ours)))


def has_prose(paragraphs: list[str]) -> bool:
    """True if some paragraph is running text, not only labels."""
    return any(len(p) >= _MIN_LINE for p in paragraphs)


def disagree(ours: list[str], theirs: list[str] | None) -> bool:
    """True when the other extractor found prose and the two bodies share almost none of it."""
    return bool(theirs) and has_prose(theirs) and agreement(ours, theirs) < _AGREE


def _shared(lines: list[str], other: str) -> float:
    # Share of the prose lines' characters whose opening also stands in the other body.
    long = [clean(line) for line in lines if len(line) >= _MIN_LINE]
    total = sum(map(len, long))
    if not total:
        return 0.0
    other = clean(other)
    return sum(len(line) for line in long if line[:_PROBE] in other) / total


def trim_tail(ours: list[str], theirs: list[str]) -> list[str]:
    """Our paragraphs without the lines at the end, short of a sentence, that the other extractor left out."""
    other = clean(" ".join(theirs))
    end = len(ours)
    while end and not _is_paragraph(ours[end - 1]) and clean(ours[end - 1])[:_PROBE] not in other:
        end -= 1
    return ours[:end] if end else ours


def _is_paragraph(line: str) -> bool:
    # A paragraph of running text: several sentences' length, ending one. Labels, teaser titles,
    # calls to action and "more on this" lines are shorter or end otherwise.
    return len(line) >= _PARAGRAPH and line.rstrip()[-1:] in _SENTENCE_ENDS
