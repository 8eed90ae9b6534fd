"""Replica listing variants for discovery (issue 14): load more, sitemaps, a feed, one page (that stops)."""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from html import escape

from . import pages
from .chrome import HOST
from .content import PRESS, Portal

# Listing modes beside normal and empty; "sitemap-unnamed" serves /sitemap.xml that robots.txt does not name.
VARIANTS = ("loadmore", "loadmore-json", "sitemap", "sitemap-index", "sitemap-unnamed", "feed", "stops", "onepage")
NAMED_SITEMAPS = ("sitemap", "sitemap-index")  # the modes whose robots.txt has a Sitemap: line
SITEMAP_LINE = b"Sitemap: /sitemap.xml\n"


def listing_main(portal: Portal, mode: str, number: int) -> str | None:
    """The listing page's <main> in a discovery mode, or None for a page that does not exist."""
    total = portal.pages
    if mode == "stops":  # page 1 promises a page 2 that answers 200 with no release at all
        return pages.listing(portal.page(1), 1, total, "/x") if number == 1 else pages.empty_listing()
    if number != 1:
        return None
    main = pages.listing(portal.page(1), 1, 1, "/x")  # no pagination at all
    if mode.startswith("loadmore") and total > 1:
        main = main.replace("</ul>", "</ul>" + button(2, mode.endswith("json")), 1)
    return main


def button(number: int, as_json: bool = False) -> str:
    """The "load more" control: a button whose data-url names the next batch (HTML fragment or JSON)."""
    fmt = "&amp;format=json" if as_json else ""
    return (f'<button class="press-list__more" data-url="{PRESS}/mehr?batch={number}{fmt}">'
            'Weitere Meldungen laden</button>')


def batch(portal: Portal, number: int) -> str | None:
    """One "load more" answer: the batch's list items and, if more follow, the next button."""
    if not 2 <= number <= portal.pages:
        return None
    items = "".join(f'<li><a href="{pages.link(r)}">{escape(r.headline)}</a></li>' for r in portal.page(number))
    return f'<ul class="press-list">{items}</ul>' + (button(number + 1) if number < portal.pages else "")


def lastmod(rel) -> str:
    """A release's lastmod: when it last changed (published, edited, corrected), to the second, in UTC."""
    return datetime.fromtimestamp(rel.modified, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def validators(portal: Portal, text: str) -> tuple[str, float]:
    """ETag and Last-Modified of a sitemap or feed: its text's hash, the latest change of any release."""
    return '"' + hashlib.sha1(text.encode()).hexdigest()[:20] + '"', max(r.modified for r in portal.releases)


def sitemap(portal: Portal, year: int | None = None) -> str:
    """A sitemap of every active release (of one year), with lastmod = when it last changed."""
    urls = "".join(f"<url><loc>{HOST}{escape(pages.link(r))}</loc><lastmod>{lastmod(r)}</lastmod></url>"
                   for n in range(1, portal.pages + 1) for r in portal.page(n) if year in (None, r.published.year))
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>")


def batch_json(portal: Portal, number: int) -> str | None:
    """The JSON flavour of a batch: {"items": [{"url", "title"}], "next": URL|null}."""
    if not 2 <= number <= portal.pages:
        return None
    items = [{"url": pages.link(r), "title": r.headline} for r in portal.page(number)]
    nxt = f"{PRESS}/mehr?batch={number + 1}&format=json" if number < portal.pages else None
    return json.dumps({"items": items, "next": nxt})


def years(portal: Portal) -> list[int]:
    """The years releases were published in, newest first."""
    return sorted({r.published.year for n in range(1, portal.pages + 1) for r in portal.page(n)}, reverse=True)


def sitemap_index(portal: Portal) -> str:
    """A sitemap index of yearly sitemaps."""
    items = "".join(f"<sitemap><loc>{HOST}/sitemap-{y}.xml</loc></sitemap>" for y in years(portal))
    return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
            f'sitemap/0.9">{items}</sitemapindex>')


FEED_LINK = '<link rel="alternate" type="application/rss+xml" title="Pressemeldungen" href="/Pressemeldungen.rss">\n'


def feed(portal: Portal) -> str:
    """An RSS 2.0 feed of every active release."""
    items = "".join(f"<item><title>{escape(r.headline)}</title><link>{HOST}{escape(pages.link(r))}</link></item>"
                    for n in range(1, portal.pages + 1) for r in portal.page(n))
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Pressemeldungen</title>{items}</channel></rss>'
