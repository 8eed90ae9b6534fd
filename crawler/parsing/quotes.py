"""Attributed speech in German press text: `extract_quotes(paragraphs) -> list[Quote]`.

Only attributed speech is a quote. A quoted span counts when
- a speech verb attaches a speaker after it: „…“, sagte Oberbürgermeister Thomas Eiskirch. /
  „…“, so Eiskirch. / „…“, kündigte Oberbürgermeister Eiskirch an. / „…“ – betont sie.
  (the span must start a sentence, and a comma or dash follows it or it ends in . ! ?);
- a colon clause names the speaker before it: Eiskirch betonte: „…“ / Thomas Eiskirch: „…“ /
  Dazu sagt Stadtbaurat Dr. Markus Bradtke: „…“;
- a speech noun before the colon names the speaker: Sein Appell: „…“ / Eiskirchs Fazit: „…“, or a
  partial quote follows "sprach von": Faßbender sprach von einem »…« (see `crawler.parsing.quote_intros`);
- it continues the previous attributed quote with nothing but that quote's own attribution
  sentence in between, in the same paragraph or at the start of the next one:
  „A“, sagte X, „B“ / „A“, sagte X. „B“ → both X. Narrative text in between breaks the chain.
Labels in quotation marks (die Aktion „Stadtradeln“, in den Bereichen „IT und Kommunikation“)
stand mid-sentence without such an attachment and are skipped.

`Quote.speaker` is the person's full name without titles when it was named in full before (short
names, role-only references and pronouns, to the nearest person whose gender fits, are resolved
through the cast); a short name never seen in full stays as it stands. `Quote.role`
is the role standing with the name, else the role the person was introduced with, else None.
Quotes attributed to several people (plural verb) or to an organisation keep speaker None.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .name_scan import scan_names
from .quote_intros import noun_clause_speaker, partial_quote_speaker, speaker_after
from .quote_marks import Span as _Span
from .quote_marks import spans as _spans
from .record import Quote
from .speaker_lexicon import SPEECH_VERBS
from .speakers import NP, SENTENCE_ADVERBS, Cast, parse_np

__all__ = ["extract_quotes"]


# --------------------------------------------------------------------------- speech verbs
@dataclass(frozen=True)
class _Verb:
    plural: bool = False
    reflexive: bool = False  # needs "sich": freut sich, zeigte sich
    particle: re.Pattern | None = None  # must follow the subject: kündigte … an


def _p(words: str) -> re.Pattern:
    return re.compile(rf"\b(?:{words})\b")


_VERBS: dict[str, _Verb] = {"so": _Verb()}
for _sing, _plur, _refl, _part in SPEECH_VERBS:
    _pat = _p(_part) if _part else None
    for _form in _sing.split():
        _VERBS[_form] = _Verb(False, _refl, _pat)
    for _form in _plur.split():
        _VERBS[_form] = _Verb(True, _refl, _pat)
_FORMS = "|".join(sorted(_VERBS, key=len, reverse=True))
_FORMS_NO_SO = "|".join(sorted((f for f in _VERBS if f != "so"), key=len, reverse=True))

# after the closing mark: [,|–] verb [sich]
_POST_HEAD = re.compile(rf"[ \t\u00a0]*(?P<punct>[,–—]|\s-)?\s*(?P<verb>{_FORMS})\b(?P<sich>\s+sich\b)?")
_PRE_VERB = re.compile(rf"\b(?P<verb>{_FORMS_NO_SO})\b(?P<sich>\s+sich\b)?")
# words that may stand between the verb and its subject: "sagte dazu Stadtbaurat …"
_MID_ADVERBS = re.compile(
    r"\s*(?:(?:dazu|auch|zudem|außerdem|ebenfalls|weiter|weiterhin|abschließend|nun|jetzt|heute|gestern"
    r"|damals|bereits|schon|noch|gleichzeitig|deshalb|daher|hierzu|dabei|sichtlich|erfreut|ganz|denn"
    r"|nochmals|erneut|zufrieden|stolz|überzeugt"
    r"|am\s+(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Wochenende|Abend|Morgen|Rande))"
    r"\s+){0,3}"
)
_GOOD_SUBJECTS = ("person", "pronoun", "role", "org")


def _good_subject(np_: NP, verb: _Verb) -> bool:
    """Who can be a speaker: a person, pronoun, role or organisation; a group ("sagten die
    Anwohner") only with a plural verb ("so der Titel der Reihe" is no speaker)."""
    return np_.kind in _GOOD_SUBJECTS or (verb.plural and np_.kind == "noun" and np_.article is not None)

# --------------------------------------------------------------------------- sentences
_ABBREV = frozenset("Dr Prof Nr bzw ca St Str vgl ggf inkl sog Mio Mrd Tel Jh Abs Art usw evtl etc Hr Fr".split())
_TERM = re.compile(r"[.!?…](?=[\"“”»«\s)]|$)")
_WORD_BEFORE = re.compile(r"(\w+)$")
_TERMINAL_INNER = re.compile(r"[.!?…,][\"'‘’)]*$")


def _is_terminator(text: str, i: int) -> bool:
    if text[i] != ".":
        return True
    m = _WORD_BEFORE.search(text, max(0, i - 24), i)
    if not m:
        return True
    word = m.group(1)
    return not (word.isdigit() or word in _ABBREV or len(word) == 1)


def _sentence_end(p: str, pos: int, stop: int) -> int:
    """Offset just after the sentence that is running at `pos` ends, or `stop`."""
    for m in _TERM.finditer(p, pos, stop):
        if _is_terminator(p, m.start()):
            return m.end()
    return stop


def _clause_start(p: str, lo: int, hi: int) -> int:
    """Where the sentence ending at `hi` began (not before `lo`)."""
    lo = max(lo, hi - 300)
    start = lo
    for m in _TERM.finditer(p, lo, hi):
        if _is_terminator(p, m.start()):
            start = m.end()
    return start


def _starts_sentence(pre: str) -> bool:
    s = pre.rstrip()
    if not s:
        return True
    c = s[-1]
    if c in ":;!?…–—(":
        return True
    if c == ".":
        return _is_terminator(s, len(s) - 1)
    return False


# --------------------------------------------------------------------------- attribution
@dataclass
class _Attr:
    np: NP
    plural: bool
    end: int  # where the attribution's phrase ends
    weak: bool = False  # no speech verb named the act: only a whole spoken sentence counts


def _postposed(p: str, sp: _Span, stop: int) -> _Attr | None:
    m = _POST_HEAD.match(p, sp.end, stop)
    if not m:  # „…“ Mit diesen Worten eröffnete Eiskirch … / „…“, heißt es vom Veranstalter.
        found = speaker_after(p, sp.end, stop, whole=_ends_sentence(p, sp, stop))
        return _Attr(found, False, found.end) if found is not None else None
    if not m.group("punct") and not _TERMINAL_INNER.search(sp.text):
        return None  # „Stadtradeln“ findet … : the span is part of a sentence, not speech
    verb = _VERBS[m.group("verb")]
    if verb.reflexive and not m.group("sich"):
        return None
    pos = _MID_ADVERBS.match(p, m.end(), stop).end()
    np_ = parse_np(p, pos, stop)
    if np_ is None or not _good_subject(np_, verb):
        return None
    end = np_.end
    if verb.particle is not None:
        sentence_end = _sentence_end(p, np_.end, min(stop, np_.end + 120))
        pm = verb.particle.search(p, np_.end, sentence_end)
        if not pm:
            return None
        end = pm.end()
    return _Attr(np_, verb.plural, end)


_LEAD_WORD = re.compile(r"\s*([^\W\d_]+)\s+")


def _skip_leading(clause: str) -> int:
    pos = 0
    for _ in range(3):
        m = _LEAD_WORD.match(clause, pos)
        if not m or m.group(1).lower() not in SENTENCE_ADVERBS:
            break
        pos = m.end()
    while pos < len(clause) and clause[pos].isspace():
        pos += 1
    return pos


_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")
_SPEAKING_KINDS = ("person", "role", "pronoun")
_INDEFINITE, _DEFINITE = ("ein", "eine", "einer"), ("der", "die")
_MIN_WEAK_WORDS = 4
_I_CLAUSE = re.compile(r"[Ii]ch\s+[^\W\d_]+")
_LABEL = re.compile(r"([^\W\d_][^:.!?]{2,60}):\s")
_CLAUSE_REST = re.compile(r"[\s,]*(?:(?:dazu|hierzu|abschließend|zufrieden|überzeugt|erfreut)\s*)?")


def _preposed(clause: str, cast: Cast) -> _Attr | None:
    """The speaker named by the clause before a colon: "Eiskirch betonte", "Thomas Eiskirch",
    "Dazu sagt Stadtbaurat Dr. Markus Bradtke", "Anna Beispiel, Leiterin des Tiefbauamtes, erklärt"."""
    lead = _skip_leading(clause)
    np_ = noun_clause_speaker(clause, lead, cast)  # "Sein Appell:", "Eiskirchs Fazit:"
    if np_ is not None:
        return _Attr(np_, False, np_.end)
    for m in _PRE_VERB.finditer(clause):
        verb = _VERBS[m.group("verb")]
        if verb.reflexive and not m.group("sich"):
            continue
        if verb.particle is not None and not verb.particle.search(clause, m.end()):
            continue
        # subject first: "Eiskirch betonte", "Anna Beispiel, Leiterin des Tiefbauamtes, erklärt"
        np_ = parse_np(clause, lead, m.start())
        if np_ is not None and _good_subject(np_, verb) and not clause[np_.end:m.start()].strip(" ,"):
            return _Attr(np_, verb.plural, np_.end)
        # verb first: "Dazu sagt Stadtbaurat Dr. Markus Bradtke"
        pos = _MID_ADVERBS.match(clause, m.end()).end()
        np_ = parse_np(clause, pos)
        if np_ is not None and _good_subject(np_, verb):
            return _Attr(np_, verb.plural, np_.end)
        return None
    # no verb: the clause is the speaker ("Thomas Eiskirch:", "Die Stadtbaurätin:")
    np_ = parse_np(clause, lead)
    if np_ is None:
        return None
    if _CLAUSE_REST.fullmatch(clause, np_.end) is None:
        # "Die Dezernentin verweist auf den Online-Service:": a person's own clause, any verb
        verb = _NEXT_WORD.match(clause, np_.end)
        weak = np_.kind in _SPEAKING_KINDS and verb is not None and verb.group(1).islower()
        return _Attr(np_, False, np_.end, weak=True) if weak else None
    if np_.kind == "role" or (np_.kind == "person" and (np_.full or np_.role or np_.marked
                                                        or cast.knows_short(np_.name[-1]))):
        return _Attr(np_, False, np_.end)
    return None


def _first_person(clause: str, label: NP | None) -> _Attr | None:
    # An interview answer ("Dirk Hoppenstedt: … Ich sage jedem: „…“"): "ich" is the answer's speaker.
    if label is None:
        return None
    clause = clause[clause.rfind(":") + 1:]  # the clause may open the answer, right after its label
    if not _I_CLAUSE.match(clause, _skip_leading(clause)):
        return None
    return _Attr(label, False, 0, weak=True)


def _answer_label(p: str) -> NP | None:
    """The speaker an interview answer opens with ("Dirk Hoppenstedt: Intensiv."), if any."""
    m = _LABEL.match(p)
    np_ = parse_np(p, 0, m.end(1)) if m else None
    return np_ if np_ is not None and np_.kind == "person" and np_.full and np_.end == m.end(1) else None


def _before(p: str, prev_end: int, sp: _Span, stop: int, cast: Cast, label: NP | None) -> _Attr | None:
    """The speaker named before the quote: a colon clause ("Eiskirch betonte: „…“"), or a speech verb's
    clause ending in a comma before a whole quoted sentence ("Bradtke sagte bei der Vorstellung, „…“")."""
    stripped = p[prev_end:sp.start].rstrip()
    if not stripped.endswith((":", ",")):
        return None
    mark = prev_end + len(stripped) - 1
    clause = p[_clause_start(p, prev_end, mark):mark]
    if stripped.endswith(":"):
        attr = _preposed(clause, cast) or _first_person(clause, label)
        return attr if attr is not None and _colon_fits(attr, p, sp, stop) else None
    if not _PRE_VERB.search(clause) or not _ends_sentence(p, sp, stop) or len(sp.text.split()) < _MIN_WEAK_WORDS:
        return None
    attr = _preposed(clause, cast)
    return attr if attr is not None and not attr.weak else None


def _colon_fits(attr: _Attr, p: str, sp: _Span, stop: int) -> bool:
    """Not a label list; after a clause without a speech verb only a whole spoken sentence."""
    if _is_list_item(p, sp, stop):
        return False
    return not attr.weak or (_ends_sentence(p, sp, stop) and len(sp.text.split()) >= _MIN_WEAK_WORDS)


def _resolve(attr: _Attr, cast: Cast) -> tuple[str | None, str | None]:
    np_ = attr.np
    if np_.kind == "person":
        person = cast.note(np_)
        if attr.plural:
            return None, None
        return person.name, np_.role or person.role
    if attr.plural:
        return None, None
    if np_.kind == "pronoun":
        person = cast.by_gender(np_.gender)
        return (person.name, person.role) if person else (None, None)
    if np_.kind == "role":
        person = cast.by_role(np_.role, np_.gender, loose=np_.article not in _INDEFINITE)
        if person is None and np_.article in _DEFINITE:
            person = cast.named_in_paragraph(np_.gender)  # "die 16-jährige Mia Schröder … erzählte die Schülerin"
        return (person.name, np_.role) if person else (None, np_.role)
    return None, None  # an organisation


def _partial(p: str, prev_end: int, sp: _Span) -> _Attr | None:
    """A partial quote whose sentence's subject speaks it: "Faßbender sprach von einem »…«"."""
    clause = p[_clause_start(p, prev_end, sp.start):sp.start]
    np_ = partial_quote_speaker(clause, _skip_leading(clause), sp.text)
    return _Attr(np_, False, np_.end) if np_ is not None else None


def _ends_sentence(p: str, sp: _Span, stop: int) -> bool:
    """The quoted span closes a sentence: „… sind.“ or „…“. (not „Stadtradeln“ läuft …)."""
    if _TERMINAL_INNER.search(sp.text):
        return True
    m = _NEXT_CHAR.match(p, sp.end, stop)
    return m is None or m.group(1) in ".!?"


def _is_list_item(p: str, sp: _Span, stop: int) -> bool:
    """A short label in a colon list: Schwerpunkte: „Bildung“, „Klima“ und „Mobilität“."""
    return len(sp.text.split()) <= 4 and not _ends_sentence(p, sp, stop)


_NEXT_CHAR = re.compile(r"\s*(\S)")


# --------------------------------------------------------------------------- the extractor
@dataclass
class _Last:
    para: int
    tail: int  # end of the quote's own attribution sentence
    speaker: str | None
    role: str | None


_AFTER_QUOTE = re.compile(r"[ \t\u00a0]*[.!?,;]?")
_CONTINUATION_MARKER = re.compile(r"\s*(?:und\s+)?(?:weiter|ferner|außerdem|zudem|und)\s*:\s*", re.IGNORECASE)


def extract_quotes(paragraphs: list[str]) -> list[Quote]:
    """The attributed quotes of the body paragraphs, in order."""
    cast = Cast()
    out: list[Quote] = []
    last: _Last | None = None
    pending: tuple[int, _Span] | None = None  # an open-ended quote waiting for its speaker
    for pi, p in enumerate(paragraphs):
        cast.mark_paragraph()
        spans = _spans(p) if p else []
        label = _answer_label(p) if spans else None
        prev_end = 0
        for k, sp in enumerate(spans):
            scan_names(p, prev_end, sp.start, cast)
            stop = spans[k + 1].start if k + 1 < len(spans) else len(p)
            pre = p[prev_end:sp.start]
            # what stands between the last attributed quote's sentence and this quote
            if last is not None and last.para == pi:
                gap = p[last.tail:sp.start]
            elif last is not None and last.para == pi - 1 and k == 0 and not paragraphs[pi - 1][last.tail:].strip():
                gap = pre
            else:
                gap = None
            contiguous = gap is not None and (not gap.strip() or bool(_CONTINUATION_MARKER.fullmatch(gap)))

            speaker = role = tail = None
            attr = _before(p, prev_end, sp, stop, cast, label)
            attributed = attr is not None
            if attributed:
                speaker, role = _resolve(attr, cast)
            if not attributed and not sp.open_ended and (contiguous or _starts_sentence(pre)):
                attr = _postposed(p, sp, stop)
                if attr is not None:
                    speaker, role = _resolve(attr, cast)
                    attributed = True
                    tail = _sentence_end(p, attr.end, stop)
            if not attributed and contiguous and _ends_sentence(p, sp, stop):
                speaker, role = last.speaker, last.role
                attributed = True
            if not attributed and not sp.open_ended and not _starts_sentence(pre):
                attr = _partial(p, prev_end, sp)
                if attr is not None:
                    speaker, role = _resolve(attr, cast)
                    attributed = True

            if attributed:
                if pending is not None and pending[0] == pi - 1 and k == 0 and not pre.strip():
                    out.append(Quote(pending[1].text, speaker, role, pending[0]))
                pending = None
                out.append(Quote(sp.text, speaker, role, pi))
                if tail is None:
                    tail = _AFTER_QUOTE.match(p, sp.end, stop).end()
                last = _Last(pi, tail, speaker, role)
            elif sp.open_ended and _starts_sentence(pre):
                pending = (pi, sp)
            prev_end = sp.end
        scan_names(p, prev_end, len(p), cast)
        if pending is not None and pending[0] < pi:
            pending = None
    return out
