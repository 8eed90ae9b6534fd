"""Article identity: the parameters that name a page stay, those that say who sent the reader go."""
from __future__ import annotations

import pytest

from crawler.parsing.urls import canonical_url


@pytest.mark.parametrize("spelling", [
    "https://www.bochum.de/Pressemeldungen/detail?id=5",
    "http://bochum.de/Pressemeldungen/detail/?id=5#kommentare",
    "https://bochum.de/Pressemeldungen/detail?utm_source=newsletter&id=5&utm_medium=mail",
    "https://bochum.de/Pressemeldungen/detail?id=5&fbclid=IwAR0&gclid=abc&mc_cid=1&mc_eid=2",
])
def test_spellings_of_one_query_string_release_meet(spelling):
    assert canonical_url(spelling) == "https://bochum.de/Pressemeldungen/detail?id=5"


def test_releases_told_apart_by_their_query_are_distinct_articles():
    urls = {canonical_url(f"https://bochum.de/Pressemeldungen/detail?id={n}") for n in range(1, 6)}
    assert len(urls) == 5


def test_parameter_order_does_not_split_an_article():
    assert canonical_url("https://x.de/d?b=2&a=1") == canonical_url("https://x.de/d?a=1&b=2")


def test_a_release_without_a_query_keeps_the_identity_older_archives_stored():
    assert canonical_url("https://www.bochum.de/Pressemeldungen/7-Mai-2019/Spielplatz/") == (
        "https://bochum.de/Pressemeldungen/7-Mai-2019/Spielplatz")
