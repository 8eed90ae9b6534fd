"""What counts as a change: normalised extracted fields, their content hash, the fields that differ.

An "extract" is a parse record with every text normalised (NFC, whitespace and NBSP collapsed,
invisible characters dropped). The content hash covers only the compared fields (FIELDS), never
the raw HTML, so markup, chrome and whitespace changes give no new version. Images are compared
by caption and credit: a portal relaunch rewrites every asset URL (src) without changing the
release, so src and alt are stored but not compared.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import date

FIELDS = ("headline", "kicker", "published", "paragraphs", "quotes", "images")
# Soft hyphen, zero-width space, word joiner, BOM: invisible, yet editors insert them at random.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))
_SPACES = re.compile(r"\s+")  # str patterns match NBSP, narrow NBSP and the other Unicode spaces


def norm_text(value: object) -> str | None:
    """NFC, invisible characters dropped, whitespace runs as one space, trimmed; '' becomes None."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip() or None


def normalise(record: dict) -> dict:
    """The stored shape of a parse record (Record.to_dict()), every text normalised."""
    paragraphs = [p for p in (norm_text(p) for p in record.get("paragraphs") or []) if p]
    return {
        "kind": record.get("kind") or "other",
        "headline": norm_text(record.get("headline")),
        "kicker": norm_text(record.get("kicker")),
        "published": iso_date(record.get("published")),
        "published_source": record.get("published_source"),
        "paragraphs": paragraphs,
        "quotes": [_quote(q) for q in record.get("quotes") or [] if norm_text(q.get("text"))],
        "images": [_image(i) for i in record.get("images") or []],
        "date_mentions": [_mention(m) for m in record.get("date_mentions") or [] if iso_date(m.get("date"))],
        "extractor": record.get("extractor"),
    }


def iso_date(value: object) -> str | None:
    """YYYY-MM-DD if the value is a valid date, else None (a date column could not hold it)."""
    try:
        return date.fromisoformat(str(value).strip()).isoformat() if value else None
    except ValueError:
        return None


def _quote(q: dict) -> dict:
    return {"text": norm_text(q.get("text")), "speaker": norm_text(q.get("speaker")),
            "role": norm_text(q.get("role")), "paragraph": int(q.get("paragraph") or 0)}


def _image(i: dict) -> dict:
    return {key: norm_text(i.get(key)) for key in ("src", "alt", "caption", "credit")}


def _mention(m: dict) -> dict:
    return {"text": norm_text(m.get("text")) or "", "date": iso_date(m.get("date"))}


def compared(extract: dict) -> dict:
    """The fields a change is judged by (see the module docstring)."""
    return {
        "headline": extract["headline"],
        "kicker": extract["kicker"],
        "published": extract["published"],
        "paragraphs": extract["paragraphs"],
        "quotes": [[q["text"], q["speaker"], q["role"]] for q in extract["quotes"]],
        "images": [[i["caption"], i["credit"]] for i in extract["images"]],
    }


def content_hash(extract: dict) -> str:
    """SHA-256 of the canonical JSON of the compared fields."""
    canonical = json.dumps(compared(extract), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def changed_fields(old: dict, new: dict) -> list[str]:
    """Names of the compared fields that differ between two extracts, in FIELDS order."""
    a, b = compared(old), compared(new)
    return [name for name in FIELDS if a[name] != b[name]]


def version_extract(version) -> dict:
    """A stored Version (with quotes, images, mentions loaded) in the shape normalise() returns."""
    return {
        "kind": version.kind,
        "headline": version.headline,
        "kicker": version.kicker,
        "published": version.published.isoformat() if version.published else None,
        "published_source": version.published_source,
        "paragraphs": list(version.paragraphs or []),
        "quotes": [{"text": q.text, "speaker": q.speaker, "role": q.role, "paragraph": q.paragraph}
                   for q in version.quotes],
        "images": [{"src": i.src, "alt": i.alt, "caption": i.caption, "credit": i.credit}
                   for i in version.images],
        "date_mentions": [{"text": m.text, "date": m.date.isoformat()} for m in version.mentions],
        "extractor": version.extractor,
    }
