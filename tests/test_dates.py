"""German dates: the date line, URL segments, metadata values and the dates named in the body."""
from __future__ import annotations

from datetime import date

import pytest
from guard import call_in_child

from crawler.parsing.dates import (
    date_from_url,
    find_date_mentions,
    month_number,
    parse_date_line,
    parse_iso_or_german,
)
from crawler.parsing.record import DateMention


def mentions(paragraphs, published):
    return [(m.text, m.date) for m in find_date_mentions(paragraphs, published)]


# --------------------------------------------------------------------------- parse_date_line
@pytest.mark.parametrize(
    "text, expected",
    [
        ("(9. Oktober 2020)", date(2020, 10, 9)),
        ("(01. Oktober 2019)", date(2019, 10, 1)),
        ("9. Oktober 2020", date(2020, 10, 9)),
        ("(09.10.2020)", date(2020, 10, 9)),
        ("Veröffentlicht am 09.10.2020", date(2020, 10, 9)),
        ("Stand: 3. Okt. 2020", date(2020, 10, 3)),
        ("  (27. März 2024)  ", date(2024, 3, 27)),
        ("(27. Maerz 2024)", date(2024, 3, 27)),
        ("(27. Marz 2024)", date(2024, 3, 27)),
        ("(5. Mär. 2021)", date(2021, 3, 5)),
        ("(5. Mrz. 2021)", date(2021, 3, 5)),
        ("(12. Jänner 2022)", date(2022, 1, 12)),
        ("(12. Jan. 2022)", date(2022, 1, 12)),
        ("(2. Sept. 2019)", date(2019, 9, 2)),
        ("(2. Sep. 2019)", date(2019, 9, 2)),
        ("(30. Jun. 2023)", date(2023, 6, 30)),
        ("(24. Dez. 2021)", date(2021, 12, 24)),
        ("(1.\u00a0Mai\u00a02020)", date(2020, 5, 1)),  # non-breaking spaces
        ("Freitag, 9. Oktober 2020", date(2020, 10, 9)),
        ("Bochum, den 14. Februar 2023", date(2023, 2, 14)),
        ("Veröffentlicht am 09.10.2020, 10:15 Uhr", date(2020, 10, 9)),
        ("(2020-10-09)", date(2020, 10, 9)),
        ("9.10.20", date(2020, 10, 9)),
    ],
)
def test_date_line_forms(text, expected):
    assert parse_date_line(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Am 9. Oktober 2020 hat der Rat der Stadt den Haushalt beschlossen.",
        "Die Ausstellung ist bis zum 9. Oktober 2020 zu sehen.",
        "(9. Oktober)",  # no year: not a release's date line
        "(31. Februar 2020)",  # impossible
        "(9. Oktobre 2020)",
        "Platz 18 in Deutschland, Platz eins im Ruhrgebiet",
        "Aktuelle Pressemeldungen",
        "",
        "(9 Oktober 2020)",
    ],
)
def test_date_line_rejects(text):
    assert parse_date_line(text) is None


def test_date_line_is_not_fuzzy_dateutil():
    # python-dateutil with fuzzy=True reads this as another day; we must not.
    assert parse_date_line("(9. Oktober 2020)") == date(2020, 10, 9)
    assert parse_date_line("(10. September 2020)") == date(2020, 9, 10)


@pytest.mark.parametrize("word, month", [("Okt.", 10), ("Maerz", 3), ("MÄRZ", 3), ("Jänner", 1), ("Sept", 9), ("Juni", 6), ("Mainz", None)])
def test_month_number(word, month):
    assert month_number(word) == month


# --------------------------------------------------------------------------- date_from_url
@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.bochum.de/Pressemeldungen/9-Oktober-2020/Bochum-laut-Bitkom-smarteste-City-im-Ruhrgebiet",
         date(2020, 10, 9)),
        ("https://bochum.de/Pressemeldungen/9-Oktober-2020/Bochum-laut-Bitkom-smarteste-City-im-Ruhrgebiet",
         date(2020, 10, 9)),
        ("https://www.bochum.de/Pressemeldungen%2F25-Februar-2022%2FBauarbeiten-verursachen-Schaeden-an-Leitung",
         date(2022, 2, 25)),
        ("https://www.bochum.de/Pressemeldungen%252F25-Februar-2022%252FBauarbeiten", date(2022, 2, 25)),
        ("https://www.bochum.de/Pressemeldungen/27-Maerz-2024/Neue--Stolpersteine--erinnern-an-Opfer", date(2024, 3, 27)),
        ("https://www.bochum.de/Pressemeldungen/01-Oktober-2019/Herbstlesung-der--BoLits-", date(2019, 10, 1)),
        ("/Pressemeldungen/3-Dezember-2021/Weihnachtsmarkt-am-2.-April-verschoben", date(2021, 12, 3)),
        ("https://www.bochum.de/Pressemeldungen/5-M%C3%A4rz-2021/Slug", date(2021, 3, 5)),
        ("https://www.bochum.de/Pressemeldungen/9-Oktober-2020/Slug?seite=2#top", date(2020, 10, 9)),
        ("https://www.bochum.de/Pressemeldungen/Aktuelle-Pressemeldungen-zum-Corona-Virus/Corona-Inzidenzzahl-sinkt-deutlich",
         None),
        ("https://www.bochum.de/Pressemeldungen", None),
        ("https://www.bochum.de/Pressemeldungen?seite=2", None),
        ("https://www.bochum.de/Pressemeldungen/30-Februar-2020/Slug", None),
        ("https://www.bochum.de/Pressemeldungen/Am-9-Mai-2020-ist-Stadtfest/Slug", None),
        ("", None),
    ],
)
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected


# --------------------------------------------------------------------------- parse_iso_or_german
@pytest.mark.parametrize(
    "text, expected",
    [
        ("2020-10-09", date(2020, 10, 9)),  # dateutil with dayfirst=True would say 10 September
        ("2020-10-09T10:00:00+02:00", date(2020, 10, 9)),
        ("2020-10-09T23:30:00-05:00", date(2020, 10, 9)),  # the date as written, no shift
        ("2020-10-09T08:00:00Z", date(2020, 10, 9)),
        ("2020-10-09 08:00", date(2020, 10, 9)),
        ("09.10.2020", date(2020, 10, 9)),  # day first
        ("10.09.2020", date(2020, 9, 10)),
        ("9. Oktober 2020", date(2020, 10, 9)),
        ("Fri, 09 Oct 2020 08:00:00 GMT", date(2020, 10, 9)),
        ("  2021-03-27  ", date(2021, 3, 27)),
        ("2020-02-30", None),
        ("13.13.2020", None),
        ("gestern", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_iso_or_german(text, expected):
    assert parse_iso_or_german(text) == expected


# --------------------------------------------------------------------------- find_date_mentions
PUB = date(2024, 3, 1)


def test_mention_types():
    assert find_date_mentions(["Das Fest beginnt am 24. März 2024."], PUB) == [DateMention("24. März 2024", "2024-03-24")]


def test_weekday_is_part_of_the_text_and_am_is_not():
    assert mentions(["Das Museum öffnet am Sonntag, 24. März, von 11 bis 17 Uhr."], PUB) == [
        ("Sonntag, 24. März", "2024-03-24")
    ]
    assert mentions(["Die Sitzung findet am Dienstag, den 12. März 2024, im Rathaus statt."], PUB) == [
        ("Dienstag, den 12. März 2024", "2024-03-12")
    ]
    assert mentions(["Anmeldung bis Sa., 9. März, im Bürgerbüro."], PUB) == [("Sa., 9. März", "2024-03-09")]


def test_range_with_bare_first_day():
    assert mentions(["Die Ausstellung ist vom 9. bis zum 29. Mai in der Rotunde zu sehen."], PUB) == [
        ("9.", "2024-05-09"),
        ("29. Mai", "2024-05-29"),
    ]
    assert mentions(["Die Kirmes läuft 9. bis 12. Mai auf dem Festplatz."], PUB) == [
        ("9.", "2024-05-09"),
        ("12. Mai", "2024-05-12"),
    ]
    assert mentions(["Gesperrt ist die Straße vom 9.–12. Juni."], PUB) == [("9.", "2024-06-09"), ("12. Juni", "2024-06-12")]


def test_lists_and_nights():
    assert mentions(["Sprechstunden gibt es am 3., 10. und 17. April."], PUB) == [
        ("3.", "2024-04-03"),
        ("10.", "2024-04-10"),
        ("17. April", "2024-04-17"),
    ]
    assert mentions(["In der Nacht vom 9. auf den 10. März wird gearbeitet."], PUB) == [
        ("9.", "2024-03-09"),
        ("10. März", "2024-03-10"),
    ]
    assert mentions(["Am Wochenende 24./25. August feiert Wattenscheid."], PUB) == [
        ("24.", "2024-08-24"),
        ("25. August", "2024-08-25"),
    ]
    assert mentions(["von Freitag, 7. bis Sonntag, 9. Juni"], PUB) == [
        ("Freitag, 7.", "2024-06-07"),
        ("Sonntag, 9. Juni", "2024-06-09"),
    ]


def test_range_running_into_the_previous_month():
    assert mentions(["Die Baustelle ruht vom 29. bis zum 3. Mai."], PUB) == [("29.", "2024-04-29"), ("3. Mai", "2024-05-03")]


def test_range_end_year_carries_back():
    assert mentions(["Die Eisbahn öffnet vom 20. Dezember bis 6. Januar 2025."], PUB) == [
        ("20. Dezember", "2024-12-20"),
        ("6. Januar 2025", "2025-01-06"),
    ]


def test_abbreviated_month_keeps_its_dot():
    assert mentions(["Der Antrag ging am 3. Okt. 2020 ein."], PUB) == [("3. Okt. 2020", "2020-10-03")]
    assert mentions(["Frist ist der 15. Sept., dann entscheidet die Jury."], date(2024, 7, 1)) == [
        ("15. Sept.", "2024-09-15")
    ]


def test_full_month_does_not_take_the_sentence_dot():
    assert mentions(["Das Bürgerbüro schließt am 24. März. Danach ist es wieder offen."], PUB) == [
        ("24. März", "2024-03-24")
    ]


def test_numeric_dates_are_day_first():
    published = date(2024, 8, 1)
    assert mentions(["Anmeldeschluss ist der 09.10.2024, die Ausgabe folgt am 9.10. und am 10.09."], published) == [
        ("09.10.2024", "2024-10-09"),
        ("9.10.", "2024-10-09"),
        ("10.09.", "2024-09-10"),
    ]


def test_iso_is_read_as_iso():
    assert mentions(["Im Datensatz steht das Datum 2020-10-09 als Stichtag."], PUB) == [("2020-10-09", "2020-10-09")]


def test_year_roll_over_forward_and_back():
    # a release of 20 December: "3. Januar" is the coming January
    assert mentions(["Der Weihnachtsmarkt ist ab dem 3. Januar abgebaut."], date(2020, 12, 20)) == [
        ("3. Januar", "2021-01-03")
    ]
    # a release of 5 January: "28. Dezember" was a week ago
    assert mentions(["Am 28. Dezember rückte die Feuerwehr zu 40 Einsätzen aus."], date(2021, 1, 5)) == [
        ("28. Dezember", "2020-12-28")
    ]
    # a release of 1 June: March is this year's
    assert mentions(["Seit dem 15. März ist die Brücke gesperrt."], date(2023, 6, 1)) == [("15. März", "2023-03-15")]


def test_deadline_and_since_words_fix_the_direction():
    # January release: nearest would be last September, but a deadline lies ahead ...
    assert mentions(["Bewerbungen für den Kulturpreis sind bis zum 15. September möglich."], date(2025, 1, 20)) == [
        ("15. September", "2025-09-15")
    ]
    assert mentions(["Die Umleitung gilt ab dem 1. Oktober."], date(2025, 2, 10)) == [("1. Oktober", "2025-10-01")]
    # ... and "seit" looks back: a September release about "seit dem 1. März"
    assert mentions(["Seit dem 1. März ist das Bürgerbüro samstags geöffnet."], date(2024, 9, 20)) == [
        ("1. März", "2024-03-01")
    ]
    assert mentions(["Die Brücke ist seit Montag, 18. November, gesperrt."], date(2024, 11, 29)) == [
        ("Montag, 18. November", "2024-11-18")
    ]
    # without such a word: nearest (a recap in January of a date in September)
    assert mentions(["Am 15. September wurde der Kulturpreis verliehen."], date(2025, 1, 20)) == [
        ("15. September", "2024-09-15")
    ]


def test_list_of_dates_is_not_forced_into_order():
    assert mentions(["Sperrungen gibt es am 3. Januar und am 28. Dezember."], date(2020, 12, 20)) == [
        ("3. Januar", "2021-01-03"),
        ("28. Dezember", "2020-12-28"),
    ]


def test_no_year_and_no_publication_date_is_skipped():
    assert mentions(["Die Tour startet am 24. März in Langendreer."], None) == []
    assert mentions(["Die Tour startete am 24. März 2019 in Langendreer."], None) == [("24. März 2019", "2019-03-24")]


def test_historical_dates():
    assert mentions(["In der Pogromnacht am 9. November 1938 brannte die Synagoge."], PUB) == [
        ("9. November 1938", "1938-11-09")
    ]


def test_impossible_dates_are_rejected():
    assert mentions(["Der 31. Februar, der 30. Februar 2023, der 32.01.2024 und der 29.02.2023 gibt es nicht."], PUB) == []
    # 29 February exists in 2024 (the year nearest to publication)
    assert mentions(["Schalttag ist der 29. Februar."], PUB) == [("29. Februar", "2024-02-29")]


@pytest.mark.parametrize(
    "text",
    [
        "Die Führung beginnt um 9.30 Uhr am Haupteingang.",
        "Geöffnet ist von 9.30 bis 12.30 Uhr.",
        "Die Stadt stellt 1.500 Euro bereit, insgesamt 2.000.000 Euro.",
        "Bochum liegt auf Platz 18 und verbessert sich von Platz 32 auf 18.",
        "Geregelt ist das in § 9.10 der Satzung und in § 12.3.",
        "Nach § 9.10. gilt eine Frist.",
        "Erreichbar unter Tel. 0234 / 910-1234 oder 0234.910.12.34.",
        "Die Mannschaft belegte den 9. Platz und feiert das 25. Jubiläum.",
        "Das Update auf Version 2.10. bringt neue Funktionen.",
        "Der 1. FC Bochum und der 3. Bürgermeister waren da.",
        "Das Turnier fand zum 9. Mal statt, im Mainzer Rathaus.",
        "Die Quote stieg um 9,10 Prozent auf 12.5 %.",
        "Im 19. Jahrhundert entstand die Zeche.",
        "Beginn ist um 10.10.",
    ],
)
def test_not_dates(text):
    assert mentions([text], PUB) == []


def test_year_followed_by_a_quantity_is_not_a_year():
    assert mentions(["Am 24. März 2000 Besucher zu zählen, war ein Rekord."], PUB) == [("24. März", "2024-03-24")]


def test_order_of_appearance_across_paragraphs():
    paragraphs = [
        "Der Stadtrat tagt am 14. März 2024. Bereits am 1. März beriet der Ausschuss.",
        "Die Bürgerversammlung folgt am 09.04.2024.",
    ]
    assert [m.date for m in find_date_mentions(paragraphs, PUB)] == ["2024-03-14", "2024-03-01", "2024-04-09"]


def test_mention_text_stands_in_the_paragraph():
    paragraphs = [
        "Am Samstag, 6. Juli, und vom 9. bis 12. Juli 2024 ist das Freibad geöffnet; Stichtag 2024-07-01.",
        "Start ist am 3. Okt. um 10 Uhr.",
    ]
    found = find_date_mentions(paragraphs, PUB)
    assert found
    for m in found:
        assert any(m.text in p for p in paragraphs)


def test_real_page_body_has_no_date_mentions():
    # The real release of 9 October 2020: places, ranks and counts, but no dates.
    body = [
        "Platz 18 in Deutschland, Platz eins im Ruhrgebiet: Im aktuellen Smart-City-Index des IT-Branchenverbands "
        "Bitkom ist Bochum deutlich aufgestiegen. Im Vergleich zum Vorjahr verbesserte sich die Stadt bei der "
        "Bewertung ihrer digitalen Angebote und der Infrastruktur um 14 Plätze, von Platz 32 auf 18. Im Ruhrgebiet "
        "führt Bochum den Smart-City-Index sogar an.",
        "Besonders gut waren die Wertungen in den Bereichen „IT und Kommunikation“ sowie „Mobilität“, bei denen die "
        "Stadt deutschlandweit unter die Top 10 der teilnehmenden 81 Kommunen kommt.",
    ]
    assert find_date_mentions(body, date(2020, 10, 9)) == []


# --------------------------------------------------------------------------- speed
def test_one_megabyte_finds_every_mention():
    base = [
        "Am Sonntag, 24. März, öffnet das Museum; die Schau läuft vom 9. bis zum 29. Mai 2024.",
        "Geöffnet ist ab 9.30 Uhr, der Eintritt kostet 1.500 Euro für Gruppen (§ 9.10 der Satzung).",
        "Anmeldung bis 09.10.2024 unter Tel. 0234 / 910-1234, Stichtag 2024-10-01, der 9. Platz.",
        "Oberbürgermeister Thomas Eiskirch lobte das Engagement der vielen Ehrenamtlichen im Stadtteil.",
    ]
    copies = 1_000_000 // sum(map(len, base)) + 1
    once = find_date_mentions(base, PUB)
    assert len(once) == 5  # how fast: scripts/bench_limits.py
    assert find_date_mentions(base * copies, PUB) == once * copies
    assert len(find_date_mentions([" ".join(base * copies)], PUB)) == len(once) * copies


@pytest.mark.parametrize(
    ("paragraph", "mentions"),
    [
        ("1., 2., 3. und " * 60_000, 0),
        ("9.10.9.10." * 80_000, 0),
        ("9 " * 400_000, 0),
        ("Sonntag, " * 100_000, 0),
        ("1.1.1.1.1.1.1" * 60_000, 0),
        ("2020-10-" * 100_000, 0),
        ("24. " * 200_000 + "März", 1),  # only the last "24. März" is a date
    ],
)
def test_adversarial_input_does_not_hang(paragraph, mentions):
    # A backtracking blow-up would take minutes; the child is killed long before (tests/guard.py).
    call = "find_date_mentions(paragraphs, date(2024, 3, 1))"
    assert call_in_child("crawler.parsing.dates", call, paragraph) == mentions
