"""`show`: one version's whole record, as a reader's text or as JSON (the extract schema plus its place in history).

Default: the latest version. A withdrawal stores the last real text again (the store copies it),
so a withdrawn release shows that text, with its status.
"""
from __future__ import annotations

import json
import textwrap

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from .diffing import image_text, quote_text
from .errors import BadInput
from .export import iso_timestamp
from .history import lookup_article
from .models import Version
from .versioning import version_extract

WIDTH = 100


def version_record(sessions: sessionmaker[Session], ref: str, number: int | None = None) -> dict:
    """The version's extract (schema of `extract`) plus article_id, version, fetched_at, change, status."""
    with sessions() as s:
        article = lookup_article(s, ref)
        query = select(Version).where(Version.article_id == article.id).options(
            selectinload(Version.quotes), selectinload(Version.images), selectinload(Version.date_mentions),
            selectinload(Version.raw_page))
        query = query.where(Version.number == number) if number else query.order_by(Version.number.desc())
        version = s.scalars(query.limit(1)).first()
        if version is None:
            known = f"versions 1 to {article.latest_version}" if article.latest_version else "no versions"
            raise BadInput(f"article {article.id} has no version {number} ({known})")
        page_url = version.raw_page.url if version.raw_page else article.url
        record = {"url": page_url, "canonical_url": article.canonical_url, **version_extract(version)}
        record.setdefault("confidence", getattr(version, "confidence", None))  # not stored (yet): null
        return {**record, "article_id": article.id, "version": version.number,
                "fetched_at": iso_timestamp(version.fetched_at), "change": version.change,
                "changed_fields": list(version.changed_fields or []), "status": article.status,
                "versions": article.latest_version}


def render_show(sessions: sessionmaker[Session], ref: str, number: int | None, fmt: str) -> str:
    """The record as JSON, or as text a person reads top to bottom."""
    record = version_record(sessions, ref, number)
    if fmt == "json":
        return json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    return "\n".join(_text_lines(record)) + "\n"


def _text_lines(r: dict) -> list[str]:
    withdrawn = " · withdrawn (its last text)" if r["change"] == "withdrawn" else ""
    lines = [r["canonical_url"],
             f"article {r['article_id']} · version {r['version']} of {r['versions']} · {r['change']}"
             f" · fetched {r['fetched_at']}{withdrawn}", ""]
    lines += [r["kicker"]] if r["kicker"] else []
    lines += [r["headline"] or "(no headline)", f"published: {r['published'] or '-'}", ""]
    for paragraph in r["paragraphs"]:
        lines += textwrap.wrap(paragraph, WIDTH) + [""]
    lines += _section("quotes", [quote_text(q) for q in r["quotes"]])
    lines += _section("images", [f"{image_text(i)}  <{i['src']}>" if i["src"] else image_text(i)
                                 for i in r["images"]])
    lines += _section("dates named", [f"{m['date']}  {m['text']}" for m in r["date_mentions"]])
    return lines


def _section(name: str, entries: list[str]) -> list[str]:
    return [f"{name}:"] + [f"  - {entry}" for entry in entries] + [""] if entries else []
