"""The portal profile: the Bochum portal's article template (2019 and 2020 variants).

The template's ids and classes are the first choice; each part also has a structural stand-in
(the <main>, the first h1, the element with the most prose) so a renamed class still works. At
least one of the template's anchors must be present, otherwise the page is an unknown template
and the fallback takes it: that is how the crawl notices a relaunch.
"""
from __future__ import annotations

from lxml import etree

from .fallback import best_container
from .text import Article, clean, inline_text, inside_chrome, is_chrome, skip_body, skip_in_article_text, tag_of


# The template's anchors: its content id and the class names of headline, kicker, labels and body.
_ID = "inhalt"
_CLASSES = frozenset({"content__main", "richtext", "page-title__headline", "page-title__kicker", "content__label"})
# Section labels the portal prints above and below the headline; never body text.
SECTION_LABELS = frozenset({"aktuelle pressemeldungen", "pressemeldungen", "dienstleistungen und infos"})
_MAX_KICKER = 80
_MIN_ANCHORS = 2


# Attributes, not elements with an attribute test: libxml2 evaluates `//*[@class or @id]` ~3x
# slower than it collects the attributes themselves, and only their owners of interest are built.
_CANDIDATES = etree.XPath("//@class | //@id | //@role | //main | //h1")


def _scan(root) -> dict[str, list]:
    """One pass over the tree: the template's classes, its id, <main>s and h1s, in document order."""
    found: dict[str, list] = {}
    for node in _CANDIDATES(root):
        if not isinstance(node, str):  # a <main> or <h1>
            found.setdefault("main" if node.tag == "main" else "h1", []).append(node)
        elif node.attrname == "class":
            for word in node.split():
                if word in _CLASSES:
                    found.setdefault(word, []).append(node.getparent())
        elif node.attrname == "id" and node == _ID:
            found.setdefault("#" + _ID, []).append(node.getparent())
        elif node.attrname == "role" and node == "main" and node.getparent().tag not in ("main", "h1"):
            found.setdefault("main", []).append(node.getparent())  # a <main> or <h1> counts as itself
    return found


def find_article(root) -> Article | None:
    """The article of a portal page, or None when the page is not in the portal's template."""
    found = _scan(root)
    keys = [key for key in ("#" + _ID, *sorted(_CLASSES)) if found.get(key)]
    # One generic word (a <div id="inhalt">, a "richtext" box) is any CMS's vocabulary: the template
    # shows two anchors, or its own <main id="inhalt"> when the classes were renamed.
    own_main = any(el.tag == "main" for el in found.get("#" + _ID, []))
    if len(keys) < _MIN_ANCHORS and not own_main:
        return None
    anchors = [el for key in keys for el in found[key]]
    main = _main(found)
    h1 = _headline(root, found, main)
    scope = _scope(main, h1, anchors)
    kicker = _kicker(found, h1)
    label_els = found.get("content__label", []) + found.get("page-title__kicker", [])
    page_labels = [text for text in (clean("".join(el.itertext())) for el in label_els) if text]
    labels = {text.lower() for text in page_labels} | SECTION_LABELS | ({kicker.lower()} if kicker else set())
    headline = (inline_text(h1) or None) if h1 is not None else None
    richtext = next((el for el in found.get("richtext", []) if _within(el, scope)), None)
    return Article(scope=scope, container=richtext if richtext is not None else _container(found, scope),
                   headline=headline, kicker=kicker, extractor="portal", labels=labels, page_labels=page_labels,
                   headline_el=h1, skip=skip_in_article_text if richtext is not None else skip_body)


def _container(found, scope):
    # Without the text box: the element with most prose, else (a listing) the content box, else the scope.
    body = best_container(scope, skip_body)
    if body is None:
        body = next((el for el in found.get("content__main", []) if _within(el, scope)), scope)
    return body


def _within(el, scope) -> bool:
    return el is scope or any(a is scope for a in el.iterancestors())


def _main(found):
    for el in found.get("#" + _ID, []):
        if el.tag == "main":
            return el
    for key in ("#" + _ID, "main"):
        if found.get(key):
            return found[key][0]
    return None


def _first(found):
    return found[0] if found else None


def _headline(root, found, main):
    if found.get("page-title__headline"):
        return found["page-title__headline"][0]
    for h1 in found.get("h1", []):
        if (main is None or _within(h1, main)) and not inside_chrome(h1, root):
            return h1
    return None


def _scope(main, h1, anchors):
    if main is not None:
        return main
    # No <main>: where the headline and the template's anchors meet.
    nodes = [h1] if h1 is not None else []
    nodes += [a for a in anchors if tag_of(a) not in {"body", "html"}]
    common = _common_ancestor(nodes)
    return common if common is not None else anchors[0]


def _common_ancestor(nodes):
    if not nodes:
        return None
    shared = [nodes[0], *nodes[0].iterancestors()]
    for node in nodes[1:]:
        chain = {node, *node.iterancestors()}
        shared = [el for el in shared if el in chain]
    return shared[0] if shared else None


def _kicker(found, h1) -> str | None:
    if found.get("page-title__kicker"):
        return inline_text(found["page-title__kicker"][0]) or None
    # Structure: a short text right before the headline, in the headline's own box.
    before = h1.getprevious() if h1 is not None else None
    if before is None or not isinstance(before.tag, str) or is_chrome(before) or before.find(".//a") is not None:
        return None
    text = inline_text(before)
    if text and len(text) <= _MAX_KICKER and not any(ch.isdigit() for ch in text):
        return text
    return None
