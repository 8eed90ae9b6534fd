"""Bytes to text: BOM, valid UTF-8, UTF-8 with Windows-1252 pasted in (detwingle), header over <meta>, cp1252."""
from __future__ import annotations

import pytest

from crawler.parsing import extract
from crawler.parsing.decode import declared_charset, decode_html

HEAD = "<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><title>Baustelle</title></head><body>"
UTF8_PART = "<h1>Große Straße wird gesperrt</h1><p>Die Große Straße in Bochum-Wattenscheid ist ab Montag gesperrt.</p>"
# A paragraph pasted from Word: its quotes and dash are Windows-1252 bytes in an otherwise UTF-8 page.
PASTED = "<p>„Wir bitten um Verständnis“, sagte Baudezernent Markus Bradtke – „es geht nicht anders.“</p>"


def mixed_page(pasted_times: int = 1) -> bytes:
    return (HEAD + UTF8_PART).encode("utf-8") + PASTED.encode("cp1252") * pasted_times + b"</body></html>"


def test_utf8_page_with_word_quotes_pasted_in_keeps_its_umlauts():
    text = decode_html(mixed_page())
    assert "Große Straße in Bochum-Wattenscheid" in text
    assert "„Wir bitten um Verständnis“, sagte Baudezernent Markus Bradtke – „es geht nicht anders.“" in text


def test_more_pasted_bytes_than_umlauts_is_still_utf8():
    # Eight pasted paragraphs: far more Windows-1252 bytes than UTF-8 umlauts. Decoding the whole
    # page as cp1252 would give "GroÃŸe StraÃŸe".
    text = decode_html(mixed_page(pasted_times=8))
    assert "Große Straße" in text and "Ã" not in text
    assert text.count("„Wir bitten um Verständnis“") == 8


def test_mixed_page_wins_over_a_latin1_label():
    # The server labels the page Latin-1, the CMS wrote UTF-8 and the editor pasted from Word.
    text = decode_html(mixed_page(), {"Content-Type": "text/html; charset=ISO-8859-1"})
    assert "Große Straße" in text and "„Wir bitten um Verständnis“" in text


def test_the_quotes_of_a_mixed_page_are_found():
    record = extract(mixed_page())
    assert record.headline == "Große Straße wird gesperrt"
    assert [(q.text, q.speaker) for q in record.quotes][:1] == [("Wir bitten um Verständnis", "Markus Bradtke")]


def test_a_windows_1252_page_labelled_latin1_has_its_quotes():
    # WHATWG: the Latin-1 label means Windows-1252, so 0x84/0x93 are „ and “, not control characters.
    body = "<html><head><meta charset='iso-8859-1'></head><body><p>Große Straße – „Zitat“</p></body></html>"
    assert "Große Straße – „Zitat“" in decode_html(body.encode("cp1252"))


def test_the_header_charset_outranks_the_meta_charset():
    body = "<html><head><meta charset='windows-1252'></head><body><p>Partnerstadt Łódź grüßt</p></body></html>"
    data = body.encode("iso-8859-2")
    assert declared_charset(data, {"Content-Type": "text/html; charset=ISO-8859-2"}) == "iso8859-2"
    assert "Partnerstadt Łódź grüßt" in decode_html(data, {"Content-Type": "text/html; charset=ISO-8859-2"})
    assert "Partnerstadt Łódź" not in decode_html(data)  # without the header, the <meta> says cp1252


@pytest.mark.parametrize("declaration, codec", [
    ("<?xml version='1.0' encoding='ISO-8859-15'?>", "iso8859-15"),
    ("<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-15'>", "iso8859-15"),
    ("<meta charset=\"latin1\">", "cp1252"),
    ("<meta charset='utf-16'>", "utf-8"),  # WHATWG: a UTF-16 label on bytes without BOM means UTF-8
])
def test_declared_charsets(declaration, codec):
    assert declared_charset(f"{declaration}<html><body><p>Euro: €</p></body></html>".encode("latin-1", "replace")) == codec


def test_iso_8859_15_euro_sign():
    body = "<?xml version='1.0' encoding='ISO-8859-15'?><html><body><p>Eintritt: 5 € für Erwachsene, Straße</p></body></html>"
    assert "Eintritt: 5 € für Erwachsene, Straße" in decode_html(body.encode("iso-8859-15"))


def test_a_pasted_umlaut_before_a_letter_is_windows_1252():
    # detwingle takes a pasted "ß" (0xDF) for the lead byte of a UTF-8 character; it is cp1252 too.
    body = HEAD.encode() + "<p>Öffnungszeiten im Bürgerbüro</p>".encode() + "<p>Straße gesperrt</p>".encode("cp1252")
    assert "Öffnungszeiten im Bürgerbüro</p><p>Straße gesperrt" in decode_html(body)
