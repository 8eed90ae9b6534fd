"""The User-Agent names the project and, when given, the contact of whoever runs the crawl."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from builders import ROOT, pressarchive

from crawler.settings import user_agent

pytestmark = pytest.mark.slow


def test_without_a_contact_the_agent_names_no_placeholder():
    assert user_agent(None) == "pressarchive/0.1 (press release archiver)"
    assert user_agent("https://example.org/press-archive") == (
        "pressarchive/0.1 (press release archiver; +https://example.org/press-archive)")
    assert user_agent("archiv@example.org").endswith("; +archiv@example.org)")


def _agents(replica) -> set[str]:
    return set(replica.stats()["agents"])


def test_crawl_sends_the_contact_given_by_option(replica, tmp_path):
    result = pressarchive("crawl", "--start-url", replica.listing_url, "--delay", "0", "--max-articles", "3",
                          "--contact", "mailto:presse@example.org", "--db", tmp_path / "a.sqlite")
    assert result.returncode == 0, result.stderr
    assert _agents(replica) == {"pressarchive/0.1 (press release archiver; +mailto:presse@example.org)"}


def test_crawl_and_scrapy_read_the_contact_from_the_environment(replica, tmp_path):
    env = {**os.environ, "PRESSARCHIVE_CONTACT": "https://archiv.example.org/kontakt"}
    result = pressarchive("crawl", "--start-url", replica.listing_url, "--delay", "0", "--max-articles", "2",
                          "--db", tmp_path / "a.sqlite", env=env)
    assert result.returncode == 0, result.stderr
    agent = "pressarchive/0.1 (press release archiver; +https://archiv.example.org/kontakt)"
    assert _agents(replica) == {agent}
    shown = subprocess.run([sys.executable, "-m", "scrapy", "settings", "--get", "USER_AGENT"], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=120)
    assert shown.stdout.strip() == agent


@pytest.mark.parametrize("contact", ["me", "a\r\nX-Evil: 1", "ftp://example.org", "x" * 300 + "@example.org"])
def test_a_contact_that_is_no_url_or_address_is_one_line_and_exit_2(contact, tmp_path):
    result = pressarchive("crawl", "--contact", contact, "--db", tmp_path / "a.sqlite")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "a.sqlite").exists()
