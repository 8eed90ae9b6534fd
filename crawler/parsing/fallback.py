"""The generic extractor for pages no template of the site profile knows (the next relaunch).

Content, not classes: every text block is weighted by its sentence text minus its link text, the
weights are summed up the tree, and the deepest element holding most of the page's prose is the
article body. Chrome is dropped by tag, ARIA role, class words and link density.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from lxml import etree

from .teasers import teaser_boxes
from .text import (
    CAPTION_WORDS, CREDIT_WORDS, FIGURE_TAGS, SKIP_TAGS, Block, Region, ancestors_until, class_words, clean,
    inline_text, inside_chrome, is_chrome, is_hidden, is_link_list, iter_blocks, kind_of, skip_body, tag_of,
)

# Share of all prose the body container must hold; the rest is teasers and boxes that slipped through.
_CONTAINER_SHARE = 0.6
_MIN_PROSE = 30  # characters: shorter blocks are labels, buttons, dates
_MAX_PROSE_LINKS = 0.5
# A body container is a box of blocks, never one paragraph or an inline element.
_NOT_CONTAINERS = frozenset({
    "p", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
    "span", "a", "b", "i", "em", "strong", "font", "small", "tr", "tbody", "thead", "table",
})
_KICKER_WORDS = frozenset({
    "kicker", "overline", "dachzeile", "topline", "roofline", "eyebrow", "spitzmarke", "category", "rubrik",
})
_CONTENT_TAGS = frozenset({"article", "main"})
_EMPHASIS_TAGS = ("h2", "h3", "h4", "b", "strong", "big", "font")
_MAX_HEADLINE = 150
_HEADING_REACH = 3
_LISTING_RATIO = 3.0
_MAX_LISTING_INTRO = 300  # characters of prose beside the teasers: a listing's lead, never a release
_SUBHEADINGS = ("h2", "h3", "h4")
# Share of the page's prose that makes a chrome-looking element (class has-sidebar, a page-wide
# <form>, a <header> or <aside> around the article) a layout wrapper: no sidebar holds most of it.
_WRAPPER_SHARE = 0.5
_TWINS_SHARE = 0.3  # prose of many short same-kind siblings, against the biggest one's
_PLAIN_TEXT = etree.XPath(
    ".//text()[not(ancestor::a or ancestor::script or ancestor::style or ancestor::noscript)]")
_CHROME_KINDS = frozenset({"aside", "nav", "footer"})
# A lead is a few paragraphs, shorter than the text it introduces.
_MAX_LEAD_BLOCKS = 3
_LEAD_SHARE = 0.8
# Never text, whatever they hold (the rest of the skip rule is judged by the element's own prose).
_NO_TEXT_TAGS = SKIP_TAGS - {"form", "nav", "aside", "footer", "dialog"}


def skip_fallback(el) -> bool:
    """Body skip rule for unknown markup: also the page-level <header> (logo, search, menu)."""
    if skip_body(el):
        return not _plain_subheading(el)
    tag = tag_of(el)
    if tag != "header" and not tag.endswith("-header") and el.get("role") != "banner":
        return False
    return not any(tag_of(a) in _CONTENT_TAGS or a.get("role") == "main" for a in el.iterancestors())


def _plain_subheading(el) -> bool:
    # A subheading without links is text, whatever its class or id says (id="nav_chapter-2" is an
    # anchor for a table of contents); hidden ones and those of a menu's own box stay out.
    return (tag_of(el) in _SUBHEADINGS and next(el.iter("a"), None) is None and not is_hidden(el)
            and el.get("role") is None and not class_words(el) & (CAPTION_WORDS | CREDIT_WORDS))


def is_prose(block: Block) -> bool:
    """True for a block that reads like running text (long enough, not a link list or heading)."""
    return (len(block.text) >= _MIN_PROSE and block.link_density < _MAX_PROSE_LINKS
            and not block.tag.startswith("h"))


def prose_weights(scope, skip=skip_fallback) -> tuple[dict, float]:
    """Each element's prose weight (its blocks' text minus link text, summed up the tree), and the total."""
    weights: dict = {}
    total = 0.0
    for block in iter_blocks(scope, skip):
        if not is_prose(block):
            continue
        weight = len(block.text) * (1.0 - block.link_density)
        total += weight
        el = block.el
        while el is not None:
            weights[el] = weights.get(el, 0.0) + weight
            if el is scope:
                break
            el = el.getparent()
    return weights, total


def best_container(scope, skip=skip_fallback, weighted: tuple[dict, float] | None = None):
    """The deepest element under scope holding most of its prose (None if there is no prose)."""
    weights, total = weighted or prose_weights(scope, skip)
    if not total:
        return None
    holders = [el for el, weight in weights.items() if weight >= _CONTAINER_SHARE * total]
    best = max(holders, key=_depth)
    while best is not scope and best.getparent() is not None and (
            tag_of(best) in _NOT_CONTAINERS or _has_twin(best, weights) or _has_lead(best, weights)):
        best = best.getparent()
    return best


def _has_twin(el, weights: dict) -> bool:
    # An article split into <section>s or repeated text boxes: siblings of the same kind with
    # prose of their own (one, or many short ones together) mean the body is their parent.
    kind = kind_of(el)
    floor = 0.1 * weights.get(el, 0.0)
    siblings = (*el.itersiblings(), *el.itersiblings(preceding=True))
    twins = [weights.get(s, 0.0) for s in siblings if kind_of(s) == kind]
    return bool(twins) and (max(twins) > floor or sum(twins) > _TWINS_SHARE * weights.get(el, 0.0))


def _has_lead(el, weights: dict) -> bool:
    # A lead paragraph in the article head, just before the text box: smaller than the text and
    # all of the parent's extra prose stands before el (a box after the text is not a lead).
    parent = el.getparent()
    if parent is None or tag_of(parent) in {"body", "html"}:
        return False
    own = weights.get(el, 0.0)
    extra = weights.get(parent, 0.0) - own
    before = sum(weights.get(s, 0.0) for s in el.itersiblings(preceding=True))
    return 0 < extra <= 0.5 * own and before >= extra - 1e-6


def _depth(el) -> int:
    return sum(1 for _ in el.iterancestors())


def guess_region(root) -> Region:
    """The article region of an unknown page: its container, the nearest h1, a kicker if marked."""
    body = _body(root)
    boxes = teaser_boxes(body)
    skip, weighted, wrappers = _weighted(body, boxes)
    container = best_container(body, skip, weighted)
    if container is None:
        container = body
    around = {container, *container.iterancestors()}
    h1 = _nearest_h1(root, container, skip)
    scope = _scope(h1, _widen(container, weighted[0], boxes))
    headline = (inline_text(h1) or None) if h1 is not None else None
    return Region(scope=scope, container=container, headline=headline, kicker=_kicker(h1),
                   lead=_lead(h1, container, boxes, weighted[0]),
                   extractor="fallback", headline_el=h1, skip=skip, max_link_density=0.6,
                   headline_guess=None if h1 is not None else _headline_guess(container),
                   listing=_is_listing(body, boxes, skip, weighted[1]), boxes=boxes,
                   in_chrome=any(_chrome_by_kind(w) for w in wrappers & around))


def _skipping(boxes: set, wrappers: set):
    """skip_fallback, and the teaser boxes of this page, but never a wrapper of the article."""
    if not boxes and not wrappers:
        return skip_fallback
    return lambda el: el in boxes or (el not in wrappers and skip_fallback(el))


def _weighted(body, boxes: set) -> tuple:
    """The page's skip rule and prose weights; a second pass only if a skipped part may hold the article."""
    skipped: list = []
    skip = _skipping(boxes, set())

    def recording(el) -> bool:
        if not skip(el):
            return False
        skipped.append(el)
        return True

    weighted = prose_weights(body, recording)
    if not any(_may_hold(el, weighted[1]) for el in skipped if el not in boxes):
        return skip, weighted, set()
    wrappers = _wrappers(body, boxes)
    skip = _skipping(boxes, wrappers)
    return skip, prose_weights(body, skip), wrappers


def _chrome_by_kind(el) -> bool:
    # A sidebar, menu or footer by its very tag or role (not a class word): when the only prose
    # lives there, the page's own text is missing.
    return tag_of(el) in _CHROME_KINDS or el.get("role") in {"complementary", "navigation", "contentinfo"}


def _may_hold(el, prose: float) -> bool:
    # A bound: prose is text outside links, scripts and styles; a skipped part with less of it than
    # the prose found elsewhere cannot hold most of the page's prose.
    return not _never_text(el) and len(clean("".join(_PLAIN_TEXT(el)))) >= prose


def _wrappers(body, boxes: set) -> set:
    """Elements skip_fallback would drop that hold most of the page's prose: the article's wrappers."""
    weights, total = prose_weights(body, lambda el: el in boxes or _never_text(el))
    floor = _WRAPPER_SHARE * total
    return {el for el, weight in weights.items() if weight >= floor and skip_fallback(el)} if total else set()


def _never_text(el) -> bool:
    # What is never the article's text, however much it holds: hidden parts, media, link lists, figures.
    tag = tag_of(el)
    return (not tag or tag in _NO_TEXT_TAGS or tag in FIGURE_TAGS or is_hidden(el)
            or (tag in {"ul", "ol"} and is_link_list(el)))


def _is_listing(body, boxes: set, skip, body_prose: float) -> bool:
    # A listing is teasers and little else: their prose dwarfs what is left, at most one lead line.
    if not boxes or body_prose >= _MAX_LISTING_INTRO:
        return False
    teaser_blocks = [b for box in boxes for b in iter_blocks(box, skip_fallback) if is_prose(b)]
    teaser_prose = sum(len(b.text) * (1.0 - b.link_density) for b in teaser_blocks)
    return teaser_prose >= _LISTING_RATIO * body_prose and sum(map(is_prose, iter_blocks(body, skip))) <= 1


def _widen(container, weights: dict, boxes: set):
    # Images and dates often sit beside the text box (a card's top image, a head with the date):
    # go up while the parent adds no prose and holds no page chrome (a menu column, a banner).
    node = container
    while (parent := node.getparent()) is not None and tag_of(parent) not in {"body", "html"}:
        adds_prose = weights.get(parent, 0.0) > weights.get(node, 0.0) + 1e-6
        if adds_prose or any(is_chrome(child) or child in boxes for child in parent if child is not node):
            break
        node = parent
    return node


def _headline_block(container) -> str | None:
    # Without any h1: a short emphasised first line (heading, bold, big font) is the headline.
    blocks = iter_blocks(container, skip_fallback)
    if not blocks or not 3 <= len(blocks[0].text) <= _MAX_HEADLINE or blocks[0].text[-1] in ".:;,":
        return None
    first = blocks[0].text
    for el in container.iter(*_EMPHASIS_TAGS):
        if clean("".join(el.itertext())) == first:
            return first
    return None


def _body(root):
    body = root.find("body")
    return body if body is not None else root


def _headline_guess(container) -> str | None:
    # Without a usable h1: the emphasised first line of the text, else the heading just above it.
    return _headline_block(container) or _heading_before(container)


def _heading_before(container) -> str | None:
    # The nearest h2-h4 before the text box, looking a few levels up (a headline beside the text).
    node = container
    for _ in range(_HEADING_REACH):
        for sibling in node.itersiblings(preceding=True):
            if not isinstance(sibling.tag, str) or is_chrome(sibling):
                continue
            heads = [el for el in sibling.iter(*_SUBHEADINGS) if not inside_chrome(el, sibling)]
            text = inline_text(heads[-1]) if heads else ""
            if 3 <= len(text) <= _MAX_HEADLINE:
                return text
        node = node.getparent()
        if node is None or tag_of(node) in {"body", "html"}:
            return None
    return None


def _is_site_title(h1) -> bool:
    # <h1><a href="/">Stadt Bochum</a></h1>: the site's name linking home, not the release's headline.
    links = [a for a in h1.iter("a") if _is_home_link(a.get("href"))]
    text = inline_text(h1)
    return bool(links) and sum(len(inline_text(a)) for a in links) >= 0.9 * len(text)


def _is_home_link(href: str | None) -> bool:
    parts = urlsplit((href or "").strip())
    return bool(href and href.strip()) and parts.path in ("", "/") and not parts.fragment and not parts.query


def _lead(h1, container, boxes: set, weights: dict) -> list[Block]:
    """Prose between the headline and the text box (a lead, an intro in the article's header)."""
    if h1 is None or container in h1.iterancestors():
        return []
    around = set(container.iterancestors())
    meeting = next((a for a in h1.iterancestors() if a in around), None)
    if meeting is None:
        return []
    lead, started = [], False
    for block in iter_blocks(meeting, lambda el: el in boxes or skip_body(el)):
        if block.el is container or container in block.el.iterancestors():
            break
        if started and len(block.text) >= _MIN_PROSE and block.link_density < _MAX_PROSE_LINKS:
            lead.append(block)  # a subtitle set as a heading leads too
        started = started or block.el is h1 or h1 in block.el.iterancestors()
    prose = sum(len(b.text) for b in lead)
    return lead if len(lead) <= _MAX_LEAD_BLOCKS and prose <= _LEAD_SHARE * weights.get(container, 0.0) else []


def _nearest_h1(root, container, skip=skip_fallback):
    body = _body(root)  # the page itself is never chrome, whatever its class says
    head = _article_head_h1(container)
    if head is not None:
        return head
    headings = [h for h in body.iter("h1") if not _skipped(h, body, skip) and not _is_site_title(h)]
    if not headings:
        return None
    order = {el: index for index, el in enumerate(root.iter())}
    before = [h for h in headings if order[h] < order.get(container, 0)]
    inside = [h for h in headings if container in h.iterancestors()]
    if inside:
        # An h1 inside the text box heads it only above its first paragraph (later: a box's heading).
        first = next((order[b.el] for b in iter_blocks(container, skip) if is_prose(b)), len(order))
        if order[inside[0]] < first:
            return inside[0]
    return before[-1] if before else headings[0]


def _article_head_h1(container):
    # The article's own head right beside the text box (a <header> too) beats an h1 inside the
    # box (a section title there) and any page header further away.
    parent = container.getparent()
    if parent is None:
        return None
    heads = [h for sibling in container.itersiblings(preceding=True) if isinstance(sibling.tag, str)
             for h in sibling.iter("h1") if not _skipped(h, parent, skip_body) and not _is_site_title(h)]
    return heads[0] if heads else None


def _skipped(el, stop, skip) -> bool:
    return skip(el) or any(skip(a) for a in ancestors_until(el, stop))


def _scope(h1, container):
    # The article is where headline and body meet, unless that is the whole page.
    if h1 is None:
        return container
    ancestors = set(container.iterancestors()) | {container}
    node = h1
    while node is not None and node not in ancestors:
        node = node.getparent()
    if node is None or tag_of(node) in {"body", "html"}:
        return container
    return node


def _kicker(h1) -> str | None:
    if h1 is None:
        return None
    parent = h1.getparent()
    candidates = [h1.getprevious()] if h1.getprevious() is not None else []
    if parent is not None and tag_of(parent) == "hgroup":
        candidates += [el for el in parent if el is not h1 and tag_of(el) == "p"]
    for el in candidates:
        if el is None or is_chrome(el) or not isinstance(el.tag, str):
            continue
        text = inline_text(el)
        if text and len(text) <= 80 and (class_words(el) & _KICKER_WORDS or tag_of(parent) == "hgroup"):
            return text
    return None
