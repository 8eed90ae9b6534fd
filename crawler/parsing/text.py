"""Text helpers shared by the template matcher and the fallback: normalising, chrome tests, body blocks.

A *block* is one entry of the body as a reader sees it: a `<p>`, an `<li>`, a heading, or a run of
loose text between block elements (old CMSs write paragraphs as text separated by `<br><br>`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .captions import is_caption_box
from .record import INVISIBLE  # soft hyphen and zero-width characters vanish; str.split() folds NBSP

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")

# Never text of the article, whatever their class.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
    "button", "select", "option", "textarea", "input", "form", "nav", "aside", "footer", "dialog",
    "head", "title", "map", "video", "audio", "label",
})
# Captions and credits belong to their image, not to the body.
FIGURE_TAGS = frozenset({"figure", "figcaption"})
CAPTION_WORDS = frozenset({"caption", "figcaption", "bildunterschrift", "legende", "legend", "bu", "unterschrift"})
CREDIT_WORDS = frozenset({
    "copyright", "credit", "credits", "quelle", "source", "photographer", "fotograf", "bildnachweis",
    "bildquelle", "urheber", "rights",
})
# Elements that start a new block; everything else is inline and flows into the current block.
BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "pre", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "section", "article",
    "main", "header", "footer", "aside", "nav", "figure", "figcaption", "address", "hgroup",
    "details", "summary", "center", "fieldset", "form", "hr", "body", "html",
})
_BLOCK_CHILD_TAGS = tuple(sorted(BLOCK_TAGS - {"hr"}))
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Inside these a custom element is inline (an icon or a badge in running text).
_INLINE_PARENTS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "span", "b", "strong", "em", "i", "small", "label", "button",
})
# Class/id words that mark page chrome in any CMS (the portal's and the usual suspects).
CHROME_WORDS = frozenset({
    "nav", "navi", "navigation", "navbar", "menu", "breadcrumb", "breadcrumbs", "footer", "fuss", "fusszeile",
    "cookie", "cookies",
    "consent", "gdpr", "share", "sharing", "social", "sidebar", "pagination", "pager", "skip",
    "newsletter", "sprite", "search", "aside", "contact", "kontakt", "toolbar", "sr", "visually",
    "modal", "popup", "offcanvas", "related", "teaser", "teasers", "more",
    "weitere", "tags", "comments", "privacy",
})
# These words also name article parts in some CMSs ("teaser-text" is a lead): only chrome when linky.
SOFT_CHROME_WORDS = frozenset({"teaser", "teasers", "related", "more", "weitere", "tags"})
CHROME_ROLES = frozenset({
    "navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu",
    "menubar", "toolbar",
})
# Class words of date, author and category lines around the headline: metadata, not body.
META_WORDS = frozenset({
    "byline", "meta", "dateline", "date", "datum", "posted", "published", "pubdate", "author", "autor",
    "category", "kategorie", "rubrik", "readtime", "lesezeit",
})
_MAX_META_LINE = 120
_MAX_HEADING = 80
_MAX_BOLD_HEADING = 50
_LIST_TAGS = frozenset({"ul", "ol"})
_LINK_LIST_DENSITY = 0.3
_SHOWN_ADDRESS = re.compile(r"(?:https?://|www\.)\S+$", re.I)
_WORD_SPLIT = re.compile(r"[\s_\-]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_INVISIBLE_CHARS = tuple(map(chr, INVISIBLE))


def clean(text: str | None) -> str:
    """Whitespace collapsed, NBSP as space, soft hyphens and zero-width characters removed."""
    if not text:
        return ""
    # str.translate looks up every character of a non-ASCII text in a dict (20 µs a paragraph):
    # most texts hold no invisible character, and `in` finds that out in C.
    if any(char in text for char in _INVISIBLE_CHARS):
        text = text.translate(INVISIBLE)
    return " ".join(text.split())


def tag_of(el) -> str:
    """The lower-case tag name, or "" for comments and processing instructions."""
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def kind_of(el) -> tuple:
    """Tag and first class word: "post post-3" and "post post-4" are one kind (page builders add unique classes)."""
    return (tag_of(el), *(el.get("class") or "").split()[:1])


def class_words(el) -> set[str]:
    """The words of an element's class and id attributes, lower-cased (`teaser-list__item` → 3 words)."""
    raw = _CAMEL.sub(" ", f"{el.get('class') or ''} {el.get('id') or ''}").lower()  # BorlabsCookie: 2 words
    tag = el.tag
    if isinstance(tag, str) and "-" in tag:
        raw += " " + tag.lower()  # a custom element names its part (<bo-nav>, <amp-sidebar>)
    return set(_WORD_SPLIT.split(raw)) - {""} if raw.strip() else set()


def is_custom_block(el) -> bool:
    """A custom element (<bo-rich-text>) at layout level: web components render as blocks."""
    tag = el.tag
    if not isinstance(tag, str) or "-" not in tag:
        return False
    parent = el.getparent()
    return parent is None or tag_of(parent) not in _INLINE_PARENTS


def is_hidden(el) -> bool:
    """True for elements a browser does not show (hidden, aria-hidden, display:none)."""
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style) and "display:none" in style.replace(" ", "").lower()


def is_chrome(el, link_lists: bool = True) -> bool:
    """True for page furniture: navigation, banners, share links, teaser boxes, hidden parts."""
    tag = tag_of(el)
    if not tag or tag in SKIP_TAGS or is_hidden(el) or el.get("role") in CHROME_ROLES:
        return True
    if link_lists and tag in _LIST_TAGS and is_link_list(el):
        return True
    words = class_words(el)
    hits = words & CHROME_WORDS
    if not hits:
        return False
    if hits <= SOFT_CHROME_WORDS:
        return link_density(el) > 0.3
    return True


def is_link_list(el) -> bool:
    """True for a list whose every item is a link (teasers, listings, menus) with much link text."""
    items = [child for child in el if tag_of(child) == "li"]
    if len(items) < 2 or any(next(item.iter("a"), None) is None for item in items):
        return False
    return link_density(el) >= _LINK_LIST_DENSITY


def skip_body(el) -> bool:
    """True for subtrees that contribute no body paragraphs: chrome, figures, captions, link lists."""
    return (tag_of(el) in FIGURE_TAGS or is_chrome(el) or bool(class_words(el) & (CAPTION_WORDS | CREDIT_WORDS))
            or is_caption_box(el))


def skip_in_article_text(el) -> bool:
    """Like skip_body, but a list of links is kept: inside a known article text box it is content."""
    return (tag_of(el) in FIGURE_TAGS or is_chrome(el, link_lists=False)
            or bool(class_words(el) & (CAPTION_WORDS | CREDIT_WORDS)) or is_caption_box(el))


def link_density(el) -> float:
    """Share of an element's text that sits inside links."""
    total = len(clean(etree.tostring(el, method="text", encoding="unicode", with_tail=False)))
    if not total:
        return 0.0
    linked = sum(len(clean("".join(a.itertext()))) for a in el.iter("a"))
    return min(1.0, linked / total)


@dataclass(slots=True)
class Block:
    """One body entry: its text, the element it came from, and how much of it is link text."""

    text: str
    el: object
    tag: str
    link_chars: int = 0
    in_list: bool = False

    @property
    def link_density(self) -> float:
        """Share of the text inside links."""
        return self.link_chars / len(self.text) if self.text else 0.0


def _has_block_child(el) -> bool:
    # lxml filters by tag in C and stops at the first hit (an XPath [1] would scan everything).
    return next(el.iterdescendants(*_BLOCK_CHILD_TAGS), None) is not None


def _gather(el, parts: list[str], links: list[int], skip) -> None:
    """Inline text of el's children into parts (br as newline); link text counted into links."""
    for child in el:
        tag = tag_of(child)
        if tag == "br":
            parts.append("\n")
        elif tag and not skip(child):
            _inline(child, tag, parts, links, skip)
        if child.tail:
            parts.append(child.tail)


def _inline(child, tag: str, parts: list[str], links: list[int], skip) -> None:
    start = len(parts)
    parts.append(child.text or "")
    _gather(child, parts, links, skip)
    if tag == "a":
        text = "".join(parts[start:])
        # A link that shows its own address is a cited address (a source, a petition), not navigation.
        links[0] += 0 if _SHOWN_ADDRESS.match(text.strip()) else len(text)


def inline_text(el, skip=is_chrome) -> str:
    """The visible text of an element (br kept as a space), normalised."""
    parts = [el.text or ""]
    _gather(el, parts, [0], skip)
    return clean("".join(parts))


def _emit(parts: list[str], links: int, owner, out: list[Block], in_list: bool) -> None:
    raw = "".join(parts)
    pieces = _PARAGRAPH_BREAK.split(raw) if "\n" in raw else [raw]
    for piece in pieces:
        text = clean(piece)
        if text:
            share = min(links, len(text)) if len(pieces) == 1 else 0
            out.append(Block(text, owner, tag_of(owner), share, in_list))


def iter_blocks(container, skip=skip_body) -> list[Block]:
    """The body blocks of a container in document order; skipped subtrees contribute nothing."""
    out: list[Block] = []
    _walk(container, out, skip, False, 0)
    return out


def _walk(el, out: list[Block], skip, in_list: bool, depth: int) -> None:
    tag = tag_of(el)
    in_list = in_list or tag == "li"
    parts, links = [el.text or ""], [0]
    if depth > 200 or not _has_block_child(el):
        # A leaf block: all its inline content is one entry (split at blank lines from <br><br>).
        _gather(el, parts, links, skip)
    else:
        # Loose text between block children forms entries of its own, owned by el.
        for child in el:
            ctag = tag_of(child)
            if ctag in BLOCK_TAGS or ("-" in ctag and is_custom_block(child)):
                _emit(parts, links[0], el, out, in_list)
                parts, links = [], [0]
                if not skip(child):
                    _walk(child, out, skip, in_list, depth + 1)
            elif ctag == "br":
                parts.append("\n")
            elif ctag and not skip(child):
                _inline(child, ctag, parts, links, skip)
            if child.tail:
                parts.append(child.tail)
    _emit(parts, links[0], el, out, in_list)


@dataclass
class Region:
    """Where a page's article is: what a site template (crawler.parsing.template) or the fallback found."""

    scope: object  # images and <time> are searched here
    container: object  # the body blocks come from here
    headline: str | None
    kicker: str | None
    extractor: str
    labels: set[str] = field(default_factory=set)  # lower-case section labels to drop from the body
    page_labels: list[str] = field(default_factory=list)  # labels the page itself shows (kind hints)
    headline_el: object | None = None
    skip: object = skip_body  # which subtrees give no body text
    max_link_density: float = 1.0  # body blocks with more link text are dropped (link lists)
    headline_guess: str | None = None  # a headline-like first line, used after og:title
    listing: bool = False  # the page is a run of teasers (a listing), not one article
    boxes: set = field(default_factory=set)  # teaser boxes (other pages' headlines and dates)
    template: str | None = None  # the name of the site template that matched (None: the fallback)
    lead: list = field(default_factory=list)  # body blocks before the container (the fallback's lead)
    in_chrome: bool = False  # the fallback found prose only inside a sidebar, menu or footer


def heading_rank(block: Block) -> int:
    """1-6 for a short h1-h6, 7 for a short all-bold line (a hand-made heading), 0 for no heading."""
    if len(block.text) > _MAX_HEADING or block.in_list:
        return 0  # a long "heading" is a styled paragraph; a bold list item is an item
    if block.tag in HEADING_TAGS:
        return int(block.tag[1])
    if len(block.text) > _MAX_BOLD_HEADING or block.tag in {"td", "th"} or block.text[-1:] in ".!:\"“”»«":
        return 0  # a bold sentence, a quote, or a line introducing what follows ("Empfehlungen von X:")
    bold = any(clean("".join(b.itertext())) == block.text for b in block.el.iter("strong", "b"))
    return 7 if bold else 0


def ancestors_until(el, stop) -> list:
    """The ancestors of el up to (not including) stop, nearest first; none when el is stop itself."""
    result = []
    parent = el.getparent() if el is not stop else None
    while parent is not None and parent is not stop:
        result.append(parent)
        parent = parent.getparent()
    return result


def is_meta_line(block: Block, stop) -> bool:
    """True for a short date/author/category line: its box says so by class, or it holds a <time>."""
    if len(block.text) > _MAX_META_LINE:
        return False
    if any(class_words(el) & META_WORDS for el in (block.el, *ancestors_until(block.el, stop))):
        return True
    # A loose line in a header box: the inline element that carries all of its text may say so.
    if any(class_words(el) & META_WORDS and clean("".join(el.itertext())) == block.text
           for el in block.el.iterdescendants()):
        return True
    times = (clean("".join(t.itertext())) for t in block.el.iter("time"))
    return any(text and text in block.text for text in times)


def inside_chrome(el, stop) -> bool:
    """True if el or one of its ancestors below stop is chrome."""
    return is_chrome(el) or any(is_chrome(a) for a in ancestors_until(el, stop))
