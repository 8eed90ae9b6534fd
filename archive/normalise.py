"""German normaliser: the one token stream that both the search index and every query go through."""
from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import Stemmer

# Letters and digits only: the same characters FTS5's unicode61 tokenizer keeps, so a stem
# written into the index is read back as exactly one token.
TOKEN = re.compile(r"[^\W_]+")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_VOWELS = set("aeiouy")
# Bumped whenever term() changes: archive.search reindexes an archive built with another version.
NORMALISER_VERSION = "2"
# Linking elements (Fugen) between compound parts: Hallen|bad, Stadt|s|verwaltung, Kinder|garten.
LINKS = ("", "s", "n", "en", "es", "e", "er")
MIN_PART = 3  # the shortest part a compound is split into (Bad, Hof, Amt)
# Derivational endings: Autor|inn|en, Mann|schaft, Schul|ung are derivations, not compounds.
SUFFIXES = ("inn", "in", "ung", "heit", "keit", "lich", "isch", "chen", "lein", "schaft", "tum", "nis")
_LOCAL = threading.local()  # PyStemmer objects are not thread-safe (Datasette calls us from threads)


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_LOCAL, "stemmer", None)
    if stemmer is None:
        stemmer = _LOCAL.stemmer = Stemmer.Stemmer("german")
    return stemmer


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lowercase, ä→ae ö→oe ü→ue ß→ss, other accents dropped: Bücherei and Buecherei become one."""
    folded = unicodedata.normalize("NFC", word).casefold().translate(_UMLAUTS)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if ch.isalnum())


@lru_cache(maxsize=400_000)
def term(word: str) -> str:
    """The indexed form of one word: folded, then Snowball-German stemmed (Stolpersteine → stolperstein)."""
    folded = fold(word)
    # The German Snowball stemmer maps ae/oe/ue back to a/o/u itself, so both spellings meet.
    return strip_plural_s(_stemmer().stemWord(folded)) if folded else ""


def strip_plural_s(stem: str) -> str:
    """Drop the -s plural Snowball keeps after a vowel: kitas → kita, autos → auto, handys → handy.

    Applied to stems, so words that already shared a stem still do. Only after a, i, o, y that
    follows a consonant: -us (Bus, Status, Tourismus), -es and diphthongs (Haus/hau(en), Kreis,
    Eis) are singular endings far more often than plurals. Stems under four letters stay (das, was).
    """
    if len(stem) < 4 or stem[-1] != "s" or stem[-2] not in "aioy" or stem[-3] in _VOWELS:
        return stem
    return stem[:-1]


def words(text: str) -> list[str]:
    """The words of a text, in order, as they are written."""
    return TOKEN.findall(unicodedata.normalize("NFC", text or ""))


def terms(text: str) -> list[str]:
    """The indexed forms of a text's words, in order (empty ones dropped)."""
    return [t for t in map(term, words(text)) if t]


def index_text(text: str | None) -> str:
    """A text as the space-separated token stream stored in the full-text index."""
    return " ".join(terms(text or ""))


def fold_name(name: str | None) -> str:
    """A person's name folded word by word, unstemmed: 'Thomas Eiskirch' → 'thomas eiskirch'."""
    return " ".join(f for f in map(fold, words(name or "")) if f)


def compound_rests(word: str, candidate: str) -> list[str]:
    """The parts that must be known words for candidate to be a compound beginning or ending with word.

    Both are index terms (stems): 'schul', 'schulhof' → ['hof', …]; 'bad', 'hallenbad' → ['hallen',
    'hall', …]. Empty if candidate neither begins nor ends with word or the rest is too short. A
    search module expands a query word into the candidates of which at least one rest is a term of
    its index, so compounds are split against the archive's own vocabulary.
    """
    if len(word) < MIN_PART or len(candidate) < len(word) + MIN_PART:
        return []
    rests = []
    if candidate.startswith(word):
        rest = candidate[len(word):]
        if not any(rest.endswith(end) and len(rest) - len(end) < MIN_PART for end in SUFFIXES):
            rests += [rest[len(link):] for link in LINKS if rest.startswith(link)]
    if candidate.endswith(word):
        head = candidate[:-len(word)]
        rests += [head[:len(head) - len(link)] for link in LINKS if head.endswith(link)]
    rests = [r for r in rests if len(r) >= MIN_PART]
    return sorted(set(rests) | {term(r) for r in rests} - {""})
