"""Run ends the archive could not take (disk full, read-only, server gone), kept until it can.

When a crawl cannot record its end in the archive, it writes the record to a small JSON file in
the user's state folder ($PRESSARCHIVE_STATE_DIR, else $XDG_STATE_HOME/pressarchive, else
~/.local/state/pressarchive), one file per archive URL. The next crawl of that archive records
it (the run shows as failed with its counts) and removes the file; until then `runs` shows the
run as running, or interrupted once a crawl has found it dead.
"""
from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from crawler.records import COUNT_FIELDS

from .models import CrawlRun

# Every count of the run (the record's schema, so a new count is kept too), its sources and its end.
FIELDS = (*COUNT_FIELDS, "sources", "exit_code", "status", "messages", "finished_at")


def journal_path(db_url: str) -> Path:
    """The file that holds the unrecorded run ends of one archive."""
    folder = os.environ.get("PRESSARCHIVE_STATE_DIR") or os.path.join(
        os.environ.get("XDG_STATE_HOME") or os.path.expanduser("~/.local/state"), "pressarchive")
    return Path(folder) / f"unrecorded-runs-{hashlib.sha256(db_url.encode()).hexdigest()[:16]}.json"


def remember(db_url: str, run_id: int, end: dict) -> Path:
    """Keep one run's end (CrawlRun column values) for the next crawl to record; returns the file."""
    path = journal_path(db_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    ends = _read(path)
    ends[str(run_id)] = {k: end[k] for k in FIELDS if k in end}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(ends, default=str), encoding="utf-8")
    tmp.replace(path)
    return path


def remembered(db_url: str) -> dict[int, dict]:
    """The run ends kept for this archive, by run id (`runs` shows them until a crawl records them)."""
    ends = _read(journal_path(db_url))
    return {int(run_id): _values(end) for run_id, end in ends.items() if run_id.isdigit()}


def record_remembered(sessions: sessionmaker[Session], db_url: str) -> int:
    """Record the run ends kept for this archive, then forget them; returns how many."""
    path = journal_path(db_url)
    ends = _read(path)
    if not ends:
        return 0
    with sessions.begin() as session:
        for run_id, end in ends.items():
            run = session.get(CrawlRun, int(run_id))
            if run is None or run.status not in ("running", "interrupted"):
                continue  # recorded after all, or another archive at this URL
            for name, value in _values(end).items():
                setattr(run, name, value)
    path.unlink(missing_ok=True)
    return len(ends)


def _values(end: dict) -> dict:
    """A kept end as CrawlRun column values (its end time a datetime again)."""
    values = {k: v for k, v in end.items() if k in FIELDS}
    if values.get("finished_at"):
        values["finished_at"] = datetime.fromisoformat(values["finished_at"])
    return values


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
