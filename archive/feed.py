"""`feed`: an Atom 1.0 feed of the newest changes, one entry per version (new, edited, withdrawn).

Each entry links the release's address, names the change and the changed fields in its title and
summary, and has an id that stays the same across runs (the release's canonical URL and version
number), so a feed reader shows each change once. Written whole or not at all (archive.outfile).
"""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from .export import iso_timestamp
from .models import Article, Version
from .outfile import output_file

ATOM = "http://www.w3.org/2005/Atom"
TITLE = "Press releases: new, edited and withdrawn (pressarchive)"


def feed_entries(sessions: sessionmaker[Session], limit: int) -> list[dict]:
    """The newest `limit` versions as dicts: article, version, change, fields, headline, url, when."""
    query = (select(Version.number, Version.change, Version.changed_fields, Version.headline, Version.fetched_at,
                    Article.id, Article.url, Article.canonical_url)
             .join(Article, Article.id == Version.article_id)
             .order_by(Version.fetched_at.desc(), Version.id.desc()).limit(limit))
    with sessions() as s:
        rows = s.execute(query).all()
    return [{"version": r.number, "change": r.change, "changed_fields": list(r.changed_fields or []),
             "headline": r.headline, "updated": iso_timestamp(r.fetched_at), "article_id": r.id,
             "url": r.url, "canonical_url": r.canonical_url} for r in rows]


def atom_feed(entries: list[dict], self_url: str | None = None, link_for=None) -> bytes:
    """The Atom document for these entries (newest first); link_for(entry) adds an alternate link."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    host = urlsplit(entries[0]["canonical_url"]).hostname if entries else None
    _text(feed, "id", f"tag:pressarchive,2024:{host or 'archive'}/changes")
    _text(feed, "title", TITLE)
    _text(feed, "updated", entries[0]["updated"] if entries else _now())
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "pressarchive"
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "pressarchive"
    if self_url:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url, type="application/atom+xml")
    for entry in entries:
        _entry(feed, entry, link_for)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(feed: ET.Element, entry: dict, link_for) -> None:
    element = ET.SubElement(feed, f"{{{ATOM}}}entry")
    _text(element, "id", f"{entry['canonical_url']}#version-{entry['version']}")
    _text(element, "title", f"{entry['change']}: {entry['headline'] or entry['canonical_url']}")
    _text(element, "updated", entry["updated"])
    ET.SubElement(element, f"{{{ATOM}}}link", rel="alternate", href=entry["url"])
    if link_for:
        ET.SubElement(element, f"{{{ATOM}}}link", rel="related", href=link_for(entry), type="text/html")
    _text(element, "summary", summary(entry))


def summary(entry: dict) -> str:
    """One line: the change kind and the fields it changed."""
    fields = ", ".join(entry["changed_fields"])
    what = {"new": "new release", "edited": "edited", "withdrawn": "withdrawn from the portal"}.get(
        entry["change"], entry["change"])
    return f"Version {entry['version']}: {what}" + (f"; changed: {fields}" if fields and entry["change"] != "new"
                                                     else "")


def write_feed(sessions: sessionmaker[Session], out: str | None, limit: int) -> int:
    """Write the feed to out (atomically) or stdout; returns the number of entries."""
    entries = feed_entries(sessions, limit)
    document = atom_feed(entries)
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(document)
        sys.stdout.buffer.flush()
    else:
        with output_file(out, "wb") as fh:
            fh.write(document)
    return len(entries)


def _text(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{name}").text = value


def _now() -> str:
    return iso_timestamp(datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0))
