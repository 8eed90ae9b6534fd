"""Site modes, injectable faults and request counters of a running replica; all thread-safe.

Faults are deterministic: a rule picks paths by list, by a fixed hash fraction, or all of them, and
fires for the first `times` requests of each path, so a test sees the same failures on every run.
"""
from __future__ import annotations

import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field

MODES = {"markup": ("portal", "fallback"), "etag": ("content", "chrome", "random", "none"),
         "listing": ("normal", "empty", "loadmore", "loadmore-json", "sitemap", "sitemap-index", "sitemap-unnamed",
                     "feed", "stops", "onepage", "junk")}
FAULTS = ("503", "drop", "slow", "redirect", "gzipbomb", "huge", "cookiewall")
# Faults answered instead of the page: a redirect to `location` (a loop when it names the path itself),
# a gzip body that inflates beyond any download limit, the page padded beyond 3 M characters, the
# page whose text box holds only a cookie notice (a consent tool gone wrong: the extractor should doubt it).
ANSWERS = ("redirect", "gzipbomb", "huge", "cookiewall")


class SiteState:
    """How the site renders: markup (portal/fallback), ETag mode, listing mode, chrome generation."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Back to the sample pages' markup, stable ETags, a normal listing, generation 0."""
        self.markup, self.etag, self.listing = "portal", "content", "normal"
        self.chrome, self.version = 0, getattr(self, "version", 0) + 1
        self.markup_changed = self.chrome_changed = 0.0

    def set(self, **modes: str) -> None:
        """Switch modes, e.g. set(markup="fallback", etag="chrome", listing="empty")."""
        for name, value in modes.items():
            if value not in MODES.get(name, ()):
                raise ValueError(f"{name} must be one of {MODES.get(name)}")
        with self.lock:
            if modes.get("markup", self.markup) != self.markup:
                self.markup_changed = time.time()
            for name, value in modes.items():
                setattr(self, name, value)
            self.version += 1

    def reshuffle(self) -> int:
        """Move to the next chrome generation (teasers, sprite and nav order, whitespace, wrappers)."""
        with self.lock:
            self.chrome += 1
            self.chrome_changed = time.time()
            self.version += 1
            return self.chrome

    def to_dict(self) -> dict:
        """The modes as JSON."""
        return {"markup": self.markup, "etag": self.etag, "listing": self.listing, "chrome": self.chrome}


@dataclass
class Rule:
    """One fault: 503 (or another status), a dropped connection, or a slow answer."""

    fault: str
    paths: frozenset | None = None  # canonical keys
    fraction: float | None = None
    kinds: frozenset | None = None
    times: int | None = 1  # None: every time
    seconds: float = 0.0
    status: int = 503
    location: str | None = None  # where a redirect points (absolute, or a path on the replica)
    hits: dict = field(default_factory=dict)

    def selects(self, key: str, kind: str) -> bool:
        """Whether the rule applies to this path at all (list, hash fraction, or every path)."""
        if self.kinds and kind not in self.kinds:
            return False
        if self.paths and key in self.paths:
            return True
        if self.fraction:
            return zlib.crc32(key.encode()) % 10_000 < self.fraction * 10_000
        return not self.paths

    def to_dict(self) -> dict:
        """The rule as JSON, with how often it has fired per path."""
        return {"fault": self.fault, "paths": sorted(self.paths) if self.paths else None,
                "fraction": self.fraction, "kinds": sorted(self.kinds) if self.kinds else None,
                "times": self.times, "seconds": self.seconds, "status": self.status, "location": self.location,
                "hits": dict(self.hits)}


class Faults:
    """The active fault rules and the fully-down switch."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rules: list[Rule] = []
        self.down = False

    def add(self, fault: str, paths=None, fraction=None, kinds=None, times=1, seconds=0.0, status=503,
            location: str | None = None) -> Rule:
        """Add a rule; `paths` must already be canonical keys."""
        if fault not in FAULTS:
            raise ValueError(f"fault must be one of {FAULTS}")
        if fault == "redirect" and not location:
            raise ValueError("a redirect needs a location")
        rule = Rule(fault, frozenset(paths) if paths else None, fraction, frozenset(kinds) if kinds else None,
                    None if times is None else int(times), float(seconds), int(status), location)
        with self.lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        """Remove every rule and switch the site up."""
        with self.lock:
            self.rules, self.down = [], False

    def decide(self, key: str, kind: str) -> tuple[float, str | int | Rule | None]:
        """Seconds to wait and what to do instead of answering: None, 'drop', a status code or an ANSWERS rule."""
        with self.lock:
            if self.down:
                return 0.0, 503
            wait, action = 0.0, None
            for rule in self.rules:
                used = rule.hits.get(key, 0)
                if (rule.times is not None and used >= rule.times) or not rule.selects(key, kind):
                    continue
                if rule.fault == "slow":
                    wait += rule.seconds
                elif action is None:  # only the first failure counts as having happened
                    action = rule if rule.fault in ANSWERS else "drop" if rule.fault == "drop" else rule.status
                else:
                    continue
                rule.hits[key] = used + 1
            return wait, action

    def to_dict(self) -> dict:
        """All rules and the down switch as JSON."""
        with self.lock:
            return {"down": self.down, "rules": [r.to_dict() for r in self.rules]}


class Stats:
    """Responses per kind of path and per path, by outcome ('200', 'head', '304', '404', '410', '503', 'drop')."""

    def __init__(self, max_paths: int = 200_000) -> None:
        self.lock = threading.Lock()
        self.max_paths = max_paths  # beyond it only the per-kind totals grow: memory stays bounded
        self.reset()

    def reset(self) -> None:
        """Forget all counts."""
        self.kinds: dict[str, Counter] = {}
        self.paths: dict[str, Counter] = {}
        self.agents: Counter = Counter()  # User-Agent headers of the requests served, for politeness tests
        self.total = 0
        self.order: list[tuple[str, str, str]] = []  # (kind, key, outcome) in the order answered, bounded

    def record_agent(self, agent: str) -> None:
        """Count one request's User-Agent (at most 100 distinct ones are kept)."""
        with self.lock:
            if agent in self.agents or len(self.agents) < 100:
                self.agents[agent] += 1

    def record(self, kind: str, key: str, outcome: str) -> None:
        """Count one response."""
        with self.lock:
            self.total += 1
            self.kinds.setdefault(kind, Counter())[outcome] += 1
            if len(self.order) < self.max_paths:
                self.order.append((kind, key, outcome))
            if key in self.paths or len(self.paths) < self.max_paths:
                self.paths.setdefault(key, Counter())[outcome] += 1

    def count(self, kind: str | None = None, outcome: str = "200") -> int:
        """Responses of one outcome for one kind (or all kinds)."""
        with self.lock:
            counters = [self.kinds.get(kind, Counter())] if kind else list(self.kinds.values())
            return sum(c[outcome] for c in counters)

    def path(self, key: str) -> dict:
        """Outcomes for one canonical path."""
        with self.lock:
            return dict(self.paths.get(key, {}))

    def snapshot(self) -> dict:
        """Everything as JSON."""
        with self.lock:
            return {"total": self.total, "agents": dict(self.agents),
                    "kinds": {k: dict(c) for k, c in self.kinds.items()},
                    "paths": {k: dict(c) for k, c in self.paths.items()}}
