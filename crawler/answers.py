"""What a release's answer means at the crawl's edges: a refusal, a withdrawal in disguise.

Functions of Scrapy failures and parse records, and the spider's methods built on them
(AnswersMixin), so the spider's callbacks stay short.
"""
from __future__ import annotations

import re

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.items import FAILED, GONE, ReleaseItem

ROBOTS_REFUSAL = "Forbidden by robots.txt"  # the message of RobotsTxtMiddleware's IgnoreRequest
# What a "page not found" page says in its headline or its few lines (German and English portals):
# about the page itself, never just "nicht verfügbar" (an office, a vaccine) or a bare 404 (a bus line).
_GONE_WORDS = r"nicht (mehr )?(verfügbar|vorhanden)|zurückgezogen|entfernt|gelöscht|nicht gefunden"
NOT_FOUND = re.compile(
    r"seite nicht gefunden|page not found|\bnot found\b|nicht gefunden werden|(fehler|error)\W{0,3}404"
    rf"|\b(seite|pressemeldung|pressemitteilung|meldung|artikel|inhalt|adresse)\w*\W+((ist|wurde|existiert)\W+)?"
    rf"(leider\W+)?({_GONE_WORDS})|\b(seite|adresse) existiert nicht", re.IGNORECASE)
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


class AnswersMixin:
    """The press spider's view of an answer that is no release (it has is_release, listing_key, plan, profile)."""

    def moved_away(self, response: Response) -> str | None:
        """Where a release redirected to, when that is no release (the listing, the home page)."""
        url = response.url
        return url if response.meta.get("redirect_urls") and not self.is_release_address(url) else None

    def is_release_address(self, url: str) -> bool:
        """A release's own address: below a release prefix, as deep as the profile's releases, no listing page."""
        if not self.is_release(url) or self.listing_key(url) is not None:
            return False
        # Below the start listing of another site layout (no profile prefix): any depth will do.
        return self.profile.is_release_address(url) or self.profile.release_path(url) is None

    def not_a_release_item(self, response: Response, base: dict, reason: str) -> ReleaseItem:
        """A known release that answers with no release is withdrawn; an unknown one failed."""
        if base["canonical_url"] in self.plan.known:
            self.logger.info("withdrawn (%s): %s", reason, response.url)
            return ReleaseItem(GONE, **base)
        return ReleaseItem(FAILED, error=f"not a release: {reason}", **base)
