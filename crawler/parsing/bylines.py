"""Bylines around a release's text: a date with labels ("16. April 2026 | Familie"), and update lines."""
from __future__ import annotations

import re
from datetime import date

from .dates import parse_date_line

# A byline's parts: "16. April 2026 | Jugend und Familie", "Pressemitteilung · 10.03.2026".
_BYLINE_SPLIT = re.compile(r"\s+[|·•–—]\s+|\s*[|·•]\s*")
_MAX_BYLINE_PART = 50
_UPDATE = re.compile(r"[(\[]?\s*(?i:zuletzt\s+)?(?i:aktualisiert|geändert|geaendert|stand|letzte\s+änderung)\b")


def parse_byline(text: str) -> date | None:
    """A date line, or the date of a short byline split by | · • –: one part a date line, the rest labels."""
    whole = parse_date_line(text)
    if whole or not text or len(text) > 80:
        return whole
    parts = [part for part in _BYLINE_SPLIT.split(text.strip()) if part]
    dates = [d for d in map(parse_date_line, parts) if d]
    if len(dates) != 1 or any(len(part) > _MAX_BYLINE_PART for part in parts):
        return None
    return dates[0]


def is_update_line(text: str) -> bool:
    """True for a line giving a page's last change ("Zuletzt aktualisiert am …", "Stand: …")."""
    return bool(_UPDATE.match(text.strip()))
