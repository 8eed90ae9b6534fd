"""Speakers named indirectly: offices inside compound roles, titles, colon clauses without a speech verb, interviews."""
from __future__ import annotations

from crawler.parsing.quotes import extract_quotes


def q(paragraphs: list[str]) -> list[tuple[str, str | None]]:
    return [(x.text, x.speaker) for x in extract_quotes(paragraphs)]


def test_an_office_named_inside_a_compound_role():
    paragraphs = [
        "Sozialdezernentin Britta Ohlmeier stellte den Bericht vor.",
        "Die Dezernentin kündigte an: „Wir öffnen im Winter drei zusätzliche Wärmestuben.“",
        "„Niemand soll frieren“, sagte die Dezernentin.",
    ]
    assert q(paragraphs) == [
        ("Wir öffnen im Winter drei zusätzliche Wärmestuben.", "Britta Ohlmeier"),
        ("Niemand soll frieren", "Britta Ohlmeier"),
    ]


def test_an_office_reference_respects_gender():
    paragraphs = ["Sozialdezernentin Britta Ohlmeier stellte den Bericht vor.", "„Das reicht nicht“, sagte der Dezernent."]
    assert q(paragraphs) == [("Das reicht nicht", None)]


def test_a_professor_by_title():
    paragraphs = [
        "Das Gutachten hat Prof. Dr. Jan Terwelp von der Ruhr-Universität erstellt.",
        "„Die Bäume in der Innenstadt leiden unter Trockenheit“, sagte der Professor.",
    ]
    assert q(paragraphs) == [("Die Bäume in der Innenstadt leiden unter Trockenheit", "Jan Terwelp")]


def test_a_colon_clause_without_a_speech_verb_needs_a_whole_sentence():
    assert q(["Stadtbaurätin Dr. Ina Kessler verweist auf die Pläne: „Der Umbau beginnt im Herbst.“"]) == [
        ("Der Umbau beginnt im Herbst.", "Ina Kessler")]
    assert q(["Stadtbaurätin Dr. Ina Kessler eröffnete die Reihe: „Bauen im Bestand“."]) == []
    assert q(["Die Stadt verweist auf die Pläne: „Der Umbau beginnt im Herbst.“"]) == []


def test_first_person_in_an_interview_answer():
    paragraphs = [
        "Was raten Sie jungen Leuten?",
        "Ute Lenzing: Ich sage allen: „Probiert es aus, ein Praktikum kostet nichts.“",
    ]
    assert q(paragraphs) == [("Probiert es aus, ein Praktikum kostet nichts.", "Ute Lenzing")]
    assert q(["Ich sage allen: „Probiert es aus, ein Praktikum kostet nichts.“"]) == []


def test_an_indefinite_role_is_nobody_named():
    paragraphs = ["Stadtsprecher Ole Brinkmann gab die Zahlen bekannt.", "„Die Lage ist ruhig“, so ein Sprecher der Feuerwehr."]
    assert q(paragraphs) == [("Die Lage ist ruhig", None)]


# --------------------------------------------------------------------------- issue 10: speakers on unseen releases
def test_a_common_noun_after_the_name_is_no_part_of_it():
    assert q(["„Hier lernen wieder 30 Klassen schwimmen“, sagte Dr. Henrike Faßbender bei der Besichtigung."]) == [
        ("Hier lernen wieder 30 Klassen schwimmen", "Henrike Faßbender")]
    assert q(["„Wir pflanzen nur Arten, die Hitze vertragen“, erklärte Jarno Wiegand Besuchern des Rundgangs."]) == [
        ("Wir pflanzen nur Arten, die Hitze vertragen", "Jarno Wiegand")]
    # a surname with a noun's ending, and a role's complement, still belong to the phrase
    assert q(["„Wir sind bereit“, sagte Jarno Hornung."]) == [("Wir sind bereit", "Jarno Hornung")]
    assert q(["„Wir sind bereit“, sagte die Leiterin der Abteilung Stadtentwicklung, Anna Schmidt."]) == [
        ("Wir sind bereit", "Anna Schmidt")]
    # three names without a known first name stay one name
    assert q(["„Musik braucht keine Übersetzung“, sagte Lucía Fernández Ordóñez."]) == [
        ("Musik braucht keine Übersetzung", "Lucía Fernández Ordóñez")]


def test_titles_of_other_languages_are_dropped():
    paragraphs = [
        "„Viele unserer Schüler waren schon hier“, sagte Councillor Margaret Holloway, die die Delegation leitete.",
        "Aus Oviedo war Concejala Lucía Fernández angereist.",
        "Für Sheffield sprach Lord Mayor Peter Sandford. „Fünfundsiebzig Jahre sind ein guter Anfang“, sagte Mr. Sandford.",
        "„Wir kommen gern wieder“, sagte Councillor Holloway.",
    ]
    assert q(paragraphs) == [
        ("Viele unserer Schüler waren schon hier", "Margaret Holloway"),
        ("Fünfundsiebzig Jahre sind ein guter Anfang", "Peter Sandford"),
        ("Wir kommen gern wieder", "Margaret Holloway"),
    ]


def test_a_foreign_title_gives_the_gender_a_pronoun_needs():
    paragraphs = ["Oberbürgermeister Thomas Eiskirch begrüßte Madame Odile Perrin aus der Partnerstadt.",
                  "„Wir feiern zusammen“, sagte sie."]
    assert q(paragraphs) == [("Wir feiern zusammen", "Odile Perrin")]


def test_a_pronoun_goes_to_the_nearest_person_whose_gender_fits():
    paragraphs = [
        "Schulleiterin Birgit Ostermann freut sich. „Endlich gute Luft“, sagte Ostermann.",
        "„Hier lernen wieder Klassen schwimmen“, sagte Dr. Henrike Faßbender.",
        "„Das Wasser wird mit Ultrafiltration gereinigt“, sagte sie.",  # Faßbender: gender unknown, but nearest
    ]
    assert [s for _, s in q(paragraphs)] == ["Birgit Ostermann", "Henrike Faßbender", "Henrike Faßbender"]
    # a person whose known gender does not fit is passed over
    paragraphs = ["Sabine Koch stellte die Pläne vor, Peter Brandt erklärte die Kosten.", "„Das ist machbar“, sagte sie."]
    assert q(paragraphs) == [("Das ist machbar", "Sabine Koch")]


def test_a_name_with_an_unknown_first_name_is_known_by_its_affiliation():
    paragraphs = [
        "„Ohne die Freiwilligen ginge es nicht“, sagte Umweltdezernentin Sabine Koch-Hölscher.",
        "Die Idee hatte Tjark Harmsen vom Naturschutzbund. „Damals war das hier ein Maisfeld“, sagte er.",
    ]
    assert [s for _, s in q(paragraphs)] == ["Sabine Koch-Hölscher", "Tjark Harmsen"]
    # a place after an article is no person: the pronoun still finds the man named before
    paragraphs = ["Revierförster Jens Hagedorn führte durch den Stadtteil Hamme von der Kirche aus.",
                  "„Der Wald wächst“, sagte er."]
    assert q(paragraphs) == [("Der Wald wächst", "Jens Hagedorn")]


def test_a_partial_quote_after_sprach_von():
    assert q(["Faßbender sprach von einem »Gewinn für den ganzen Stadtteil«, denn Vereine dürfen mitschwimmen."]) == [
        ("Gewinn für den ganzen Stadtteil", "Faßbender")]
    paragraphs = ["Oberbürgermeister Thomas Eiskirch lobte die Preisträger.",
                  "Eiskirch, der die Preise überreichte, sprach von »Menschen, die unsere Stadt zusammenhalten«."]
    assert q(paragraphs) == [("Menschen, die unsere Stadt zusammenhalten", "Thomas Eiskirch")]
    # a label, an organisation or a sentence without a speaking subject stays no quote
    assert q(["Eiskirch sprach von der »Stadtmitte«."]) == []
    assert q(["Die Stadt spricht von einem »Gewinn für den ganzen Stadtteil«."]) == []
    assert q(["Das Programm wird auf der Messe vorgestellt, von der »Zukunft der Innenstadt« ist die Rede."]) == []


def test_every_quote_mark_style():
    for opening, closing in (("›", "‹"), ("‚", "‘"), ("«", "»"), ("“", "”"), ("»", "«")):
        text = f"{opening}Wir verleihen jetzt auch Werkzeuge{closing}, sagte Büchereileiterin Dr. Katrin Wolzenburg."
        assert q([text]) == [("Wir verleihen jetzt auch Werkzeuge", "Katrin Wolzenburg")], opening
    # an apostrophe does not close a ‚…‘ quote
    assert q(["‚Jetzt geht’s richtig los‘, sagte Wolzenburg."]) == [("Jetzt geht’s richtig los", "Wolzenburg")]
    # a nested ‚…‘ stays inside the outer quote
    assert q(["„Das Motto ‚Lesen macht stark‘ gilt weiter“, sagte Wolzenburg."]) == [
        ("Das Motto ‚Lesen macht stark‘ gilt weiter", "Wolzenburg")]


def test_a_speech_noun_before_a_colon_names_the_speaker():
    paragraphs = [
        "Betreut wird der Raum von Medienpädagoge Jonas Kettler. Sein Appell: „Kommt vorbei und probiert es aus.“",
        "Gründerin Swantje Ebbinghaus fährt selbst mit. Ihr Fazit nach drei Jahren: „Die Gespräche sind wichtiger.“",
        "Kettlers Bilanz: „Zweihundert Besuche in der ersten Woche.“",
        "Das Fazit von Stadtbaurat Dr. Markus Bradtke: „Der Umbau hat sich gelohnt.“",
    ]
    assert [s for _, s in q(paragraphs)] == ["Jonas Kettler", "Swantje Ebbinghaus", "Jonas Kettler", "Markus Bradtke"]
    assert q(["Das Motto lautet: „Bochum packt an“."]) == []


def test_a_definite_role_nobody_holds_is_the_person_just_named():
    paragraphs = ["Mit dabei war die 16-jährige Mia Schröder. “Das ging viel schneller, als ich dachte”, erzählte die Schülerin."]
    assert q(paragraphs) == [("Das ging viel schneller, als ich dachte", "Mia Schröder")]
    # only in the same paragraph: a person named earlier is not silently given the role
    paragraphs = ["Die 16-jährige Mia Schröder druckte eine Handyhalterung.",
                  "„Das Gerät ist kaputt“, sagte die Schülerin."]
    assert q(paragraphs) == [("Das Gerät ist kaputt", None)]


def test_an_age_noun_refers_like_a_pronoun():
    paragraphs = ["Sportdezernent Dietmar Krüger dankte den Vereinen.",
                  "Sportlerin des Jahres wurde Yara Okonkwo vom Turnverein. „Ich habe nicht daran geglaubt“, sagte die 19-Jährige.",
                  "Auch der 72-jährige Günther Schlösser kam. „Früher gab es hier einen Laden“, sagte der Zweiundsiebzigjährige."]
    assert [s for _, s in q(paragraphs)] == ["Yara Okonkwo", "Günther Schlösser"]


def test_the_sentence_after_a_quote_names_its_speaker():
    paragraphs = ["„Innenstädte werden nicht verschwinden, aber sie werden anders aussehen.“ Mit diesen Worten eröffnete "
                  "Oberbürgermeister Thomas Eiskirch den Kongress."]
    assert q(paragraphs) == [("Innenstädte werden nicht verschwinden, aber sie werden anders aussehen.", "Thomas Eiskirch")]
    # a source that is no person: the quote is speech, its speaker stays open
    assert q(["„Der Kongress ist schon ausgebucht“, heißt es vom Veranstalter."]) == [
        ("Der Kongress ist schon ausgebucht", None)]
    assert q(["„Die Lage ist ruhig“, heißt es von Stadtsprecher Peter van Dyk."]) == [("Die Lage ist ruhig", "Peter van Dyk")]


def test_a_speech_verb_clause_ending_in_a_comma_before_a_whole_quoted_sentence():
    paragraphs = ["Stadtbaurat Dr. Markus Bradtke sagte bei der Vorstellung der Pläne, „die Innenstadt braucht mehr Grün "
                  "und weniger Leerstand“."]
    assert q(paragraphs) == [("die Innenstadt braucht mehr Grün und weniger Leerstand", "Markus Bradtke")]
    # a label after a comma, or a clause without a speech verb, is no quote
    assert q(["Eiskirch eröffnete die Reihe, „Original Bochum“ heißt sie."]) == []
    assert q(["Nach der Sanierung, „Haus des Wissens“ genannt, öffnet das Gebäude wieder."]) == []


def test_a_possessive_speech_noun_belongs_to_a_person_of_its_paragraph():
    # "Ihr" may be a group's and "Sein" a club's: without a person named in the paragraph the speaker stays open
    paragraphs = ["Gründerin Swantje Ebbinghaus stellte den Verein vor.",
                  "Die Organisatoren des Festes sind zufrieden. Ihr Fazit: „Nächstes Jahr machen wir weiter.“"]
    assert q(paragraphs) == [("Nächstes Jahr machen wir weiter.", None)]
