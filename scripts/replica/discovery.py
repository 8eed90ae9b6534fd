"""Replica listing variants for discovery (issue 14): load more, sitemap only, one page that stops."""
from __future__ import annotations

from html import escape

from . import pages
from .chrome import HOST
from .content import PRESS, Portal

VARIANTS = ("loadmore", "sitemap", "stops")  # listing modes beside normal and empty
SITEMAP_LINE = b"Sitemap: /sitemap.xml\n"


def listing_main(portal: Portal, mode: str, number: int) -> str | None:
    """The listing page's <main> in a discovery mode, or None for a page that does not exist."""
    total = portal.pages
    if mode == "stops":  # page 1 promises a page 2 that answers 200 with no release at all
        return pages.listing(portal.page(1), 1, total, "/x") if number == 1 else pages.empty_listing()
    if number != 1:
        return None
    main = pages.listing(portal.page(1), 1, 1, "/x")  # no pagination at all
    if mode == "loadmore" and total > 1:
        main = main.replace("</ul>", "</ul>" + button(2), 1)
    return main


def button(number: int) -> str:
    """The "load more" control: a button whose data-url names the next batch (an HTML fragment)."""
    return (f'<button class="press-list__more" data-url="{PRESS}/mehr?batch={number}">'
            'Weitere Meldungen laden</button>')


def batch(portal: Portal, number: int) -> str | None:
    """One "load more" answer: the batch's list items and, if more follow, the next button."""
    if not 2 <= number <= portal.pages:
        return None
    items = "".join(f'<li><a href="{pages.link(r)}">{escape(r.headline)}</a></li>' for r in portal.page(number))
    return f'<ul class="press-list">{items}</ul>' + (button(number + 1) if number < portal.pages else "")


def sitemap(portal: Portal) -> str:
    """A sitemap of every active release, with lastmod = its publication day."""
    urls = "".join(f"<url><loc>{HOST}{escape(pages.link(r))}</loc><lastmod>{r.published.isoformat()}</lastmod></url>"
                   for n in range(1, portal.pages + 1) for r in portal.page(n))
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>")
