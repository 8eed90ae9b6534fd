"""The persons narrative text names, registered in a release's cast as the text goes along.

`scan_names(p, lo, hi, cast)` finds "Oberbürgermeister Thomas Eiskirch eröffnete …", "die 91-jährige
Irmgard Sobczak", "Concejala Lucía Fernández" and "Tjark Harmsen vom Naturschutzbund" (a first name no
list knows, told by its affiliation), and refreshes the persons named again by surname, in order, so
that pronouns and short names in quotes resolve to the nearest person named before.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .cast import Cast
from .speaker_lexicon import ARTICLES, FOREIGN_TITLES, ORG_WORDS, STOP_CAPS, is_first_name, is_role_word
from .speakers import NP, parse_np

__all__ = ["scan_names"]

_CAPWORD = re.compile(r"(?:Dr|Prof)\.|[A-ZÄÖÜ][\w'’-]*")


@lru_cache(maxsize=16384)
def _may_start_name(w: str) -> bool:
    return w.endswith(".") or w in ("Herr", "Frau") or w in FOREIGN_TITLES or is_first_name(w) or is_role_word(w)


def scan_names(p: str, lo: int, hi: int, cast: Cast) -> None:
    """Register the persons the narrative text p[lo:hi] names ("Oberbürgermeister Thomas Eiskirch
    eröffnete …", "die 91-jährige Irmgard Sobczak") and refresh the ones it names by surname, in order."""
    found: list[tuple[int, NP | str]] = []
    for m in _AGED.finditer(p, lo, hi):  # the article gives the gender of an unknown first name
        np_ = parse_np(p, m.end(), hi)
        if np_ is not None and np_.kind == "person":
            np_.gender = np_.gender or _AGED_GENDER.get((m.group(1).lower(), bool(m.group(2))))
            found.append((m.end(), np_))
    found += _affiliated(p, lo, hi)
    skip_until = lo
    for m in _CAPWORD.finditer(p, lo, hi):
        if m.start() < skip_until:
            continue
        w = m.group()
        if _may_start_name(w):
            np_ = parse_np(p, m.start(), hi)
            if np_ is not None and np_.kind == "person" and (len(np_.name) >= 2 or np_.role or np_.marked):
                found.append((m.start(), np_))
                skip_until = np_.end
                continue
        if cast.knows_short(w):
            found.append((m.start(), w))
    if len(found) > 1:
        found.sort(key=lambda x: x[0])
    for _, what in found:
        if isinstance(what, str):
            cast.touch_short(what)
        else:
            cast.note(what)


# "Tjark Harmsen vom Naturschutzbund", "Jarno van Dyk von der Feuerwehr": a name nobody's first-name list
# knows, recognised by the affiliation that follows it.
_AFFILIATION = re.compile(
    r"(?<![\w-])([A-ZÄÖÜ][\w'’-]+\s+(?:(?:van|von|de|der|den|ter|ten|da|di)\s+)*[A-ZÄÖÜ][\w'’-]+)"
    r"(?=\s+(?:vom|von\s+der|von\s+den|aus\s+dem|aus\s+der|beim|bei\s+der)\s+[A-ZÄÖÜ])")
_WORD_BEFORE = re.compile(r"(\w+)\W*$")
_NOT_BEFORE_NAME = frozenset(ARTICLES) | {"im", "am", "zum", "zur", "vom", "beim", "ins", "ans", "dieser", "diese", "dieses"}


def _affiliated(p: str, lo: int, hi: int) -> list[tuple[int, NP]]:
    """Persons introduced by first and last name and an affiliation, whatever the first name."""
    found = []
    for m in _AFFILIATION.finditer(p, lo, hi):
        before = _WORD_BEFORE.search(p, max(lo, m.start() - 20), m.start())
        first = m.group(1).split()[0]
        if (before and before.group(1).lower() in _NOT_BEFORE_NAME) or first.endswith("er") and not is_first_name(first):
            continue  # "der Stadtteil Hamme vom …", "Bochumer Schulen aus dem …"
        np_ = parse_np(p, m.start(), m.end())
        if np_ is not None and np_.kind == "person" and len(np_.name) >= 2 and not any(
                w in STOP_CAPS or w in ORG_WORDS for w in np_.name):
            found.append((m.start(), np_))
    return found


_AGED = re.compile(r"\b([Dd]er|[Dd]ie|[Dd]en|[Dd]em|[Dd]es)\s+(?:\d{1,3}-|[a-zäöüß]+)jährige(n)?\s+(?=[A-ZÄÖÜ])")
# (article, adjective ends in -n) -> gender: der 88-jährige (m), der 91-jährigen (f, dative), den/dem/des … (m)
_AGED_GENDER = {("der", False): "m", ("der", True): "f", ("die", False): "f", ("den", True): "m",
                ("dem", True): "m", ("des", True): "m"}
