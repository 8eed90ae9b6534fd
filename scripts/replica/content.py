"""The generated portal: N press releases from a seed, their URLs, content states and ground truth.

Metadata (date, topic, headline, URL) is drawn for every release at start; bodies are composed on
first use from a per-release seed, so a 10,000-release portal starts in about a second and
every release reads the same on every run.
"""
from __future__ import annotations

import hashlib
import json
import threading
import time
import unicodedata
from calendar import timegm
from datetime import date, timedelta
from random import Random
from urllib.parse import unquote, urlsplit

from . import dates
from .compose import STYLES, Body, Filler
from .texts import HEADLINE_FIXES, HEADLINE_SUFFIXES
from .topics import TOPICS_A, Topic
from .topics_more import TOPICS_B
from .writer import Composer

TOPICS: list[Topic] = TOPICS_A + TOPICS_B
PRESS = "/Pressemeldungen"
RELAUNCH_2019 = date(2019, 10, 15)  # releases before it use the older template
DATE_OFFSETS = {"event": (2, 45), "end": (6, 25), "past": (1, 12), "deadline": (14, 90)}
STYLE_WEIGHTS = ["de-comma"] * 9 + ["de"] * 7 + ["guillemets"] * 3 + ["straight"] * 2
_SLUG_CHARS = str.maketrans({"„": "-", "“": "-", "”": "-", '"': "-", "»": "-", "«": "-", "›": "-",
                             "‹": "-", "‚": "-", "‘": "-", "’": "-", "'": "-", "–": "-", " ": "-",
                             ":": None, ",": None, "?": None, "!": None, "(": None, ")": None})


def slugify(headline: str) -> str:
    """The portal's slug: umlauts transliterated, quotes and spaces to '-', colons dropped, ' / ' to '%2F-'."""
    text = dates.transliterate(headline.replace(" / ", "%2F-")).translate(_SLUG_CHARS)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def canon_key(path: str) -> str:
    """One lookup key for every spelling of a path: %2F decoded, no trailing slash, no query."""
    path = urlsplit(path).path if "://" in path else path.split("?", 1)[0].split("#", 1)[0]
    return unquote(path).rstrip("/") or "/"


def spellings(path: str) -> list[str]:
    """The spellings the replica links an article path with: slash, %2F-encoded, trailing slash."""
    return [path, "/" + path[1:].replace("/", "%2F"), path + "/"]


class Release:
    """One press release: metadata at once, body composed on first use, edits applied on top."""

    def __init__(self, seed: int, rid: int, published: date, topic: Topic, facts: dict, rng: Random):
        self.seed, self.rid, self.published, self.topic, self.facts = seed, rid, published, topic, facts
        self.style = rng.choice(STYLE_WEIGHTS)
        self.template = "2019" if published < RELAUNCH_2019 else "2020"
        self.zero_dateline = published.day < 10 and rng.random() < 0.3
        self.code = "".join(chr(65 + (rid // 26 ** i) % 26) for i in range(4))
        self.status, self.revision, self.edits, self.fixes = 200, 0, 0, 0
        self.soft = False  # withdrawn, yet answering 200 with the "not found" page
        self.modified = float(timegm(published.timetuple()) + 3600 * (8 + rid % 9))
        self._body: Body | None = None
        self._hash: tuple[int, str] | None = None
        self.headline = self.kicker = self.slug = self.path = ""
        self.lead_ids: list[int] = []  # the leads that tell the headline's story

    @property
    def body(self) -> Body:
        """The composed body (composed once, deterministically)."""
        if self._body is None:
            self._body = Composer(self, Random(self.seed * 1_000_003 + self.rid * 7 + 5)).build()
        return self._body

    def content_hash(self) -> str:
        """A hash of what the article says (not of any page chrome)."""
        if self._hash is None or self._hash[0] != self.revision:
            state = [self.headline, self.kicker, self.published.isoformat(), self.body.paragraphs(),
                     self.body.images(), self.template]
            digest = hashlib.sha1(json.dumps(state, ensure_ascii=False).encode()).hexdigest()
            self._hash = (self.revision, digest)
        return self._hash[1]

    def truth(self) -> dict:
        """What a perfect extractor returns for this release, plus the replica's own facts about it."""
        body = self.body
        return {"path": self.path, "canonical_path": self.path, "spellings": spellings(self.path),
                "template": self.template, "topic": self.topic.key, "status": self.status,
                "headline": self.headline, "kicker": self.kicker, "published": self.published.isoformat(),
                "paragraphs": body.paragraphs(), "images": body.images(),
                "quotes": [dict(q) for q in body.quotes], "date_mentions": [dict(m) for m in body.mentions]}


def _pick_topic(rng: Random, published: date) -> Topic:
    iso = published.isoformat()
    fits = [t for t in TOPICS if (not t.months or published.month in t.months)
            and (not t.since or t.since <= iso) and (not t.until or iso <= t.until)]
    return rng.choices(fits, weights=[t.weight for t in fits])[0]


def _draw_facts(rng: Random, topic: Topic, published: date) -> dict:
    facts = {name: rng.randint(*values) if isinstance(values, tuple) else rng.choice(values)
             for name, values in topic.facts.items()}
    facts.setdefault("n", rng.randint(2, 80))
    facts.update(n2=rng.randint(12, 480) * 10, ext=rng.randint(2000, 4999))
    offsets = {**DATE_OFFSETS, **topic.offsets}
    facts["event"] = published + timedelta(rng.randint(*offsets["event"]))
    facts["end"] = facts["event"] + timedelta(rng.randint(*offsets["end"]))
    facts["past"] = published - timedelta(rng.randint(*offsets["past"]))
    facts["deadline"] = published + timedelta(rng.randint(*offsets["deadline"]))
    return facts


def make_release(seed: int, rid: int, published: date, taken: dict) -> Release:
    """Draw one release's metadata; the URL is unique among `taken` (keys from canon_key)."""
    rng = Random(seed * 1_000_003 + rid * 7)
    for attempt in range(8):
        topic = _pick_topic(rng, published)
        rel = Release(seed, rid, published, topic, _draw_facts(rng, topic, published), rng)
        _name(rel, rng, suffix="" if attempt < 7 else f"-{rid}")
        if canon_key(rel.path) not in taken:
            return rel
    raise RuntimeError(f"no unique URL for release {rid}")


def _name(rel: Release, rng: Random, suffix: str) -> None:
    """Headline, kicker, slug and path of a release (headline dates are not body mentions)."""
    filler = Filler(rng, rel.facts, rel.published)
    filler.record = False
    template, _, leads = rng.choice(rel.topic.headlines).partition("#")
    rel.lead_ids = [int(i) for i in leads.split(",")] if leads else []
    rel.headline = rel.original_headline = filler(template).translate(STYLES[rel.style])
    rel.slug = slugify(rel.headline) + suffix
    in_segment = bool(rel.topic.segment) and rng.random() < 0.7
    folder = rel.topic.segment if in_segment else dates.url_segment(rel.published)
    rel.path = f"{PRESS}/{folder}/{rel.slug}"
    if rel.template == "2020" and rng.random() >= 0.08:
        rel.kicker = "Aktuelle Pressemeldungen zum Corona-Virus" if in_segment else "Aktuelle Pressemeldungen"
    else:
        rel.kicker = None


def fix_headline(original: str, count: int) -> str:
    """The headline after `count` corrections: words replaced, then a note that changes each time."""
    headline = original
    for old, new in HEADLINE_FIXES:
        if count and old in headline:
            headline, count = headline.replace(old, new, 1), count - 1
    if count:
        suffix = HEADLINE_SUFFIXES[(count - 1) % len(HEADLINE_SUFFIXES)]
        headline += suffix if count <= len(HEADLINE_SUFFIXES) else f"{suffix} ({count})"
    return headline


class Portal:
    """N generated releases (newest first) and their switchable content states; thread-safe."""

    PER_PAGE = 20

    def __init__(self, n: int = 240, seed: int = 1, start: str = "2019-01-01", end: str = "2024-12-31"):
        self.n, self.seed = n, seed
        self.start, self.end = date.fromisoformat(start), date.fromisoformat(end)
        self.lock = threading.RLock()
        self.version = 0
        self._build()

    def _build(self) -> None:
        rng = Random(self.seed)
        span = (self.end - self.start).days + 1
        days = sorted(self._workday(self.start + timedelta(rng.randrange(span)), rng) for _ in range(self.n))
        by_key: dict[str, Release] = {}
        for rid, day in enumerate(days):
            rel = make_release(self.seed, rid, day, by_key)
            by_key[canon_key(rel.path)] = rel
        # swapped in whole, so that readers during a reset never see half a portal
        self._by_key, self._all = by_key, list(by_key.values())
        self._refresh()
        self._initial = list(self._releases)

    def _workday(self, day: date, rng: Random) -> date:
        # the press office rarely publishes at weekends
        if day.weekday() >= 5 and rng.random() < 0.85:
            day -= timedelta(day.weekday() - 4)
        return max(day, self.start)

    def _index(self, rel: Release) -> None:
        self._all.append(rel)
        self._by_key[canon_key(rel.path)] = rel

    def _refresh(self) -> None:
        self._releases = sorted(self._all, key=lambda r: (r.published, r.rid), reverse=True)
        self._active = [r for r in self._releases if r.status == 200]
        self._pos = {r.rid: i for i, r in enumerate(self._active)}
        self.version += 1

    @property
    def releases(self) -> list[Release]:
        """Every release, newest first, withdrawn ones included (see .status)."""
        return self._releases

    @property
    def active(self) -> list[Release]:
        """The releases the listing shows, newest first."""
        return self._active

    def get(self, path: str) -> Release | None:
        """The release at any spelling of its path (slash, %2F, trailing slash, absolute URL)."""
        return self._by_key.get(canon_key(path))

    def truth(self, path: str) -> dict | None:
        """Ground truth of the release at path, in its current state; None if there is none."""
        rel = self.get(path)
        return rel.truth() if rel else None

    @property
    def pages(self) -> int:
        """Number of listing pages (at least one)."""
        return max(1, -(-len(self._active) // self.PER_PAGE))

    def page(self, number: int) -> list[Release]:
        """The releases on listing page `number` (1-based)."""
        return self._active[(number - 1) * self.PER_PAGE:number * self.PER_PAGE]

    def teasers(self, rel: Release, generation: int, count: int = 3) -> list[Release]:
        """Other releases for the teaser box: neighbours and a random pick, varying with the chrome."""
        active = self._active
        rng = Random(self.seed * 7919 + rel.rid * 104_729 + generation)
        at = self._pos.get(rel.rid, 0)
        picks = [at - 1, at + 1] if generation % 2 == 0 else [at + 2, at - 2]
        picks += [rng.randrange(len(active)) for _ in range(count)] if active else []
        chosen: list[Release] = []
        for i in picks:
            if 0 <= i < len(active) and active[i] is not rel and active[i] not in chosen:
                chosen.append(active[i])
        return chosen[:count]

    # State changes ---------------------------------------------------------------------------------

    def _target(self, path: str | None, default: int) -> Release:
        if path is None:
            return self._initial[min(default, len(self._initial) - 1)]
        rel = self.get(path)
        if rel is None:
            raise KeyError(path)
        return rel

    def _touch(self, rel: Release) -> Release:
        rel.revision += 1
        rel.modified = max(time.time(), rel.modified + 1)  # strictly later, even twice a second
        self._refresh()
        return rel

    def edit_body(self, path: str | None = None) -> Release:
        """Change words in one paragraph of a release (default: the 2nd newest at start)."""
        with self.lock:
            rel = self._target(path, 1)
            rel.body.edit(rel.edits)
            rel.edits += 1
            return self._touch(rel)

    def correct_headline(self, path: str | None = None) -> Release:
        """Correct the headline of a release (default: the 3rd newest); its URL stays."""
        with self.lock:
            rel = self._target(path, 2)
            rel.fixes += 1
            rel.headline = fix_headline(rel.original_headline, rel.fixes)
            return self._touch(rel)

    def withdraw(self, path: str | None = None, status: int = 410, soft: bool = False) -> Release:
        """Withdraw a release (default: the 4th newest): it answers 410 (or 404) and leaves the listing.

        soft: it answers 200 with the "not found" page instead (a soft 404)."""
        if status not in (404, 410):
            raise ValueError("status must be 404 or 410")
        with self.lock:
            rel = self._target(path, 3)
            rel.status, rel.soft = status, soft
            return self._touch(rel)

    def restore(self, path: str | None = None) -> Release:
        """Bring a withdrawn release back, unchanged."""
        with self.lock:
            rel = self._target(path, 3)
            rel.status, rel.soft = 200, False
            return self._touch(rel)

    def add_release(self, published: str | None = None) -> Release:
        """Publish a new release on top of the listing (default date: a day after the newest)."""
        with self.lock:
            newest = max(r.published for r in self._all)
            day = date.fromisoformat(published) if published else newest + timedelta(days=1)
            rel = make_release(self.seed, len(self._all), day, self._by_key)
            rel.modified = max(rel.modified, time.time())
            self._index(rel)
            self._refresh()
            return rel

    def reset(self) -> None:
        """Back to the state right after start."""
        with self.lock:
            self._build()
