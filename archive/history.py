"""`history` and `diff`: an article's versions as a terminal table, and what changed, field by field.

Text fields get a word diff like `git diff --word-diff`: removed words as [-…-], added as {+…+}
(coloured as well when stdout is a terminal). Paragraphs are aligned first; an edited paragraph is
shown as a word diff, removed and added ones as - and + entries, as are quotes and images.
"""
from __future__ import annotations

import difflib
import sys
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from .errors import BadInput
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


def render_history(sessions: sessionmaker[Session], ref: str) -> str:
    """The article's URL, status and headline, then one row per version."""
    with sessions() as s:
        article = lookup_article(s, ref)
        versions = s.scalars(select(Version).where(Version.article_id == article.id)
                             .order_by(Version.number)).all()
    headline = versions[-1].headline if versions else None
    rows = [("version", "fetched (UTC)", "change", "fields changed")]
    rows += [(str(v.number), _minute(v.fetched_at), v.change, ", ".join(v.changed_fields or []) or "-")
             for v in versions]
    head = [article.canonical_url,
            f"article {article.id} · {article.status} · {len(versions)} version(s)",
            f"headline: {headline or '(none)'}", ""]
    return "\n".join(head + _table(rows)) + "\n"


def render_diff(sessions: sessionmaker[Session], ref: str, from_: int | None, to: int | None,
                color: bool | None = None) -> str:
    """What changed between two versions (default: the last two), field by field."""
    color = sys.stdout.isatty() if color is None else color
    with sessions() as s:
        article = lookup_article(s, ref)
        numbers = list(s.scalars(select(Version.number).where(Version.article_id == article.id)
                                 .order_by(Version.number)))
        pair = _pick(article, numbers, from_, to)
        if pair is None:
            return f"{article.canonical_url}\nonly one version: nothing to compare\n"
        old, new = (_load(s, article.id, n) for n in pair)
    lines = [article.canonical_url, _label("---", old), _label("+++", new)] + _diff_fields(old, new, color)
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


def _diff_fields(old: Version, new: Version, color: bool) -> list[str]:
    a, b = version_extract(old), version_extract(new)
    lines = []
    if _status(old) != _status(new):
        lines.append(f"status: {_status(old)} → {_status(new)}")
    for name in ("headline", "kicker"):
        if a[name] != b[name]:
            lines.append(f"{name}: {word_diff(a[name] or '', b[name] or '', color)}")
    if a["published"] != b["published"]:
        lines.append(f"published: {a['published'] or '-'} → {b['published'] or '-'}")
    lines += _paragraphs_diff(a["paragraphs"], b["paragraphs"], color)
    lines += _entries_diff("quotes", [_quote(q) for q in a["quotes"]], [_quote(q) for q in b["quotes"]], color)
    lines += _entries_diff("images", [_image(i) for i in a["images"]], [_image(i) for i in b["images"]], color)
    return lines or ["no differences in the extracted fields"]


def word_diff(old: str, new: str, color: bool = False) -> str:
    """The new text with removed words as [-…-] and added words as {+…+}."""
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(" ".join(a[i1:i2]))
        if op in ("delete", "replace"):
            out.append(_paint(f"[-{' '.join(a[i1:i2])}-]", _RED, color))
        if op in ("insert", "replace"):
            out.append(_paint(f"{{+{' '.join(b[j1:j2])}+}}", _GREEN, color))
    return " ".join(out)


def _paragraphs_diff(a: list[str], b: list[str], color: bool) -> list[str]:
    """Aligned paragraphs: an edited one as a word diff (~), removed (-) and added (+) ones whole."""
    lines = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        lines += [f"  ~ ¶{j1 + k + 1}: {word_diff(a[i1 + k], b[j1 + k], color)}" for k in range(paired)]
        lines += [_paint(f"  - ¶{i + 1}: {a[i]}", _RED, color) for i in range(i1 + paired, i2) if op != "equal"]
        lines += [_paint(f"  + ¶{j + 1}: {b[j]}", _GREEN, color) for j in range(j1 + paired, j2) if op != "equal"]
    return ["paragraphs:"] + lines if lines else []


def _entries_diff(name: str, a: list[str], b: list[str], color: bool) -> list[str]:
    """Removed (-) and added (+) entries of a list field."""
    lines = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            lines += [_paint(f"  - {entry}", _RED, color) for entry in a[i1:i2]]
            lines += [_paint(f"  + {entry}", _GREEN, color) for entry in b[j1:j2]]
    return [f"{name}:"] + lines if lines else []


def _quote(q: dict) -> str:
    who = ", ".join(part for part in (q["speaker"], q["role"]) if part)
    return f"„{q['text']}“" + (f" — {who}" if who else "")


def _image(i: dict) -> str:
    # The compared parts only (caption, credit): src and alt never make a version differ.
    return (i["caption"] or "(no caption)") + (f" (credit: {i['credit']})" if i["credit"] else "")


def _status(version: Version) -> str:
    return "withdrawn" if version.change == "withdrawn" else "active"


def _label(marker: str, version: Version) -> str:
    return f"{marker} version {version.number}  {_minute(version.fetched_at)}  {version.change}"


def _paint(text: str, colour: str, color: bool) -> str:
    return f"{colour}{text}{_RESET}" if color else text


def _minute(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows as left-aligned columns (the first, numeric, right-aligned), two spaces apart."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join([row[0].rjust(widths[0])] + [cell.ljust(w) for cell, w in zip(row[1:], widths[1:])])
            .rstrip() for row in rows]
