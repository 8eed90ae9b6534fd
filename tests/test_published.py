"""The publication date of pages nobody here wrote: head metadata, microdata, a post header's <time>, htmldate."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.parsing import extract
from crawler.parsing.date_values import parse_date_value

BODY = ("<p>Die Stadtwerke erneuern in den kommenden Wochen die Wasserleitungen an der Herner Straße zwischen "
        "Nordring und Riemker Straße.</p><p>Während der Arbeiten ist die Straße stadtauswärts nur einspurig "
        "befahrbar; Anwohnerinnen und Anwohner erreichen ihre Grundstücke jederzeit.</p>")


def page(head: str = "", before: str = "", after: str = "", title: str = "Wasserleitungen werden erneuert") -> str:
    return (f"<html><head><title>{title}</title>{head}</head><body><div class='site'>"
            f"<article>{before}<h1>{title}</h1><div class='entry-content'>{BODY}</div></article>{after}"
            "</div></body></html>")


def test_article_published_time_beats_the_modified_time():
    head = ('<meta property="article:modified_time" content="2024-03-19T16:00:00+00:00">'
            '<meta property="article:published_time" content="2024-03-12T09:30:00+00:00">')
    record = extract(page(head))
    assert (record.published, record.published_source) == ("2024-03-12", "meta")


def test_json_ld_article_in_a_graph_beats_the_modified_time():
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "dateModified": "2024-03-19T16:00:00+01:00"},
        {"@type": "NewsArticle", "headline": "Wasserleitungen", "datePublished": "2024-03-12T09:30:00+01:00",
         "dateModified": "2024-03-19T16:00:00+01:00", "author": {"@type": "Person", "name": "Presseamt"}}]}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    head += '<meta property="article:modified_time" content="2024-03-19T16:00:00+01:00">'
    assert extract(page(head)).published == "2024-03-12"


def test_an_articles_json_ld_date_beats_a_videos_and_survives_raw_newlines():
    video = '{"@type": "VideoObject", "name": "Rundgang", "datePublished": "2023-05-05"}'
    article = '{"@type": "NewsArticle", "description": "Erste Zeile\nzweite Zeile", "datePublished": "2024-03-12"}'
    head = "".join(f'<script type="application/ld+json">{ld}</script>' for ld in (video, article))
    assert extract(page(head)).published == "2024-03-12"


@pytest.mark.parametrize("text, expected", [
    ("23.05.2019 - 11:05", "2019-05-23"),
    ("Freitag, 04.02.2022 | 11:38 Uhr", "2022-02-04"),
    ("7. Juli 2019 - 18:44", "2019-07-07"),
    ("Do 24. Mai 2018, 10:58", "2018-05-24"),
    ("14. May 2019", "2019-05-14"),
    ("Oktober 25, 2023", "2023-10-25"),
    ("Jun 16, 2019 at 7:30am PDT", "2019-06-16"),
    ("Fri Feb 18 10:27:24 2022", "2022-02-18"),
    ("Fr, 17 Mai 2019 13:38:23 MESZ", "2019-05-17"),
    ("2024-03-12T09:30:00+01:00", "2024-03-12"),
    ("04/02/2020", None),  # day or month first: a guess
    ("14.00", None),
    ("November 2022", None),
    ("31. Februar 2024", None),
])
def test_date_values_as_cms_write_them(text, expected):
    found = parse_date_value(text)
    assert (found.isoformat() if found else None) == expected


def test_a_time_with_its_clock_time_in_the_article():
    record = extract(page(before="<p class='meta'><time>Fr 08.03.2024 - 15:30</time></p>"))
    assert (record.published, record.published_source) == ("2024-03-08", "meta")  # ours, not htmldate's


def test_microdata_date_published_in_the_page_header():
    # The date stands in a header above the article, outside the text box the extractor reads.
    header = '<header class="page-head"><span itemprop="datePublished" content="2023-11-08">8. November 2023</span></header>'
    html = page().replace("<body><div class='site'>", f"<body>{header}<div class='site'>")
    record = extract(html)
    assert (record.published, record.published_source) == ("2023-11-08", "meta")  # ours, not htmldate's


def test_a_linked_time_in_the_post_header_is_the_posts_date():
    # WordPress: <a href=permalink><time>…</time></a> next to the headline.
    html = ("<html><head><title>Laufen im Winter</title></head><body><main><article class='post tag-laufen'>"
            "<header class='entry-header'><h1 class='entry-title'>Laufen im Winter</h1><div class='entry-meta'>"
            "<span class='posted-on'><a href='/laufen-im-winter/'><time datetime='2019-02-10T09:30:10+01:00'>"
            f"10. Februar 2019</time></a></span></div></header><div class='entry-content'>{BODY}</div></article>"
            "<section class='widget'><h2>Neueste Beiträge</h2><ul><li><a href='/x'>Vorsätze</a> "
            "<time datetime='2020-01-03'>3. Januar 2020</time></li></ul></section></main></body></html>")
    record = extract(html)
    assert (record.published, record.published_source) == ("2019-02-10", "meta")  # ours, not htmldate's


def test_a_date_classed_line_in_the_post_header():
    html = ("<html><head><title>Grüner Wasserstoff</title></head><body><div class='page'><header class='post-header'>"
            "<div class='title-wrap'><h1>Grüner Wasserstoff für die Energiewende</h1></div><div class='info'>"
            "<span class='meta__date'>02.11.2021</span> <span class='author'>Redaktion</span></div></header>"
            f"<section class='content'><div class='entry-content'>{BODY}</div></section></div></body></html>")
    record = extract(html)
    assert (record.published, record.published_source) == ("2021-11-02", "meta")  # ours, not htmldate's


def test_htmldate_finds_what_our_sources_do_not():
    # A date only in a free-form byline class htmldate knows ("date"), not a date line of ours.
    html = page(before="<div class='post-info'><span class='date'>Veröffentlicht: 12/03/2024</span></div>")
    record = extract(html)
    assert (record.published, record.published_source) == ("2024-03-12", "htmldate")


def test_htmldate_never_gives_a_teasers_date():
    cards = "".join(f"<div class='card'><h3><a href='/meldung/{i}'>Andere Meldung {i}</a></h3>"
                    f"<span class='date'>{i:02d}.03.2024</span><p>Kurz gesagt worum es geht.</p></div>"
                    for i in range(10, 14))
    html = page(after=f"<section class='cards'><h2>Aktuelle Meldungen</h2>{cards}</section>")
    assert extract(html).published is None


def test_the_portal_template_never_asks_htmldate(monkeypatch):
    import crawler.parsing.published as published  # noqa: PLC0415

    asked = []
    monkeypatch.setattr(published, "_htmldate", lambda *args: asked.append(args))
    html = (Path(__file__).parent / "pages" / "portal-lists.html").read_text(encoding="utf-8")
    record = extract(html.replace("<p>(01. Oktober 2019)</p>", ""))  # a release without its date line
    assert (record.template, record.published, asked) == ("bochum/2019-2020", None, [])
    record = extract(page())
    assert (record.template, len(asked)) == (None, 1)  # the generic extractor does ask


def _listing(dated: str) -> str:
    cards = "".join(f"<div class='news-item'><h3><a href='/news/{i}'>Meldung Nummer {i} aus dem Rathaus</a></h3>"
                    f"<p>Kurzer Anriss der Meldung {i} mit ein paar Worten mehr.</p>{dated.format(i=i)}</div>"
                    for i in range(8))
    return (f"<html><head><title>Neuigkeiten</title></head><body><main><div class='head'><span itemprop='datePublished'"
            f" content='2022-02-04'>04. Februar 2022</span></div><h1>Neuigkeiten</h1>{cards}</main></body></html>")


def test_a_listing_keeps_its_one_microdata_date_but_not_its_teasers():
    # The page looks like a run of teasers to the extractor; its one datePublished is its own ...
    assert extract(_listing("")).published == "2022-02-04"
    # ... while among the teasers' datePublished it could be any of them.
    assert extract(_listing("<span itemprop='datePublished' content='2022-01-1{i}'>1{i}.01.2022</span>")).published is None


def test_a_modified_date_is_the_last_resort():
    head = '<meta property="article:modified_time" content="2024-03-19T16:00:00+00:00">'
    assert extract(page(head)).published == "2024-03-19"
