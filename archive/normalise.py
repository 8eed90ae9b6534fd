"""German normaliser: the one token stream that both the search index and every query go through."""
from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import Stemmer

# Letters and digits only: the same characters FTS5's unicode61 tokenizer keeps, so a stem
# written into the index is read back as exactly one token.
TOKEN = re.compile(r"[^\W_]+")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
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
    return _stemmer().stemWord(folded) if folded else ""


def words(text: str) -> list[str]:
    """The words of a text, in order, as they are written."""
    return TOKEN.findall(unicodedata.normalize("NFC", text or ""))


def terms(text: str) -> list[str]:
    """The indexed forms of a text's words, in order (empty ones dropped)."""
    return [t for t in map(term, words(text)) if t]


def index_text(text: str | None) -> str:
    """A text as the space-separated token stream stored in the full-text index."""
    return " ".join(terms(text or ""))


def spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, term) of each word of an NFC text, for marking hits in the original wording."""
    for match in TOKEN.finditer(text):
        yield match.start(), match.end(), term(match.group())


def fold_name(name: str | None) -> str:
    """A person's name folded word by word, unstemmed: 'Thomas Eiskirch' → 'thomas eiskirch'."""
    return " ".join(f for f in map(fold, words(name or "")) if f)
