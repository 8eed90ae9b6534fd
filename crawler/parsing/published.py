"""A page's publication date: its date line, its address, its metadata, its <time>, else htmldate's guess.

Sources in order of trust. The release's own date line and a dated address are what the portal
writes; then what the page says about itself in its head (article:published_time, JSON-LD
datePublished, Dublin Core) and in the article's own markup (RDFa, microdata, `<time>`). Only a
page the site's templates do not know (the generic extractor) asks htmldate when all of these are
silent: it reads the page again (a few ms, up to ~0.5 s on large pages), so the portal's fast
path never pays for it. A modified date is the last resort: the original publication date is what
the record means.
"""
from __future__ import annotations

import logging
from datetime import date
from itertools import islice
from urllib.parse import urljoin, urlsplit

from lxml import etree

from .date_values import parse_date_value
from .dates import date_from_url, find_date_mentions
from .meta import PageMeta
from .text import Region, ancestors_until, class_words, clean, inside_chrome, tag_of

__all__ = ["publication_date", "absolute_url"]

# Head metadata naming the original publication, most specific first; article:published_time and
# its twin outrank JSON-LD, the rest rank below it.
_PUBLISHED_KEYS = (
    "article:published_time", "og:article:published_time", "og:published_time", "article:published",
    "published_time", "article.published", "datepublished", "parsely-pub-date", "sailthru.date",
    "dcterms.issued", "dc.date.issued", "publish-date", "publishdate", "publish_date", "pubdate",
    "publication_date", "publication-date", "citation_publication_date",
)
# Keys that name some date of the page: below the article's own microdata datePublished.
_VAGUE_KEYS = (
    "dcterms.date", "dc.date", "date", "dcterms.created", "dc.date.created", "date.created", "datecreated",
    "citation_date",
)
_MODIFIED_KEYS = (
    "article:modified_time", "og:updated_time", "dcterms.modified", "dc.date.modified", "datemodified",
    "last-modified", "lastmod",
)
_DATED = etree.XPath(
    ".//*[not(self::meta)][@content or @datetime][contains(@property, 'date') or contains(@itemprop, 'datePublished')"
    " or contains(@property, 'created') or contains(@itemprop, 'dateCreated')]")
_PAGE_PUBLISHED = etree.XPath("//*[@itemprop='datePublished']")
_H1 = etree.XPath("//h1")
_HEADER_REACH = 3  # ancestors of the headline that still are the article's head
# htmldate reads at most this much of a page: real pages are under 1 MB, and its date signals stand
# in the head and above the text; a hostile 10 MB page would cost it seconds.
_HTMLDATE_CHARS = 1_000_000
_TEASER_TAGS = frozenset({"li", "a"})
_LIST_TAGS = frozenset({"li"})
_DATE_WORDS = frozenset({"date", "datum", "dateline", "posted", "published", "pubdate", "byline", "time"})
# Candidates by XPath (in C), then by whole class words: "update" contains "date" but is no date.
_DATED_LINES = etree.XPath(".//*[self::time or " + " or ".join(f"contains(@class, '{w}')" for w in sorted(_DATE_WORDS)) + "]")
_MAX_DATE_TEXT = 200  # characters of a dated line with its labels and whitespace


def publication_date(line_date: date | None, url: str | None, meta: PageMeta, article: Region,
                     url_dates: tuple[str, ...], html: str | None = None,
                     headline: str | None = None) -> tuple[date | None, str | None]:
    """The page's publication date and where it came from (date_line, url, meta, htmldate), or (None, None).

    A listing's dates are its teasers': it keeps only a date its address or head metadata gives the page.
    `html` (the page's text) lets a generic page ask htmldate; `headline` tells its own teaser from others'."""
    if line_date and not article.listing:
        return line_date, "date_line"
    when = _first(date_from_url(address, url_dates) for address in (url, absolute_url(meta.canonical, url)) if address)
    if when:
        return when, "url"
    if article.listing:
        return _labelled(_first(map(parse_date_value, (*_head_values(meta), *_sole_microdata(article)))), "meta")
    for source, dates in (("meta", _markup_dates(meta, article)), ("htmldate", _htmldate_guess(html, url, article, headline)),
                          ("meta", map(parse_date_value, _values(meta, _MODIFIED_KEYS)))):
        when = _first(dates)
        if when:
            return when, source
    return None, None


def _labelled(when: date | None, source: str) -> tuple[date | None, str | None]:
    return (when, source) if when else (None, None)


def _first(dates) -> date | None:
    # Sources are generators: a later (costlier) one runs only when the earlier ones found nothing.
    return next((when for when in dates if when), None)


def _markup_dates(meta: PageMeta, article: Region):
    """Dates the page's markup gives itself, most trusted first (see the module's docstring)."""
    for values in (_head_values(meta), _page_values(article), _values(meta, _VAGUE_KEYS), _time_values(article),
                   _headline_dates(article)):
        yield from (parse_date_value(value) for value in values if value)


def _values(meta: PageMeta, keys: tuple[str, ...]):
    return (meta.values.get(key) for key in keys)


def _head_values(meta: PageMeta):
    # What the head says of the page's publication: article:published_time, JSON-LD, then the rest.
    yield from _values(meta, _PUBLISHED_KEYS[:2])
    yield from meta.json_ld
    yield from _values(meta, _PUBLISHED_KEYS[2:])


def _time_values(article: Region):
    # Only dates in the article itself: teaser lists and footers carry other releases' dates.
    # RDFa/microdata (property="dc:date" content=…) first, then <time>.
    for el in (*_DATED(article.scope), *article.scope.iter("time")):
        if _own(el, article, article.scope):
            yield el.get("content") or el.get("datetime")
            if tag_of(el) == "time":
                yield clean("".join(el.itertext()))


def _page_values(article: Region):
    # Microdata datePublished names the page's own date wherever the template put it (a header
    # above the text box), unless it sits in chrome or a teaser.
    root = article.scope.getroottree().getroot()
    for el in _PAGE_PUBLISHED(root):
        if _own(el, article, root):
            yield el.get("content") or el.get("datetime")
            yield clean("".join(el.itertext()))


def _sole_microdata(article: Region) -> list[str]:
    # On a page that looks like a listing, one datePublished alone is the page's own (many are teasers').
    root = article.scope.getroottree().getroot()
    found = _PAGE_PUBLISHED(root)
    if len(found) != 1 or inside_chrome(found[0], root):
        return []
    return [found[0].get("content") or found[0].get("datetime"), clean("".join(found[0].itertext()))]


def _headline_dates(article: Region):
    # A <time>, or a date-classed line ("entry-date", "meta__date", "Veröffentlicht am …"), in the
    # box around the page's headline: a post header above the text box. A link around it is the
    # post's permalink, not a teaser.
    root = article.scope.getroottree().getroot()
    for h1 in _H1(root):
        for box in islice(h1.iterancestors(), _HEADER_REACH):
            dated = [el for el in _DATED_LINES(box) if _dated_line(el) and _own(el, article, box, _LIST_TAGS)]
            for el in dated:
                yield el.get("datetime")
                yield clean("".join(el.itertext()))
            if dated:
                return


def _dated_line(el) -> bool:
    return el.tag == "time" or bool(class_words(el) & _DATE_WORDS and len("".join(el.itertext())) <= _MAX_DATE_TEXT)


def _own(el, article: Region, stop, teaser_tags: frozenset[str] = _TEASER_TAGS) -> bool:
    """The dated element belongs to the article, not to chrome, a teaser (a list item, a link) or a teaser box."""
    if inside_chrome(el, stop) or any(tag_of(a) in teaser_tags for a in el.iterancestors()):
        return False
    return not (article.boxes and any(a in article.boxes for a in ancestors_until(el, stop)))


def _teaser_dates(article: Region, headline: str | None) -> set[date]:
    """The dates other pages' teasers show: htmldate cannot tell them from the page's own."""
    found = set()
    for box in article.boxes:
        text = clean(" ".join(box.itertext()))
        if headline and headline.casefold() in text.casefold():
            continue  # "recent posts" that list this very page show its own date
        found.update(when for el in box.iter("time") if (when := parse_date_value(el.get("datetime"))))
        found.update(date.fromisoformat(m.date) for m in find_date_mentions([text], None))
    return found


def _htmldate_guess(html: str | None, url: str | None, article: Region, headline: str | None):
    """htmldate's date for a generic page, unless it is a teaser's; never for a site template's page."""
    when = _htmldate(html, url) if html is not None and article.template is None else None
    if when and when not in _teaser_dates(article, headline):
        yield when


def _htmldate(html: str, url: str | None) -> date | None:
    # htmldate logs at WARNING for pages it cannot read; those are ours to judge, not the user's.
    import htmldate  # noqa: PLC0415 - only generic pages without a date of their own pay for the import

    logging.getLogger("htmldate").setLevel(logging.ERROR)
    try:
        found = htmldate.find_date(html[:_HTMLDATE_CHARS], url=url, original_date=True, extensive_search=False)
    except Exception:  # noqa: BLE001 - a third-party guess must never cost the record
        return None
    return date.fromisoformat(found) if found else None


def absolute_url(href: str | None, url: str | None) -> str | None:
    """href resolved against url, if that gives an http(s) address with a host."""
    if not href:
        return None
    absolute = urljoin(url, href) if url else href
    return absolute if urlsplit(absolute).scheme in {"http", "https"} and urlsplit(absolute).hostname else None
