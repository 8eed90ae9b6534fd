"""Article images: source, alt text, caption and photo credit (without its "Foto:"/"©" wrapping)."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from .captions import ANY_MARKER, ARTWORK_MARKER, CREDIT_MARKER, IMAGE_TAGS, caption_after, caption_below, caption_boxes
from .record import Image
from .text import CAPTION_WORDS as _CAPTION_WORDS
from .text import CREDIT_WORDS as _CREDIT_WORDS
from .text import class_words, clean, inline_text, inside_chrome, is_chrome, tag_of

_ICON_WORDS = frozenset({"logo", "icon", "icons", "avatar", "sprite", "emoji", "pixel", "tracking", "spacer"})
# AMP pages write every picture as <amp-img> (their <noscript> fallback <img> is chrome).
_SRC_ATTRS = ("data-src", "data-lazy-src", "data-original", "src", "data-srcset", "srcset")
# "(Quelle: Bitkom)" / "[Foto: A. Name]" closing the caption.
_TRAILING_PAREN = re.compile(r"\s*[(\[]\s*(" + ANY_MARKER + r"[^()\[\]]*?)\s*[)\]]\s*$", re.I)
# "Foto: A. Name" / "© Stadtarchiv" starting the caption or following a sentence end or separator;
# mid-sentence "… mit dem Bild: …" is not a credit.
_TRAILING_PLAIN = re.compile(r"(?:^|(?<=[.!?;|–—)/\-])\s*|\s+[|–—/\-]\s+)(" + CREDIT_MARKER + r".{1,120})$", re.I)
_TRAILING_ARTWORK = re.compile(r"(?<=[.!?])\s+(" + ARTWORK_MARKER + r".{1,120})$", re.I)
_COPYRIGHT_ANYWHERE = re.compile(r"\s*(©.{1,120})$")
_LEADING = re.compile(r"^\s*(?:" + ANY_MARKER + r"|Copyright)\s*", re.I)
_SEPARATORS = " \t|–—/-:"
_MAX_CREDIT = 120


def extract_images(scope, base_url: str | None = None) -> list[Image]:
    """Each article image in document order; chrome images (logo, icons, teasers) are left out."""
    images: list[Image] = []
    seen: set[tuple] = set()
    for img in scope.iter(*IMAGE_TAGS):
        if _is_decoration(img) or inside_chrome(img, scope):
            continue
        image = _describe(img, scope, base_url)
        key = (image.src, image.caption)
        if key not in seen:
            seen.add(key)
            images.append(image)
    return images


def _describe(img, scope, base_url: str | None) -> Image:
    src = _source(img)
    if src and base_url:
        src = urljoin(base_url, src)
    alt = clean(img.get("alt")) or None
    caption, credit = _caption_of(img, scope)
    return Image(src=src, alt=alt, caption=caption, credit=credit)


def _source(img) -> str | None:
    for attr in _SRC_ATTRS:
        value = (img.get(attr) or "").strip()
        if attr.endswith("srcset") and value:
            value = value.split(",")[0].strip().split(" ")[0]
        if value and not value.startswith("data:"):
            return value
    return None


def _is_decoration(img) -> bool:
    # Icons, logos and tracking pixels are page furniture, whatever container they sit in.
    if class_words(img) & _ICON_WORDS or _source(img) is None:
        return True
    # A logo file is furniture; a photo that happens to show a logo (a .jpg) is not.
    name = (_source(img) or "").lower().rsplit("/", 1)[-1].split("?")[0]
    if "logo" in name and name.endswith((".svg", ".gif", ".png")):
        return True
    sizes = [_number(img.get("width")), _number(img.get("height"))]
    return any(size is not None and size <= 40 for size in sizes)


def _number(value: str | None) -> int | None:
    match = re.match(r"\s*(\d+)", value or "")
    return int(match.group(1)) if match else None


def _caption_of(img, scope) -> tuple[str | None, str | None]:
    """Caption and credit: a caption element (figcaption, a caption class), else the text boxes of
    the media box the image sits in (its own short text beside it, whatever the class)."""
    node = img
    while node is not None and node is not scope:
        if tag_of(node) == "figure":
            found = _figure_caption(node)
            return _caption_and_credit(found) if found is not None else _boxes_caption(caption_boxes(node))
        found = _caption_near(node)
        if found is not None:
            return _caption_and_credit(found)
        boxes = caption_boxes(node.getparent()) if node.getparent() is not scope else []
        if boxes:
            caption, credit = _boxes_caption(boxes)
            below = caption_below(node.getparent()) if caption is None else None  # the box holds only the credit
            return (_caption_and_credit(below)[0], credit) if below is not None else (caption, credit)
        after = caption_after(node)  # an image loose in the text, its credited caption line after it
        if after is not None:
            return _caption_and_credit(after)
        node = node.getparent()
    return None, None


def _boxes_caption(boxes: list) -> tuple[str | None, str | None]:
    # A media box's text boxes: the first caption and the first credit among them ("Bild: X" may be a box of its own).
    caption = credit = None
    for box in boxes:
        text, found = _caption_and_credit(box)
        caption, credit = caption or text, credit or found
    return caption, credit


def _figure_caption(figure):
    for el in figure.iter("figcaption"):
        return el
    return next((el for el in figure.iter() if class_words(el) & _CAPTION_WORDS), None)


def _caption_near(node):
    # Without <figure>: a caption-classed element right after the image or its wrapper.
    for count, sibling in enumerate(node.itersiblings()):
        if count >= 2:
            break
        if not isinstance(sibling.tag, str):
            continue
        if class_words(sibling) & _CAPTION_WORDS:
            return sibling
        inner = next((el for el in sibling.iter() if class_words(el) & _CAPTION_WORDS), None)
        if inner is not None and len(sibling) < 20:
            return inner
    return None


def _caption_and_credit(caption_el) -> tuple[str | None, str | None]:
    if caption_el is None:
        return None, None
    credit_el = _credit_element(caption_el)
    if credit_el is None:
        caption, credit = split_caption(inline_text(caption_el, skip=_caption_skip))
        return caption, credit or _credit_beside(caption_el)
    text = inline_text(caption_el, skip=lambda el: el is credit_el or _is_credit_like(el) or is_chrome(el))
    return (text.strip(_SEPARATORS) or None), clean_credit(inline_text(credit_el, skip=lambda el: False))


def _credit_beside(caption_el) -> str | None:
    # CMS fields: a loose caption box followed by its own credit box ("© Stadt Bochum").
    sibling = caption_el.getnext()
    if tag_of(caption_el) == "figcaption" or sibling is None or not isinstance(sibling.tag, str):
        return None
    text = inline_text(sibling, skip=lambda el: False)
    if not text or len(text) > _MAX_CREDIT:
        return None
    return clean_credit(text) if _is_credit_like(sibling) or _LEADING.match(text) else None


def _caption_skip(el) -> bool:
    # The caption element itself may carry "caption" in its class; only its chrome children are skipped.
    return is_chrome(el) and not class_words(el) & _CAPTION_WORDS


def _is_credit_like(el) -> bool:
    return bool(class_words(el) & _CREDIT_WORDS)


def _credit_element(caption_el):
    figure = caption_el.getparent() if tag_of(caption_el.getparent()) == "figure" else caption_el
    candidates = [el for el in caption_el.iter() if el is not caption_el and
                  (_is_credit_like(el) or tag_of(el) in {"small", "cite"})]
    if not candidates and figure is not caption_el:
        candidates = [el for el in figure.iter() if _is_credit_like(el) and tag_of(el) != "img"]
    return candidates[-1] if candidates else None


def split_caption(text: str) -> tuple[str | None, str | None]:
    """A caption text split into (caption, credit): "Rathaus (Foto: A. Name)" → ("Rathaus", "A. Name")."""
    text = clean(text)
    if not text:
        return None, None
    for pattern in (_TRAILING_PAREN, _TRAILING_PLAIN, _TRAILING_ARTWORK, _COPYRIGHT_ANYWHERE):
        match = pattern.search(text)
        if match:
            caption = text[:match.start()].strip(_SEPARATORS)
            return caption or None, clean_credit(match.group(1))
    return text, None


def clean_credit(text: str | None) -> str | None:
    """A credit without its wrapping: "(Quelle: Bitkom)" → "Bitkom", "Foto: © X" → "X"."""
    credit = clean(text)
    while True:
        before = credit
        if credit[:1] in "([" and credit[-1:] in ")]" and _wraps(credit):
            credit = credit[1:-1].strip()
        credit = _LEADING.sub("", credit).strip()
        if credit == before:
            return credit or None


def _wraps(text: str) -> bool:
    # True if the opening bracket closes at the very end ("(A) und (B)" is not wrapped).
    depth = 0
    for index, ch in enumerate(text):
        depth += ch in "(["
        depth -= ch in ")]"
        if depth == 0 and index < len(text) - 1:
            return False
    return depth == 0
