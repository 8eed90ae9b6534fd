"""What a release's answer means at the crawl's edges: a refusal, a withdrawal in disguise, a cut page.

Pure functions of Scrapy failures and parse records, so the spider's callbacks stay short.
"""
from __future__ import annotations

import re

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

ROBOTS_REFUSAL = "Forbidden by robots.txt"  # the message of RobotsTxtMiddleware's IgnoreRequest
# What a "page not found" page says in its headline or its few lines (German and English portals).
NOT_FOUND = re.compile(r"seite nicht gefunden|page not found|not found|nicht (mehr )?(gefunden|verfügbar|vorhanden)"
                       r"|existiert nicht|zurückgezogen|\b(fehler )?404\b", re.IGNORECASE)
SHORT_TEXT = 400  # characters: an error page says its few lines; a release that mentions "404" says more


def refused_by_robots(failure: Failure) -> bool:
    """True for a request robots.txt forbids: not fetched, and no error (every other refusal is one)."""
    if not failure.check(IgnoreRequest) or failure.check(HttpError):
        return False
    return str(failure.value) == ROBOTS_REFUSAL


def not_a_release(record: dict) -> str | None:
    """Why a parsed 200 answer is no press release (a listing, a home page, "page not found"), else None."""
    if record.get("kind") != "press_release":
        return "the page is no press release"
    text = " ".join(record.get("paragraphs") or [])
    if len(text) < SHORT_TEXT and NOT_FOUND.search(f"{record.get('headline') or ''} {text}"):
        return "the page says it was not found"
    return None
