"""What a page says about itself outside the article: head metadata, JSON-LD, the breadcrumb."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from .text import clean, tag_of

_TITLE_SEPARATORS = re.compile(r"\s+[-|–—·:•»]{1,2}\s+")
_MAX_SITE_WORDS = 5
_CLAUSE_JOINTS = frozenset({"–", "—", ":", "--"})
# Words that mark the site part of a German portal's <title>; a site profile adds its own ("bochum").
_SITE_WORDS = ("stadt ", "portal", "startseite", ".de")
_BREADCRUMB = re.compile(r"breadcrumb|sie sind hier|brotkrumen|navigationspfad", re.I)
_ARTICLE_TYPES = frozenset({
    "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting", "PressRelease",
})
_MAX_LD_ITEMS = 2000  # JSON-LD nodes looked at: a hostile page may nest deeply or widely


@dataclass
class PageMeta:
    """What the page says about itself outside the article: head metadata and the breadcrumb."""

    title: str | None = None
    canonical: str | None = None
    base: str | None = None
    values: dict[str, str] = field(default_factory=dict)  # meta name/property/itemprop → content
    json_ld: list[str] = field(default_factory=list)  # JSON-LD datePublished values, articles' first
    json_ld_articles: int = 0  # how many of json_ld's first values are articles'
    json_ld_types: set[str] = field(default_factory=set)  # JSON-LD @type values ("NewsArticle")
    breadcrumb: list[str] = field(default_factory=list)

    @property
    def article_typed(self) -> bool:
        """The page declares itself an article (JSON-LD article type, or an article publication time)."""
        return bool(self.json_ld_types & _ARTICLE_TYPES) or bool(self.values.get("article:published_time"))


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
        _read_json_ld(meta, el.text or "")


def _in_svg(el) -> bool:
    return any(tag_of(a) in {"svg", "symbol"} for a in el.iterancestors())


def _read_json_ld(meta: PageMeta, text: str) -> None:
    # Publication dates and types of every node, also inside an @graph; an article's date comes
    # before a WebPage's or an embedded video's. strict=False: CMSs leave raw newlines in strings.
    try:
        data = json.loads(text, strict=False)
    except (ValueError, RecursionError):
        return
    stack, seen = [data], 0
    while stack and seen < _MAX_LD_ITEMS and len(meta.json_ld) < 10:
        item = stack.pop()
        seen += 1
        if isinstance(item, dict):
            kinds = item.get("@type")
            kinds = {k for k in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(k, str)}
            meta.json_ld_types.update(kinds)
            if isinstance(item.get("datePublished"), str):
                article = bool(kinds & _ARTICLE_TYPES)
                meta.json_ld.insert(meta.json_ld_articles if article else len(meta.json_ld), item["datePublished"])
                meta.json_ld_articles += article
            stack.extend(reversed([v for v in item.values() if isinstance(v, (dict, list))]))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _breadcrumb(root) -> list[str]:
    for el in root.iter("nav", "ol", "ul", "div"):
        label = f"{el.get('aria-label') or ''} {el.get('class') or ''} {el.get('id') or ''}"
        if _BREADCRUMB.search(label) or "BreadcrumbList" in (el.get("itemtype") or ""):
            items = [clean("".join(li.itertext())) for li in el.iter("li")]
            return [item for item in items if item] or [clean("".join(el.itertext()))]
    return []


def headline_from_meta(meta: PageMeta, guess: str | None = None, site_words: tuple[str, ...] = ()) -> str | None:
    """og:title, else the guess from the page, else the <title>; without a site part ("… - Stadt Bochum")."""
    og_title = clean(meta.values.get("og:title"))
    if guess and not og_title:
        return guess
    title = og_title or meta.title
    if not title:
        return None
    site = clean(meta.values.get("og:site_name")).lower()
    return _without_site_part(title, site, _SITE_WORDS + tuple(site_words))


def _without_site_part(title: str, site: str, words: tuple[str, ...]) -> str:
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    for candidate, rest in ((parts[-1], parts[:-1]), (parts[0], parts[1:])):
        low = candidate.lower()
        if (site and low == site) or (len(low.split()) <= 4 and any(w in f"{low} " for w in words)):
            return " - ".join(rest)
    # "Headline | Name of the Site": a short tail after the headline names the site; after a
    # dash or colon it is the headline's own second half ("… – mit Hund im Winter").
    head, tail = parts[0], parts[-1]
    joint = _TITLE_SEPARATORS.search(title).group().strip()
    site_like = len(tail) < len(head) and len(tail.split()) <= _MAX_SITE_WORDS
    return head if len(parts) == 2 and joint not in _CLAUSE_JOINTS and site_like else title
