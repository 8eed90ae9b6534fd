"""The generic extractor on real pages nobody here wrote (../shared/real-pages), scored as
scripts/evaluate_real.py scores them. The pages are third-party data read at run time; without the
folder (a fresh clone) the test is skipped. The floors are the figures reached, rounded down."""
from __future__ import annotations

import pytest
from evaluate_real import REAL_PAGES, aggregate, load_pages, run_pressarchive, score_page

pytestmark = pytest.mark.skipif(not (REAL_PAGES / "annotations.json").is_file(),
                                reason=f"no real pages in {REAL_PAGES} (third-party data, not in the repository)")

MUST_FOUND = 0.95
BOILERPLATE_ABSENT = 0.92
TITLE_NEAR = 0.86
DATE_RIGHT = 0.90


@pytest.fixture(scope="module")
def figures() -> dict:
    pages = load_pages()
    return aggregate([score_page(page, run_pressarchive(page, with_url=False)) for page in pages])


def test_the_must_have_sentences_are_found(figures):
    assert figures["must found"] >= MUST_FOUND


def test_boilerplate_stays_out(figures):
    assert figures["boilerplate absent"] >= BOILERPLATE_ABSENT


def test_titles_nearly_match(figures):
    assert figures["title near match"] >= TITLE_NEAR


def test_every_page_whose_body_was_lost_is_flagged(figures):
    assert figures["  of them not flagged (< 0.5)"] == 0


def test_publication_dates_are_right(figures):
    assert figures["date right"] >= DATE_RIGHT
