"""Writes one release's body from its topic: paragraphs, lists, images, quotes, dates, and the truth."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from random import Random

from . import dates
from .texts import BODY_ADDITIONS, BODY_FIXES

SLOT = re.compile(r"\{([^{}]+)\}")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„‚])")
# Quotation-mark styles: templates are written „…“/‚…‘; the real portal nests with a plain comma.
STYLES = {
    "de-comma": str.maketrans({"‚": ","}),
    "de": str.maketrans({}),
    "guillemets": str.maketrans({"„": "»", "“": "«", "‚": "›", "‘": "‹"}),
    "straight": str.maketrans({"„": '"', "“": '"', "‚": "'", "‘": "'"}),
}
CREDIT_FORMS = ["quelle"] * 7 + ["foto"] * 4 + ["copy"] * 3 + ["plain"] * 2 + ["none"] * 4


@dataclass
class Para:
    """A body paragraph; plain ones hold no quote and no date, so edits may change their words."""

    text: str
    plain: bool = True


@dataclass
class ItemList:
    """A <ul> or <ol>; every item is a paragraph of its own in the truth."""

    items: list
    ordered: bool = False


@dataclass
class Picture:
    """An image box: alt None means no alt attribute at all."""

    src: str
    alt: str | None
    caption: str
    credit: str | None
    credit_form: str  # quelle | foto | copy | plain | none


@dataclass
class Body:
    """The composed body and the quotes and date mentions it contains."""

    blocks: list
    quotes: list
    mentions: list

    def paragraphs(self) -> list[str]:
        """The body text as a perfect extractor returns it: paragraphs and list items, in order."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Para):
                out.append(block.text)
            elif isinstance(block, ItemList):
                out.extend(block.items)
        return out

    def images(self) -> list[dict]:
        """The images as the extraction contract describes them."""
        return [{"src": b.src, "alt": b.alt or None, "caption": b.caption, "credit": b.credit}
                for b in self.blocks if isinstance(b, Picture)]

    def edit(self, n: int) -> None:
        """The press office's n-th correction: one word swapped in a plain paragraph, else a sentence added."""
        paras = [b for b in self.blocks if isinstance(b, Para)]
        plain = [b for b in paras if b.plain]
        for block in reversed(plain):
            for old, new in BODY_FIXES:
                changed = re.sub(rf"\b{old}\b", new, block.text, count=1)
                if changed != block.text:
                    block.text = changed
                    return
        target = plain[-1] if plain else paras[-1]
        target.text += " " + BODY_ADDITIONS[n % len(BODY_ADDITIONS)]


def nodot(text: str) -> str:
    """A quoted sentence before ', sagte X' loses its full stop (but keeps ! and ?)."""
    return text[:-1] if text.endswith(".") else text


class Filler:
    """Fills template slots for one release and records the body dates it writes."""

    def __init__(self, rng: Random, facts: dict, published: date):
        self.rng, self.facts, self.published = rng, facts, published
        self.found: list[tuple[str, date]] = []
        self.record = True

    def __call__(self, template: str) -> str:
        return SLOT.sub(self._slot, template)

    def _slot(self, match: re.Match) -> str:
        text, weekday = self._render(match.group(1).rstrip(","))
        # German closes an inserted weekday date with a comma when the sentence goes on
        follows = match.string[match.end():match.end() + 2]
        goes_on = len(follows) == 2 and follows[0] == " " and (follows[1].isalnum() or follows[1] == "{")
        return text + ("," if weekday and goes_on else "")

    def _render(self, name: str) -> tuple[str, bool]:
        if name == "range":
            return self._range()
        if name.startswith("d:"):
            day = date.fromisoformat(name[2:])
            return self._note(dates.long_date(day), day), False
        if name.startswith("md:"):
            day = dates.nearest(int(name[3:5]), int(name[6:8]), self.published)
            return self._note(dates.day_month(day), day), False
        if name.startswith("end:"):  # a relative date: "Ende Juli" after "bis", the next one
            month = int(name[4:])
            return self._note(dates.month_end_words(month), dates.month_end_ahead(month, self.published)), False
        form, _, which = name.partition("_")
        if which in ("event", "end", "past", "deadline"):
            return self._date(form, self.facts[which])
        return self._plain(name), False

    def _plain(self, name: str) -> str:
        if name == "time":
            hour = self.rng.randint(10, 19)
            return self.rng.choice([f"um {hour} Uhr", f"um {hour}.30 Uhr", f"von {hour} bis {hour + 2} Uhr"])
        if name == "year":
            return str(self.published.year)
        if name == "next_year":
            return str(self.published.year + 1)
        return str(self.facts[name])

    def _note(self, text: str, day: date) -> str:
        if self.record:
            self.found.append((text, day))
        return text

    def _date(self, form: str, day: date) -> tuple[str, bool]:
        if form in ("hl", "hlday"):
            return ("am " if form == "hl" else "") + dates.day_month(day), False
        if form == "num":
            return self._note(dates.numeric(day), day), False
        if form == "day":
            return self._note(dates.weekday_date(day), day), True
        weekday = self.rng.random() < 0.7
        core = self._note(dates.weekday_date(day) if weekday else dates.day_month(day), day)
        prefix = {"am": "am", "ab": "ab" if weekday else "ab dem", "bis": "bis" if weekday else "bis zum"}
        return f"{prefix[form]} {core}", weekday

    def _range(self) -> tuple[str, bool]:
        first, last = self.facts["event"], self.facts["end"]
        if first.month == last.month:
            core = f"{first.day}.{self.rng.choice([' bis zum ', ' bis '])}{dates.day_month(last)}"
            self._note(core, first)
            self._note(core, last)
            return f"vom {core}", False
        head = self._note(dates.day_month(first), first)
        return f"vom {head} bis zum {self._note(dates.day_month(last), last)}", False

    def take_mentions(self, paragraph: str) -> list[dict]:
        """The dates recorded since the last call, in the order they appear in the paragraph."""
        found, self.found = self.found, []
        found.sort(key=lambda item: paragraph.find(item[0]))
        return [{"text": text, "date": day.isoformat()} for text, day in found]
