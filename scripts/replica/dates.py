"""German date wording: body dates, URL date segments, date lines, year inference."""
from __future__ import annotations

import calendar
from datetime import date

from .texts import MONTHS, WEEKDAYS

_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def day_month(d: date) -> str:
    """'14. September'."""
    return f"{d.day}. {MONTHS[d.month - 1]}"


def weekday_date(d: date) -> str:
    """'Samstag, 14. September'."""
    return f"{WEEKDAYS[d.weekday()]}, {day_month(d)}"


def long_date(d: date, zero: bool = False) -> str:
    """'9. Oktober 2020', or '09. Oktober 2020' with zero=True."""
    day = f"{d.day:02d}" if zero else str(d.day)
    return f"{day}. {MONTHS[d.month - 1]} {d.year}"


def numeric(d: date) -> str:
    """'09.10.2020'."""
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def url_segment(d: date) -> str:
    """The portal's date folder: '9-Oktober-2020', '27-Maerz-2024'."""
    return f"{d.day}-{MONTHS[d.month - 1].translate(_TRANSLIT)}-{d.year}"


def transliterate(text: str) -> str:
    """German umlauts and ß as the portal writes them in URLs."""
    return text.translate(_TRANSLIT)


def nearest(month: int, day: int, ref: date) -> date:
    """The date with this month and day closest to ref (the year a reader would infer)."""
    candidates = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:  # 29 February outside leap years
            continue
    return min(candidates, key=lambda d: abs((d - ref).days))


def month_end_ahead(month: int, ref: date) -> date:
    """The last day of the month, in the first year it is not before ref ("bis Ende Juli")."""
    for year in (ref.year, ref.year + 1):
        end = date(year, month, calendar.monthrange(year, month)[1])
        if end >= ref:
            return end
    raise ValueError(month)


def month_end_words(month: int) -> str:
    """'Ende Juli'."""
    return f"Ende {MONTHS[month - 1]}"
