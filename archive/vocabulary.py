"""The search index's vocabulary (every term once, also reversed), for splitting compounds at query time.

A query word finds the compounds it begins or ends (Schule → Schulhof, Grundschule; Bad →
Hallenbad) when the rest of the compound, less a linking element, is itself a term of the index
(normalise.compound_rests): compounds are split against the archive's own words, so no dictionary
is needed and a new compound is found as soon as it is indexed. A head that never stands alone
(Stadt|bücherei in an archive without the word Stadt) also counts when it is at least HEAD letters
long and begins another term too (Stadtteil), or is itself begun by a term of HEAD+ letters
(Jugend|freizeit|haus): a chance ending (insgesamt, Apparat) begins no other and no known word
begins it.
A word of LONG letters or more needs neither: Kortum|straße, Bergbau|museum and Straßen|rand are
compounds of Straße and Museum though Kortum, Bergbau and Rand never stand alone in the archive
(scripts/evaluate_search.py measured recall 0.64 for Strasse without this, 1.0 with it).
Terms are never removed: a term
that no longer occurs only adds an OR branch that matches nothing.
"""
from __future__ import annotations

import sqlite3

from .normalise import compound_rests

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS search_term (term TEXT PRIMARY KEY, rev TEXT NOT NULL) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS search_term_rev ON search_term (rev)",
)
SCAN = 2_000  # candidate compounds read per query word (each side); more is no word anyone means
MAX_COMPOUNDS = 100  # OR branches a word grows at most (shortest compounds first)
HEAD = 4  # the shortest head accepted without standing alone
LONG = 6  # a word this long begins or ends another by chance too rarely to ask its rest to be known
_TOP = "\U0010ffff"  # above every character: [w, w + _TOP) is the range of terms starting with w


def record_terms(db: sqlite3.Connection, token_streams) -> None:
    """Add the distinct terms of these index token streams to the vocabulary."""
    found = {t for stream in token_streams for t in stream.split()}
    db.executemany("INSERT OR IGNORE INTO search_term (term, rev) VALUES (?, ?)",
                   [(t, t[::-1]) for t in sorted(found)])


def compound_terms(db: sqlite3.Connection, word: str) -> list[str]:
    """The index terms that are compounds beginning or ending with the term word (not word itself)."""
    starts = db.execute("SELECT term FROM search_term WHERE term > ? AND term < ? LIMIT ?",
                        (word, word + _TOP, SCAN)).fetchall()
    ends = db.execute("SELECT term FROM search_term WHERE rev > ? AND rev < ? LIMIT ?",
                      (word[::-1], word[::-1] + _TOP, SCAN)).fetchall()
    rests = {c: compound_rests(word, c) for (c,) in starts + ends}
    needed = sorted({r for parts in rests.values() for r in parts})
    known = set()
    for i in range(0, len(needed), 500):
        chunk = needed[i:i + 500]
        known |= {row[0] for row in db.execute(
            f"SELECT term FROM search_term WHERE term IN ({', '.join('?' * len(chunk))})", chunk)}
    compounds = [c for c, parts in rests.items()
                 if (parts and len(word) >= LONG) or known.intersection(parts) or _head_begins_others(db, word, c)]
    return sorted(compounds, key=lambda c: (len(c), c))[:MAX_COMPOUNDS]


def _head_begins_others(db: sqlite3.Connection, word: str, candidate: str) -> bool:
    """True if candidate = head + word, the head HEAD+ letters long and either the start of another
    term too (Stadt|teil) or itself begun by a term of HEAD+ letters (Jugend|freizeit|haus)."""
    head = candidate[:-len(word)] if candidate.endswith(word) else ""
    if len(head) < HEAD:
        return False
    rows = db.execute("SELECT term FROM search_term WHERE term > ? AND term < ? AND term <> ? LIMIT 1",
                      (head, head + _TOP, candidate)).fetchall()
    starts = [head[:i] for i in range(HEAD, len(head))]
    return bool(rows) or bool(starts and db.execute(
        f"SELECT term FROM search_term WHERE term IN ({', '.join('?' * len(starts))}) LIMIT 1", starts).fetchall())
