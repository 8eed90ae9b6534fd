"""One page to one Record: decode, parse, find the article (portal profile, else fallback), assemble."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit

from lxml import etree

from . import fallback, portal
from .dates import date_from_url, find_date_mentions, parse_date_line, parse_iso_or_german
from .decode import decode_html, parse_html
from .images import extract_images
from .quotes import extract_quotes
from .record import Record
from .text import Article, Block, clean, inside_chrome, is_meta_line, iter_blocks, tag_of
from .urls import canonical_url, release_path

_MAX_DATE_LINE = 80
_DATE_LINE_REACH = 3  # a date line opens or closes the body; mid-body dates are program items
_META_DATE_KEYS = (
    "article:published_time", "og:article:published_time", "datepublished", "dcterms.date",
    "dcterms.issued", "dc.date.issued", "dc.date", "date", "publish-date", "publishdate", "pubdate",
    "dcterms.created", "dcterms.modified", "article:modified_time",
)
_PRESS_WORDS = ("pressemeldung", "pressemitteilung", "presseinformation", "pressemeldungen")
_TITLE_SEPARATORS = re.compile(r"\s+[-|–—·:]{1,2}\s+")
_SITE_WORDS = ("stadt ", "bochum", "portal", "startseite", ".de")
_BREADCRUMB = re.compile(r"breadcrumb|sie sind hier|brotkrumen|navigationspfad", re.I)
_LISTING_LINK_SHARE = 0.4
_DATED = etree.XPath(
    ".//*[not(self::meta)][@content or @datetime][contains(@property, 'date') or contains(@itemprop, 'datePublished')"
    " or contains(@property, 'created') or contains(@itemprop, 'dateCreated')]")


@dataclass
class PageMeta:
    """What the page says about itself outside the article: head metadata and the breadcrumb."""

    title: str | None = None
    canonical: str | None = None
    base: str | None = None
    values: dict[str, str] = field(default_factory=dict)  # meta name/property/itemprop → content
    json_ld: list[str] = field(default_factory=list)
    breadcrumb: list[str] = field(default_factory=list)


def extract_page(body: bytes | str, url: str | None = None, headers=None) -> Record:
    """Parse one page into a Record; raises NotHTMLError for input that is not HTML."""
    root = parse_html(decode_html(body, headers))
    meta = read_meta(root)
    article = portal.find_article(root) or fallback.find_article(root)
    headline = article.headline or headline_from_meta(meta, article.headline_guess)
    blocks, line_date = body_blocks(article, headline)
    paragraphs = [block.text for block in blocks]
    published, source = _published(line_date, url, meta, article)
    return Record(
        url=url, canonical_url=_canonical(meta, url), headline=headline, kicker=article.kicker,
        kind=_kind(article, blocks, headline, line_date, url, meta),
        published=published.isoformat() if published else None, published_source=source,
        paragraphs=paragraphs, images=extract_images(article.scope, _base_url(meta, url)),
        quotes=extract_quotes(paragraphs), date_mentions=find_date_mentions(paragraphs, published),
        extractor=article.extractor,
    )


# --------------------------------------------------------------------------- body and date line
def body_blocks(article: Article, headline: str | None) -> tuple[list[Block], date | None]:
    """The body blocks without headline repeats, labels and link lists, and the date line's date."""
    # The portal's section labels may survive a relaunch, so the fallback drops them too.
    repeats = {(headline or "").lower(), (article.kicker or "").lower()} | article.labels | portal.SECTION_LABELS
    raw = iter_blocks(article.container, article.skip)
    # Lines above a headline inside the text box (print headers, kickers, a dateline) are not body.
    start = next((index + 1 for index, b in enumerate(raw) if b.el is article.headline_el), 0)
    blocks = [b for b in raw[start:] if b.text.lower() not in repeats and b.link_density <= article.max_link_density]
    found = _date_line(blocks)
    if found is not None:
        blocks = blocks[:found[0]] + blocks[found[0] + 1:]
    else:
        found = _date_line(raw[:start] + _outside(article), reach=len(raw))
    return _without_meta_lines(blocks, article.container), found[1] if found else None


def _outside(article: Article) -> list[Block]:
    # The rest of the article (its head, beside the text box): where some CMSs put the date.
    if article.scope is article.container:
        return []
    return [b for b in iter_blocks(article.scope, article.skip)
            if article.container not in (b.el, *b.el.iterancestors())]


def _without_meta_lines(blocks: list[Block], container) -> list[Block]:
    # Bylines and category lines frame the text; between the first and last prose paragraph a
    # short line with a <time> is body ("Die Sitzung beginnt am <time>12. Mai</time>.").
    meta = [is_meta_line(block, container) for block in blocks]
    prose = [index for index, block in enumerate(blocks) if not meta[index] and fallback.is_prose(block)]
    first, last = (prose[0], prose[-1]) if prose else (len(blocks), -1)
    return [block for index, block in enumerate(blocks) if first <= index <= last or not meta[index]]


def _date_line(blocks: list[Block], reach: int = _DATE_LINE_REACH) -> tuple[int, date] | None:
    # Scan from the end: the portal closes a release with its date line; some CMSs open with it.
    # Reach counts paragraphs, not list items: a link list after the date line does not hide it.
    lines = [index for index, block in enumerate(blocks) if not block.in_list]
    for rank in range(len(lines) - 1, -1, -1):
        if reach <= rank < len(lines) - reach:
            continue
        block = blocks[lines[rank]]
        if len(block.text) <= _MAX_DATE_LINE and not block.link_chars and not _is_table_cell(block):
            when = parse_date_line(block.text)
            if when:
                return lines[rank], when
    return None


def _is_table_cell(block: Block) -> bool:
    # A whole cell of a row with other filled cells is table data (a calendar), not a date line;
    # loose text in a layout table's one big cell is not.
    if block.tag not in {"td", "th"} or clean("".join(block.el.itertext())) != block.text:
        return False
    row = block.el.getparent()
    return row is not None and sum(1 for cell in row if "".join(cell.itertext()).strip()) > 1


# --------------------------------------------------------------------------- page metadata
def read_meta(root) -> PageMeta:
    """Title, canonical link, base, meta values, JSON-LD dates and breadcrumb of a page."""
    meta = PageMeta()
    for el in root.iter("meta", "link", "title", "base", "script"):
        _read_meta_element(meta, el, tag_of(el))
    meta.breadcrumb = _breadcrumb(root)
    return meta


def _read_meta_element(meta: PageMeta, el, tag: str) -> None:
    # The first of each wins: later ones are usually in embedded widgets.
    if tag == "meta":
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = el.get("content") if el.get("content") is not None else el.get("datetime")
        if key and content and key not in meta.values:
            meta.values[key] = content.strip()
    elif tag == "link" and "canonical" in (el.get("rel") or "").lower().split() and not meta.canonical:
        meta.canonical = (el.get("href") or "").strip() or None
    elif tag == "title" and meta.title is None and not _in_svg(el):
        meta.title = clean("".join(el.itertext())) or None
    elif tag == "base" and meta.base is None:
        meta.base = (el.get("href") or "").strip() or None
    elif tag == "script" and "ld+json" in (el.get("type") or "").lower():
        meta.json_ld.extend(_json_ld_dates(el.text or ""))


def _in_svg(el) -> bool:
    return any(tag_of(a) in {"svg", "symbol"} for a in el.iterancestors())


def _json_ld_dates(text: str) -> list[str]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return []
    found, stack = [], [data]
    while stack and len(found) < 10:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("datePublished"), str):
                found.append(item["datePublished"])
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _breadcrumb(root) -> list[str]:
    for el in root.iter("nav", "ol", "ul", "div"):
        label = f"{el.get('aria-label') or ''} {el.get('class') or ''} {el.get('id') or ''}"
        if _BREADCRUMB.search(label) or "BreadcrumbList" in (el.get("itemtype") or ""):
            items = [clean("".join(li.itertext())) for li in el.iter("li")]
            return [item for item in items if item] or [clean("".join(el.itertext()))]
    return []


def headline_from_meta(meta: PageMeta, guess: str | None = None) -> str | None:
    """og:title, else the guess from the page, else the <title> without its site part ("… - Stadt Bochum")."""
    og_title = clean(meta.values.get("og:title"))
    if og_title or guess:
        return og_title or guess
    if not meta.title:
        return None
    parts = _TITLE_SEPARATORS.split(meta.title)
    site = clean(meta.values.get("og:site_name")).lower()
    if len(parts) > 1:
        for candidate, rest in ((parts[-1], parts[:-1]), (parts[0], parts[1:])):
            low = candidate.lower()
            if (site and low == site) or (len(low.split()) <= 4 and any(w in f"{low} " for w in _SITE_WORDS)):
                return " - ".join(rest)
    return meta.title


# --------------------------------------------------------------------------- published, canonical, kind
def _published(line_date: date | None, url: str | None, meta: PageMeta, article: Article):
    if line_date:
        return line_date, "date_line"
    for address in (url, _absolute(meta.canonical, url)):
        when = date_from_url(address) if address else None
        if when:
            return when, "url"
    when = _meta_date(meta, article)
    return (when, "meta") if when else (None, None)


def _meta_date(meta: PageMeta, article: Article) -> date | None:
    values = [meta.values.get(key) for key in _META_DATE_KEYS[:2]]
    values += meta.json_ld + [meta.values.get(key) for key in _META_DATE_KEYS[2:]]
    values += _time_values(article)
    for value in values:
        when = parse_iso_or_german(value) if value else None
        if when:
            return when
    return None


def _time_values(article: Article) -> list[str]:
    # Only dates in the article itself: teaser lists and footers carry other releases' dates.
    # RDFa/microdata (property="dc:date" content=…) first, then <time>.
    values = []
    for el in (*_DATED(article.scope), *article.scope.iter("time")):
        if inside_chrome(el, article.scope) or any(tag_of(a) in {"li", "a"} for a in el.iterancestors()):
            continue
        values += [el.get("content") or el.get("datetime") or ""]
        values += [clean("".join(el.itertext()))] if tag_of(el) == "time" else []
    return [v for v in values if v]


def _absolute(href: str | None, url: str | None) -> str | None:
    if not href:
        return None
    absolute = urljoin(url, href) if url else href
    return absolute if urlsplit(absolute).scheme in {"http", "https"} and urlsplit(absolute).hostname else None


def _site(host: str | None) -> str:
    host = (host or "").lower()
    return host if host.replace(".", "").isdigit() or "." not in host else ".".join(host.split(".")[-2:])


def _canonical(meta: PageMeta, url: str | None) -> str | None:
    link = _absolute(meta.canonical, url)
    if link and (url is None or _site(urlsplit(link).hostname) == _site(urlsplit(url).hostname)):
        return canonical_url(link)
    return canonical_url(url) if url else None


def _base_url(meta: PageMeta, url: str | None) -> str | None:
    if meta.base:
        return _absolute(meta.base, url) or url
    return url


def _is_release_address(address: str | None) -> bool:
    # A release lives two segments below /Pressemeldungen/: a date or topic, then the slug.
    path = release_path(address) if address else None
    return bool(path) and path.count("/") >= 3


def _kind(article: Article, blocks: list[Block], headline, line_date, url, meta: PageMeta) -> str:
    if not headline or not blocks:
        return "other"
    if _is_release_address(url) or (url is None and _is_release_address(_absolute(meta.canonical, None))):
        return "press_release"
    if line_date:
        return "press_release"
    hints = " ".join([*meta.breadcrumb, article.kicker or "", *article.page_labels]).lower()
    if not any(word in hints for word in _PRESS_WORDS) or headline.lower() in portal.SECTION_LABELS:
        return "other"
    text = sum(len(b.text) for b in blocks)
    return "other" if sum(b.link_chars for b in blocks) > _LISTING_LINK_SHARE * text else "press_release"
