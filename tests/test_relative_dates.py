"""Relative dates in the body, resolved against the publication date (crawler.parsing.relative_dates)."""
from __future__ import annotations

from datetime import date

import pytest

from builders import fetch

from crawler.parsing import extract
from crawler.parsing.dates import find_date_mentions

WEDNESDAY = date(2024, 3, 13)


def mentions(text: str, published: date | None = WEDNESDAY) -> list[tuple[str, str]]:
    return [(m.text, m.date) for m in find_date_mentions([text], published)]


@pytest.mark.parametrize("text, expected", [
    ("Die Ausstellung öffnet am kommenden Montag im Kunstmuseum.", [("kommenden Montag", "2024-03-18")]),
    ("Die Sprechstunde fällt morgen aus.", [("morgen", "2024-03-14")]),
    ("Übermorgen beginnt der Frühjahrsputz.", [("Übermorgen", "2024-03-15")]),
    ("Die Bauarbeiten beginnen nächste Woche an der Herner Straße.", [("nächste Woche", "2024-03-18")]),
    ("In der kommenden Woche bleibt das Bürgerbüro geschlossen.", [("kommenden Woche", "2024-03-18")]),
    ("Anträge sind bis Ende März einzureichen.", [("Ende März", "2024-03-31")]),
    ("In zwei Wochen entscheidet der Rat über den Haushalt.", [("In zwei Wochen", "2024-03-27")]),
    ("Das Ergebnis liegt in 14 Tagen vor.", [("in 14 Tagen", "2024-03-27")]),
    ("Am Sonntag spielt das Sinfonieorchester im Stadtpark.", [("Sonntag", "2024-03-17")]),
    ("Heute startet die Anmeldung für die Ferienspiele.", [("Heute", "2024-03-13")]),
    ("Am Samstagabend leuchtet das Rathaus blau.", [("Samstagabend", "2024-03-16")]),
    ("Der Ausschuss hatte am vergangenen Freitag beraten.", [("vergangenen Freitag", "2024-03-08")]),
    ("Gestern wurde der neue Spielplatz übergeben.", [("Gestern", "2024-03-12")]),
    ("Die neue Kita hat am Montag eröffnet.", [("Montag", "2024-03-11")]),  # told in the past: the last Monday
    ("Am Dienstag übergab die Stadt den Spielplatz.", [("Dienstag", "2024-03-12")]),
    ("Am Mittwoch wurde der Spielplatz übergeben.", [("Mittwoch", "2024-03-13")]),  # the day itself
    ("Am Mittwoch wird der Spielplatz übergeben.", [("Mittwoch", "2024-03-20")]),  # future: the next one
    ("Seit Anfang Januar gilt die neue Gebührenordnung.", [("Anfang Januar", "2024-01-01")]),
    ("Mitte Mai 2025 soll die Brücke fertig sein.", [("Mitte Mai 2025", "2025-05-15")]),
    ("Ende Februar lief die Frist ab.", [("Ende Februar", "2024-02-29")]),  # a leap year's last day
    ("Vor zwei Wochen begann der Umbau.", [("Vor zwei Wochen", "2024-02-28")]),
])
def test_relative_dates(text, expected):
    assert mentions(text) == expected


def test_a_release_on_a_sunday_means_the_next_sunday():
    assert mentions("Am Sonntag öffnet der Wochenmarkt.", date(2024, 3, 17)) == [("Sonntag", "2024-03-24")]


def test_the_year_rolls_over():
    assert mentions("Die Eisbahn bleibt bis Ende Januar geöffnet.", date(2024, 12, 10)) == [("Ende Januar", "2025-01-31")]
    assert mentions("Die Bauarbeiten beginnen nächste Woche.", date(2024, 12, 27)) == [("nächste Woche", "2024-12-30")]


@pytest.mark.parametrize("text", [
    "Das Bürgerbüro ist immer am Montag von 8 bis 12 Uhr geöffnet.",  # a habit
    "Geöffnet ist Montag bis Freitag von 9 bis 18 Uhr.",  # opening hours
    "Jeden Sonntag lädt der Verein zum Frühschoppen ein.",
    "Am Morgen des Festes bauen die Vereine ihre Stände auf.",  # the noun, not "tomorrow"
    "Die Morgenandacht beginnt um sieben Uhr.",
    "Die Stadt will in den nächsten Jahren investieren.",  # no number: no date
    "Der Kindergarten ist montags geschlossen.",
    "Viele Menschen fahren schon heute mit dem Rad zur Arbeit.",  # today as "nowadays"
    "Die Zeche prägt das Viertel bis heute.",
    "Heute noch erinnert eine Tafel an das Bergwerk.",
    "Die Städte werden anders aussehen als heute.",  # a comparison with the present
    "Früher gab es hier einen Laden an jeder Ecke, heute muss man in die Stadt fahren.",  # then and now
    "Ohne die Freiwilligen hätten wir die Fläche nicht in einer Woche geschafft.",  # a duration
    "Vor einem Jahr begann der Umbau.",  # years are too coarse to name a day
    "In zehn Jahren ist es ein junger Wald.",
    "„Wer heute Erdgeschosse plant, muss an Handwerk denken“, sagte die Stadtforscherin.",  # quoted: nowadays
])
def test_not_relative_dates(text):
    assert mentions(text) == []


def test_a_weekday_with_a_day_number_is_an_absolute_date():
    assert mentions("Am Sonntag, 24. März, öffnet das Museum.") == [("Sonntag, 24. März", "2024-03-24")]


def test_quoted_heute_with_a_time_of_day_is_a_date():
    assert mentions("„Wir eröffnen heute um 18 Uhr“, sagte sie.") == [("heute", "2024-03-13")]


def test_heute_morgen_is_today_only():
    assert mentions("Heute morgen wurde die Ausstellung eröffnet.") == [("Heute", "2024-03-13")]


def test_no_publication_date_no_relative_mention():
    assert mentions("Am Sonntag spielt das Orchester, morgen probt es.", None) == []


def test_order_of_appearance_with_absolute_dates():
    text = "Morgen beginnt die Anmeldung, die bis zum 29. März läuft; am Sonntag ist Tag der offenen Tür."
    assert mentions(text.replace("Morgen", "morgen")) == [
        ("morgen", "2024-03-14"), ("29. März", "2024-03-29"), ("Sonntag", "2024-03-17")]


def test_extract_resolves_against_the_date_line():
    html = ("<html><body><main><h1>Frühjahrsputz in Bochum</h1><div class='text'>"
            "<p>Die Aktion „Bochum putzt“ beginnt am kommenden Samstag. Anmeldungen nimmt der USB bis Ende März an.</p>"
            "<p>Die Geräte werden nächste Woche an die Schulen geliefert.</p><p>(6. März 2024)</p></div></main></body></html>")
    record = extract(html)
    assert record.published == "2024-03-06"
    assert [(m.text, m.date) for m in record.date_mentions] == [
        ("kommenden Samstag", "2024-03-09"), ("Ende März", "2024-03-31"), ("nächste Woche", "2024-03-11")]


def test_relative_mentions_per_page_are_bounded():
    # A hostile page repeating "am Sonntag" costs no more than a release naming a few relative dates.
    from crawler.parsing.relative_dates import MAX_RELATIVE  # noqa: PLC0415

    found = find_date_mentions(["Am Sonntag ist Markt. " * 5000, "Morgen auch."] * 3, WEDNESDAY)
    assert len(found) == MAX_RELATIVE
    assert len(find_date_mentions(["Am Sonntag, 17. März, ist Markt. " * 500], WEDNESDAY)) == 500  # absolute: all


def test_the_replicas_dates_and_relative_dates_are_its_truth(site):
    # The replica writes "bis Ende Juli" into some releases and records the date it means.
    relative = 0
    for release in site.portal.releases:
        if release.status != 200:
            continue
        url = site.url(release.path)
        got = [(m.text, m.date) for m in extract(fetch(url), url=url).date_mentions]
        truth = site.truth(release.path)["date_mentions"]
        assert [d for _, d in got] == [m["date"] for m in truth], url
        relative += sum(text.startswith("Ende ") for text, _ in got)
    assert relative > 0
