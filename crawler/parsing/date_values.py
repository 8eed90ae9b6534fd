"""Dates as a page's markup writes them about itself (meta values, <time> text), in the spellings CMSs use.

A date line is the portal's own and strict (crawler.parsing.dates); what a CMS prints into
`<time>` or a meta value comes in more shapes: a time after the date ("23.05.2019 - 11:05",
"Freitag, 04.02.2022 | 11:38 Uhr"), labels beside it ("Pressemitteilung · 10.03.2026"), English month names ("14. May 2019", "Jun 16, 2019 at 7:30am
PDT"), the month first ("Oktober 25, 2023") and C's asctime ("Fri Feb 18 10:27:24 2022"). Each
shape is spelled out below; slashed numerals (04/02/2020) stay unread: day or month first is a guess.
"""
from __future__ import annotations

import re
from datetime import date

from .bylines import parse_byline
from .dates import _make_date, month_number, parse_iso_or_german

__all__ = ["parse_date_value"]

_ENGLISH_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_WEEKDAYS = (
    "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag mo di mi do fr sa so "
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun"
).split()
_LEADING_WEEKDAY = re.compile(rf"^(?i:{'|'.join(_WEEKDAYS)})\.?,?\s+")
_TRAILING_TIME = re.compile(
    r"\s*(?:[-–|,]|\bum\b|\bat\b)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:Uhr|[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,5})?$")
_NAME = r"([^\W\d_]{3,9})\.?"
_DAY_FIRST = re.compile(rf"(\d{{1,2}})\.?\s+{_NAME},?\s+(\d{{4}})")
_MONTH_FIRST = re.compile(rf"{_NAME}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})")
_ASCTIME = re.compile(r"([A-Z][a-z]{2})\s+(\d{1,2})\s+\d{1,2}:\d{2}(?::\d{2})?\s+(\d{4})")


def parse_date_value(text: str | None) -> date | None:
    """The date of a meta value or a <time>'s text: what parse_iso_or_german reads, and the CMS shapes above."""
    found = parse_iso_or_german(text)
    if found or not text or len(text) > 80:
        return found
    plain = _LEADING_WEEKDAY.sub("", " ".join(text.split()))
    if _ASCTIME.fullmatch(plain):
        month, day, year = _ASCTIME.fullmatch(plain).groups()
        return _named(year, month, day)
    plain = _TRAILING_TIME.sub("", plain) or plain
    return parse_iso_or_german(plain) or _spelled(plain) or parse_byline(plain)


def _spelled(text: str) -> date | None:
    m = _DAY_FIRST.fullmatch(text)
    if m:
        return _named(m.group(3), m.group(2), m.group(1))
    m = _MONTH_FIRST.fullmatch(text)
    return _named(m.group(3), m.group(1), m.group(2)) if m else None


def _named(year: str, month_name: str, day: str) -> date | None:
    month = month_number(month_name) or _ENGLISH_MONTHS.get(month_name.lower())
    return _make_date(int(year), month, int(day)) if month else None
