"""Attributed speech and its speakers in German press-release paragraphs."""
from __future__ import annotations

import pytest
from guard import call_in_child

from crawler.parsing.quotes import extract_quotes
from crawler.parsing.record import Quote
from crawler.parsing.speakers import Cast, is_role_word, parse_np


def q(paragraphs):
    """(text, speaker, role, paragraph) tuples."""
    if isinstance(paragraphs, str):
        paragraphs = [paragraphs]
    return [(x.text, x.speaker, x.role, x.paragraph) for x in extract_quotes(paragraphs)]


# --------------------------------------------------------------------------- the real page
REAL_BODY = [
    "Platz 18 in Deutschland, Platz eins im Ruhrgebiet: Im aktuellen Smart-City-Index des IT-Branchenverbands "
    "Bitkom ist Bochum deutlich aufgestiegen. Im Vergleich zum Vorjahr verbesserte sich die Stadt bei der "
    "Bewertung ihrer digitalen Angebote und der Infrastruktur um 14 Plätze, von Platz 32 auf 18. Im Ruhrgebiet "
    "führt Bochum den Smart-City-Index sogar an.",
    "„Die nun deutlich bessere Benotung des Fachverbands ist eine tolle Bestätigung für unsere Aktivitäten im "
    "Bereich der Digitalisierung“, sagte Bochums Oberbürgermeister Thomas Eiskirch. „Bochum ist stark in den "
    "Bereichen IT-Sicherheit, Konnektivität und Medizinwirtschaft – und der Aufstieg im Index zeigt, dass wir auch "
    "in anderen Bereichen mit unserer Vorstellung eines ,smarten‘ Bochum auf dem richtigen Weg sind.“",
    "Besonders gut waren die Wertungen in den Bereichen „IT und Kommunikation“ sowie „Mobilität“, bei denen die "
    "Stadt deutschlandweit unter die Top 10 der teilnehmenden 81 Kommunen kommt. Platz neun bundesweit in puncto "
    "„Mobilität“, im Feld „IT und Kommunikation“ liegt Bochum sogar auf Position fünf.",
    "„Um uns weiter zu verbessern, erarbeiten wir gerade ein eigenes Smart-City-Konzept“, kündigte "
    "Oberbürgermeister Eiskirch an. Anfang des kommenden Jahres soll das Konzept aufgestellt sein.",
]


def test_real_page_body():
    found = extract_quotes(REAL_BODY)
    assert found == [
        Quote(
            "Die nun deutlich bessere Benotung des Fachverbands ist eine tolle Bestätigung für unsere Aktivitäten "
            "im Bereich der Digitalisierung",
            "Thomas Eiskirch", "Oberbürgermeister", 1,
        ),
        Quote(
            "Bochum ist stark in den Bereichen IT-Sicherheit, Konnektivität und Medizinwirtschaft – und der Aufstieg "
            "im Index zeigt, dass wir auch in anderen Bereichen mit unserer Vorstellung eines ,smarten‘ Bochum auf "
            "dem richtigen Weg sind.",
            "Thomas Eiskirch", "Oberbürgermeister", 1,
        ),
        Quote(
            "Um uns weiter zu verbessern, erarbeiten wir gerade ein eigenes Smart-City-Konzept",
            "Thomas Eiskirch", "Oberbürgermeister", 3,
        ),
    ]
    assert not any("Mobilität" == x.text or "IT und Kommunikation" == x.text for x in found)


# --------------------------------------------------------------------------- attribution after the quote
@pytest.mark.parametrize(
    "paragraph, speaker, role",
    [
        ("„Wir sind auf einem guten Weg“, sagte Oberbürgermeister Thomas Eiskirch.", "Thomas Eiskirch", "Oberbürgermeister"),
        ("„Die Sanierung liegt im Zeitplan“, erklärt Dr. Anna Beispiel, Leiterin des Tiefbauamtes.",
         "Anna Beispiel", "Leiterin des Tiefbauamtes"),
        ("„Der Radweg schließt eine wichtige Lücke“, so Stadtbaurat Dr. Markus Bradtke.", "Markus Bradtke", "Stadtbaurat"),
        ("„Klimaschutz beginnt vor der Haustür“, zeigte sich Umweltdezernentin Sabine Krämer überzeugt.",
         "Sabine Krämer", "Umweltdezernentin"),
        ("„Ein großartiger Abend für die Kultur“, freute sich Kulturdezernent Dietmar Dieckmann.",
         "Dietmar Dieckmann", "Kulturdezernent"),
        ("„Bis zum Herbst sind alle Schulen angeschlossen“, kündigte Stadtdirektor Sebastian Kopietz an.",
         "Sebastian Kopietz", "Stadtdirektor"),
        ("„Es wird eng im Haushalt“, gab Kämmerin Eva Hubbert zu bedenken.", "Eva Hubbert", "Kämmerin"),
        ("„Der Haushalt ist solide“, ist sich Kämmerin Eva Hubbert sicher.", "Eva Hubbert", "Kämmerin"),
        ("„Wir sind bereit für den Winter“ – so Feuerwehrchef Simon Heußen.", "Simon Heußen", "Feuerwehrchef"),
        ("»Wir sind stolz auf unsere Studierenden«, sagte Prof. Dr. Hans-Peter Schmidt, Rektor der Hochschule.",
         "Hans-Peter Schmidt", "Rektor der Hochschule"),
        ('"Das war ein wunderbares Fest", resümierte Bezirksbürgermeisterin Marina Multmeier.',
         "Marina Multmeier", "Bezirksbürgermeisterin"),
        ("“Bochum is a great place to study”, sagte Gastprofessorin Emily Carter.", "Emily Carter", "Gastprofessorin"),
        ("„Die Bücherei ist ein Ort für alle“, sagte am Montag Büchereileiterin Ute Brandt.", "Ute Brandt", "Büchereileiterin"),
        ("„Es ist geschafft!“ sagte Projektleiter Jan Kowalski erleichtert.", "Jan Kowalski", "Projektleiter"),
        ("„Wir danken allen Helferinnen und Helfern“, sagte der Leiter der Feuerwehr, Simon Heußen.",
         "Simon Heußen", "Leiter der Feuerwehr"),
        ("„Jede Spende hilft“, appellierte Sozialdezernentin Britta Anger an die Bochumerinnen und Bochumer.",
         "Britta Anger", "Sozialdezernentin"),
        ("„Wir hören zu“, sagte Xenia Quorb, Quartiersmanagerin in Hamme.", "Xenia Quorb", "Quartiersmanagerin in Hamme"),
        ("„Europa beginnt vor Ort“, betonte Ursula von der Leyen.", "Ursula von der Leyen", None),
        ("„Jedes Kind soll schwimmen lernen“, sagte Heike Brandt, Dezernentin für Schule, Sport und Freizeit.",
         "Heike Brandt", "Dezernentin für Schule, Sport und Freizeit"),
        ("„Wir helfen schnell“, sagte Lars Vogel, Leiter des Amtes für Jugend und Familie.",
         "Lars Vogel", "Leiter des Amtes für Jugend und Familie"),
        ("„Hier ist es viel schöner als gedacht“, sagt die zwölfjährige Lena.", "Lena", None),
        ("„Das Angebot kommt gut an“, berichtet Meister.", "Meister", None),
    ],
)
def test_attribution_after(paragraph, speaker, role):
    found = q(paragraph)
    assert len(found) == 1
    assert found[0][1:3] == (speaker, role)


def test_quote_text_has_no_marks_and_keeps_inner_quotes():
    assert q("„Das ist unser ,Leuchtturm‘ für den Stadtteil“, sagte Eiskirch.")[0][0] == (
        "Das ist unser ,Leuchtturm‘ für den Stadtteil"
    )
    assert q("„Wir nennen es ‚Projekt Zukunft‘“, sagte Eiskirch.")[0][0] == "Wir nennen es ‚Projekt Zukunft‘"
    assert q("„Die Gäste sagten 'wunderbar'“, berichtete Eiskirch.")[0][0] == "Die Gäste sagten 'wunderbar'"
    assert q("„Wir sind bereit.”, sagte Eiskirch.")[0][0] == "Wir sind bereit."
    assert q("„Wir sind bereit.\", sagte Eiskirch.")[0][0] == "Wir sind bereit."
    assert q("«Wir sind bereit», sagte Eiskirch.")[0][0] == "Wir sind bereit"


# --------------------------------------------------------------------------- attribution before the quote
@pytest.mark.parametrize(
    "paragraph, speaker, role",
    [
        ("Eiskirch betonte: „Das ist ein starkes Signal für die ganze Region.“", "Eiskirch", None),
        ("Thomas Eiskirch: „Bochum hält zusammen.“", "Thomas Eiskirch", None),
        ("Dazu sagt Stadtbaurat Dr. Markus Bradtke: „Der Umbau ist ein Meilenstein für die Innenstadt.“",
         "Markus Bradtke", "Stadtbaurat"),
        ("Anna Beispiel, Leiterin des Tiefbauamtes, erklärt: „Die Sperrung dauert drei Wochen.“",
         "Anna Beispiel", "Leiterin des Tiefbauamtes"),
        ("Die Leiterin des Tiefbauamtes, Anna Beispiel, erklärt: „Die Sperrung dauert drei Wochen.“",
         "Anna Beispiel", "Leiterin des Tiefbauamtes"),
        ("Kämmerin Eva Hubbert ist überzeugt: „Der Haushalt ist solide.“", "Eva Hubbert", "Kämmerin"),
        ("Für Oberbürgermeister Thomas Eiskirch ist klar: „Bochum bleibt Sportstadt.“", "Thomas Eiskirch", "Oberbürgermeister"),
        ("Auch Schulleiterin Petra Wagner freut sich: „Endlich haben wir eine neue Mensa.“", "Petra Wagner", "Schulleiterin"),
        ("Eiskirch dankte den Helferinnen und Helfern: „Ohne Sie wäre das nicht möglich gewesen.“", "Eiskirch", None),
        ("Im Gespräch mit den Schülern erklärte Stadtrat Klaus Peters: „Demokratie lebt vom Mitmachen.“",
         "Klaus Peters", "Stadtrat"),
        ("Förster Jens Hagedorn empfiehlt, auf den Wegen zu bleiben: „Nach dem Sturm brechen noch Äste ab.“",
         "Jens Hagedorn", "Förster"),
    ],
)
def test_attribution_before(paragraph, speaker, role):
    found = q(paragraph)
    assert len(found) == 1
    assert found[0][1:3] == (speaker, role)


# --------------------------------------------------------------------------- split quotes and continuations
def test_split_quote_with_comma():
    assert q("„Das Stadion bleibt“, sagte Oberbürgermeister Thomas Eiskirch, „und es wird moderner.“") == [
        ("Das Stadion bleibt", "Thomas Eiskirch", "Oberbürgermeister", 0),
        ("und es wird moderner.", "Thomas Eiskirch", "Oberbürgermeister", 0),
    ]


def test_split_quote_over_a_sentence():
    assert q("„Das Stadion bleibt“, sagte Stadtbaurat Markus Bradtke am Montag im Rathaus. „Und es wird moderner.“") == [
        ("Das Stadion bleibt", "Markus Bradtke", "Stadtbaurat", 0),
        ("Und es wird moderner.", "Markus Bradtke", "Stadtbaurat", 0),
    ]


def test_continuation_in_next_paragraph():
    paragraphs = [
        "„Die Sanierung der Turnhalle ist abgeschlossen“, sagte Schuldezernentin Britta Anger.",
        "„Ab Montag können die Kinder wieder Sport treiben.“",
    ]
    assert q(paragraphs) == [
        ("Die Sanierung der Turnhalle ist abgeschlossen", "Britta Anger", "Schuldezernentin", 0),
        ("Ab Montag können die Kinder wieder Sport treiben.", "Britta Anger", "Schuldezernentin", 1),
    ]


def test_narrative_breaks_the_chain():
    paragraphs = [
        "„Die Sanierung der Turnhalle ist abgeschlossen“, sagte Schuldezernentin Britta Anger.",
        "Die Arbeiten haben rund 1,2 Millionen Euro gekostet.",
        "„Ab Montag können die Kinder wieder Sport treiben.“",
    ]
    assert [x[0] for x in q(paragraphs)] == ["Die Sanierung der Turnhalle ist abgeschlossen"]
    same_paragraph = (
        "„Die Turnhalle ist fertig“, sagte Britta Anger. Die Arbeiten kosteten 1,2 Millionen Euro. "
        "„Ab Montag wird wieder geturnt.“"
    )
    assert [x[0] for x in q(same_paragraph)] == ["Die Turnhalle ist fertig"]
    narrative_after_attribution = [
        "„Die Turnhalle ist fertig“, sagte Britta Anger. Die Arbeiten kosteten 1,2 Millionen Euro.",
        "„Ab Montag wird wieder geturnt.“",
    ]
    assert [x[0] for x in q(narrative_after_attribution)] == ["Die Turnhalle ist fertig"]


def test_continuation_marker():
    assert q("„Wir haben viel vor“, sagte Oberbürgermeister Eiskirch. Und weiter: „Die Stadt wächst.“") == [
        ("Wir haben viel vor", "Eiskirch", "Oberbürgermeister", 0),
        ("Die Stadt wächst.", "Eiskirch", "Oberbürgermeister", 0),
    ]


def test_quote_running_over_two_paragraphs():
    preposed = [
        "Stadtdirektor Sebastian Kopietz sagte: „Wir haben in den vergangenen Monaten viel erreicht. "
        "Die Verwaltung ist digitaler geworden.",
        "„Diesen Weg gehen wir weiter.“",
    ]
    assert [x[1] for x in q(preposed)] == ["Sebastian Kopietz", "Sebastian Kopietz"]
    attributed_later = [
        "„Wir haben in den vergangenen Monaten viel erreicht. Die Verwaltung ist digitaler geworden.",
        "„Diesen Weg gehen wir weiter“, sagte Stadtdirektor Sebastian Kopietz.",
    ]
    assert q(attributed_later) == [
        ("Wir haben in den vergangenen Monaten viel erreicht. Die Verwaltung ist digitaler geworden.",
         "Sebastian Kopietz", "Stadtdirektor", 0),
        ("Diesen Weg gehen wir weiter", "Sebastian Kopietz", "Stadtdirektor", 1),
    ]


# --------------------------------------------------------------------------- name resolution
def test_short_name_resolves_to_full_name_named_in_narrative():
    paragraphs = [
        "Oberbürgermeister Thomas Eiskirch eröffnete am Montag die Ausstellung im Kunstmuseum.",
        "„Kunst gehört in die Mitte der Stadt“, sagte Eiskirch.",
    ]
    assert q(paragraphs) == [("Kunst gehört in die Mitte der Stadt", "Thomas Eiskirch", "Oberbürgermeister", 1)]


def test_short_name_never_seen_in_full_stays():
    assert q("„Kunst gehört in die Mitte der Stadt“, sagte Eiskirch.") == [
        ("Kunst gehört in die Mitte der Stadt", "Eiskirch", None, 0)
    ]


def test_pronouns_resolve_by_gender():
    paragraphs = [
        "Bezirksbürgermeisterin Marina Multmeier und Stadtbaurat Markus Bradtke besichtigten die Baustelle.",
        "„Hier entsteht ein neuer Treffpunkt für das Viertel“, sagte sie.",
        "„Und zwar schneller als geplant“, ergänzte er.",
        "„Die Anwohner sind schon gespannt“, betont sie.",
    ]
    assert [(x[1], x[2]) for x in q(paragraphs)] == [
        ("Marina Multmeier", "Bezirksbürgermeisterin"),
        ("Markus Bradtke", "Stadtbaurat"),
        ("Marina Multmeier", "Bezirksbürgermeisterin"),
    ]


def test_pronoun_takes_the_last_named_person_of_that_gender():
    paragraphs = [
        "Anna Beispiel leitet das Tiefbauamt, Petra Wagner die Grundschule an der Hofstede.",
        "„Wir freuen uns auf den Neubau“, sagt sie.",
    ]
    assert q(paragraphs)[0][1] == "Petra Wagner"


def test_pronoun_falls_back_to_a_person_of_unknown_gender():
    paragraphs = [
        "Geehrt wurde auch Stadtbaurätin Xenia Quorb, die seit 30 Jahren im Chor singt.",
        "„Musik hält jung“, verriet Quorb.",
        "Die Ehrennadel erhielt außerdem Prof. Dr. Kasimir Wendland.",
        "„Ich bin ganz gerührt“, sagte er.",
    ]
    # "Kasimir" is not in the first-name list: "er" finds no man, then the last person of unknown gender
    assert [x[1] for x in q(paragraphs)] == ["Xenia Quorb", "Kasimir Wendland"]


def test_age_phrase_gives_name_and_gender():
    paragraphs = [
        "Oberbürgermeister Thomas Eiskirch ehrte den 88-jährigen Kasimir Wendland und die 91-jährige Edelgard "
        "Pieczarek für ihr Engagement im Stadtteil.",
        "„Ich bin ganz gerührt“, sagte sie.",
    ]
    assert q(paragraphs)[0][1] == "Edelgard Pieczarek"
    paragraphs[1] = "„Ich bin ganz gerührt“, sagte er."
    assert q(paragraphs)[0][1] == "Kasimir Wendland"


def test_gender_from_first_name_and_from_herr_frau():
    paragraphs = [
        "Herr Müller leitet die Stadtteilbücherei seit zwanzig Jahren, Frau Schulte-Brinkmann den Förderverein.",
        "„Lesen verbindet die Generationen“, sagt er.",
        "„Und es macht Spaß“, so Schulte-Brinkmann.",
        "„Das finde ich auch“, sagte sie.",
    ]
    assert [x[1] for x in q(paragraphs)] == ["Müller", "Schulte-Brinkmann", "Schulte-Brinkmann"]


def test_role_only_reference():
    paragraphs = [
        "Bochums Oberbürgermeister Thomas Eiskirch lobte das Engagement der Ehrenamtlichen.",
        "„Das ist vorbildlich“, so der Oberbürgermeister.",
        "Die neue Stadtbaurätin Dr. Xenia Quorb stellte die Pläne vor.",
        "„Wir beginnen im Frühjahr“, sagte die neue Stadtbaurätin.",
    ]
    assert q(paragraphs) == [
        ("Das ist vorbildlich", "Thomas Eiskirch", "Oberbürgermeister", 1),
        ("Wir beginnen im Frühjahr", "Xenia Quorb", "Stadtbaurätin", 3),
    ]


def test_role_without_a_named_person():
    assert q("„Das freut uns sehr“, so der Oberbürgermeister.") == [
        ("Das freut uns sehr", None, "Oberbürgermeister", 0)
    ]


def test_pronoun_without_antecedent_keeps_the_quote():
    assert q("„Ja, das wird ein gutes Jahr“, sagte sie.") == [("Ja, das wird ein gutes Jahr", None, None, 0)]


def test_short_name_after_role_resolves():
    paragraphs = [
        "Stadtbaurat Dr. Markus Bradtke stellte den Rahmenplan vor.",
        "„Die Innenstadt wird grüner“, kündigte Stadtbaurat Bradtke an.",
    ]
    assert q(paragraphs)[0][1:3] == ("Markus Bradtke", "Stadtbaurat")


def test_group_and_organisation_speakers():
    assert q("„Die Bäume sind krank“, sagten die Förster.") == [("Die Bäume sind krank", None, None, 0)]
    assert q("„Wir erwarten 10.000 Gäste“, teilte die Stadt mit.") == [("Wir erwarten 10.000 Gäste", None, None, 0)]


# --------------------------------------------------------------------------- not quotes
@pytest.mark.parametrize(
    "paragraph",
    [
        "Die Aktion „Stadtradeln“ startet am 1. Mai, die Reihe „Original Bochum“ geht in die nächste Runde.",
        "Besonders gut waren die Wertungen in den Bereichen „IT und Kommunikation“ sowie „Mobilität“.",
        "Das Projekt „Bochum Strategie“ erklärt Kindern die Stadt.",
        "„Bochum Strategie“ erklärt Kindern die Stadt.",
        "„Stadtradeln“ läuft noch bis Ende Mai.",
        "Das Motto lautet: „Bochum packt an“.",
        "Der Titel der Ausstellung: „Licht und Schatten“.",
        "Das Ergebnis zeigt: „Bochum ist Spitze“.",
        "Die Reihe „Original Bochum“, sagte Eiskirch, sei ein Erfolg.",
        "Gefördert werden die Bereiche: „Bildung“ und „Mobilität“.",
        "„Original Bochum“, so der Titel der Reihe, zeigt Geschichten aus dem Revier.",
        "Eiskirch nannte das Ergebnis „eine tolle Bestätigung“ für die Verwaltung.",
        "Sie erinnerte an den alten Spruch „Wer rastet, der rostet“ und lachte.",
        "Die Ausstellung „Licht und Schatten“ zeigt Werke von Anna Beispiel.",
        "Der Film „Sommer in Bochum“, gedreht im Westpark, läuft im Endstation Kino.",
        "Tablets mit 10\" Bildschirm wurden an Schulen verteilt.",
        "Eiskirch betonte drei Schwerpunkte: „Bildung“, „Klima“ und „Mobilität“.",
    ],
)
def test_labels_are_not_quotes(paragraph):
    assert q(paragraph) == []


def test_label_after_an_attributed_quote_is_no_continuation():
    paragraphs = [
        "„Wir laden alle ein mitzumachen“, sagte Sportdezernent Dietmar Dieckmann.",
        "„Stadtradeln“ läuft noch bis Ende Mai.",
    ]
    assert [x[0] for x in q(paragraphs)] == ["Wir laden alle ein mitzumachen"]


def test_paragraph_indices_and_order():
    paragraphs = [
        "Die Stadt Bochum lädt zum Tag der offenen Tür ein.",
        "„Wir zeigen, was die Verwaltung leistet“, sagte Stadtdirektor Sebastian Kopietz.",
        "Zum Programm gehört die Reihe „Blick hinter die Kulissen“.",
        "Personaldezernentin Dr. Petra Wagner: „Wir suchen Nachwuchs.“ Eiskirch ergänzte: „Und zwar viel.“",
    ]
    assert [(x[1], x[3]) for x in q(paragraphs)] == [
        ("Sebastian Kopietz", 1),
        ("Petra Wagner", 3),
        ("Eiskirch", 3),
    ]


def test_empty_input():
    assert extract_quotes([]) == []
    assert extract_quotes(["", "   "]) == []
    assert q("„“, sagte Eiskirch.") == []


# --------------------------------------------------------------------------- the speaker helpers
def test_parse_np_strips_titles_and_possessive():
    text = "Bochums Oberbürgermeister Prof. Dr. Thomas Eiskirch am Montag"
    np_ = parse_np(text, 0)
    assert np_.kind == "person"
    assert np_.name == ["Thomas", "Eiskirch"]
    assert np_.role == "Oberbürgermeister"
    assert text[:np_.end].endswith("Eiskirch")


@pytest.mark.parametrize("word, expected", [
    ("Oberbürgermeister", True), ("Bezirksbürgermeisterin", True), ("Stadtbaurätin", True), ("Leiterin", True),
    ("Beigeordneter", True), ("Eiskirch", False), ("Stadt", False), ("leiterin", False),
])
def test_role_words(word, expected):
    assert is_role_word(word) is expected


def test_cast_upgrades_a_short_name():
    cast = Cast()
    short = cast.note(parse_np("Oberbürgermeister Eiskirch", 0))
    assert short.name == "Eiskirch"
    full = cast.note(parse_np("Thomas Eiskirch", 0))
    assert full is short and full.name == "Thomas Eiskirch" and full.role == "Oberbürgermeister"


# --------------------------------------------------------------------------- speed
def test_one_megabyte_finds_every_quote():
    base = [
        "Oberbürgermeister Thomas Eiskirch eröffnete am Sonntag die Ausstellung „Licht und Schatten“ im Kunstmuseum.",
        "„Kunst gehört in die Mitte der Stadt“, sagte Eiskirch. „Und sie verbindet die Menschen.“",
        "Die Schau läuft bis Ende Mai, die Reihe „Original Bochum“ begleitet sie mit Führungen.",
        "Dazu sagt Stadtbaurat Dr. Markus Bradtke: „Das Gebäude ist ein Juwel.“ Anmeldung unter Tel. 0234 / 910-1234.",
    ]
    copies = 1_000_000 // sum(map(len, base)) + 1
    assert len(extract_quotes(base)) == 3  # how fast: scripts/bench_limits.py
    found = extract_quotes(base * copies)
    assert len(found) == 3 * copies
    assert {q.speaker for q in found} == {"Thomas Eiskirch", "Markus Bradtke"}
    assert len(extract_quotes([" ".join(base * copies)])) == 3 * copies


@pytest.mark.parametrize(
    ("paragraph", "quotes"),
    [
        ("„" + "Wort " * 150_000, 0),
        ("„ " * 300_000, 0),
        ("“ ” « » " * 60_000, 0),
        ("Thomas Anna Peter Maria Oberbürgermeister " * 15_000, 0),
        ("Leiterin des Amtes der Stadt für Bau der Abteilung im Amt " * 8_000, 0),
        ('"a" ' * 100_000, 0),
        ("Eiskirch sagte: „A“ " * 20_000, 1),  # one quote, said over and over
        (": " * 300_000, 0),
        (". " * 300_000, 0),
    ],
)
def test_adversarial_input_does_not_hang(paragraph, quotes):
    # A backtracking blow-up would take minutes; the child is killed long before (tests/guard.py).
    assert call_in_child("crawler.parsing.quotes", "extract_quotes(paragraphs)", paragraph) == quotes
