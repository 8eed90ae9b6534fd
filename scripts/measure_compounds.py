"""Print what the search's German rules do on the replica's texts, for judging their precision by eye.

    .venv/bin/python scripts/measure_compounds.py [--releases 3000] [WORD ...]

Builds the index vocabulary (archive.vocabulary) from the replica's generated releases, then lists
the words that the -s plural rule (normalise.strip_plural_s) changed, and the compounds each query
word expands to (archive.vocabulary.compound_terms).
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from replica.content import Portal  # noqa: E402

from archive.normalise import _stemmer, fold, term, terms, words  # noqa: E402
from archive.vocabulary import SCHEMA, compound_terms, record_terms  # noqa: E402

WORDS = ("Bad Schule Bücherei Kita Stadt Rat Amt Haus Park Platz Weg Sport Kind Info Auto Halle Kultur "
         "Musik Straße Bau Verkehr Markt Bahn Zeit Ort Tag").split()


def release_texts(n: int) -> list[str]:
    """Headline, paragraphs and captions of n replica releases, one string each."""
    texts = []
    for release in Portal(n=n).releases:
        truth = release.truth()
        captions = [image.get("caption") or "" for image in truth["images"]]
        texts.append(" ".join([truth["headline"] or "", *truth["paragraphs"], *captions]))
    return texts


def main() -> None:
    """Print the plural merges and the compound expansions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=3000)
    parser.add_argument("words", nargs="*", default=WORDS)
    args = parser.parse_args()
    texts = release_texts(args.releases)
    db = sqlite3.connect(":memory:")
    for statement in SCHEMA:
        db.execute(statement)
    record_terms(db, [" ".join(terms(text)) for text in texts])
    changed = defaultdict(set)
    for word in {w for text in texts for w in words(text)}:
        if term(word) and term(word) != _stemmer().stemWord(fold(word)):
            changed[term(word)].add(word)
    print(f"{db.execute('SELECT count(*) FROM search_term').fetchone()[0]} terms;"
          f" -s rule changed {len(changed)} stems:")
    for stem, forms in sorted(changed.items()):
        print(f"  {stem}: {', '.join(sorted(forms))}")
    total = 0
    for word in args.words:
        compounds = compound_terms(db, term(word))
        total += len(compounds)
        print(f"{word} → {', '.join(compounds) or '-'}")
    print(f"{total} compound expansions for {len(args.words)} words")


if __name__ == "__main__":
    main()
