"""Release discovery beyond the listing: sitemaps, robots.txt, feeds, "load more" controls, bookkeeping.

Pure functions over bytes/str so the spider needs only thin hooks; nothing here fetches.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urljoin

from lxml import etree, html as lxml_html
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.parsing.urls import canonical_url

LISTING, LOAD_MORE, SITEMAP, FEED, LINKED = "listing", "load_more", "sitemap", "feed", "linked"
SOURCES = (LISTING, LOAD_MORE, SITEMAP, FEED, LINKED)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
_LOAD_MORE_TEXT = re.compile(r"(?i)mehr\s+(?:laden|anzeigen|meldungen)|nachladen|load\s+more|weitere\s+(?:\w+\s+)?(?:laden|anzeigen)")
_ATOM = "{http://www.w3.org/2005/Atom}"
FEW = 0.5  # a listing yielding less than this share of earlier runs' releases is incomplete
MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps protocol's own limit, uncompressed


@dataclass(frozen=True)
class SitemapEntry:
    """One <loc> of a sitemap or sitemap index, with its lastmod if given."""

    loc: str
    lastmod: date | datetime | None  # a date, or a naive UTC datetime when the sitemap gives the time
    is_index: bool


def robots_sitemaps(robots_txt: str | bytes, base_url: str) -> list[str]:
    """The absolute sitemap URLs named by `Sitemap:` lines in robots.txt."""
    body = robots_txt.encode("utf-8") if isinstance(robots_txt, str) else robots_txt
    return list(sitemap_urls_from_robots(body, base_url=base_url))


def _lastmod(text: str | None) -> date | datetime | None:
    if not text or not (text := text.strip()):
        return None
    if len(text) <= 10:  # W3C datetime without a time: the day only
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return _lastmod(text[:10])
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def changed_since(lastmod: date | datetime, checked: datetime) -> bool:
    """True if a sitemap's lastmod may be later than the last check (a bare day counts as all of it,
    a whole second as all of it)."""
    if isinstance(lastmod, datetime):
        return lastmod >= (checked.replace(microsecond=0) if not lastmod.microsecond else checked)
    return lastmod >= checked.date()


def parse_sitemap(body: bytes) -> list[SitemapEntry]:
    """Entries of a sitemap (urlset) or sitemap index, gzipped or not; [] for a body that is no sitemap."""
    try:
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body, max_size=MAX_SITEMAP_BYTES)
        sitemap = Sitemap(body)
    except (etree.XMLSyntaxError, ValueError, OSError):
        return []
    is_index = sitemap.type == "sitemapindex"
    if sitemap.type not in ("urlset", "sitemapindex"):
        return []
    return [SitemapEntry(e["loc"].strip(), _lastmod(e.get("lastmod")), is_index)
            for e in sitemap if e.get("loc")]


def feed_links(page: str | bytes, base_url: str) -> list[str]:
    """Absolute URLs of RSS/Atom/JSON feeds announced by <link rel="alternate"> in a page's head."""
    try:
        doc = lxml_html.fromstring(page)
    except (etree.ParserError, ValueError):
        return []
    out = []
    for link in doc.xpath("//head//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower() in FEED_TYPES:
            out.append(urljoin(base_url, link.get("href").strip()))
    return list(dict.fromkeys(out))


def feed_entries(body: bytes, base_url: str) -> list[str]:
    """Absolute entry links of an RSS 2.0 or Atom feed (JSON Feed too); [] for anything else."""
    if body.lstrip()[:1] in (b"{", b"["):
        return [urljoin(base_url, u) for u in _json_urls(body, ("url", "external_url", "link"))]
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return []
    links = [el.text for el in root.iter("link") if el.text]  # RSS <item><link>
    links += [el.get("href") for el in root.iter(f"{_ATOM}link")
              if el.get("href") and el.get("rel", "alternate") == "alternate"
              and el.getparent() is not None and el.getparent().tag == f"{_ATOM}entry"]
    return list(dict.fromkeys(urljoin(base_url, u.strip()) for u in links))


def _json_urls(body: bytes, keys: tuple[str, ...]) -> Iterator[str]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return
    stack = [data]
    while stack:  # any nesting: {"items": [{"url": …}]}, {"releases": […]}, a bare list
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in keys and isinstance(value, str):
                    yield value
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(reversed(node))


def load_more_url(page: str | bytes, base_url: str) -> str | None:
    """The next-batch URL of a "load more" control (data-url/data-href/href or a form), else None."""
    try:
        doc = lxml_html.fromstring(page)
    except (etree.ParserError, ValueError):
        return None
    for el in doc.xpath("//*[@data-load-more or contains(@class, 'load-more') or self::a or self::button]"):
        text = " ".join(el.itertext())
        if el.get("data-load-more") is None and "load-more" not in (el.get("class") or "") \
                and not _LOAD_MORE_TEXT.search(text):
            continue
        target = el.get("data-url") or el.get("data-href") or el.get("href") or _form_action(el)
        if target and not target.startswith(("#", "javascript:")):
            return urljoin(base_url, target.strip())
    return None


def _form_action(el: etree._Element) -> str | None:
    form = next(iter(el.iterancestors("form")), None)
    if form is None or not form.get("action"):
        return None
    fields = [(i.get("name"), i.get("value") or "") for i in form.xpath(".//input[@name]")]
    query = "&".join(f"{k}={v}" for k, v in fields)
    return form.get("action") + ("?" + query if query else "")


def load_more_answer(body: bytes, base_url: str) -> tuple[list[str], str | None, str | None]:
    """(release-ish links, next batch URL, HTML fragment) of a "load more" answer, HTML or JSON."""
    if body.lstrip()[:1] in (b"{", b"["):
        data = json.loads(body) if body.strip() else {}
        html_part = data.get("html") if isinstance(data, dict) else None
        nxt = data.get("next") if isinstance(data, dict) else None
        links = [urljoin(base_url, u) for u in _json_urls(body, ("url", "href", "link"))]
        return links, urljoin(base_url, nxt) if isinstance(nxt, str) else None, html_part
    text = body.decode("utf-8", "replace")
    return [], load_more_url(text, base_url) if text.strip() else None, text


@dataclass
class SourceTally:
    """Which discovery source yielded which canonical release URLs during one crawl."""

    seen: dict[str, set[str]] = field(default_factory=lambda: {s: set() for s in SOURCES})
    listing_pages: int = 0
    listing_stopped_early: bool = False

    def add(self, source: str, urls: Iterable[str]) -> list[str]:
        """Record URLs for a source; return the canonical ones no source had named before."""
        fresh = []
        for url in urls:
            key = canonical_url(url)
            if not any(key in s for s in self.seen.values()):
                fresh.append(key)
            self.seen[source].add(key)
        return fresh

    def counts(self) -> dict[str, int]:
        """Releases per source plus `only_one_source` (known to exactly one) and `total`."""
        out = {s: len(v) for s, v in self.seen.items() if v}
        every = Counter(u for v in self.seen.values() for u in v)
        out["total"] = len(every)
        out["only_one_source"] = sum(1 for n in every.values() if n == 1)
        return out

    def listed(self) -> int:
        """Releases the listing named, its pagination and "load more" batches together."""
        return len(self.seen[LISTING] | self.seen[LOAD_MORE])

    def alarm(self, listed_before: int | None = None, archived: int = 0) -> str | None:
        """An ALARM text when the listing is evidently incomplete, else None.

        listed_before: the most the listing yielded on earlier runs (None: no run recorded it);
        archived: releases in the archive, the yardstick when no earlier run is known."""
        listed = self.listed()
        covered = len(self.seen[LISTING] | self.seen[LOAD_MORE] | self.seen[SITEMAP] | self.seen[FEED])
        if self.listing_stopped_early:
            return "listing pagination ended early (a next page with no releases)"
        if listed_before:  # far fewer than before is normal only while a sitemap or feed holds the rest
            if max(listed, covered) >= FEW * listed_before:
                return None
            where = "stopped after one page" if self.listing_pages == 1 else "yielded far fewer releases"
            return (f"listing {where} ({listed} releases; earlier runs {listed_before}) "
                    "and no sitemap or feed holds the rest")
        if self.listing_pages == 1 and covered == listed and archived > 2 * max(listed, 1):
            return f"listing stopped after one page ({listed} releases) but the archive holds {archived}"
        return None
