"""The parsers end to end: the replica's portal pages, our own portal and fallback pages, the CLI."""
from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from builders import fetch, invoke

from crawler.parsing import NotHTMLError, Record, extract
from crawler.parsing.urls import canonical_url
from crawler.parsing.decode import decode_html
from crawler.parsing.images import clean_credit, split_caption

PAGES = Path(__file__).resolve().parent / "pages"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


# --------------------------------------------------------------------------- the replica's pages
# The replica (scripts/replica) renders the portal's 2019 and 2020 templates and knows the truth
# of every page it serves: what a reader sees as headline, text, images, quotes and dates.
@pytest.fixture(scope="module")
def pages(site):
    """(url, body, truth) of the replica's releases that answer 200, by template."""
    found: dict[str, list] = {"2019": [], "2020": []}
    for release in site.portal.releases:
        if release.status == 200:
            url = site.url(release.path)
            found[release.template].append((url, fetch(url), site.truth(release.path)))
    return found


def with_images(pages) -> tuple:
    return next(p for p in pages["2020"] if p[2]["images"] and p[2]["quotes"])


def test_article_2020_matches_the_truth(pages):
    for url, body, truth in pages["2020"]:
        record = extract(body)
        assert record.headline == truth["headline"] and record.kicker == truth["kicker"]
        assert record.paragraphs == truth["paragraphs"], url
        assert (record.published, record.published_source) == (truth["published"], "date_line")
        assert (record.kind, record.extractor) == ("press_release", "portal")


def test_article_2020_images_have_captions_and_bare_credits(pages):
    _url, body, truth = with_images(pages)
    images = extract(body).images
    assert [(i.src, i.alt, i.caption, i.credit) for i in images] == [
        (i["src"], i["alt"], i["caption"], i["credit"]) for i in truth["images"]]
    assert all(not i.credit.startswith(("Foto", "(Quelle", "©")) for i in images)


def test_article_quotes_are_attributed(pages):
    for _url, body, truth in pages["2020"] + pages["2019"]:
        quotes = extract(body).quotes
        assert [(q.text, q.speaker) for q in quotes] == [(q["text"], q["speaker"]) for q in truth["quotes"]]
        assert all("„" not in q.text and "“" not in q.text for q in quotes)


def test_article_2020_with_url_gives_canonical_and_absolute_images(pages):
    url, body, truth = with_images(pages)
    record = extract(body, url=url.replace("/Pressemeldungen/", "/Pressemeldungen%2F", 1) + "?utm_source=x")
    assert record.canonical_url == canonical_url(url)
    assert record.images[0].src == urljoin(url, truth["images"][0]["src"])
    assert record.published_source == "date_line"


def test_article_2019_template_drops_the_repeated_headline(pages):
    assert pages["2019"], "the replica serves releases in the 2019 template"
    for _url, body, truth in pages["2019"]:
        record = extract(body)
        assert record.headline == truth["headline"] and record.headline not in record.paragraphs
        assert record.paragraphs == truth["paragraphs"]
        assert (record.published, record.published_source) == (truth["published"], "date_line")
        assert record.kind == "press_release"


def test_teaser_box_footer_and_chrome_never_leak(pages):
    for _url, body, truth in pages["2020"][:10]:
        text = " ".join(extract(body).paragraphs)
        teasers = re.findall(r'<li class="teaser-list__item"><a href="[^"]*">([^<]+)</a>', body.decode())
        assert teasers, "a release page has its teaser box"
        for noise in [*(html.unescape(t) for t in teasers), "Pressekontakt", "Cookies", "Seite teilen",
                      f"({truth['published'][-2:].lstrip('0')}."]:
            assert noise not in text


def test_relaunch_without_any_class_or_id_falls_back_and_still_extracts(pages):
    # The next relaunch: a portal page with every class, id and ARIA attribute gone.
    _url, body, truth = with_images(pages)
    bare = re.sub(r'\s(class|id|role|aria-label|aria-hidden|style|hidden)="[^"]*"', "", body.decode())
    record = extract(bare)
    assert record.extractor == "fallback"
    assert record.headline == truth["headline"]
    assert record.paragraphs == truth["paragraphs"]
    assert (record.published, record.published_source) == (truth["published"], "date_line")
    assert [(i.caption, i.credit) for i in record.images] == [(i["caption"], i["credit"]) for i in truth["images"]]


def test_portal_without_main_still_portal(pages):
    _url, body, truth = pages["2020"][0]
    html_ = body.decode().replace('<main id="inhalt" class="content">', '<div class="content">')
    record = extract(html_.replace("</main>", "</div>"))
    assert record.extractor == "portal"
    assert record.paragraphs == truth["paragraphs"]
    assert record.published == truth["published"]


def test_service_page_is_other(site):
    record = extract(fetch(site.url("/Service/Bewohnerparkausweis")))
    assert record.kind == "other"
    assert record.headline == "Bewohnerparkausweis beantragen"
    assert record.published is None
    assert record.paragraphs[0] == ("Anwohnerinnen und Anwohner können in Bewohnerparkgebieten "
                                    "einen Parkausweis beantragen.")


def test_listing_is_other_without_release_text(site):
    record = extract(fetch(site.listing_url), url=site.listing_url)
    assert (record.kind, record.extractor) == ("other", "portal")
    assert record.published is None
    headlines = {r.headline for r in site.portal.page(1)}
    assert not headlines & set(record.paragraphs)


# --------------------------------------------------------------------------- our portal pages
def test_lists_leading_zero_soft_hyphens_and_nbsp():
    record = extract(page("portal-lists.html"))
    assert record.headline == "Musikschule startet Anmeldung für das neue Schuljahr"
    assert (record.published, record.published_source) == ("2019-10-01", "date_line")
    assert record.paragraphs == [
        "Die Musikschule Bochum nimmt ab sofort Anmeldungen für das Schuljahr 2019/2020 entgegen. "
        "Neu im Programm sind drei Kurse:",
        "Trommeln für Kinder ab vier Jahren",
        "Ukulele für Erwachsene",
        "Chorgesang im Ensemble „Bochumer Stimmen“",
        "Anmeldeschluss ist der 15. Oktober. Wer sich anmelden möchte, braucht:",
        "das ausgefüllte Anmeldeformular,",
        "eine Kopie des Bochum-Passes, falls eine Ermäßigung beantragt wird.",
        "„Musik verbindet Generationen“, sagte Schulleiterin Dr. Maria Beispiel.",
    ]


def test_image_credit_styles():
    images = extract(page("portal-lists.html")).images
    assert [(i.caption, i.credit) for i in images] == [
        ("Das Jugendensemble beim Sommerkonzert.", "Kai Muster"),  # "Foto: …" at the end
        ("Geigenunterricht in der Musikschule", "Stadtarchiv"),  # "© …" in its own span
        ("Flyer der Musikschule", None),  # no credit
    ]
    assert images[1].alt is None
    assert images[2].alt == "Flyer der Musikschule"


def test_renamed_classes_still_portal_by_structure():
    record = extract(page("portal-renamed.html"))
    assert (record.extractor, record.kind) == ("portal", "press_release")
    assert record.headline == "Wochenmarkt zieht auf den Husemannplatz"
    assert (record.published, record.published_source) == ("2024-03-27", "date_line")
    assert len(record.paragraphs) == 2
    assert "Osterferien" not in " ".join(record.paragraphs)


@pytest.mark.parametrize("headers", [
    None,  # no declaration at all: UTF-8 fails, Windows-1252 keeps the umlauts
    {"Content-Type": "text/html; charset=iso-8859-1"},
    {b"content-type": [b"text/html; charset=ISO-8859-1"]},  # Scrapy-style bytes headers
])
def test_latin1_with_charset_only_in_the_http_header(headers):
    record = extract(page("portal-latin1-header.html"), headers=headers)
    assert record.headline == "Herner Straße wird für zwei Wochen gesperrt"
    assert record.paragraphs[1].startswith("„Wir haben die Arbeiten")
    assert (record.published, record.published_source) == ("2020-03-02", "date_line")


def test_latin1_with_meta_charset():
    record = extract(page("portal-latin1-meta.html"))
    assert record.headline == "Herner Straße wird für zwei Wochen gesperrt"
    assert record.headline not in record.paragraphs  # the 2019 template's h2 repeat
    assert "Köhler" in record.paragraphs[1]
    assert record.quotes and record.quotes[0].speaker == "Jana Köhler"


# --------------------------------------------------------------------------- fallback pages
FALLBACK = {
    "fb-news-detail.html": dict(
        headline="Neue Stolpersteine erinnern an Familie Weiß", published="2024-03-27", paragraphs=6,
        first="Vor dem Haus an der Kortumstraße 12", kicker="Erinnerungskultur",
        images=[("Die neuen Steine vor dem Haus an der Kortumstraße.", "Jana Beispiel")],
        absent=["Weitere Meldungen", "Frühjahrsputz", "Rathaus Leben in Bochum", "Veröffentlicht"]),
    "fb-divsoup.html": dict(
        headline="Herbstlesung der „BoLits“ im Kunstmuseum", published="2019-10-01", paragraphs=3,
        first="Die Bochumer Literaten laden", images=[("Lesung im Kunstmuseum", "Stadt Bochum")],
        absent=["Sperrung der Herner Straße", "Start Aktuell", "(01. Oktober 2019)"]),
    "fb-bootstrap.html": dict(
        headline="Stadtarchiv zeigt Fotos der Zeche Hannover", published="2020-10-09", paragraphs=2,
        first="Das Stadtarchiv zeigt ab Montag", images=[("Der Förderturm der Zeche Hannover um 1950", "Stadtarchiv")],
        absent=["Cookies", "Spielplätze", "Stand 01.10.2020", "09.10.2020"]),
    "fb-sections.html": dict(
        headline="Frühlingsfest auf dem Dr.-Ruer-Platz", published="2021-03-27", paragraphs=6,
        first="Mit Musik, Kinderprogramm", images=[(None, "Bochum Marketing")],
        absent=["Das könnte Sie auch interessieren", "Wochenmärkte", "Willy-Brandt-Platz"]),
    "fb-table-latin1.html": dict(
        headline="Bürgerbüro Wattenscheid zieht um", published="2024-03-27", paragraphs=3,
        first="Das Bürgerbüro Wattenscheid zieht",
        images=[("Das neue Verwaltungsgebäude an der Saarlandstraße.", "Gemeinsame Öffentlichkeitsarbeit")],
        absent=["Startseite", "Impressum", "Stand: 20.03.2024"]),
    "fb-published-above.html": dict(
        headline="Sperrmüll online anmelden", published="2020-10-09", paragraphs=6,
        first="Ab sofort können Bochumerinnen", images=[],
        absent=["Veröffentlicht am", "Diese Website verwendet Cookies", "Leben | Rathaus"]),
    "fb-jsonld.html": dict(
        headline="Corona-Inzidenzzahl sinkt deutlich", published="2021-05-20", source="meta", paragraphs=2,
        first="Die Sieben-Tage-Inzidenz", images=[], absent=["Bürgertelefon"]),
}


@pytest.mark.parametrize("name", sorted(FALLBACK))
def test_fallback_pages(name):
    want = FALLBACK[name]
    record = extract(page(name))
    assert record.extractor == "fallback"
    assert record.headline == want["headline"]
    assert (record.published, record.published_source) == (want["published"], want.get("source", "date_line"))
    assert len(record.paragraphs) == want["paragraphs"], record.paragraphs
    assert record.paragraphs[0].startswith(want["first"])
    assert [(i.caption, i.credit) for i in record.images] == want["images"]
    body = " ".join(record.paragraphs)
    for noise in want["absent"]:
        assert noise not in body
    if "kicker" in want:
        assert record.kicker == want["kicker"]
    assert record.kind == "press_release"


def test_fallback_lists_stay_items():
    record = extract(page("fb-published-above.html"))
    assert record.paragraphs[2:5] == [
        "Möbel und Matratzen,", "Teppiche und Bodenbeläge,", "große Elektrogeräte nach vorheriger Absprache.",
    ]


def test_fallback_canonical_link_makes_a_release_without_url():
    record = extract(page("fb-jsonld.html"))
    assert record.canonical_url == (
        "https://bochum.de/Pressemeldungen/Aktuelle-Pressemeldungen-zum-Corona-Virus/Corona-Inzidenzzahl-sinkt-deutlich")


def test_fallback_quotes_come_from_the_body():
    record = extract(page("fb-news-detail.html"))
    assert [q.speaker for q in record.quotes] == ["Thomas Eiskirch"]
    assert record.quotes[0].paragraph == 1


# --------------------------------------------------------------------------- dates, canonical, kind
RELEASE_WITHOUT_DATE_LINE = """<html><head><title>Kino im Park - Stadt Bochum</title>{head}</head><body>
<nav class="breadcrumb" aria-label="Sie sind hier"><ol><li><a href="/">Startseite</a></li>
<li><a href="/Pressemeldungen">Pressemeldungen</a></li></ol></nav>
<main id="inhalt"><h1 class="page-title__headline">Kino im Park</h1><div class="richtext">
<p>Das Sommerkino im Westpark zeigt ab Freitag, 12. Juli, jeden Abend einen Film unter freiem Himmel.</p>
</div><aside><ul class="teaser-list"><li><a href="/Pressemeldungen/3-Juli-2019/X">Anderes</a>
<span>03.07.2019</span></li></ul></aside></main></body></html>"""


def test_published_from_url_when_no_date_line():
    url = "https://www.bochum.de/Pressemeldungen%2F8-Juli-2019%2FKino-im-Park"
    record = extract(RELEASE_WITHOUT_DATE_LINE.format(head=""), url=url)
    assert (record.published, record.published_source) == ("2019-07-08", "url")
    assert record.canonical_url == "https://bochum.de/Pressemeldungen/8-Juli-2019/Kino-im-Park"
    assert record.date_mentions[0].date == "2019-07-12"


def test_published_never_from_the_teaser_box():
    record = extract(RELEASE_WITHOUT_DATE_LINE.format(head=""))
    assert record.published is None
    assert record.kind == "press_release"  # breadcrumb says Pressemeldungen, headline and body


def test_published_from_meta_for_a_topic_url():
    head = '<meta property="article:published_time" content="2021-05-20T08:00:00+02:00">'
    url = "https://www.bochum.de/Pressemeldungen/Aktuelle-Pressemeldungen-zum-Corona-Virus/Kino-im-Park"
    record = extract(RELEASE_WITHOUT_DATE_LINE.format(head=head), url=url)
    assert (record.published, record.published_source) == ("2021-05-20", "meta")
    assert record.kind == "press_release"


@pytest.mark.parametrize("href, expected", [
    ("/Pressemeldungen/8-Juli-2019/Kino-im-Park", "https://bochum.de/Pressemeldungen/8-Juli-2019/Kino-im-Park"),
    ("https://tracker.example.com/x", "https://bochum.de/Pressemeldungen/8-Juli-2019/Kino"),  # foreign: ignored
])
def test_canonical_link_only_from_the_same_site(href, expected):
    head = f'<link rel="canonical" href="{href}">'
    record = extract(RELEASE_WITHOUT_DATE_LINE.format(head=head),
                     url="https://www.bochum.de/Pressemeldungen/8-Juli-2019/Kino")
    assert record.canonical_url == expected


def _richtext(*blocks: str) -> str:
    return ('<html><body><main id="inhalt"><h1 class="page-title__headline">Programm</h1><div class="richtext">'
            + "".join(blocks) + "</div></main></body></html>")


def test_date_line_before_a_link_list_is_found():
    links = "<ul>" + "".join(f'<li><a href="/x{i}">Formular {i}</a></li>' for i in range(6)) + "</ul>"
    record = extract(_richtext("<p>Die Stadt lädt zur Bürgerversammlung ins Rathaus ein.</p>", "<p>(3. Mai 2021)</p>",
                               "<p>Weitere Informationen:</p>", links))
    assert (record.published, record.published_source) == ("2021-05-03", "date_line")
    assert "(3. Mai 2021)" not in record.paragraphs


def test_a_link_list_in_the_article_text_is_body():
    links = '<ul><li><a href="/a">Anmeldeformular</a></li><li><a href="/b">Gebührenordnung</a></li></ul>'
    record = extract(_richtext("<p>Unterlagen gibt es online:</p>", links, "<p>(3. Mai 2021)</p>"))
    assert record.paragraphs == ["Unterlagen gibt es online:", "Anmeldeformular", "Gebührenordnung"]


def test_fallback_time_inside_the_text_is_body():
    html = ("<html><body><article><h1>Ratssitzung</h1><p class='byline'>Presseamt · <time>3. Mai 2021</time></p>"
            "<p>Der Rat tagt in dieser Woche zum letzten Mal vor der Sommerpause im Ratssaal.</p>"
            "<p>Beginn am <time datetime='2021-05-06'>6. Mai</time>.</p>"
            "<p>Die Sitzung wird wie immer live im Internet übertragen und ist öffentlich.</p></article></body></html>")
    record = extract(html)
    assert record.paragraphs[0].startswith("Der Rat tagt")
    assert "Beginn am 6. Mai." in record.paragraphs
    assert record.published == "2021-05-03"


def test_fallback_rdfa_date_in_the_article():
    html = ("<html><body><article><h2>Werkzeug leihen</h2><div><span property='dc:date' "
            "content='2022-06-30T09:15:00+02:00'>Do., 30.06.2022 - 09:15</span></div><div>"
            "<p>In der Zentralbücherei können Bochumerinnen und Bochumer jetzt auch Werkzeug ausleihen.</p>"
            "<p>Die Leihfrist beträgt zwei Wochen, alle Geräte werden nach jeder Rückgabe geprüft.</p></div>"
            "</article><aside><a href='/x'>Anderes</a> <time datetime='2022-06-29'>29.06.2022</time></aside>"
            "</body></html>")
    record = extract(html)
    assert (record.published, record.published_source) == ("2022-06-30", "meta")


def test_fallback_lines_above_the_headline_are_not_body():
    html = ("<html><body><p class='kopf'>Stadt Bochum – Referat für Kommunikation – Presseinformation</p>"
            "<p>Bochum, im Mai</p><h1>Neue Ladesäulen</h1>"
            "<p>Die Stadtwerke bauen bis zum Herbst 48 neue öffentliche Ladepunkte für Elektroautos.</p>"
            "<p>Geladen wird mit Ökostrom, bezahlt per Ladekarte oder App an jeder Säule.</p>"
            "<p class='fuss'>Pressekontakt: Referat für Kommunikation, Telefon 0234 / 910-3000</p></body></html>")
    record = extract(html)
    assert record.headline == "Neue Ladesäulen"
    assert [p[:20] for p in record.paragraphs] == ["Die Stadtwerke bauen", "Geladen wird mit Öko"]


def test_a_calendar_cell_is_not_a_date_line():
    rows = "".join(f"<tr><td>{d}.07.2022</td><td>Konzert Nummer {d}</td><td>Christuskirche</td></tr>" for d in (12, 20))
    html = ("<html><head><title>Veranstaltungskalender</title></head><body><main><h1>Veranstaltungskalender</h1>"
            f"<p>Alle Termine der städtischen Kultureinrichtungen auf einen Blick.</p><table>{rows}</table>"
            "</main></body></html>")
    record = extract(html, url="https://www.bochum.de/Veranstaltungen")
    assert (record.kind, record.published) == ("other", None)


def test_a_date_in_the_middle_of_the_body_is_not_the_date_line():
    prose = [f"<p>Absatz {i} erzählt vom Programm des Sommerfests im Stadtpark.</p>" for i in range(8)]
    record = extract(_richtext(*prose[:4], "<p>Samstag, 12. Juni 2021</p>", *prose[4:]))
    assert record.published is None
    assert "Samstag, 12. Juni 2021" in record.paragraphs


def test_octet_stream_html_is_still_parsed():
    record = extract(_richtext("<p>Text.</p>").encode(), headers={"Content-Type": "application/octet-stream"})
    assert record.headline == "Programm"


def test_no_url_no_canonical():
    assert extract(RELEASE_WITHOUT_DATE_LINE.format(head="")).canonical_url is None


# --------------------------------------------------------------------------- units
@pytest.mark.parametrize("raw, credit", [
    ("(Quelle: Bitkom)", "Bitkom"),
    ("(Quelle: Roberto Schirdewahn/Roberto Schirdewahn)", "Roberto Schirdewahn/Roberto Schirdewahn"),
    ("Foto: A. Name", "A. Name"),
    ("© Stadtarchiv", "Stadtarchiv"),
    ("Bild: Stadt Bochum", "Stadt Bochum"),
    ("Fotos: Lutz Leitmann", "Lutz Leitmann"),
    ("(Foto: © Stadt Bochum)", "Stadt Bochum"),
    ("", None),
])
def test_clean_credit(raw, credit):
    assert clean_credit(raw) == credit


@pytest.mark.parametrize("text, caption, credit", [
    ("Der Kletterturm (Quelle: Stadt Bochum)", "Der Kletterturm", "Stadt Bochum"),
    ("Das Rathaus am Abend. Foto: A. Name", "Das Rathaus am Abend.", "A. Name"),
    ("Das Rathaus © Stadtarchiv", "Das Rathaus", "Stadtarchiv"),
    ("Foto: Stadt Bochum", None, "Stadt Bochum"),
    ("Grafik: Ranking - Bereich: Mobilität", "Grafik: Ranking - Bereich: Mobilität", None),
    ("Kinder zeigen das Bild: ein Haus", "Kinder zeigen das Bild: ein Haus", None),  # not a credit
])
def test_split_caption(text, caption, credit):
    assert split_caption(text) == (caption, credit)


def test_decode_prefers_bom_and_valid_utf8():
    assert "Straße" in decode_html("\ufeff<p>Straße</p>".encode("utf-8"))
    # Declared Latin-1 but valid UTF-8 with umlauts: a mislabelled UTF-8 page.
    body = "<meta charset=iso-8859-1><p>Straße</p>".encode("utf-8")
    assert "Straße" in decode_html(body)
    # Declared UTF-8 with one stray byte: still UTF-8, the umlauts survive.
    body = "<p>Straße Köln Bürger Übung</p>".encode("utf-8") + b"\xff"
    assert "Straße Köln" in decode_html(body, {"Content-Type": "text/html; charset=utf-8"})


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.html")))
def test_to_dict_is_asdict(name):
    """The hand-written Record.to_dict gives exactly what dataclasses.asdict gives."""
    record = extract(page(name), url="https://www.bochum.de/Pressemeldungen/1-Mai-2024/Test")
    assert record.to_dict() == dataclasses.asdict(record)
    assert list(record.to_dict()) == list(dataclasses.asdict(record))
    assert Record.from_dict(record.to_dict()) == record


@pytest.mark.parametrize("body", [b"", b"   \n", b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n\x00\x00", b"PK\x03\x04zip", b"a\x00b\x00" * 100])
def test_non_html_raises(body):
    with pytest.raises(NotHTMLError):
        extract(body)


# --------------------------------------------------------------------------- the CLI
def run_cli(*args):
    return invoke("extract", *args)


def test_cli_one_json_line_per_file(pages, site, tmp_path):
    _url, body, truth = with_images(pages)
    (tmp_path / "release.html").write_bytes(body)
    (tmp_path / "service.html").write_bytes(fetch(site.url("/Service/Bewohnerparkausweis")))
    result = run_cli(tmp_path / "release.html", tmp_path / "service.html")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    first, second = map(json.loads, lines)
    assert first["headline"] == truth["headline"] and first["url"] is None
    assert second["kind"] == "other"
    assert set(first) == {"url", "canonical_url", "kind", "headline", "kicker", "published", "published_source",
                          "paragraphs", "images", "quotes", "date_mentions", "extractor", "template", "confidence"}
    assert (first["extractor"], first["template"]) == ("portal", "bochum/2019-2020")
    assert first["confidence"] == 1.0 and 0.0 <= second["confidence"] <= 1.0


def test_cli_url_is_a_date_source(tmp_path):
    path = tmp_path / "kino.html"
    path.write_text(RELEASE_WITHOUT_DATE_LINE.format(head=""), encoding="utf-8")
    result = run_cli(path, "--url", "https://www.bochum.de/Pressemeldungen/8-Juli-2019/Kino-im-Park")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert (record["published"], record["published_source"]) == ("2019-07-08", "url")


@pytest.mark.parametrize("content", [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", b"\x00\x01\x02\x03" * 64, b""])
def test_cli_non_html_is_exit_2_one_line(tmp_path, content):
    path = tmp_path / "input.bin"
    path.write_bytes(content)
    result = run_cli(path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_default_ports_are_one_identity():
    from crawler.parsing.urls import canonical_url

    plain = "https://www.bochum.de/Pressemeldungen/9-Oktober-2020/Bochum-laut-Bitkom"
    assert canonical_url("https://bochum.de:443/Pressemeldungen/9-Oktober-2020/Bochum-laut-Bitkom/") == canonical_url(plain)
    assert canonical_url("http://www.bochum.de:80/Pressemeldungen%2F9-Oktober-2020%2FBochum-laut-Bitkom") == \
        canonical_url(plain)
    assert canonical_url("http://127.0.0.1:8080/Pressemeldungen/x") == "http://127.0.0.1:8080/Pressemeldungen/x"
