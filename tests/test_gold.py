"""The gold set (tests/gold): pressarchive's extract against hand-checked expected records.

Page by page: kind, headline, published and extractor exactly; the body by token F1; every expected
caption and credit; every expected quote found (text token F1 >= 0.8) with its speaker and no quote
that is not expected; every expected date mention. Over the set: the issue's done criteria.
Expected values are never adjusted to the parser: a failing test here is a parser finding.
"""
from __future__ import annotations

from functools import lru_cache

import pytest

from evaluate import (
    BODY_MIN, GOLD_DIR, aggregate, body_f1, load_gold, norm, pair_images, pair_quotes, run_pressarchive,
    score_page, tokens,
)

PAGES = load_gold(GOLD_DIR)
PRESS = [p for p in PAGES if p.group != "other"]

# ---- thresholds ------------------------------------------------------------------------------
# per page: body token F1 at least BODY_MIN[group] (portal 0.99, fallback 0.95); the rest exact.
# over the set (the "done when"):
DONE_ALL = {"headline": 1.0, "published": 1.0, "kind": 1.0,
            "caption R": 0.95, "credit acc": 0.95, "quote F1": 0.9, "speaker acc": 0.9, "mention R": 0.9}
DONE_BODY = {"portal": 0.99, "fallback": 0.95}
MIN_PAGES, MIN_HAND, MIN_REPLICA, MIN_FALLBACK, MIN_OTHER = 40, 20, 16, 6, 2


@lru_cache(maxsize=None)
def parsed(stem: str) -> dict:
    """pressarchive's record for a gold page, parsed once per test run."""
    return run_pressarchive(next(p for p in PAGES if p.stem == stem))


def _ids(pages):
    return [p.stem for p in pages]


def test_gold_set_composition():
    stems = [p.stem for p in PAGES]
    replica = [s for s in stems if s.startswith("replica-")]
    assert len(PAGES) >= MIN_PAGES
    assert len(stems) - len(replica) >= MIN_HAND
    assert len(replica) >= MIN_REPLICA
    assert {"2019", "2020"} <= {s.split("-")[1] for s in replica}
    assert sum(p.group == "fallback" for p in PAGES) >= MIN_FALLBACK
    assert sum(p.group == "other" for p in PAGES) >= MIN_OTHER


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_single_fields(page):
    got = parsed(page.stem)
    assert "error" not in got, got.get("error")
    assert got["kind"] == page.expected["kind"]
    assert norm(got["headline"]) == norm(page.expected["headline"])
    assert got["published"] == page.expected["published"]
    if page.group != "other":
        assert got["extractor"] == page.expected["extractor"]


@pytest.mark.parametrize("page", PRESS, ids=_ids(PRESS))
def test_body(page):
    got = parsed(page.stem)
    if got.get("paragraphs") == page.expected["paragraphs"]:
        return
    assert body_f1(page.expected["paragraphs"], got.get("paragraphs") or []) >= BODY_MIN[page.group]


@pytest.mark.parametrize("page", PRESS, ids=_ids(PRESS))
def test_images(page):
    pairs = pair_images(page.expected["images"], parsed(page.stem).get("images") or [])
    found = [(e["src"], g is not None) for e, g in pairs]
    assert all(ok for _, ok in found), found
    assert [(norm(e["caption"]), norm(e["credit"])) for e, _ in pairs] == \
           [(norm(g["caption"]), norm(g["credit"])) for _, g in pairs]


@pytest.mark.parametrize("page", PRESS, ids=_ids(PRESS))
def test_quotes(page):
    expected, got = page.expected["quotes"], parsed(page.stem).get("quotes") or []
    pairs = pair_quotes(expected, got)
    matched = {id(e) for e, _ in pairs}
    assert [e["text"] for e in expected if id(e) not in matched] == [], "expected quotes not found"
    assert len(got) == len(pairs), [g["text"] for g in got if all(g is not h for _, h in pairs)]
    assert [e["speaker"] for e, _ in pairs] == [g["speaker"] for _, g in pairs]


@pytest.mark.parametrize("page", PRESS, ids=_ids(PRESS))
def test_date_mentions(page):
    left = list(parsed(page.stem).get("date_mentions") or [])
    missed = []
    for exp in page.expected["date_mentions"]:
        words = set(tokens(exp["text"]))
        match = next((g for g in left if g["date"] == exp["date"] and words & set(tokens(g["text"]))), None)
        if match is None:
            missed.append((exp["text"], exp["date"]))
        else:
            left.remove(match)
    assert missed == []


@lru_cache(maxsize=None)
def _overall(group: str) -> dict:
    """The evaluation table's pressarchive column for one group of pages."""
    pages = [p for p in PAGES if group == "all" or p.group == group]
    return aggregate([score_page(p.expected, parsed(p.stem)) for p in pages])


@pytest.mark.parametrize("metric", sorted(DONE_ALL))
def test_done_criteria_over_the_set(metric):
    assert _overall("all")[metric] >= DONE_ALL[metric]


@pytest.mark.parametrize("group", sorted(DONE_BODY))
def test_done_body_f1_per_markup(group):
    assert _overall(group)["body F1"] >= DONE_BODY[group]


# Issue 10: on releases in markup written blind (never seen by the parser before they were scored), speakers
# and captions hold up as on the portal's own templates.
DONE_UNSEEN = {"speaker acc": 0.95, "caption R": 0.95, "credit acc": 0.95}
UNSEEN = [p for p in PAGES if p.stem.startswith("blind") and p.group == "fallback"]


@pytest.mark.parametrize("metric", sorted(DONE_UNSEEN))
def test_done_speakers_and_captions_on_unseen_markup(metric):
    assert len(UNSEEN) >= 15 and sum(len(p.expected["quotes"]) for p in UNSEEN) >= 20
    assert aggregate([score_page(p.expected, parsed(p.stem)) for p in UNSEEN])[metric] >= DONE_UNSEEN[metric]
