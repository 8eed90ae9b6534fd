"""What an answer that is no release looks like (crawler.answers): "page not found" pages and refusals."""
from __future__ import annotations

import pytest
from scrapy.exceptions import IgnoreRequest
from twisted.python.failure import Failure

from crawler.answers import not_a_release, refused_by_robots

TEXT = ("Die Stadt erneuert im Frühjahr die Beleuchtung im Stadtpark und setzt dabei auf sparsame Leuchten. "
        "Die Arbeiten beginnen im März und dauern voraussichtlich sechs Wochen, die Wege bleiben offen.")


def record(headline: str, *paragraphs: str, kind: str = "press_release") -> dict:
    return {"kind": kind, "headline": headline, "paragraphs": list(paragraphs)}


@pytest.mark.parametrize("headline, paragraphs", [
    ("Seite nicht gefunden", ["Die angeforderte Seite konnte leider nicht gefunden werden."]),
    ("Pressemeldung nicht mehr verfügbar", ["Diese Pressemeldung wurde zurückgezogen."]),
    ("Fehler 404", ["Die Seite existiert nicht."]),
    ("Page not found", ["The page you requested could not be found."]),
    ("Stadt Bochum", ["Der Inhalt ist leider nicht mehr verfügbar."]),
])
def test_a_not_found_page_is_no_release(headline, paragraphs):
    assert not_a_release(record(headline, *paragraphs)) == "the page says it was not found"


@pytest.mark.parametrize("headline, paragraphs", [
    ("Bürgerbüro Wattenscheid am Montag nicht verfügbar", ["Das Bürgerbüro bleibt wegen einer Schulung geschlossen."]),
    ("Linie 404 fährt wieder", ["Ab Montag fährt die Linie 404 wieder nach Plan."]),
    ("Neue Inhalte verfügbar", ["Die Stadtbücherei bietet neue E-Books an."]),
    ("Seite nicht gefunden", [TEXT, TEXT, TEXT]),  # a release about a web page says more than an error page
])
def test_a_release_that_mentions_such_words_is_one(headline, paragraphs):
    assert not_a_release(record(headline, *paragraphs)) is None


def test_a_page_the_parser_calls_no_release_is_none():
    assert not_a_release(record("Pressemeldungen", TEXT, kind="other")) == "the page is no press release"
    assert not_a_release(record("Neues Licht im Stadtpark", TEXT)) is None


def test_only_robots_refusals_are_no_error():
    assert refused_by_robots(Failure(IgnoreRequest("Forbidden by robots.txt")))
    assert not refused_by_robots(Failure(IgnoreRequest("max redirections reached")))
    assert not refused_by_robots(Failure(ValueError("boom")))
