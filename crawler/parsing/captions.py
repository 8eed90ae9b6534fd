"""Caption boxes in markup nobody here wrote: short text standing in its own box beside an image.

A *media box* is a small container that holds one image (directly or in a wrapper such as
`<picture>` or `<div class="frame">`) and, beside it, nothing but short text boxes:
`<div class="media"><img><div class="media__text">Caption <small>Foto: X</small></div></div>`,
`<figure><img><div class="meta"><p>Caption</p><p>Foto: X</p></div></figure>`, or two layout columns,
one with the image and one with a line of text. Those text boxes are the image's caption and
credit, whatever their class is called, and never body text. Without a credit in them they must
read like a caption (short, no quoted speech): a text-with-image block's paragraph stays body.

An image standing loose among the body's paragraphs is captioned by the short paragraph right
after it only when that paragraph ends in a credit ("… entgegen. (Foto: Stadt Bochum)"). A media
box that holds only the image and its credit is captioned by the line right after it when that
line carries the box's own class name (`<div class="textimage">…</div><p class="textimage__subline">`).

This module depends on nothing else of the parser, so the body walker (`crawler.parsing.text`)
can ask `is_caption_box` without an import cycle.
"""
from __future__ import annotations

import re
from itertools import islice

__all__ = [
    "ANY_MARKER", "ARTWORK_MARKER", "CREDIT_MARKER", "IMAGE_TAGS", "caption_after", "caption_below", "caption_boxes", "is_caption_box",
]

# What opens a photo credit: "Foto:", "Bild:", "Quelle:", "©" …
CREDIT_MARKER = (r"(?:(?:Quelle|Fotos?|Bild(?:er)?|Bildquelle|Bildnachweis|Copyright|Credits?|Fotograf(?:ie|in)?|Photo)"
                 r"\s*:|©|\(c\))")
# The maker of a drawing: a credit after the caption ("Die Umleitung … . Grafik: Tiefbauamt"); at the start
# it names what the picture is ("Grafik: Ranking - Bereich: Mobilität"), so it counts only after a sentence.
ARTWORK_MARKER = r"(?:Grafik(?:en)?|Illustration|Abbildung|Visualisierung|Montage|Zeichnung|Karte|Repro)\s*:"
ANY_MARKER = rf"(?:{CREDIT_MARKER}|{ARTWORK_MARKER})"

IMAGE_TAGS = ("img", "amp-img")
# Containers a CMS wraps an image with its caption in (li: an item of a gallery list; a table of an old
# CMS with the caption in the row or cell beside the image); never a paragraph, where an image with
# text around it is an icon in running text.
_MEDIA_TAGS = frozenset({"div", "figure", "span", "section", "picture", "li", "table", "tbody", "tr"})
# Children that neither hold the image nor speak: sources, scripts, the <noscript> copy of a lazy image.
_NEUTRAL_TAGS = frozenset({"source", "noscript", "script", "style", "template", "button", "svg", "meta", "link"})
# What a caption box never holds: headings, lists, tables, forms (then it is a text-with-image block),
# labels and scripts (a "Letzte Änderung:" field beside a QR code, an ad slot).
_NOT_CAPTION_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "form", "blockquote", "label", "script")
# A byline beside the author's photo is metadata, not a caption.
_PERSON_WORDS = frozenset({"author", "autor", "autorin", "avatar", "byline", "profile", "vcard", "user"})
_META_LINE = re.compile(
    r"\b(?:zuletzt|geändert|aktualisiert|veröffentlicht|letzte änderung|updated|posted|published)\b", re.I)
_MAX_ICON = 100  # pixels: an avatar or an icon, not a photo with a caption
_ICON_WORDS = frozenset({"ico", "icon", "logo", "avatar", "emoji", "sprite"})
_MAX_BOXES = 3
_MAX_CAPTION_CHARS = 300  # caption and credit together; body paragraphs beside an image are longer
_MAX_HOLDER_CHARS = 20  # the image's own box may carry a "Zoom" label, not a heading or an article
_MAX_LINK_SHARE = 0.5
_CREDIT_LINE = re.compile(r"\s*" + CREDIT_MARKER, re.I)
_CREDIT_ANYWHERE = re.compile(r"(?:^|[\s(\[.–—|/-])" + ANY_MARKER, re.I)
_CREDIT_AT_END = re.compile(r"(?:^|[\s(\[.–—|/-])" + ANY_MARKER + r"[^.!?]{1,120}[)\]]?\s*$", re.I)
_SPEECH = re.compile(r"[„»“\"](?:[^„“”»«\"\s]+\s+){3,}[^„“”»«\"]*[“”«\"]")  # four words or more in quotes
_MAX_PLAIN_CAPTION = 200  # without a credit a caption is a line, not a paragraph
_MAX_LOOSE_CAPTION = 250
_MAX_WRAPPER = 6  # elements in an image's own wrapper: <picture> with its <source>s, a lightbox link


def _at_most(el, count: int) -> bool:
    # len() of an lxml element counts every child: a body of 60,000 paragraphs would make each test quadratic
    return next(islice(iter(el), count, None), None) is None


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _image_count(el) -> int:
    return sum(1 for _ in el.iter(*IMAGE_TAGS))


def _loose_text(container) -> bool:
    # Text straight in the container (not in a child box) means running text with an inline image.
    return bool((container.text or "").strip()) or any((child.tail or "").strip() for child in container)


def _words(el) -> set[str]:
    return set(re.split(r"[\s_-]+", f"{el.get('class') or ''} {el.get('id') or ''}".lower())) - {""}


def _is_icon(img) -> bool:
    if _words(img) & _ICON_WORDS:
        return True
    sizes = [re.match(r"\s*(\d+)", img.get(attr) or "") for attr in ("width", "height")]
    return any(m is not None and int(m.group(1)) <= _MAX_ICON for m in sizes)


def _caption_like(box) -> bool:
    """Short, mostly unlinked text without headings, lists, images or a date stamp."""
    text = _text(box)
    if not text or _image_count(box) or _tag(box) in _NOT_CAPTION_TAGS or _META_LINE.search(text):
        return False
    if next(box.iter(*_NOT_CAPTION_TAGS), None) is not None:
        return False
    # One caption line, maybe with a credit line: two paragraphs of prose are a text beside the image.
    if sum(1 for p in box.iter("p") if not _CREDIT_LINE.match(_text(p))) > 1:
        return False
    linked = sum(len(_text(a)) for a in box.iter("a"))
    return linked <= _MAX_LINK_SHARE * len(text)


def _has_own_caption(holder) -> bool:
    return any(_tag(el) == "figcaption" or "caption" in (el.get("class") or "").lower() for el in holder.iter())


def caption_boxes(container) -> list:
    """The text boxes beside the one image of a media box, in order; [] if container is no media box."""
    if container is None or _tag(container) not in _MEDIA_TAGS or not _at_most(container, _MAX_BOXES + 3):
        return []
    if next(container.iter(*IMAGE_TAGS), None) is None:
        return []  # the usual case, answered in C
    children = [c for c in container if _tag(c) and _tag(c) not in _NEUTRAL_TAGS]
    if not 2 <= len(children) <= _MAX_BOXES + 1 or _loose_text(container):
        return []
    holder = _photo_holder(children)
    if holder is None or any(_words(el) & _PERSON_WORDS for el in (container, *children)):
        return []
    boxes = [c for c in children if c is not holder]
    if not all(_caption_like(b) for b in boxes) or sum(len(_text(b)) for b in boxes) > _MAX_CAPTION_CHARS:
        return []
    return boxes if any(_has_credit(b) for b in boxes) or all(_reads_like_caption(b) for b in boxes) else []


def _photo_holder(children: list):
    """The one child that holds the photo (not an icon, no heading, no caption of its own), else None."""
    holders = [c for c in children if _image_count(c)]
    if len(holders) != 1 or _image_count(holders[0]) != 1:
        return None
    holder = holders[0]
    if len(_text(holder)) > _MAX_HOLDER_CHARS or _tag(holder) in _NOT_CAPTION_TAGS:
        return None
    if _is_icon(next(holder.iter(*IMAGE_TAGS))):
        return None
    # TYPO3's textpic: the figure has its figcaption, the box beside it is the release's text
    return None if _has_own_caption(holder) else holder


def _has_credit(box) -> bool:
    return bool(_CREDIT_ANYWHERE.search(_text(box))) or next(box.iter("small", "cite"), None) is not None


def _reads_like_caption(box) -> bool:
    # "Tiefbauamtsleiter X erläuterte: „Wenn das Wetter …“" beside a photo is the release's text, not its caption
    text = _text(box)
    return len(text) <= _MAX_PLAIN_CAPTION and not _SPEECH.search(text)


def caption_after(node):
    """The paragraph right after a loose image (or its image-only wrapper) that captions it with a credit, or None."""
    if next(islice(node.iter(), _MAX_WRAPPER, None), None) is not None:
        return None  # not an image or a small wrapper of one (<a><img></a>, <picture>…</picture>)
    if _image_count(node) != 1 or _text(node) or (node.tail or "").strip():
        return None
    nxt = node.getnext()
    while nxt is not None and not _tag(nxt):
        nxt = nxt.getnext()  # comments
    if nxt is None or _tag(nxt) not in ("p", "div", "span", "em", "small") or not _caption_like(nxt):
        return None
    text = _text(nxt)
    return nxt if len(text) <= _MAX_LOOSE_CAPTION and _CREDIT_AT_END.search(text) else None


def caption_below(container):
    """The caption line right after a media box that holds only the image's credit, or None."""
    nxt = container.getnext()
    if nxt is None or not _tag(nxt) or not _words(nxt) & _words(container):
        return None  # without a shared class name the next paragraph is the release's text
    boxes = caption_boxes(container)
    if not boxes or not all(_CREDIT_LINE.match(_text(b)) for b in boxes):
        return None
    return nxt if _caption_like(nxt) and _reads_like_caption(nxt) else None


def is_caption_box(el) -> bool:
    """True for a text box that captions the image beside it in a media box, or a loose image
    right before it (not body text)."""
    parent = el.getparent()
    if parent is None or _tag(el) in _NEUTRAL_TAGS or next(el.iter(*IMAGE_TAGS), None) is not None:
        return False
    before = el.getprevious()
    if before is not None and _tag(before) and (caption_after(before) is el or caption_below(before) is el):
        return True
    if not _at_most(parent, _MAX_BOXES + 3):
        return False  # a body's own paragraphs have many siblings
    return any(box is el for box in caption_boxes(parent))
