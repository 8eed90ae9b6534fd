"""The cast of a release: the persons named so far, for resolving short names, pronouns and roles."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .speaker_lexicon import is_role_word

if TYPE_CHECKING:
    from .speakers import NP


@dataclass
class Person:
    short: str  # surname (or the name as it stood when only a short name is known)
    full: str | None = None
    role: str | None = None
    gender: str | None = None
    seen: int = 0
    offices: set[str] = field(default_factory=set)  # "dezernent" for a Schuldezernentin, "professor" for Prof.

    @property
    def name(self) -> str:
        return self.full or self.short


_MIN_OFFICE = 4


def _role_key(role: str) -> str:
    return role.lower()


def _role_head(role: str) -> str:
    for w in role.split():
        if is_role_word(w):
            return w.lower()
    return role.split()[0].lower()


def _office(word: str) -> str:
    # The office without its feminine ending: Dezernentin → dezernent, Professorin → professor.
    low = word.lower()
    for ending in ("innen", "in"):
        if low.endswith(ending) and len(low) - len(ending) >= _MIN_OFFICE:
            return low[: -len(ending)]
    return low


def _offices(np_: NP) -> set[str]:
    found = {_office(_role_head(np_.role))} if np_.role else set()
    return found | ({"professor"} if any(t.startswith("Prof") for t in np_.titles) else set())


class Cast:
    """The persons named in a release so far; every lookup gives the most recently named match.

    Lookups are dictionary look-ups (only the office fallback scans the persons), so long texts stay linear."""

    def __init__(self) -> None:
        self.persons: list[Person] = []
        self._clock = 0
        self._paragraph_clock = 0
        self._by_short: dict[str, Person] = {}
        self._by_full: dict[str, Person] = {}
        self._last_by_gender: dict[str, Person] = {}
        self._last_by_role: dict[str, Person] = {}  # keys: the whole role and its head word

    def _touch(self, p: Person) -> Person:
        self._clock += 1
        p.seen = self._clock
        self._last_by_gender[p.gender or "?"] = p
        if p.role:
            self._last_by_role["=" + _role_key(p.role)] = p
            self._last_by_role[_role_head(p.role)] = p
        return p

    def note(self, np_: NP) -> Person | None:
        """Register or refresh the person an NP names; returns that person."""
        if np_.kind != "person" or not np_.name:
            return None
        short = np_.name[-1]
        full = " ".join(np_.name) if np_.full else None
        if full:
            p = self._by_full.get(full)
            if p is None:
                p = self._by_short.get(short)
                if p is not None and p.full is None:
                    p.full = full  # "Oberbürgermeister Eiskirch" named in full later
                else:
                    p = None
        else:
            p = self._by_short.get(short)
        if p is None:
            p = Person(short=short, full=full)
            self.persons.append(p)
        if full:
            self._by_full[full] = p
        self._by_short[short] = p
        if np_.role and not p.role:
            p.role = np_.role
        if np_.gender and not p.gender:
            p.gender = np_.gender
        p.offices |= _offices(np_)
        return self._touch(p)

    def mark_paragraph(self) -> None:
        """A new paragraph starts: `named_in_paragraph` looks only at persons named from here on."""
        self._paragraph_clock = self._clock

    def named_in_paragraph(self, gender: str | None, without_role: bool = True) -> Person | None:
        """The last person named in this paragraph, if their gender fits (and, by default, no role of theirs is known)."""
        p = max((q for q in self._last_by_gender.values() if q.gender in (gender, None)), key=lambda q: q.seen, default=None)
        if p is None or (without_role and p.role) or p.seen <= self._paragraph_clock:
            return None
        return self._touch(p)

    def touch_short(self, word: str) -> None:
        p = self._by_short.get(word)
        if p is not None:
            self._touch(p)

    def knows_short(self, word: str) -> bool:
        return word in self._by_short

    def by_gender(self, gender: str | None) -> Person | None:
        """The person a pronoun refers to: the last one named whose gender fits (that gender or unknown)."""
        cands = [p for p in (self._last_by_gender.get(gender or "?"), self._last_by_gender.get("?"))
                 if p is not None and p.gender in (gender, None)]
        return self._touch(max(cands, key=lambda p: p.seen)) if cands else None

    def by_role(self, role: str, gender: str | None = None, loose: bool = True) -> Person | None:
        """The last person named with that role, else the last whose office it names (Dezernent ⊂ Schuldezernent)."""
        # "die Professorin" finds a Prof.; a gender both sides know must agree; not loose: "ein Sprecher".
        cands = [p for p in (self._last_by_role.get("=" + _role_key(role)), self._last_by_role.get(_role_head(role))) if p]
        if not cands and loose:
            office = _office(_role_head(role))
            cands = [p for p in self.persons if any(o.endswith(office) for o in p.offices)
                     and not (gender and p.gender and gender != p.gender)]
        return self._touch(max(cands, key=lambda p: p.seen)) if cands else None
