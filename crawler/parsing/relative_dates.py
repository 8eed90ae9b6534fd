"""Relative dates in a release's body, resolved with dateutil's relativedelta against its publication day.

A press release speaks from the day it is published (P). The rules:
- "heute" is P ("schon heute", "bis heute", "heute noch", "anders als heute", and "heute" set against
  "früher"/"damals"/"am Anfang" in its sentence mean nowadays: none; in quoted speech a speaker's
  "heute" mostly means nowadays too, so there it needs a time of day: "heute Abend", "heute um 18 Uhr"), "morgen" P + 1, "übermorgen" P + 2, "gestern" P - 1, "vorgestern" P - 2.
- A weekday without a number ("am Sonntag", "am Samstagabend", "kommenden Montag", "nächsten
  Freitag") is the first such day after P; "vergangenen/letzten Montag" the last one before P.
  A plain weekday in a sentence told in the past ("hat am Mittwoch eröffnet", "sagte … am
  Donnerstag") is the last such day on or before P: releases report what just happened.
  A plain weekday needs its "am"; "immer am Montag" and "jeden Montag" are habits, and "Sonntag,
  24. März" is an absolute date (crawler.parsing.dates).
- "nächste/kommende Woche" is the Monday of the week after P's; "vergangene/letzte Woche" the
  Monday of the week before.
- "in zwei Wochen", "in drei Tagen", "in einem Monat" is P plus that, "vor zwei Wochen" P minus it;
  "in einer Woche geschafft" (a participle follows) is a duration, and years ("vor drei Jahren", "in
  zehn Jahren") are too coarse to name a day: none.
- "Anfang/Mitte/Ende März" is the 1st/15th/last day of March, in the year a "1. März" would get.
Nothing is guessed: no dateutil parser, no fuzzy matching, and without P there is no mention.
Mention texts stand in the paragraph as matched, without a leading "am" (as for absolute dates).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from .dates import _FUTURE_CUE, _MONTH, _PAST_CUE, _YEAR, _infer_year, month_number
from .record import DateMention

__all__ = ["relative_mentions", "MAX_RELATIVE"]

# Relative dates resolved per page: a release names a handful; a hostile page of 100,000
# "am Sonntag" would otherwise cost seconds (each needs its sentence's tense).
MAX_RELATIVE = 200

_WEEKDAYS = {"montag": MO, "dienstag": TU, "mittwoch": WE, "donnerstag": TH, "freitag": FR,
             "samstag": SA, "sonnabend": SA, "sonntag": SU}
_DAYS = {"heute": 0, "morgen": 1, "übermorgen": 2, "gestern": -1, "vorgestern": -2}
_NUMBERS = {"ein": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
            "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "vierzehn": 14}
_UNITS = {"tag": "days", "woche": "weeks", "monat": "months", "jahr": "years"}
_AHEAD = {"kommenden", "kommende", "nächsten", "nächste", "naechsten", "naechste"}
_PART_DAY = {"anfang": 1, "mitte": 15, "ende": 31}  # relativedelta(day=31) is the month's last day

_WD = "Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag"
_PART_OF_DAY = "(?:morgen|vormittag|mittag|nachmittag|abend|nacht)?"
# Every branch starts with a word and the whole after a space, bracket or quote: the regex engine
# then skips ahead to the next space instead of trying each branch at every character (6x faster).
_RELATIVE = re.compile(
    rf"""[\s(„»"'](?P<text>
        (?P<wdir>kommenden|nächsten|naechsten|vergangenen|letzten)\s+(?:(?P<wday>{_WD}){_PART_OF_DAY}|(?P<dweek>Woche))
      | (?P<wday2>{_WD}){_PART_OF_DAY}
      | (?P<day>heute|Heute|übermorgen|Übermorgen|morgen|vorgestern|Vorgestern|gestern|Gestern)
      | (?P<kdir>nächste|naechste|kommende|vergangene|letzte)\s+Woche
      | (?P<sdir>[Ii]n|[Vv]or)\s+(?P<n>\d{{1,3}}|ein|einem|einer|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn
          |elf|zwölf|vierzehn)\s+(?P<unit>Tag|Woche|Monat|Jahr)(?:e|en|n)?
      | (?P<pos>Anfang|Mitte|Ende)\s+(?P<month>{_MONTH})(?:\s+(?P<year>{_YEAR})(?!\d))?
    )(?![\w-])""",
    re.VERBOSE,
)
_SENTENCE_REACH = 300  # characters looked at around a weekday for the tense of its sentence
# Before a plain weekday: its "am", but not a habit's ("immer am Montag", "jeweils am Montag").
_AM_BEFORE = re.compile(r"(?<![\w-])[Aa]m\s+$")
_HABIT_BEFORE = re.compile(r"(?i:\b(?:immer|jeweils|stets|meist|meistens|regelmäßig|nur)\s+am\s+)$")
# After a weekday: a day number makes it an absolute date ("Sonntag, 24. März", "Montag, den 3.").
_NUMBER_AFTER = re.compile(r",?\s*(?:den\s+|dem\s+)?\d")
# A sentence told in the past: perfect and passive auxiliaries, and the verbs releases report with.
_PAST_TENSE = re.compile(
    r"(?<![\w-])(?:hat|haben|hatte|hatten|wurde|wurden|worden|war|waren|fand|fanden|gab|kam|kamen|ging|gingen"
    r"|traf|trafen|sprach|nahm|nahmen|fiel|beschloss|sagte|sagten|erklärte|erklärten|betonte|betonten|teilte"
    r"|teilten|stellte|stellten|eröffnete|eröffneten|übergab|übergaben|überreichte|überreichten|besuchte"
    r"|besuchten|besichtigte|besichtigten|begrüßte|begrüßten|unterzeichnete|unterzeichneten|verabschiedete"
    r"|verabschiedeten|ehrte|ehrten|gratulierte|gratulierten|tagte|tagten|startete|starteten)(?![\w-])")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
# "schon heute", "bis heute", "heute noch": today as "nowadays", no date of its own.
_NOWADAYS_BEFORE = re.compile(r"(?i:\b(?:schon|bereits|bis|noch|auch|von|wie|als)\s+)$")
# "Früher gab es hier einen Laden, heute …", "Am Anfang waren wir zu siebt, heute …": then and now.
_THEN = re.compile(r"(?i:\b(?:früher|damals|einst|anfangs|am anfang|zu beginn)\b)")
# In quoted speech "heute" is a date only with a time of day after it.
_QUOTED = re.compile(r'„[^“”„]*[“”]|»[^«»]*«|«[^«»]*»|"[^"]*"')
_TODAY_TIME_AFTER = re.compile(r"(?i:\s+(?:morgen|früh|vormittag|mittag|nachmittag|abend|nacht|ab|um|von)\b)")
# "in einer Woche geschafft": a participle closes the clause, so "in" measures a duration.
_PARTICIPLE_AFTER = re.compile(r"[^,.;:!?„“”\"»«]{0,40}?(?<![\w-])ge[a-zäöüß]{3,}(?:t|en)(?![\w-])")
_NOWADAYS_AFTER = re.compile(r"\s+noch\b")
# "heute Morgen"/"gestern Abend" name a part of that day: "Morgen" after them is no date of its own.
_DAY_WORD_BEFORE = re.compile(r"(?i:\b(?:heute|gestern|vorgestern)\s+)$")


def relative_mentions(paragraph: str, published: date | None, taken=(),
                      limit: int = MAX_RELATIVE) -> list[tuple[tuple[int, int], DateMention]]:
    """((start, end), mention) for each relative date in a paragraph (at most `limit`), resolved against `published`.

    `taken` holds the sorted (start, end) spans of absolute dates already found: a match inside one is skipped."""
    if published is None or not paragraph:
        return []
    found, starts = [], [start for start, _ in taken]
    padded = f" {paragraph}"  # offsets in `padded` are one more than in `paragraph`
    for m in _RELATIVE.finditer(padded):
        if len(found) >= limit:
            break
        span = (m.start("text") - 1, m.end("text") - 1)
        before = bisect_left(starts, span[1]) - 1  # the last absolute date starting before this ends
        if before >= 0 and taken[before][1] > span[0]:
            continue
        when = _resolve(m, paragraph, span[0], published)
        if when is not None:
            found.append((span, DateMention(m.group("text"), when.isoformat())))
    return found


def _resolve(m: re.Match, paragraph: str, start: int, published: date) -> date | None:
    if m.group("wday") or m.group("wday2"):
        return _weekday(m, paragraph, start, published)
    if m.group("day"):
        return _day(m.group("day"), paragraph, start, published)
    if m.group("dweek") or m.group("kdir"):
        monday = relativedelta(weekday=MO(-1))  # the Monday of the week a day lies in
        step = 1 if (m.group("wdir") or m.group("kdir")).lower() in _AHEAD else -1
        return published + relativedelta(weeks=step) + monday
    if m.group("unit"):
        return _span(m, paragraph, start, published)
    return _part_of_month(m, paragraph, start, published)


def _weekday(m: re.Match, paragraph: str, start: int, published: date) -> date | None:
    before = paragraph[max(0, start - 24):start]
    if _NUMBER_AFTER.match(paragraph, start + len(m.group("text"))):
        return None
    direction = (m.group("wdir") or "").lower()
    if not direction and (not _AM_BEFORE.search(before) or _HABIT_BEFORE.search(before)):
        return None
    weekday = _WEEKDAYS[(m.group("wday") or m.group("wday2")).lower()]
    if direction in {"vergangenen", "letzten"}:
        return published + relativedelta(days=-1, weekday=weekday(-1))  # strictly before P
    if not direction and _told_in_the_past(paragraph, start):
        return published + relativedelta(weekday=weekday(-1))  # on or before P
    return published + relativedelta(days=1, weekday=weekday(+1))  # strictly after P


def _sentence_start(paragraph: str, position: int) -> int:
    """Where the sentence holding position starts (looking back at most _SENTENCE_REACH characters)."""
    lo = max(0, position - _SENTENCE_REACH)
    starts = [m.end() for m in _SENTENCE_END.finditer(paragraph, lo, position)]
    return starts[-1] if starts else lo


def _told_in_the_past(paragraph: str, position: int) -> bool:
    """The sentence around position has a past-tense auxiliary or reporting verb."""
    end = _SENTENCE_END.search(paragraph, position, position + _SENTENCE_REACH)
    hi = end.end() if end else min(len(paragraph), position + _SENTENCE_REACH)
    return bool(_PAST_TENSE.search(paragraph, _sentence_start(paragraph, position), hi))


def _day(word: str, paragraph: str, start: int, published: date) -> date | None:
    if word == "morgen" and _DAY_WORD_BEFORE.search(paragraph, max(0, start - 16), start):
        return None  # "heute morgen": this morning
    if word.lower() == "heute" and (_NOWADAYS_BEFORE.search(paragraph, max(0, start - 16), start)
                                    or _NOWADAYS_AFTER.match(paragraph, start + len(word))
                                    or _THEN.search(paragraph, _sentence_start(paragraph, start), start)
                                    or _quoted_without_time(paragraph, start, len(word))):
        return None
    return published + relativedelta(days=_DAYS[word.lower()])


def _quoted_without_time(paragraph: str, start: int, length: int) -> bool:
    """True when the word at start stands in quoted speech with no time of day after it."""
    if _TODAY_TIME_AFTER.match(paragraph, start + length):
        return False
    return any(q.start() < start < q.end() for q in _QUOTED.finditer(paragraph))


def _span(m: re.Match, paragraph: str, start: int, published: date) -> date | None:
    if m.group("unit").lower() == "jahr":
        return None
    if m.group("sdir").lower() == "in" and _PARTICIPLE_AFTER.match(paragraph, start + len(m.group("text"))):
        return None
    n = m.group("n")
    count = int(n) if n.isdigit() else _NUMBERS[n.lower()]
    sign = 1 if m.group("sdir").lower() == "in" else -1
    return published + relativedelta(**{_UNITS[m.group("unit").lower()]: sign * count})


def _part_of_month(m: re.Match, paragraph: str, start: int, published: date) -> date | None:
    month, day = month_number(m.group("month")), _PART_DAY[m.group("pos").lower()]
    cue = _cue(paragraph, start)
    year = int(m.group("year")) if m.group("year") else _infer_year(month, min(day, 28), published, cue)
    return date(year, month, 1) + relativedelta(day=day) if year else None


def _cue(paragraph: str, start: int) -> str | None:
    # "bis Ende März" lies ahead, "seit Anfang März" behind (as for absolute dates).
    lo = max(0, start - 30)
    if _FUTURE_CUE.search(paragraph, lo, start):
        return "future"
    return "past" if _PAST_CUE.search(paragraph, lo, start) else None
