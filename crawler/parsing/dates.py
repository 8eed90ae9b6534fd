"""German dates as they stand in Bochum press releases, parsed deliberately.

Every form is recognised by the regular expressions below and the `datetime.date` is built
explicitly from the captured day, month and year; `date()` itself rejects impossible dates
(31. Februar). dateutil's parser is NOT used: its guessing is exactly what must not happen here
(with ``fuzzy=True`` "(9. Oktober 2020)" comes out as some other day, with ``dayfirst=True``
"2020-10-09" becomes 10 September). Only its date arithmetic (relativedelta) resolves relative
dates, in crawler.parsing.relative_dates.

Public API:
- `parse_date_line(text)`     the release's own date line, e.g. "(9. Oktober 2020)"
- `date_from_url(url, habits)` the date segment of a release URL (/Pressemeldungen/9-Oktober-2020/...)
- `parse_iso_or_german(text)` metadata values: ISO read as ISO, dotted numerals day-first
- `find_date_mentions(paragraphs, published)` every date named in the body, year inferred,
  relative dates resolved (crawler.parsing.relative_dates)

Mention texts (`DateMention.text`) are the matched text exactly as it stands, without a
preceding "am"/"vom" but with the weekday and a "den"/"dem" if they stand before the day
("Sonntag, 24. März", "Freitag, den 9. Oktober 2020"); an abbreviated month keeps its dot
("3. Okt. 2020"). In a range the first part is what stands ("9." in "vom 9. bis zum 29. Mai").
"""
from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import unquote, urlsplit

from .record import DateMention

__all__ = ["parse_date_line", "date_from_url", "parse_iso_or_german", "find_date_mentions", "month_number"]

# --------------------------------------------------------------------------- months and weekdays
_FULL_MONTHS = {
    "januar": 1, "jänner": 1, "jaenner": 1, "janner": 1,
    "februar": 2, "feber": 2,
    "märz": 3, "maerz": 3, "marz": 3,
    "april": 4, "mai": 5, "juni": 6, "juli": 7, "august": 8, "september": 9,
    "oktober": 10, "november": 11, "dezember": 12,
}
_ABBR_MONTHS = {
    "jan": 1, "jän": 1, "feb": 2, "febr": 2, "mär": 3, "mrz": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dez": 12,
}
_MONTHS = {**_FULL_MONTHS, **_ABBR_MONTHS}


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Full names never take the dot (a dot after "März" ends the sentence); abbreviations keep theirs.
# The trailing look-ahead stops "Mai" in "Mainz", "Jun" in "Junior", "Aug" in "Augen".
_MONTH = rf"(?i:(?:{_alternation(_FULL_MONTHS)})|(?:{_alternation(_ABBR_MONTHS)})\.?)(?![^\W\d_])"
_WEEKDAY = (
    r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag"
    r"|(?:Mo|Di|Mi|Do|Fr|Sa|So)\.)"
)
_YEAR = r"(?:1[0-9]{3}|2[0-9]{3})"


def month_number(word: str) -> int | None:
    """1-12 for a German month name or abbreviation ("Okt.", "Maerz", "Jänner"), else None."""
    return _MONTHS.get(word.strip().rstrip(".").lower())


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --------------------------------------------------------------------------- the date line
_DATE_LINE = re.compile(
    rf"""
    [(\[]?\s*
    (?:[A-ZÄÖÜ][a-zäöüß]+,\s*)?                          # "Bochum, " (a dateline's place)
    (?:(?i:Veröffentlicht|Veroeffentlicht|Erstellt|Aktualisiert|Zuletzt\ aktualisiert|Geändert
        |Stand|Datum|Pressemitteilung|Pressemeldung|Presseinformation)
       (?:\s+(?:am|vom))?\s*:?\s*)?
    (?:{_WEEKDAY},?\s+)?(?:den\s+)?
    (?:
        (?P<d1>\d{{1,2}})\.\s*(?P<m1>{_MONTH})\s*(?P<y1>{_YEAR})
      | (?P<d2>\d{{1,2}})\.\s?(?P<m2>\d{{1,2}})\.\s?(?P<y2>{_YEAR}|\d{{2}})
      | (?P<y3>{_YEAR})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})
    )
    (?:,?\s*(?:um\s+)?\d{{1,2}}[:.]\d{{2}}(?:\s*Uhr)?)?      # an optional time of day
    \s*[)\]]?\s*\.?
    """,
    re.VERBOSE,
)


def parse_date_line(text: str) -> date | None:
    """The date of a release's own date line ("(9. Oktober 2020)", "Stand: 3. Okt. 2020").

    Only a text that is a date line AS A WHOLE gives a date: a sentence that merely contains a
    date gives None. A year is required."""
    if not text or len(text) > 80:
        return None
    m = _DATE_LINE.fullmatch(text.strip())
    if not m:
        return None
    if m.group("d1"):
        return _make_date(int(m.group("y1")), month_number(m.group("m1")), int(m.group("d1")))
    if m.group("d2"):
        year = m.group("y2")
        y = int(year) + 2000 if len(year) == 2 else int(year)
        return _make_date(y, int(m.group("m2")), int(m.group("d2")))
    return _make_date(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))


# --------------------------------------------------------------------------- the URL date segment
# The date habits of release URLs; a site profile names the ones its addresses use (crawler.sites).
_URL_DATE = re.compile(r"(?:^|/)(\d{1,2})-([^\W\d_]+)\.?-(\d{4})(?=/|$)")
# Relaunch shapes: /2026-03-03-neue-radwege, /2026/03/03/neue-radwege (a day is required).
_URL_ISO_DATE = re.compile(r"/((?:19|20)\d\d)([-/])(\d\d)\2(\d\d)(?=[-/]|$)")


def _day_month_year(path: str) -> date | None:
    # A date folder: /9-Oktober-2020/, /27-Maerz-2024/, /09-Okt.-2020/.
    for m in _URL_DATE.finditer(path):
        month = month_number(m.group(2))
        found = _make_date(int(m.group(3)), month, int(m.group(1))) if month else None
        if found:
            return found
    return None


def _iso(path: str) -> date | None:
    for m in _URL_ISO_DATE.finditer(path):
        found = _make_date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        if found:
            return found
    return None


URL_DATE_HABITS = {"day-month-year": _day_month_year, "iso": _iso}


def date_from_url(url: str, habits: tuple[str, ...] = tuple(URL_DATE_HABITS)) -> date | None:
    """The date of a URL's date segment in one of the habits: /Pressemeldungen/9-Oktober-2020/Slug
    (day-month-year), /2020-10-09-Slug or /2020/10/09/slug (iso).

    Percent-encoded slashes (%2F), transliterated umlauts (27-Maerz-2024) and leading zeros are
    understood; a topic segment (Aktuelle-Pressemeldungen-zum-Corona-Virus) gives None."""
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for _ in range(3):  # %2F, and the odd double-encoded %252F
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    for habit in habits:
        found = URL_DATE_HABITS[habit](path)
        if found:
            return found
    return None


# --------------------------------------------------------------------------- metadata values
_ISO = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_RFC2822 = re.compile(r"(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\b.*")


def parse_iso_or_german(text: str | None) -> date | None:
    """A date from a metadata value: ISO ("2020-10-09", "2020-10-09T10:00:00+02:00") read as
    ISO (the date as written, no time-zone shift), dotted numerals ("09.10.2020") read
    day-first, German long dates ("9. Oktober 2020"), and HTTP/RFC 2822 dates."""
    if not text:
        return None
    s = text.strip()
    if not s or len(s) > 80:
        return None
    m = _ISO.fullmatch(s)
    if m:
        return _make_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    if _RFC2822.fullmatch(s):
        try:
            return parsedate_to_datetime(s).date()
        except (TypeError, ValueError, IndexError):
            return None
    return parse_date_line(s)


# --------------------------------------------------------------------------- mentions in the body
# What may stand between two linked dates: "9. bis zum 29. Mai", "9.–12. Mai", "3., 10. und 17. Mai",
# "in der Nacht vom 9. auf den 10. Mai", "24./25. Mai".
_CONN = (
    r"\s*(?:[-–—/]\s*|,\s*(?:(?i:und|oder|sowie|bis)\s+)?|(?i:und|oder|sowie|bis|auf)\s+)"
    r"(?:(?i:zum|zur|einschließlich|einschl\.|inklusive|inkl\.|am|den|dem)\s+)?"
)
_CONNECTOR = re.compile(_CONN)
# A date token with a month, matched where _CANDIDATE found one.
_ATOM = re.compile(
    rf"""
      (?P<iso>(?<![\w.\-/])(?P<iy>{_YEAR})-(?P<im>\d{{2}})-(?P<id>\d{{2}})(?![\d\-]))
    | (?P<num>(?<![\w.,/§\-])(?P<nd>\d{{1,2}})\.(?P<nm>\d{{1,2}})\.(?P<ny>{_YEAR})?(?!\d))
    | (?<![\w.,])(?P<od>\d{{1,2}})\.\s*(?P<om>{_MONTH})(?:\s+(?P<oy>{_YEAR})(?!\d))?
    """,
    re.VERBOSE,
)
_CANDIDATE = re.compile(r"\d{4}-\d\d-|\d{1,2}\.\d{1,2}\.|\d{1,2}\.\s*(?=[JFMASONDjfmasond])")
_HAS_DIGIT = re.compile(r"\d")
# A weekday standing before the day: "Sonntag, 24. März", "Freitag, den 9. Oktober", "Sa., 3. Mai".
_WD = rf"(?:\b{_WEEKDAY},?\s+(?:(?:den|dem)\s+)?)"
_WEEKDAY_BEFORE = re.compile(rf"{_WD}$")
# Bare days linked to the date that follows them: the "9." of "vom 9. bis zum 29. Mai".
_BARE_CHAIN_BEFORE = re.compile(rf"(?:{_WD}?(?<![\w.,])\d{{1,2}}\.{_CONN})+$")
_BARE = re.compile(rf"{_WD}?(?<![\w.,])(\d{{1,2}})\.")
# Context that makes "9.10." something else: paragraphs, versions, numbers, phones, times.
_NOT_DATE_BEFORE = re.compile(
    r"(?:§§?|\bArt\.|\bArtikel|\bAbs\.|\bAbsatz|\bNr\.|\bNummer|\bZiff(?:er|\.)|\bKap(?:itel|\.)|\bAbschnitt"
    r"|\bPunkt|\bVersion|\bVers\.|\bv|\bRelease|\bTel\.?|\bTelefon|\bFax|\bAz\.|\bum|\bgegen)\s*:?\s*$",
    re.IGNORECASE,
)
_NOT_DATE_AFTER = re.compile(r"\s*(?:Uhr|h\b|Euro|EUR\b|€|Prozent|%)", re.IGNORECASE)
# A year directly followed by one of these is a quantity, not a year ("am 24. März 2000 Besucher").
_YEAR_IS_QUANTITY = re.compile(
    r"\s*(?:Euro|EUR\b|€|Prozent|%|Meter|m\b|km\b|Kilometer|Stück|Besucher|Gäste|Menschen|Personen"
    r"|Teilnehm|Kinder|Bäume|Plätze|Exemplare|Unterschriften|Stimmen|Quadratmeter|qm\b|m²)",
    re.IGNORECASE,
)


class _Atom:
    __slots__ = ("start", "end", "text", "day", "month", "year", "explicit_year", "kind")

    def __init__(self, start, end, text, day, month, year, kind):
        self.start, self.end, self.text = start, end, text
        self.day, self.month, self.year = day, month, year
        self.explicit_year = year is not None
        self.kind = kind


def _bare_before(paragraph: str, lo: int, start: int) -> list[_Atom]:
    """The bare days ("9.", "Freitag, 9.") chained by connectors to a date starting at `start`."""
    m = _BARE_CHAIN_BEFORE.search(paragraph, max(lo, start - 160), start)
    if m is None:
        return []
    return [_Atom(b.start(), b.end(), b.group(), int(b.group(1)), None, None, "ord")
            for b in _BARE.finditer(paragraph, m.start(), m.end())]


def _atoms(paragraph: str) -> list[_Atom]:
    """The date tokens of a paragraph in order; bare days only where a dated token follows them."""
    atoms: list[_Atom] = []
    pos = last_end = 0  # scan position; end of the last date token
    search, match = _CANDIDATE.search, _ATOM.match
    while True:
        c = search(paragraph, pos)
        if c is None:
            return atoms
        m = match(paragraph, c.start())
        if m is None:
            pos = c.end()
            continue
        start, end = m.span()
        iso, num, iy, im, id_, nd, nm, ny, od, om, oy = m.group(
            "iso", "num", "iy", "im", "id", "nd", "nm", "ny", "od", "om", "oy")
        if iso:
            atoms.append(_Atom(start, end, iso, int(id_), int(im), int(iy), "iso"))
        elif num:
            if _NOT_DATE_BEFORE.search(paragraph, max(0, start - 16), start) or _NOT_DATE_AFTER.match(paragraph, end):
                pos = end
                continue
            atoms.extend(_bare_before(paragraph, last_end, start))
            atoms.append(_Atom(start, end, num, int(nd), int(nm), int(ny) if ny else None, "num"))
        else:
            wd = _WEEKDAY_BEFORE.search(paragraph, max(last_end, start - 24), start)
            if wd:
                start = wd.start()
            atoms.extend(_bare_before(paragraph, last_end, start))
            year = None
            if oy:
                if _YEAR_IS_QUANTITY.match(paragraph, m.end("oy")):
                    end = m.end("om")  # keep the date, drop the "year"
                else:
                    year = int(oy)
            atoms.append(_Atom(start, end, paragraph[start:end], int(od), month_number(om), year, "ord"))
        pos = last_end = m.end()


def _linked(a: _Atom, b: _Atom, paragraph: str) -> bool:
    if a.kind == "iso" or b.kind == "iso" or a.explicit_year:
        return False
    # A bare "9." needs what follows; a month date without a year borrows the year of a range's
    # end ("vom 20. Dezember bis 6. Januar 2021"). Two yearless month dates stay independent:
    # a list ("am 3. Januar und am 28. Dezember") need not be in calendar order.
    if a.month is not None and not b.explicit_year:
        return False
    gap = paragraph[a.end:b.start]
    return len(gap) <= 40 and _CONNECTOR.fullmatch(gap) is not None


# Words right before a lone date that fix its direction in time: a deadline or start ("bis zum",
# "ab dem", "spätestens am") lies ahead, "seit" lies behind. Without such a word: the nearest year.
_FUTURE_CUE = re.compile(
    r"(?i:\b(?:bis(?:\s+(?:zum|zur|einschließlich|spätestens))?|ab(?:\s+(?:dem|den))?"
    r"|spätestens(?:\s+(?:am|zum|bis(?:\s+zum)?))?|frühestens(?:\s+(?:am|ab))?))\s+$"
)
_PAST_CUE = re.compile(r"(?i:\bseit(?:\s+(?:dem|den))?)\s+$")


def _infer_year(month: int, day: int, published: date, cue: str | None = None) -> int | None:
    """The year for a day and month named without one: the one that puts the date nearest to
    `published` (this year, the next or the last); after a deadline/start word the next
    occurrence on or after `published`, after "seit" the last one on or before it."""
    cands = [d for d in (_make_date(y, month, day) for y in (published.year - 1, published.year, published.year + 1)) if d]
    if cue == "future":
        ahead = [d for d in cands if d >= published]
        if ahead:
            return ahead[0].year
    elif cue == "past":
        behind = [d for d in cands if d <= published]
        if behind:
            return behind[-1].year
    if not cands:
        return None
    # nearest; on a tie the published year wins
    return min(cands, key=lambda d: (abs((d - published).days), d.year != published.year)).year


def _cue(paragraph: str, atom: _Atom) -> str | None:
    lo = max(0, atom.start - 30)
    if _FUTURE_CUE.search(paragraph, lo, atom.start):
        return "future"
    if _PAST_CUE.search(paragraph, lo, atom.start):
        return "past"
    return None


def _resolve_chain(chain: list[_Atom], published: date | None, cue: str | None = None) -> list[tuple[_Atom, date]]:
    """Give every atom of a linked chain a date, right to left: a bare "9." takes the month (and
    year) of what follows; a range never runs backwards ("vom 29. bis 3. Mai" starts in April)."""
    out: list[tuple[_Atom, date]] = []
    right: date | None = None
    for atom in reversed(chain):
        month, year = atom.month, atom.year
        if month is None:
            if right is None:
                continue  # "der 9. Platz": an ordinal with no month anywhere after it
            month = right.month
            if atom.day > right.day and year is None:
                month -= 1
                if month == 0:
                    month = 12
                    year = right.year - 1
        if year is None:
            if right is not None:
                year = right.year if (month, atom.day) <= (right.month, right.day) else right.year - 1
            elif published is not None:
                year = _infer_year(month, atom.day, published, cue)
            if year is None:
                right = None
                continue
        d = _make_date(year, month, atom.day)
        if d is None:
            right = None
            continue
        out.append((atom, d))
        right = d
    out.reverse()
    return out


def find_date_mentions(paragraphs: list[str], published: date | None) -> list[DateMention]:
    """Every date named in the body paragraphs, in order of appearance.

    A date without a year gets the year that puts it nearest to `published` (the published
    year, the one after or the one before), except that a lone date after "bis (zum)", "ab (dem)",
    "spätestens" is the next occurrence and one after "seit" the last; without `published` a
    date without a year is skipped. Relative dates ("morgen", "am Sonntag",
    "Ende März") are resolved against `published` too (crawler.parsing.relative_dates)."""
    from .relative_dates import MAX_RELATIVE, relative_mentions  # noqa: PLC0415 - it builds on this module

    mentions: list[DateMention] = []
    budget = MAX_RELATIVE if published else 0
    for paragraph in paragraphs:
        if not paragraph:
            continue
        found = _absolute_mentions(paragraph, published) if _HAS_DIGIT.search(paragraph) else []
        if budget > 0:
            extra = relative_mentions(paragraph, published, [span for span, _ in found], budget)
            budget -= len(extra)
            found += extra
        mentions.extend(mention for _, mention in sorted(found, key=lambda item: item[0]))
    return mentions


def _absolute_mentions(paragraph: str, published: date | None) -> list[tuple[tuple[int, int], DateMention]]:
    """((start, end), mention) for each date with a day and month in one paragraph."""
    found = []
    chain: list[_Atom] = []
    for atom in _atoms(paragraph) + [None]:
        if chain and (atom is None or not _linked(chain[-1], atom, paragraph)):
            # a lone date may carry a direction cue; a range ("vom 9. bis zum 29. Mai") is dated as a whole
            cue = _cue(paragraph, chain[0]) if len(chain) == 1 and published and not chain[0].explicit_year else None
            found += [((a.start, a.end), DateMention(a.text, d.isoformat())) for a, d in _resolve_chain(chain, published, cue)]
            chain = []
        if atom is not None:
            chain.append(atom)
    return found
