"""The recorded crawl runs: `pressarchive runs`, and marking runs that were killed."""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from .export import iso_timestamp
from .models import CrawlRun, Version

COLUMNS = [  # (heading, attribute) in table order
    ("id", "id"), ("start", "started_at"), ("end", "finished_at"), ("duration", "duration"),
    ("pages", "pages_fetched"), ("304s", "not_modified"), ("new", "new_articles"),
    ("versions", "new_versions"), ("withdrawn", "withdrawn"), ("errors", "errors"),
    ("fallback", "fallback_pages"), ("lowconf", "low_confidence"), ("exit", "exit_code"), ("site", "site"),
    ("status", "status"),
]
LEFT_ALIGNED = {"started_at", "finished_at", "status", "site"}  # text columns; numbers align right


KILLED = "killed before its end (kill -9, a crash, a power cut); counts are what it stored"


def mark_interrupted(sessions: sessionmaker[Session], site: str | None = None) -> int:
    """Runs still 'running' belong to crawls that died (the caller holds the lock): mark them.

    Their new articles, versions and withdrawals are counted from what they stored (their
    tallies as written along the way may lag by a second). With a site: only that site's runs
    (and those from before sites were recorded), since on PostgreSQL a crawl of another site
    may be running now (archive.lock)."""
    running = CrawlRun.status == "running"
    if site is not None:
        running = running & or_(CrawlRun.site == site, CrawlRun.site.is_(None))
    with sessions.begin() as session:
        runs = session.scalars(select(CrawlRun).where(running)).all()
        for run in runs:
            count_stored(session, run)
            run.status, run.exit_code = "interrupted", None
            run.messages = [*(run.messages or []), KILLED]
        return len(runs)


def count_stored(session: Session, run: CrawlRun) -> None:
    """Set a run's new articles, new versions and withdrawals from the versions it stored."""
    for count, value in stored_changes(session, run.id).items():
        setattr(run, count, value)


# A version's change kind and the run count it adds to.
STORED_COUNTS = {"new": "new_articles", "edited": "new_versions", "withdrawn": "withdrawn"}


def stored_changes(session: Session, run_id: int) -> dict[str, int]:
    """The versions a run stored, as its counts: new_articles, new_versions, withdrawn."""
    query = select(Version.change, func.count()).where(Version.run_id == run_id).group_by(Version.change)
    stored = dict(session.execute(query).all())
    return {count: stored.get(change, 0) for change, count in STORED_COUNTS.items()}


def _duration(run: CrawlRun) -> float | None:
    if run.started_at and run.finished_at:
        return round((run.finished_at - run.started_at).total_seconds(), 1)
    return None


def _row(run: CrawlRun) -> dict:
    row = {attr: getattr(run, attr, None) for _, attr in COLUMNS if attr != "duration"}
    row["duration"] = _duration(run)
    row["start_url"] = run.start_url
    row["recheck"] = run.recheck
    row["messages"] = list(run.messages or [])
    row["sources"] = dict(run.sources or {})  # releases per discovery source, total, only_one_source
    return row


def _dead(session: Session, row: dict) -> None:
    """A run still 'running' whose crawl is gone: shown interrupted with what it stored (recorded by the next crawl)."""
    row.update(stored_changes(session, row["id"]), status="interrupted", messages=[*row["messages"], KILLED])


def _kept(end: dict | None, run: CrawlRun) -> dict:
    """A kept run end's values for a run still recorded as running (or found dead)."""
    if not end or run.status not in ("running", "interrupted"):
        return {}
    row = dict(end)
    if run.started_at and row.get("finished_at"):
        row["duration"] = round((row["finished_at"] - run.started_at).total_seconds(), 1)
    return row


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float):
        return f"{value:.1f}s"
    return str(value)


def _table(rows: list[dict]) -> str:
    grid = [[h for h, _ in COLUMNS]] + [[_cell(r[a]) for _, a in COLUMNS] for r in rows]
    widths = [max(len(line[i]) for line in grid) for i in range(len(COLUMNS))]
    left = [attr in LEFT_ALIGNED for _, attr in COLUMNS]
    lines = ["  ".join(c.ljust(w) if is_left else c.rjust(w)
                       for c, w, is_left in zip(line, widths, left, strict=True)).rstrip()
             for line in grid]
    return "\n".join(lines) + "\n"


def _json_value(value):
    return iso_timestamp(value) if isinstance(value, datetime) else value


def render_runs(sessions: sessionmaker[Session], limit: int, fmt: str, kept: dict[int, dict] | None = None,
                running: Callable[[str | None], bool | None] | None = None) -> str:
    """The newest `limit` runs as a table or a JSON list (newest first).

    kept: run ends the archive could not take (archive.run_journal), shown as if recorded.
    running(site): whether a crawl holds the lock now; a 'running' run without one is shown interrupted."""
    with sessions() as session:
        runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)).all()
        rows = [{**_row(run), **_kept((kept or {}).get(run.id), run)} for run in runs]
        for row in rows:
            if row["status"] == "running" and running is not None and running(row["site"]) is False:
                _dead(session, row)
    if fmt == "json":
        data = [{k: _json_value(v) for k, v in row.items()} for row in rows]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if not rows:
        return "no crawl runs recorded\n"
    return _table(rows)
