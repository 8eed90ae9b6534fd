"""Routing and rendering of the replica's pages, cached per content and site state.

A page is kept as fragments: shared chrome bytes, page bytes, and the one-letter markers of the
values that change with every response (cookie id, search token, request host).
"""
from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from . import discovery, pages
from .chrome import head, portal_chrome, relaunch_chrome
from .content import PRESS, Portal, Release, canon_key
from .state import SiteState
from .texts import SERVICE_PAGES

ASSETS = "/C125830C0042AB74/"
INTERN = f"{PRESS}/Intern/Entwurf-Haushaltsplan-2025"
JUNK_LINKS = 120  # listing mode "junk": release links on the first listing page that answer 404
ROBOTS = (b"User-agent: *\nDisallow: /Pressemeldungen/Intern/\nDisallow: /_replica/\nDisallow: /Suche\n")
GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00"
       b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Route:
    """What a request asks for: kind (listing, article, ...), canonical key, and the thing itself."""

    kind: str  # robots | listing | article | intern | service | asset | home | other
    key: str
    target: object = None


@dataclass(frozen=True)
class Page:
    """A rendered answer before the per-response values are filled in."""

    status: int
    parts: tuple
    ctype: str = HTML
    etag: str | None = None
    modified: float | None = None


def fragments(text: str) -> tuple:
    """Split rendered text at the markers: bytes, marker letter, bytes, ..."""
    pieces = text.split("\x00")
    out = [pieces[0].encode()]
    for piece in pieces[1:]:
        out += [piece[0], piece[1:].encode()]
    return tuple(out)


def assemble(parts: tuple, values: dict) -> bytes:
    """The response body: fragments joined, markers replaced by this response's values."""
    return b"".join(values[p] if isinstance(p, str) else p for p in parts)


class Site:
    """The replica's pages for a portal in a site state."""

    CACHE_SIZE = 4096

    def __init__(self, portal: Portal, state: SiteState):
        self.portal, self.state = portal, state
        self.lock = threading.Lock()
        self.cache: OrderedDict = OrderedDict()
        self.chromes: dict = {}

    def route(self, raw: str) -> Route:
        """The route of a request path (with query); any spelling of an article path is that article."""
        split = urlsplit(raw)
        path = split.path or "/"
        if path == "/robots.txt":
            return Route("robots", path)
        if path == "/sitemap.xml" or re.fullmatch(r"/sitemap-\d{4}\.xml", path):
            return Route("sitemap", path)
        if path == PRESS + ".rss":
            return Route("feed", path)
        if canon_key(path) == PRESS + "/mehr":
            value = parse_qs(split.query).get("batch", ["0"])[0]
            fmt = "&format=json" if parse_qs(split.query).get("format") == ["json"] else ""
            return Route("batch", f"{PRESS}/mehr?batch={value}{fmt}", int(value) if value.isdigit() else 0)
        key = canon_key(path)
        if key == PRESS:
            return self._listing_route(split.query)
        if key.startswith(PRESS + "/Intern/"):
            return Route("intern", key)
        rel = self.portal.get(path)
        if rel is not None:
            return Route("article", rel.path, rel)
        name = key[len("/Service/"):]
        if key.startswith("/Service/") and name in SERVICE_PAGES:
            return Route("service", key, name)
        kind = "asset" if key.startswith(ASSETS) else "home" if key == "/" else "other"
        return Route(kind, key)

    def _listing_route(self, query: str) -> Route:
        value = parse_qs(query).get("seite", ["1"])[0]
        number = int(value) if value.isdigit() else 0
        return Route("listing", PRESS if number == 1 else f"{PRESS}?seite={value}", number)

    def render(self, route: Route) -> Page:
        """The page for a route in the current state (cached)."""
        if route.kind == "robots":
            extra = discovery.SITEMAP_LINE if self.state.listing in discovery.NAMED_SITEMAPS else b""
            return Page(200, (ROBOTS + extra,), "text/plain; charset=utf-8")
        if route.kind == "asset":
            return self._asset(route.key)
        key = (route.kind, route.key, self.portal.version, self.state.version)
        with self.lock:
            if key in self.cache:
                self.cache.move_to_end(key)
                return self.cache[key]
        page = getattr(self, "_" + route.kind)(route)
        with self.lock:
            self.cache[key] = page
            while len(self.cache) > self.CACHE_SIZE:
                self.cache.popitem(last=False)
        return page

    def _chrome(self, relaunch: bool = False):
        key = (relaunch, self.state.chrome)
        if key not in self.chromes:
            chrome = (relaunch_chrome if relaunch else portal_chrome)(self.state.chrome)
            self.chromes[key] = (chrome, fragments(chrome.top), fragments(chrome.bottom))
        return self.chromes[key]

    def _html(self, status: int, title: str, main: str, og: str | None = None, relaunch: bool = False,
              etag: str | None = None, modified: float | None = None) -> Page:
        _, top, bottom = self._chrome(relaunch)
        parts = fragments(head(title, og)) + top + fragments(main) + bottom
        return Page(status, parts, HTML, etag, modified)

    def _listing(self, route: Route) -> Page:
        number, total = route.target, self.portal.pages
        if self.state.listing == "empty":
            if number != 1:
                return self._html(404, "Seite nicht gefunden", pages.error(404))
            return self._html(200, "Pressemeldungen", pages.empty_listing())
        if self.state.listing in discovery.VARIANTS:
            main = discovery.listing_main(self.portal, self.state.listing, number)
            if main is None:
                return self._html(404, "Seite nicht gefunden", pages.error(404))
            page = self._html(200, "Pressemeldungen", main)
            if self.state.listing == "feed":  # the feed is announced in the head
                page = Page(200, fragments(head("Pressemeldungen", None).replace("</head>", discovery.FEED_LINK + "</head>"))
                            + page.parts[len(fragments(head("Pressemeldungen", None))):], HTML)
            return page
        if not 1 <= number <= total:
            return self._html(404, "Seite nicht gefunden", pages.error(404))
        main = pages.listing(self.portal.page(number), number, total, INTERN)
        if self.state.listing == "junk" and number == 1:  # junk release links above the real ones
            main = main.replace('<ul class="press-list">', '<ul class="press-list">' + pages.junk_links(JUNK_LINKS), 1)
        return self._html(200, "Pressemeldungen", main)

    def _sitemap(self, route: Route) -> Page:
        mode, year = self.state.listing, route.key[len("/sitemap-"):-4] if route.key != "/sitemap.xml" else None
        if mode in ("sitemap", "sitemap-unnamed") and year is None:
            return self._document(discovery.sitemap(self.portal), "application/xml")
        if mode == "sitemap-index":
            text = discovery.sitemap(self.portal, int(year)) if year else discovery.sitemap_index(self.portal)
            return self._document(text, "application/xml")
        return self._html(404, "Seite nicht gefunden", pages.error(404))

    def _feed(self, route: Route) -> Page:
        if self.state.listing != "feed":
            return self._html(404, "Seite nicht gefunden", pages.error(404))
        return self._document(discovery.feed(self.portal), "application/rss+xml")

    def _document(self, text: str, ctype: str) -> Page:
        """A sitemap or feed, with an ETag and a Last-Modified, so it can answer 304."""
        return Page(200, fragments(text), ctype, *discovery.validators(self.portal, text))

    def _batch(self, route: Route) -> Page:
        as_json = route.key.endswith("format=json")
        make = discovery.batch_json if as_json else discovery.batch
        text = make(self.portal, route.target) if self.state.listing.startswith("loadmore") else None
        if text is None:
            return self._html(404, "Seite nicht gefunden", pages.error(404))
        return Page(200, fragments(text), "application/json" if as_json else HTML)

    def _article(self, route: Route) -> Page:
        rel: Release = route.target
        if rel.status != 200:
            return self._html(200 if rel.soft else rel.status, "Seite nicht gefunden", pages.error(rel.status))
        relaunch = self.state.markup == "fallback"
        chrome = self._chrome(relaunch)[0]
        generation = self.state.chrome
        teasers = [(r, pages.SPELLINGS[(rel.rid * 31 + r.rid + generation) % 4])
                   for r in self.portal.teasers(rel, generation)]
        main = (pages.relaunch_article if relaunch else pages.article)(rel, teasers, chrome)
        etag, modified = self.validators(rel)
        return self._html(200, rel.headline, main, rel.headline, relaunch, etag, modified)

    def validators(self, rel: Release) -> tuple[str | None, float | None]:
        """ETag and Last-Modified of an article: its content (and markup), plus the chrome in 'chrome' mode."""
        mode = self.state.etag
        if mode in ("none", "random"):  # 'random' is computed from each response's bytes
            return None, None
        basis = f"{rel.content_hash()}/{self.state.markup}"
        modified = max(rel.modified, self.state.markup_changed)
        if mode == "chrome":
            basis += f"/{self.state.chrome}"
            modified = max(modified, self.state.chrome_changed)
        return '"' + hashlib.sha1(basis.encode()).hexdigest()[:20] + '"', modified

    def _intern(self, route: Route) -> Page:
        return self._html(200, "Entwurf", pages.intern())

    def _service(self, route: Route) -> Page:
        title, paragraphs, items = SERVICE_PAGES[route.target]
        return self._html(200, title, pages.service(title, paragraphs, items))

    def _home(self, route: Route) -> Page:
        return self._html(200, "Startseite", pages.home())

    def _other(self, route: Route) -> Page:
        return self._html(404, "Seite nicht gefunden", pages.error(404))

    def _asset(self, key: str) -> Page:
        ext = key.rsplit(".", 1)[-1].lower()
        if ext in ("jpg", "jpeg", "png", "gif", "webp"):
            return Page(200, (GIF,), "image/gif")
        if ext == "svg":
            return Page(200, (b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',), "image/svg+xml")
        if ext in ("css", "js"):
            return Page(200, (b"/* replica */\n",), "text/css" if ext == "css" else "application/javascript")
        return Page(404, (b"not found\n",), "text/plain; charset=utf-8")
