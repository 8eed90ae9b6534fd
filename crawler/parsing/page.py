"""One page to one Record: decode, parse, locate the article (a site template, else the fallback), assemble."""
from __future__ import annotations

from datetime import date
from itertools import islice
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from . import fallback
from .confidence import confidence
from .bylines import is_update_line, parse_byline
from .dates import find_date_mentions
from .decode import decode_html, parse_html
from .images import extract_images
from .meta import PageMeta, headline_from_meta, read_meta
from .published import absolute_url as _absolute
from .published import publication_date
from .quotes import extract_quotes
from .record import Record
from .second_opinion import disagree, other_body, trim_tail
from .template import match_template
from .text import Block, Region, clean, heading_rank, is_meta_line, iter_blocks
from .urls import looks_like_release

if TYPE_CHECKING:
    from crawler.sites import SiteProfile

_MAX_DATE_LINE = 80
_DATE_LINE_REACH = 3
_HEAD_BOXES = 3  # a date line opens or closes the body; mid-body dates are program items
_PRESS_WORDS = ("pressemeldung", "pressemitteilung", "presseinformation", "pressemeldungen")
_LISTING_LINK_SHARE = 0.4
_DISAGREEING = 0.4  # confidence when our body and trafilatura's share almost no prose


def extract_page(body: bytes | str, url: str | None = None, headers=None, profile: SiteProfile | None = None) -> Record:
    """Parse one page of a site (default: bochum) into a Record; raises NotHTMLError for input that is not HTML."""
    if profile is None:
        from crawler.sites import get_profile  # noqa: PLC0415 - the profiles import this package

        profile = get_profile()
    html = decode_html(body, headers)
    root = parse_html(html)
    meta = read_meta(root)
    article = locate_region(root, profile)
    headline = article.headline or headline_from_meta(meta, article.headline_guess, profile.site_words)
    blocks, line_date = body_blocks(article, headline, profile.section_labels)
    paragraphs, sure = _checked_body(html, article, blocks)
    # A page without a body of its own (a hub of teaser cards) gives htmldate only others' dates.
    published, source = publication_date(line_date, url, meta, article, profile.url_dates,
                                         html if paragraphs else None, headline)
    kind = _kind(article, blocks, headline, line_date, url, meta, published, profile)
    return Record(
        url=url, canonical_url=_canonical(meta, url, profile), headline=headline, kicker=article.kicker, kind=kind,
        published=published.isoformat() if published else None, published_source=source,
        paragraphs=paragraphs, images=extract_images(article.scope, _base_url(meta, url)),
        quotes=extract_quotes(paragraphs), date_mentions=find_date_mentions(paragraphs, published),
        extractor=article.extractor, template=f"{profile.name}/{article.template}" if article.template else None,
        confidence=sure,
    )


def _checked_body(html: str, article: Region, blocks: list[Block]) -> tuple[list[str], float]:
    """The body's paragraphs and how sure we are; without a template, trafilatura gives a second opinion."""
    paragraphs = [block.text for block in blocks]
    sure = confidence(blocks, article.template is not None, article.in_chrome)
    if article.template is not None or article.listing:
        return paragraphs, sure
    theirs = other_body(html)
    if not disagree(paragraphs, theirs):
        return (trim_tail(paragraphs, theirs) if theirs else paragraphs), sure
    # The two extractors took different blocks: flag it, and keep the one that found the prose.
    return theirs, min(sure, _DISAGREEING)


def locate_region(root, profile: SiteProfile) -> Region:
    """The article region by the first of the profile's templates the page is in, else the fallback's guess."""
    for template in profile.templates:
        region = match_template(root, template)
        if region is not None:
            return region
    return fallback.guess_region(root)


# --------------------------------------------------------------------------- body and date line
def body_blocks(article: Region, headline: str | None,
                section_labels: frozenset[str] = frozenset()) -> tuple[list[Block], date | None]:
    """The body blocks without headline repeats, labels and link lists, and the date line's date."""
    # The site's section labels may survive a relaunch, so the fallback drops them too.
    repeats = {(headline or "").lower(), (article.kicker or "").lower()} | article.labels | section_labels
    raw = article.lead + iter_blocks(article.container, article.skip)
    # Lines above a headline inside the text box (print headers, kickers, a dateline) are not body.
    start = next((index + 1 for index, b in enumerate(raw) if b.el is article.headline_el), 0)
    blocks = [b for b in raw[start:] if b.text.lower() not in repeats and b.link_density <= article.max_link_density]
    found = _date_line(blocks)
    if found is not None:
        blocks = blocks[:found.index] + blocks[found.index + 1:]
    if found is None or found.update:
        # A "last updated" line is the publication date only when the page names no other.
        head = _date_line(raw[:start] + _outside(article), reach=len(raw))
        found = head if head is not None and (found is None or not head.update) else found
    return _without_orphan_headings(_without_meta_lines(blocks, article.container)), found.when if found else None


def _without_orphan_headings(blocks: list[Block]) -> list[Block]:
    # A heading with nothing under it ("Ähnliche Beiträge", "Kommentare") titled a box that was dropped.
    # A heading directly above a heading of its rank or higher is one too; above a lower one it
    # opens a section with subsections.
    kept: list[Block] = []
    for block in reversed(blocks):
        rank = heading_rank(block)
        if rank and (not kept or 0 < heading_rank(kept[-1]) <= rank):
            continue
        kept.append(block)
    return kept[::-1]


def _outside(article: Region) -> list[Block]:
    # The rest of the article (its head, beside the text box): where some CMSs put the date.
    if article.scope is article.container:
        return _head_lines(article)
    return [b for b in iter_blocks(article.scope, article.skip)
            if article.container not in (b.el, *b.el.iterancestors())]


def _head_lines(article: Region) -> list[Block]:
    # No article element around the text box: the boxes right above it are its head (title, dateline).
    heads = [el for el in islice(article.container.itersiblings(preceding=True), _HEAD_BOXES)
             if isinstance(el.tag, str)]
    return [b for el in reversed(heads) if not article.skip(el) for b in iter_blocks(el, article.skip)]


def _without_meta_lines(blocks: list[Block], container) -> list[Block]:
    # Bylines and category lines frame the text; between the first and last prose paragraph a
    # short line with a <time> is body ("Die Sitzung beginnt am <time>12. Mai</time>.").
    meta = [is_meta_line(block, container) for block in blocks]
    prose = [index for index, block in enumerate(blocks) if not meta[index] and fallback.is_prose(block)]
    first, last = (prose[0], prose[-1]) if prose else (len(blocks), -1)
    return [block for index, block in enumerate(blocks) if first <= index <= last or not meta[index]]


class _DateLine(NamedTuple):
    index: int
    when: date
    update: bool  # "Zuletzt aktualisiert am …": a last resort for the publication date


def _date_line(blocks: list[Block], reach: int = _DATE_LINE_REACH) -> _DateLine | None:
    # Scan from the end: the portal closes a release with its date line; some CMSs open with it.
    # Reach counts paragraphs, not list items: a link list after the date line does not hide it.
    lines = [index for index, block in enumerate(blocks) if not block.in_list]
    update = None
    for rank in range(len(lines) - 1, -1, -1):
        if reach <= rank < len(lines) - reach:
            continue
        block = blocks[lines[rank]]
        if len(block.text) <= _MAX_DATE_LINE and not block.link_chars and not _is_table_cell(block):
            when = parse_byline(block.text)
            if when and not is_update_line(block.text):
                return _DateLine(lines[rank], when, False)
            update = update or (_DateLine(lines[rank], when, True) if when else None)
    return update


def _is_table_cell(block: Block) -> bool:
    # A whole cell of a row with other filled cells is table data (a calendar), not a date line;
    # loose text in a layout table's one big cell is not.
    if block.tag not in {"td", "th"} or clean("".join(block.el.itertext())) != block.text:
        return False
    row = block.el.getparent()
    return row is not None and sum(1 for cell in row if "".join(cell.itertext()).strip()) > 1


# --------------------------------------------------------------------------- canonical, kind
def _site(host: str | None) -> str:
    host = (host or "").lower()
    return host if host.replace(".", "").isdigit() or "." not in host else ".".join(host.split(".")[-2:])


def _canonical(meta: PageMeta, url: str | None, profile: SiteProfile) -> str | None:
    link = _absolute(meta.canonical, url)
    if link and (url is None or _site(urlsplit(link).hostname) == _site(urlsplit(url).hostname)):
        return profile.canonical(link)
    return profile.canonical(url) if url else None


def _base_url(meta: PageMeta, url: str | None) -> str | None:
    if meta.base:
        return _absolute(meta.base, url) or url
    return url


def _is_release_address(address: str | None, profile: SiteProfile) -> bool:
    # The site's own release addresses, or one that reads like a release on any site.
    return profile.is_release_address(address) or (bool(address) and looks_like_release(address))


def _kind(article: Region, blocks: list[Block], headline, line_date, url, meta: PageMeta, published,
          profile: SiteProfile) -> str:
    if not headline or not blocks or article.listing:
        return "other"
    canonical = _absolute(meta.canonical, None) if url is None else None
    if _is_release_address(url, profile) or _is_release_address(canonical, profile):
        return "press_release"
    if line_date or (meta.article_typed and published):
        return "press_release"
    hints = " ".join([*meta.breadcrumb, article.kicker or "", *article.page_labels]).lower()
    if not any(word in hints for word in _PRESS_WORDS) or headline.lower() in profile.section_labels:
        return "other"
    text = sum(len(b.text) for b in blocks)
    return "other" if sum(b.link_chars for b in blocks) > _LISTING_LINK_SHARE * text else "press_release"
