"""Markup a relaunch may bring: the general rules the fallback and the page assembly follow.

Small synthetic pages, one rule each (the blind gold pages test them together on whole pages).
"""
from __future__ import annotations

from datetime import date

import pytest

from crawler.parsing import extract
from crawler.parsing.bylines import is_update_line, parse_byline
from crawler.parsing.dates import date_from_url
from crawler.parsing.urls import looks_like_release

P1 = "Die Stadt erneuert im Frühjahr die Beleuchtung im Stadtpark und setzt dabei auf sparsame Leuchten."
P2 = "Die Arbeiten beginnen im März und dauern voraussichtlich sechs Wochen, die Wege bleiben offen."
BODY = f"<p>{P1}</p><p>{P2}</p>"


def page(main: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{main}</body></html>"


def test_custom_elements_are_blocks_and_name_their_part():
    html = page("<bo-header><h1><a href='/'>Stadt Bochum</a></h1><bo-nav><a href='/a'>Themen</a></bo-nav></bo-header>"
                "<bo-layout><bo-meta><span>18.03.2026</span></bo-meta><h2>Neues Licht im Stadtpark</h2>"
                f"<bo-rich-text>{BODY}</bo-rich-text></bo-layout><bo-footer>Impressum</bo-footer>")
    record = extract(html)
    assert record.paragraphs == [P1, P2]
    assert record.headline == "Neues Licht im Stadtpark"  # the h1 is the site's name linking home


def test_teaser_cards_with_long_texts_are_not_body():
    card = ("<article class='card card-{0}'><a href='/presse/{0}'><h3>Eine andere Meldung Nummer {0}</h3></a>"
            "<p><time datetime='2026-02-1{0}'>1{0}.02.2026</time></p><p>" + "Ein langer Anreißertext. " * 6 + "</p></article>")
    html = page(f"<main><article><h1>Neues Licht im Stadtpark</h1><div>{BODY}</div></article>"
                f"<section class='more-news'><h2>Aktuelles</h2>{''.join(card.format(i) for i in range(4))}</section></main>")
    record = extract(html, url="https://www.bochum.de/presse/neues-licht-im-stadtpark")
    assert record.paragraphs == [P1, P2]
    assert record.kind == "press_release"


def test_a_page_of_teasers_is_a_listing():
    card = ("<article class='teaser'><h2><a href='/pressemitteilungen/x-{0}'>Eine andere Meldung Nummer {0}</a></h2>"
            "<time datetime='2026-03-0{0}'>{0}. März 2026</time><p>" + "Ein Anreißertext mit etwas Inhalt. " * 3 + "</p></article>")
    html = page(f"<main><h1>Pressemitteilungen</h1><p>Meldungen aus dem Rathaus.</p>{''.join(card.format(i) for i in range(1, 6))}</main>")
    record = extract(html, url="https://www.bochum.de/pressemitteilungen?page=2")
    assert (record.kind, record.published) == ("other", None)


@pytest.mark.parametrize("text, expected", [
    ("16. April 2026 | Jugend und Familie", date(2026, 4, 16)),
    ("Pressemitteilung · 10.03.2026", date(2026, 3, 10)),
    ("Pressemitteilung vom 3. März 2026 · Referat für Kommunikation", date(2026, 3, 3)),
    ("Bochum, 14.01.2026", date(2026, 1, 14)),
    ("3. März 2026 | 4. März 2026", None),  # two dates: no byline
    ("Am 3. März 2026 beginnt der Umbau | Stadt Bochum", None),  # a sentence, not a label
])
def test_byline_parts(text, expected):
    assert parse_byline(text) == expected


def test_an_update_line_is_only_a_last_resort():
    assert is_update_line("Zuletzt aktualisiert am 4. März 2026") and not is_update_line("Veröffentlicht am 3. März 2026")
    html = page(f"<main><h1>Neues Licht im Stadtpark</h1><p class='meta'>Veröffentlicht am 3. März 2026</p>{BODY}"
                "<p>Zuletzt aktualisiert am 4. März 2026</p></main>")
    assert extract(html).published == "2026-03-03"
    only_update = page(f"<main><h1>Neues Licht im Stadtpark</h1>{BODY}<p>Stand: 4. März 2026</p></main>")
    assert extract(only_update).published == "2026-03-04"


def test_dateline_in_a_box_above_the_text():
    html = page(f"<div class='pm'><div class='title'>Neues Licht im Stadtpark</div><div class='when'>Bochum, 14.01.2026</div>"
                f"<div class='text'>{P1}<br><br>{P2}</div></div>", "<title>Neues Licht im Stadtpark | Stadt Bochum</title>")
    record = extract(html)
    assert (record.published, record.paragraphs) == ("2026-01-14", [P1, P2])


@pytest.mark.parametrize("url, expected", [
    ("https://www.bochum.de/Pressemeldungen/2026-01-14-buergerbueros-vergeben-termine", date(2026, 1, 14)),
    ("https://www.bochum.de/presse/2026/01/14/buergerbueros-vergeben-termine", date(2026, 1, 14)),
    ("https://www.bochum.de/pressemitteilungen/2026/03/neue-radwege", None),  # no day
    ("https://www.bochum.de/presse/2026-13-40-slug", None),
])
def test_iso_dates_in_relaunch_urls(url, expected):
    assert date_from_url(url) == expected


@pytest.mark.parametrize("url, expected", [
    ("https://www.bochum.de/pressemitteilungen/2026/03/neue-fahrradstrassen-in-langendreer", True),
    ("https://www.bochum.de/amp/presse/wochenmarkt-zieht-um", True),
    ("https://www.bochum.de/pressemitteilungen?page=2", False),
    ("https://www.bochum.de/pressemitteilungen/archiv/2025", False),
    ("https://www.bochum.de/leben/hundesteuer-an-und-abmelden", False),
])
def test_release_like_addresses(url, expected):
    assert looks_like_release(url) is expected


def test_article_metadata_makes_a_release():
    ld = ('<script type="application/ld+json">{"@graph": [{"@type": "WebSite"}, {"@type": "NewsArticle",'
          ' "datePublished": "2026-01-27T09:00:00+01:00", "dateModified": "2026-02-02T14:00:00+01:00"}]}</script>')
    record = extract(page(f"<main><h1>Neues Licht im Stadtpark</h1>{BODY}</main>", ld))
    assert (record.kind, record.published, record.published_source) == ("press_release", "2026-01-27", "meta")


def test_amp_images_and_a_credit_field_beside_the_caption():
    html = page(f"<main><h1>Neues Licht im Stadtpark</h1><figure><amp-img src='/m/park.jpg' width='1200' height='600' "
                f"alt='Park'></amp-img><figcaption>Der Stadtpark. Foto: Stadt Bochum, Presseamt</figcaption></figure>"
                f"<div><img src='/m/weg.jpg' alt='Weg'></div><div class='field-bildunterschrift'>Ein Weg.</div>"
                f"<div class='field-copyright'>© Tim Kramer</div>{BODY}</main>")
    images = [(i.src, i.caption, i.credit) for i in extract(html).images]
    assert images == [("/m/park.jpg", "Der Stadtpark.", "Stadt Bochum, Presseamt"), ("/m/weg.jpg", "Ein Weg.", "Tim Kramer")]


def test_a_generic_content_id_is_not_the_portal_template():
    html = page(f"<div id='inhalt'><h1>Neues Licht im Stadtpark</h1>{BODY}</div>")
    assert extract(html).extractor == "fallback"
    assert extract(page(f"<main id='inhalt'><h1>Neues Licht im Stadtpark</h1>{BODY}</main>")).extractor == "portal"
