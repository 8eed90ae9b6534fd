"""`history` and `diff`: an article's versions as a terminal table, and what changed, field by field.

Text fields get a word diff like `git diff --word-diff`: removed words as [-…-], added as {+…+}
(coloured as well when stdout is a terminal). Paragraphs are aligned by content (archive.diffing);
an edited paragraph is shown as a word diff, removed and added ones as - and + entries, as are
quotes and images. `--format json` gives the same data archive.diffing computes.
"""
from __future__ import annotations

import json
import sys
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from .diffing import field_changes, word_ops
from .errors import BadInput
from .export import iso_timestamp
from .models import Article, Version
from .versioning import version_extract

_RED, _GREEN, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[0m"
MAX_ID = 2**63 - 1  # the largest SQLite INTEGER: a bigger number names no article


def lookup_article(s: Session, ref: str) -> Article:
    """An article by numeric id or by canonical URL (the CLI canonicalises); BadInput if there is none."""
    ref = ref.strip()
    if ref.isascii() and ref.isdigit():
        article = s.get(Article, int(ref)) if int(ref) <= MAX_ID else None
    else:
        article = s.scalar(select(Article).where(Article.canonical_url == ref)) or s.scalar(
            select(Article).where(Article.url == ref).limit(1))
    if article is None:
        raise BadInput(f"no article {ref} in the archive")
    return article


def history_rows(sessions: sessionmaker[Session], ref: str) -> tuple[Article, list[Version]]:
    """The article and its versions, oldest first."""
    with sessions() as s:
        article = lookup_article(s, ref)
        versions = s.scalars(select(Version).where(Version.article_id == article.id)
                             .order_by(Version.number)).all()
    return article, list(versions)


def render_history(sessions: sessionmaker[Session], ref: str, fmt: str = "text") -> str:
    """The article's URL, status and headline, then one row per version (or a JSON list of them)."""
    article, versions = history_rows(sessions, ref)
    if fmt == "json":
        return _json([{"version": v.number, "fetched_at": iso_timestamp(v.fetched_at), "change": v.change,
                       "changed_fields": list(v.changed_fields or [])} for v in versions])
    headline = versions[-1].headline if versions else None
    rows = [("version", "fetched (UTC)", "change", "fields changed")]
    rows += [(str(v.number), _minute(v.fetched_at), v.change, ", ".join(v.changed_fields or []) or "-")
             for v in versions]
    head = [article.canonical_url,
            f"article {article.id} · {article.status} · {len(versions)} version(s)",
            f"headline: {headline or '(none)'}", ""]
    return "\n".join(head + _table(rows)) + "\n"


def diff_data(sessions: sessionmaker[Session], ref: str, from_: int | None, to: int | None) -> dict:
    """The diff as data: article, "from" and "to" versions (None with one version) and the changed "fields"."""
    with sessions() as s:
        article = lookup_article(s, ref)
        numbers = list(s.scalars(select(Version.number).where(Version.article_id == article.id)
                                 .order_by(Version.number)))
        pair = _pick(article, numbers, from_, to)
        if pair is None:
            return {"article_id": article.id, "url": article.canonical_url, "from": None, "to": None, "fields": []}
        old, new = (_load(s, article.id, n) for n in pair)
    fields = field_changes(version_extract(old), version_extract(new), (_status(old), _status(new)))
    return {"article_id": article.id, "url": article.canonical_url, "from": _side(old), "to": _side(new),
            "fields": fields}


def render_diff(sessions: sessionmaker[Session], ref: str, from_: int | None, to: int | None,
                color: bool | None = None, fmt: str = "text") -> str:
    """What changed between two versions (default: the last two), field by field."""
    data = diff_data(sessions, ref, from_, to)
    if fmt == "json":
        return _json(data)
    if data["from"] is None:
        return f"{data['url']}\nonly one version: nothing to compare\n"
    color = sys.stdout.isatty() if color is None else color
    lines = [data["url"], _label("---", data["from"]), _label("+++", data["to"])]
    lines += [line for field in data["fields"] for line in _field_lines(field, color)]
    if not data["fields"]:
        lines.append("no differences in the extracted fields")
    return "\n".join(lines) + "\n"


def _pick(article: Article, numbers: list[int], from_: int | None, to: int | None) -> tuple[int, int] | None:
    """The version numbers to compare; None when the article has one version and none were asked for."""
    if from_ is None and to is None and len(numbers) < 2:
        return None
    to = numbers[-1] if to is None and numbers else to
    from_ = (to - 1 if to > 1 else to) if from_ is None else from_
    for n in (from_, to):
        if n not in numbers:
            known = f"versions 1 to {numbers[-1]}" if numbers else "no versions"
            raise BadInput(f"article {article.id} has no version {n} ({known})")
    return from_, to


def _load(s: Session, article_id: int, number: int) -> Version:
    return s.scalar(select(Version).where(Version.article_id == article_id, Version.number == number)
                    .options(selectinload(Version.quotes), selectinload(Version.images),
                             selectinload(Version.date_mentions)))


def _side(version: Version) -> dict:
    return {"version": version.number, "fetched_at": iso_timestamp(version.fetched_at), "change": version.change}


def _field_lines(field: dict, color: bool) -> list[str]:
    """A changed field as terminal lines."""
    name = field["field"]
    if "words" in field:
        return [f"{name}: {_words(field['words'], color)}"]
    if "changes" not in field:
        return [f"{name}: {field['old'] or '-'} → {field['new'] or '-'}"]
    return [f"{name}:"] + [_change_line(change, color) for change in field["changes"]]


def _change_line(change: dict, color: bool) -> str:
    number = change.get("to", change.get("from"))  # paragraphs carry positions, quotes and images none
    where = f" ¶{number}:" if number is not None else ""
    if change["op"] == "edited":
        return f"  ~{where} {_words(change['words'], color)}"
    sign, colour = ("-", _RED) if change["op"] == "removed" else ("+", _GREEN)
    return _paint(f"  {sign}{where} {change['text']}", colour, color)


def word_diff(old: str, new: str, color: bool = False) -> str:
    """The new text with removed words as [-…-] and added words as {+…+}."""
    return _words(word_ops(old, new), color)


def _words(ops: list[list[str]], color: bool) -> str:
    marks = {"removed": ("[-", "-]", _RED), "added": ("{+", "+}", _GREEN)}
    out = []
    for op, text in ops:
        if op == "equal":
            out.append(text)
        else:
            left, right, colour = marks[op]
            out.append(_paint(f"{left}{text}{right}", colour, color))
    return " ".join(out)


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _status(version: Version) -> str:
    return "withdrawn" if version.change == "withdrawn" else "active"


def _label(marker: str, side: dict) -> str:
    return f"{marker} version {side['version']}  {side['fetched_at'][:16].replace('T', ' ')}  {side['change']}"


def _paint(text: str, colour: str, color: bool) -> str:
    return f"{colour}{text}{_RESET}" if color else text


def _minute(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows as left-aligned columns (the first, numeric, right-aligned), two spaces apart."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join([row[0].rjust(widths[0])] + [cell.ljust(w) for cell, w in zip(row[1:], widths[1:])])
            .rstrip() for row in rows]
