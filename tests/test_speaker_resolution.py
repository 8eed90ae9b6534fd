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
