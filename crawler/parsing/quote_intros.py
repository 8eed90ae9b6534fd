"""Speech introduced without a speech verb before the quote: by a noun, or mid-sentence by a verb of naming.

- a speech noun before a colon names the speaker by a possessive, a genitive or "von":
  "Sein Appell: „…“", "Ihr Fazit nach drei Jahren: „…“", "Eiskirchs Bilanz: „…“",
  "Das Fazit von Stadtbaurat Markus Bradtke: „…“";
- a partial quote after "sprach von" in a sentence whose subject speaks: "Faßbender sprach von einem
  »Gewinn für den Stadtteil«", "Eiskirch, der die Preise überreichte, sprach von »Menschen, die …«".
  The quoted words must be a phrase (three words or more) and the subject a person, a pronoun or a
  role. A verb of naming makes a label, not speech ("nannte das Ergebnis „eine tolle Bestätigung“",
  the convention tests/test_quotes.py fixes), so only speaking of something introduces a quote.

- the speaker named by the sentence after a whole quoted sentence, or its source:
  "„…“ Mit diesen Worten eröffnete Oberbürgermeister Thomas Eiskirch den Kongress.",
  "„…“, heißt es vom Veranstalter." (a source that is no person leaves the speaker open).

Used by `crawler.parsing.quotes`, which resolves the returned noun phrase through its cast.
"""
from __future__ import annotations

import re

from .speaker_lexicon import SPEECH_NOUNS
from .speakers import NP, Cast, parse_np

__all__ = ["noun_clause_speaker", "partial_quote_speaker", "speaker_after"]

_NOUNS = "|".join(sorted(SPEECH_NOUNS, key=len, reverse=True))
_NOUN_CLAUSE = re.compile(
    rf"(?:(?P<pos>[Ss]eine?|[Ii]hre?)|(?P<gen>[A-ZÄÖÜ][\w'’-]+?)s|(?:[Dd]as|[Dd]ie|[Dd]er))\s+(?:{_NOUNS})\b"
    r"(?P<von>\s+(?:von|vom)\s+)?")
_PERSONS = ("person", "pronoun", "role")


def noun_clause_speaker(clause: str, pos: int, cast: Cast) -> NP | None:
    """The speaker a speech-noun clause before a colon names ("Sein Appell", "Eiskirchs Fazit"), or None."""
    m = _NOUN_CLAUSE.match(clause, pos)
    if m is None:
        return None
    if m.group("pos"):
        # "Ihr Fazit" may be a group's, "Sein Fazit" a club's: only a person named in this paragraph owns it
        person = cast.named_in_paragraph("m" if m.group("pos").lower().startswith("sein") else "f", without_role=False)
        if person is None:
            return NP("org", m.end())
        return NP("person", m.end(), name=person.name.split(), has_first=person.full is not None)
    if m.group("gen"):
        np_ = parse_np(clause, m.start("gen"), m.end("gen"))
        known = np_ is not None and np_.kind == "person" and (np_.full or cast.knows_short(np_.name[-1]))
        return np_ if known else None
    if m.group("von"):
        np_ = parse_np(clause, m.end())
        return np_ if np_ is not None and np_.kind in _PERSONS else None
    return None


_SPEAKING_OF = re.compile(r"\b(?:sprach|spricht|sprachen|sprechen|redete|redet)\b(?=(?:\s+\S+){0,4}?\s+vo[nm]\b)")
# between the subject and its verb only a relative clause: "Eiskirch, der die Preise überreichte, sprach …"
_RELATIVE = re.compile(r"\s*(?:,\s*(?:der|die|das|dem|den|welche[rsm]?)\b[^,:;]{1,120},)?\s*")
_MAX_OBJECT_WORDS = 6  # "sprach von einem", "sprach mit Blick auf die Zahlen von einem"
_MIN_PHRASE_WORDS = 3


def partial_quote_speaker(clause: str, lead: int, quoted: str) -> NP | None:
    """The subject that speaks of the partial quote ending `clause` ("Faßbender sprach von einem »…«"), or None."""
    if len(quoted.split()) < _MIN_PHRASE_WORDS:
        return None
    verb = None
    for verb in _SPEAKING_OF.finditer(clause, lead):
        pass  # the last one before the quote
    if verb is None or len(clause[verb.end():].split()) > _MAX_OBJECT_WORDS or ":" in clause[verb.end():]:
        return None
    np_ = parse_np(clause, lead, verb.start())
    if np_ is None or np_.kind not in _PERSONS or not _RELATIVE.fullmatch(clause, np_.end, verb.start()):
        return None
    return np_


_WITH_WORDS = re.compile(
    r"\s*Mit\s+(?:diesen|den|seinen|ihren|klaren|deutlichen|eindringlichen|knappen)\s+(?:\w+\s+)?Worten\s+"
    r"[a-zäöüß]+\s+(?:(?:sich|dazu|auch|am|gestern|heute)\s+)*")
_IT_SAYS = re.compile(r"[ \t\u00a0]*,\s*hei(?:ß|ss)t\s+es\b(?:\s+(?:von|vom|aus|bei|beim|seitens)\s+(?:de[rmn]\s+)?)?")


def speaker_after(p: str, end: int, stop: int, whole: bool) -> NP | None:
    """Who the text after a quote ending at `end` names as its source: "Mit diesen Worten eröffnete
    Eiskirch …" after a whole quoted sentence (a person), "…, heißt es vom Veranstalter" (a source,
    maybe no person), else None."""
    m = _WITH_WORDS.match(p, end, stop) if whole else None
    if m:
        np_ = parse_np(p, m.end(), stop)
        return np_ if np_ is not None and np_.kind in _PERSONS else None
    m = _IT_SAYS.match(p, end, stop)
    if not m:
        return None
    np_ = parse_np(p, m.end(), stop) if m.end() > m.start() and p[m.end() - 1].isspace() else None
    return np_ if np_ is not None and np_.kind in _PERSONS else NP("org", m.end())
