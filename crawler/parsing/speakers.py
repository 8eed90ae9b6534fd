"""Who speaks: noun phrases naming a person in German press text, and the cast of a release.

`parse_np(text, pos)` reads the noun phrase that starts at `pos` ("Bochums Oberbürgermeister
Thomas Eiskirch", "Dr. Anna Beispiel, Leiterin des Tiefbauamtes", "sie", "der Stadtbaurat",
"Oberbürgermeister Eiskirch") into an `NP`; `Cast` remembers the persons named so far and resolves
short names, pronouns and role-only references to them; `crawler.parsing.name_scan` registers the
persons that narrative text names. Used by `crawler.parsing.quotes`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from .cast import Cast, Person

from .speaker_lexicon import (
    ARTICLES,
    FIRST_NAMES_F,
    FIRST_NAMES_M,
    FOREIGN_TITLES,
    NAME_PARTICLES,
    ORG_WORDS,
    ROLE_LINKS,
    SENTENCE_ADVERBS,
    STOP_CAPS,
    TITLE_WORDS,
    first_name_gender,
    is_first_name,
    is_role_word,
    looks_like_noun,
    role_gender,
)

__all__ = [
    "NP", "Person", "Cast", "parse_np", "tokenize", "is_role_word", "is_first_name", "FIRST_NAMES_M",
    "FIRST_NAMES_F", "SENTENCE_ADVERBS",
]

_TOKEN = re.compile(
    r"(?P<title>(?:Prof|Dr|Dipl|Ing|med|rer|nat|phil|jur|dent|vet|habil|oec|pol|theol|Mag|h\.\s?c)\.(?:-[A-Za-z]+\.)?)"
    r"|(?P<word>[^\W\d_][\w'’]*(?:-[\w'’]+)*)"
    r"|(?P<num>\d+)"
    r"|(?P<punct>\S)"
)


class Tok:
    __slots__ = ("kind", "text", "start", "end")

    def __init__(self, kind: str, text: str, start: int, end: int) -> None:
        self.kind = kind  # title | word | num | punct
        self.text, self.start, self.end = text, start, end


# "sagte der 72-Jährige", "die Neunzehnjährige": an age standing for a person named before
_AGED_NOUN = re.compile(r"([Dd]er|[Dd]ie)\s+(?:\d{1,3}-J|[A-ZÄÖÜ][a-zäöüß]+j)ährige\b(?!\s+[A-ZÄÖÜ])")
_MAX_TOKENS = 18  # a speaker's phrase with its apposition fits easily


def tokenize(text: str, pos: int, stop: int | None = None, limit: int = 260) -> list[Tok]:
    """Tokens of text[pos:stop], at most `limit` characters, with absolute offsets (a word cut
    by the limit is dropped)."""
    stop = len(text) if stop is None else min(stop, len(text))
    end = min(stop, pos + limit)
    toks = [Tok(m.lastgroup, m.group(), m.start(), m.end()) for m in islice(_TOKEN.finditer(text, pos, end), _MAX_TOKENS)]
    if len(toks) == _MAX_TOKENS:
        end = toks[-1].end
    if toks and end < stop and toks[-1].end == end:
        toks.pop()
    return toks


def _cap(tok: Tok) -> bool:
    return tok.kind == "word" and tok.text[:1].isupper()


# --------------------------------------------------------------------------- noun phrases
@dataclass
class NP:
    kind: str  # "person" | "pronoun" | "role" | "org" | "noun"
    end: int  # offset just after the phrase
    name: list[str] = field(default_factory=list)  # name tokens, titles stripped
    has_first: bool = False  # the name includes a first name (it is a full name)
    role: str | None = None
    gender: str | None = None
    article: str | None = None
    marked: bool = False  # a title or Herr/Frau stood before the name
    titles: list[str] = field(default_factory=list)  # "Prof.", "Dr." as they stood

    @property
    def full(self) -> bool:
        return self.has_first or len(self.name) >= 2


def _name_from(caps: list[Tok]) -> tuple[list[str], bool, int]:
    """Build a name from capitalised tokens (and particles): first names, particles, one surname."""
    words = [t.text for t in caps]
    n = 0
    while n < len(words) and is_first_name(words[n]):
        n += 1
    if n == 0:
        name_toks = _unknown_name(caps)
        return [t.text for t in name_toks], False, (name_toks[-1].end if name_toks else caps[0].end)
    rest = caps[n:]
    particles = []
    while rest and rest[0].text[:1].islower():
        particles.append(rest.pop(0))
    if rest:
        surname = rest[0]
        toks = caps[:n] + particles + [surname]
    elif n >= 2:  # "Peter Paul": the last first name is the surname
        toks = caps[:n]
    else:  # a first name alone ("die zwölfjährige Lena") is not a full name
        return [caps[0].text], False, caps[0].end
    return [t.text for t in toks], True, toks[-1].end


_MAX_NAME_CAPS = 3


def _unknown_name(caps: list[Tok]) -> list[Tok]:
    """A name without a known first name: up to three capitalised words with the particles between
    them ("Lucía Fernández Ordóñez", "Jarno van Dyk"); a common noun ends it ("Faßbender Besichtigung")."""
    toks: list[Tok] = []
    for t in caps:
        upper = t.text[:1].isupper()
        names = sum(x.text[:1].isupper() for x in toks)
        if upper and (looks_like_noun(t.text) and names >= 2 or names >= _MAX_NAME_CAPS):
            break
        if upper or toks:
            toks.append(t)
    while toks and not toks[-1].text[:1].isupper():
        toks.pop()
    return toks


def _name_complete(items: list) -> bool:
    """Two name words stand last and no role complement is open: a common noun now ends the phrase
    ("Jarno Wiegand Besuchern"; not "Maria Hornung", not "Leiterin der Abteilung Stadtentwicklung")."""
    if len(items) < 2 or any(kind == "link" for kind, _ in items):
        return False
    return all(kind == "cap" and not is_role_word(tok.text) for kind, tok in items[-2:])


def _title_word(toks: list[Tok], i: int) -> int:
    """How many tokens a title at toks[i] takes: "Dr." / "Mr." 2, "Councillor" before a name 1, else 0."""
    t, n = toks[i], len(toks)
    if t.kind == "title":
        return 1
    if t.kind != "word" or (t.text not in TITLE_WORDS and t.text not in FOREIGN_TITLES):
        return 0
    if i + 1 < n and toks[i + 1].text == ".":
        return 2
    nxt = toks[i + 1] if i + 1 < n else None
    # "Lord Mayor Peter Sandford", "Concejala Lucía …": a foreign title needs a name (or a title) after it
    return 1 if t.text in FOREIGN_TITLES and nxt is not None and (_cap(nxt) or nxt.kind == "title") else 0


def _comma_list_follows(toks: list[Tok], i: int) -> bool:
    """toks[i] is a comma opening ", Sport und Tourismus" / ", Sport, Freizeit und Tourismus"."""
    j = i
    while j + 1 < len(toks) and toks[j].text == ",":
        nxt = toks[j + 1]
        if not (_cap(nxt) and nxt.text not in STOP_CAPS and not is_first_name(nxt.text)):
            return False
        j += 2
    return (j + 1 < len(toks) and toks[j].text in ("und", "sowie") and _cap(toks[j + 1])
            and not is_first_name(toks[j + 1].text))


def parse_np(text: str, pos: int, stop: int | None = None, toks: list[Tok] | None = None) -> NP | None:
    """The noun phrase starting at `pos` (whitespace skipped) and ending before `stop`, or None."""
    if toks is None:
        toks = tokenize(text, pos, stop)
    n = len(toks)
    if not n:
        return None
    i = 0
    first = toks[0]
    if first.kind == "word" and first.text in ("er", "sie", "Er", "Sie"):
        return NP("pronoun", first.end, gender="m" if first.text.lower() == "er" else "f")
    aged = _AGED_NOUN.match(text, first.start)
    if aged:  # "sagte der 72-Jährige": like a pronoun, the nearest person of that gender
        return NP("pronoun", aged.end(), gender=ARTICLES[aged.group(1).lower()], article=aged.group(1).lower())
    article = None
    if first.kind == "word" and first.text.lower() in ARTICLES:
        article = first.text.lower()
        i = 1
        # attributive adjectives: "die neue Stadtbaurätin", "die zwölfjährige Lena"
        while (i < n - 1 and i <= 2 and toks[i].kind == "word" and toks[i].text[:1].islower()
               and toks[i].text.endswith(("e", "en", "er", "es", "em"))):
            i += 1
    # collect: titles, Herr/Frau, capitalised words, name particles, role complements
    items: list[tuple[str, Tok]] = []
    in_role = seen_first = False
    while i < n:
        t = toks[i]
        width = _title_word(toks, i)
        if width:
            items.append(("title", t))
            i += width
            continue
        if t.kind != "word":
            if (t.text == "," and in_role and items and items[-1][0] == "cap" and len(items) >= 2
                    and items[-2][0] == "link" and _comma_list_follows(toks, i)):
                items.append(("link", t))  # "Dezernentin für Kultur, Sport und Tourismus"
                i += 1
                continue
            break
        w = t.text
        if w in ("Herr", "Frau"):
            items.append(("hf", t))
            i += 1
            continue
        if w[:1].isupper():
            if w in STOP_CAPS or len(items) >= 12:
                break
            if looks_like_noun(w) and _name_complete(items):
                break  # "sagte Jarno Wiegand Besuchern des Rundgangs": the name has ended
            items.append(("cap", t))
            i += 1
            if is_first_name(w) and not (len(items) >= 2 and items[-2][0] == "link"):
                seen_first = True
            elif seen_first:
                break  # first name(s) and surname: the name is complete
            elif is_role_word(w):
                in_role = True
            continue
        nxt = toks[i + 1] if i + 1 < n else None
        if (not items and article is None and w in ("von", "van", "de") and nxt is not None
                and (_cap(nxt) or nxt.text in NAME_PARTICLES)):
            items.append(("part", t))  # "sagte von der Leyen"
            i += 1
            continue
        if (w in NAME_PARTICLES and items
                and (items[-1][0] == "part" or (items[-1][0] == "cap" and not is_role_word(items[-1][1].text)))
                and nxt is not None and (_cap(nxt) or nxt.text in NAME_PARTICLES)):
            items.append(("part", t))
            i += 1
            continue
        if w in ("und", "sowie") and in_role and items[-1][0] == "cap" and len(items) >= 2 and items[-2][0] == "link" \
                and nxt is not None and _cap(nxt) and nxt.text not in STOP_CAPS and not is_first_name(nxt.text):
            items.append(("link", t))  # "Dezernentin für Jugend und Familie"
            i += 1
            continue
        if w in ROLE_LINKS and in_role and nxt is not None:
            j = i + 1
            if nxt.kind == "word" and nxt.text in ARTICLES and j + 1 < n:  # "Leiterin der Abteilung für ..."
                j += 1
            if _cap(toks[j]) and toks[j].text not in STOP_CAPS:
                for k in range(i, j):
                    items.append(("link", toks[k]))
                i = j
                continue
        break
    np_ = _interpret(text, items, article)
    if np_ is None:
        return None
    # apposition: ", Leiterin des Tiefbauamtes" / ", die Leiterin des Tiefbauamtes"
    j = next((k for k, t in enumerate(toks) if t.start >= np_.end), n)
    if j < n and toks[j].text == "," and np_.kind == "person":
        k = j + 1
        if k < n and toks[k].kind == "word" and toks[k].text in ("der", "die"):
            k += 1
        if k < n and _cap(toks[k]) and is_role_word(toks[k].text):
            app = parse_np(text, toks[k].start, toks=toks[k:])
            if app is not None and app.kind == "role":
                if np_.role is None:
                    np_.role = app.role
                    if np_.gender is None:
                        np_.gender = app.gender
                np_.end = app.end
    elif j < n and toks[j].text == "," and np_.kind == "role":
        # "Die Leiterin des Tiefbauamtes, Anna Beispiel, erklärt"
        k = j + 1
        if k < n and (toks[k].kind == "title" or (_cap(toks[k]) and is_first_name(toks[k].text))):
            person = parse_np(text, toks[k].start, toks=toks[k:])
            if person is not None and person.kind == "person" and person.role is None:
                person.role = np_.role
                person.gender = person.gender or np_.gender
                return person
    return np_


def _interpret(text: str, items: list[tuple[str, Tok]], article: str | None) -> NP | None:
    if not items:
        return None
    kinds = [k for k, _ in items]
    # where does the name start?
    name_start = None
    last_marker = max((i for i, k in enumerate(kinds) if k in ("title", "hf")), default=None)
    if last_marker is not None:
        name_start = last_marker + 1
    else:
        for i, (k, t) in enumerate(items):
            if k == "cap" and is_first_name(t.text) and not (i and items[i - 1][0] == "link"):
                name_start = i
                break
    if name_start is None:
        role_idx = [i for i, (k, t) in enumerate(items) if k == "cap" and is_role_word(t.text)]
        if role_idx:
            r = role_idx[-1]
            after = items[r + 1:]
            if any(k == "link" for k, _ in after):
                # complements follow the role: "Leiterin des Tiefbauamtes Xenia Quorb"
                last_link = max(i for i, (k, _) in enumerate(items) if k == "link")
                tail = [i for i in range(last_link + 2, len(items)) if items[i][0] == "cap"]
                name_start = tail[-2] if len(tail) >= 2 else None
            elif after:
                name_start = r + 1
        else:
            name_start = 0
    gender = None
    hf = [t.text for k, t in items if k == "hf"]
    if hf:
        gender = "m" if hf[-1] == "Herr" else "f"
    gender = gender or next((FOREIGN_TITLES[t.text] for k, t in items if k == "title" and FOREIGN_TITLES.get(t.text)), None)
    role_items = items[:name_start] if name_start is not None else items
    role_items = [(k, t) for k, t in role_items if k in ("cap", "link")]
    # drop a possessive ("Bochums Oberbürgermeister") and leading non-role words before the role
    while (len(role_items) >= 2 and role_items[0][0] == "cap" and not is_role_word(role_items[0][1].text)
           and role_items[0][1].text.endswith("s") and role_items[1][0] == "cap"):
        role_items = role_items[1:]
    role_heads = [t.text for k, t in role_items if k == "cap" and is_role_word(t.text)]
    role = " ".join(text[role_items[0][1].start:role_items[-1][1].end].split()) if role_heads else None
    if role_heads:
        head_gender = role_gender(role_heads[0])
    else:
        head_gender = None

    if (name_start is None and article is None and len(items) == 1 and kinds[0] == "cap"
            and items[0][1].text[:1].isupper()):
        name_start = 0  # "berichtet Meister": without an article a lone role word is a surname
        role = None
    if name_start is None or name_start >= len(items):
        if role:
            g = head_gender or (ARTICLES.get(article) if article in ("der", "die", "ein", "eine") else None)
            return NP("role", role_items[-1][1].end, role=role, gender=g, article=article)
        words = [t.text for k, t in items if k == "cap"]
        if words and words[0] in ORG_WORDS:
            return NP("org", items[0][1].end, article=article)
        return NP("noun", items[-1][1].end, article=article) if items else None
    name_caps = [t for k, t in items[name_start:] if k in ("cap", "part")]
    if not any(t.text[:1].isupper() for t in name_caps):
        return None
    if article and not role and last_marker is None and not is_first_name(name_caps[0].text):
        # "die Stadt", "das Team", "der Titel": a common noun, not a person
        if name_caps[0].text in ORG_WORDS:
            return NP("org", name_caps[0].end, article=article)
        return NP("noun", name_caps[-1].end, article=article)
    if not role and last_marker is None and name_caps[0].text in ORG_WORDS:
        return NP("org", name_caps[0].end, article=article)
    name, has_first, end = _name_from(name_caps)
    if not name:
        return None
    if gender is None and has_first:
        gender = first_name_gender(name[0])
    if gender is None and head_gender == "f":
        gender = "f"
    if gender is None and article in ("der", "die") and role:
        gender = ARTICLES[article]
    if gender is None and head_gender == "m":
        gender = "m"
    return NP("person", end, name=name, has_first=has_first, role=role, gender=gender, article=article,
              marked=last_marker is not None, titles=[t.text for k, t in items if k == "title"])
