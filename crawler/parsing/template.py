"""A site template matcher: the article region of a page in one of a site's templates.

The template (crawler.sites.Template) names each part by id or class; each part also has a
structural stand-in (the <main>, the first h1, the element with the most prose) so a renamed
class still works. At least `min_anchors` of the template's anchors must be present (or its own
<main id=...>), otherwise the page is not in this template and the next one, finally the fallback,
takes it: that is how the crawl notices a relaunch.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from .fallback import best_container
from .text import Region, clean, inline_text, inside_chrome, is_chrome, skip_body, skip_in_article_text, tag_of

if TYPE_CHECKING:
    from crawler.sites import Template

_MAX_KICKER = 80


# Attributes, not elements with an attribute test: libxml2 evaluates `//*[@class or @id]` ~3x
# slower than it collects the attributes themselves, and only their owners of interest are built.
_CANDIDATES = etree.XPath("//@class | //@id | //@role | //main | //h1")


def _scan(root, template: Template) -> dict[str, list]:
    """One pass over the tree: the template's classes, its id, <main>s and h1s, in document order."""
    found: dict[str, list] = {}
    classes, content_id = template.classes, template.content_id
    for node in _CANDIDATES(root):
        if not isinstance(node, str):  # a <main> or <h1>
            found.setdefault("main" if node.tag == "main" else "h1", []).append(node)
        elif node.attrname == "class":
            for word in node.split():
                if word in classes:
                    found.setdefault(word, []).append(node.getparent())
        elif node.attrname == "id" and content_id and node == content_id:
            found.setdefault("#id", []).append(node.getparent())
        elif node.attrname == "role" and node == "main" and node.getparent().tag not in ("main", "h1"):
            found.setdefault("main", []).append(node.getparent())  # a <main> or <h1> counts as itself
    return found


def match_template(root, template: Template) -> Region | None:
    """The article region of a page in this template, or None when the page is not in it."""
    found = _scan(root, template)
    keys = [key for key in ("#id", *sorted(template.classes)) if found.get(key)]
    # One generic word (a <div id="inhalt">, a "richtext" box) is any CMS's vocabulary: the template
    # shows two anchors, or its own <main id="inhalt"> when the classes were renamed.
    own_main = any(el.tag == "main" for el in found.get("#id", []))
    if len(keys) < template.min_anchors and not own_main:
        return None
    anchors = [el for key in keys for el in found[key]]
    main = _main(found, template)
    h1 = _headline(root, found, main, template)
    scope = _scope(main, h1, anchors)
    kicker = _kicker(found, h1, template)
    label_els = [el for name in (*template.label_classes, template.kicker_class) for el in _get(found, name)]
    page_labels = [text for text in (clean("".join(el.itertext())) for el in label_els) if text]
    labels = {text.lower() for text in page_labels} | ({kicker.lower()} if kicker else set())
    headline = (inline_text(h1) or None) if h1 is not None else None
    text_box = next((el for el in _get(found, template.text_class) if _within(el, scope)), None)
    return Region(scope=scope, container=text_box if text_box is not None else _container(found, scope, template),
                  headline=headline, kicker=kicker, extractor="portal", labels=labels, page_labels=page_labels,
                  headline_el=h1, skip=skip_in_article_text if text_box is not None else skip_body,
                  template=template.name)


def _get(found: dict[str, list], name: str | None) -> list:
    return found.get(name, []) if name else []


def _container(found, scope, template: Template):
    # Without the text box: the element with most prose, else (a listing) the content box, else the scope.
    body = best_container(scope, skip_body)
    if body is None:
        body = next((el for el in _get(found, template.content_class) if _within(el, scope)), scope)
    return body


def _within(el, scope) -> bool:
    return el is scope or any(a is scope for a in el.iterancestors())


def _main(found, template: Template):
    # The template's article element, else its own <main id=...>, else the element with the id, else any <main>.
    if _get(found, template.article_class):
        return found[template.article_class][0]
    for el in found.get("#id", []):
        if el.tag == "main":
            return el
    for key in ("#id", "main"):
        if found.get(key):
            return found[key][0]
    return None


def _headline(root, found, main, template: Template):
    if _get(found, template.headline_class):
        return found[template.headline_class][0]
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


def _kicker(found, h1, template: Template) -> str | None:
    if _get(found, template.kicker_class):
        return inline_text(found[template.kicker_class][0]) or None
    # Structure: a short text right before the headline, in the headline's own box.
    before = h1.getprevious() if h1 is not None else None
    if before is None or not isinstance(before.tag, str) or is_chrome(before) or before.find(".//a") is not None:
        return None
    if set((before.get("class") or "").split()) & set(template.label_classes):
        return None  # the template's section label ("Pressemitteilung"), not this release's kicker
    text = inline_text(before)
    if text and len(text) <= _MAX_KICKER and not any(ch.isdigit() for ch in text):
        return text
    return None
