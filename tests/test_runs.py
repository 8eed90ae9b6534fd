"""`pressarchive runs`: the table and JSON, and runs left 'running' by a killed crawl."""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from archive.models import Base, CrawlRun
from archive.runs import mark_interrupted, render_runs


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def sessions(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory.begin() as s:
        s.add(CrawlRun(started_at=datetime(2024, 5, 1, 6, 0), finished_at=datetime(2024, 5, 1, 6, 2, 30),
                       start_url="http://x/Pressemeldungen", recheck="recent", pid=11, status="ok",
                       pages_fetched=40, not_modified=30, new_articles=3, new_versions=1, withdrawn=1,
                       errors=2, fallback_pages=0, exit_code=0, messages=["x: HTTP 503"]))
        s.add(CrawlRun(started_at=datetime(2024, 5, 2, 6, 0), start_url="http://x/Pressemeldungen",
                       recheck="all", pid=12, status="running"))
    return factory


def test_table_newest_first(sessions):
    out = render_runs(sessions, 20, "table")
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["id", "start", "end", "duration"]
    assert "exit" in lines[0] and "status" in lines[0]
    assert lines[1].split()[0] == "2" and lines[1].rstrip().endswith("running")
    assert lines[2].split()[0] == "1" and "150.0s" in lines[2] and lines[2].rstrip().endswith("ok")


def test_json_and_limit(sessions):
    data = json.loads(render_runs(sessions, 1, "json"))
    assert len(data) == 1 and data[0]["id"] == 2 and data[0]["finished_at"] is None
    first = json.loads(render_runs(sessions, 5, "json"))[1]
    assert first["duration"] == 150.0 and first["messages"] == ["x: HTTP 503"]
    assert first["started_at"] == "2024-05-01T06:00:00Z"


def test_killed_run_is_marked_interrupted(sessions):
    assert mark_interrupted(sessions) == 1
    assert json.loads(render_runs(sessions, 5, "json"))[0]["status"] == "interrupted"
    assert mark_interrupted(sessions) == 0


def test_no_runs(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    Base.metadata.create_all(engine)
    assert render_runs(sessionmaker(engine), 20, "table") == "no crawl runs recorded\n"
    assert render_runs(sessionmaker(engine), 20, "json") == "[]\n"


# --- how a crawl is judged (crawler.runner) ----------------------------------------------------
from crawler.items import CrawlState  # noqa: E402
from crawler.runner import judge, summary, validate_start_url  # noqa: E402


def state(**kw) -> CrawlState:
    s = CrawlState(run_id=3)
    for key, value in kw.items():
        setattr(s.counts if hasattr(s.counts, key) else s, key, value)
    return s


def test_a_clean_run_is_0_and_individual_failures_do_not_fail_it():
    assert judge(state(releases_scheduled=10, releases_answered=10, releases_ok=10), 0.2, "finished") == 0
    assert judge(state(releases_scheduled=10, releases_answered=9, releases_ok=9, errors=1), 0.2, "finished") == 0
    assert judge(state(), 0.2, "finished") == 0  # nothing new, nothing due: fine


@pytest.mark.parametrize("kw,reason", [
    ({"start_failed": "cannot fetch x: refused"}, "finished"),
    ({"releases_scheduled": 5, "releases_answered": 0, "errors": 5}, "finished"),
    ({"releases_scheduled": 5, "releases_answered": 5}, "shutdown"),
    ({"releases_scheduled": 5, "releases_answered": 5}, None),
])
def test_failed_runs_are_1(kw, reason):
    s = state(**kw)
    assert judge(s, 0.2, reason) == 1
    assert s.counts.messages


def test_drift_alarm_above_the_threshold_only():
    # drifted: the pages the templates missed or that were extracted below 0.5 confidence (the pipeline counts it)
    ok = state(releases_scheduled=10, releases_answered=10, releases_ok=10, fallback_pages=2, drifted=2)
    assert judge(ok, 0.2, "finished") == 0 and not ok.alarms
    drift = state(releases_scheduled=10, releases_answered=10, releases_ok=10, fallback_pages=3, drifted=3)
    assert judge(drift, 0.2, "finished") == 1
    assert drift.alarms[0].startswith("ALARM: ") and drift.counts.messages[-1] == drift.alarms[0]
    unsure = state(releases_scheduled=10, releases_answered=10, releases_ok=10, fallback_pages=1, low_confidence=2,
                   drifted=3)
    assert judge(unsure, 0.2, "finished") == 1 and "below 0.5" in unsure.alarms[0]


def test_summary_fits_one_screen():
    s = state(pages_fetched=63, not_modified=2, new_articles=60, errors=30)
    s.counts.messages = [f"u{i}: HTTP 503" for i in range(30)]
    text = summary("http://x/Pressemeldungen", s, 0, 12.34)
    lines = text.splitlines()
    assert len(lines) <= 24 and "12.3 s" in text and "run 3" in lines[0]
    for label in ("pages fetched", "not modified (304)", "new articles", "new versions", "withdrawn",
                  "errors", "fallback pages", "duration", "exit code"):
        assert label in text
    assert lines[-1].strip().startswith("! ...")


@pytest.mark.parametrize("url", ["ftp://x/y", "Pressemeldungen", "http://", "", "javascript:alert(1)",
                                 "http://127.0.0.1:99999/Pressemeldungen", "http://[::1/Pressemeldungen"])
def test_start_url_must_be_http(url):
    from archive.errors import BadInput

    with pytest.raises(BadInput):
        validate_start_url(url)
    assert validate_start_url(" https://www.bochum.de/Pressemeldungen ") == "https://www.bochum.de/Pressemeldungen"


def test_progress_status_line():
    from crawler.progress import status_line

    s = state(pages_fetched=12, new_articles=9, errors=1)
    s.listing_pages, s.releases_scheduled = 2, 10
    line = status_line(s, 3.2)
    assert "\n" not in line and "fetched 12" in line and "new 9" in line and "errors 1" in line
