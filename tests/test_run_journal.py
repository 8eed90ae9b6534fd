"""The run journal keeps every count of a run end the archive could not take, its sources included."""
from __future__ import annotations

import pytest

from archive.run_journal import remember, remembered
from crawler.records import COUNT_FIELDS


@pytest.fixture(autouse=True)
def state_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSARCHIVE_STATE_DIR", str(tmp_path))


def test_a_kept_run_end_holds_every_count_and_the_sources():
    end = {name: n for n, name in enumerate(COUNT_FIELDS, start=1)}
    end |= {"sources": {"listing": 20, "sitemap": 60, "total": 60, "only_one_source": 40},
            "exit_code": 1, "status": "failed", "messages": ["disk full"], "finished_at": "2026-12-06T10:00:00"}
    remember("sqlite:///a.sqlite", 7, end)
    kept = remembered("sqlite:///a.sqlite")[7]
    assert {k: kept[k] for k in COUNT_FIELDS} == {k: end[k] for k in COUNT_FIELDS}
    assert "low_confidence" in kept and kept["sources"] == end["sources"]
    assert kept["finished_at"].isoformat() == "2026-12-06T10:00:00"
