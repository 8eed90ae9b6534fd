"""The parse record: what the parsers make of one page, as `pressarchive extract` prints it."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

# Bump whenever a parser change may alter extracted fields; `reparse` records it per version.
PARSER_VERSION = "2"


@dataclass
class Image:
    src: str | None
    alt: str | None
    caption: str | None
    credit: str | None


@dataclass
class Quote:
    text: str
    speaker: str | None
    role: str | None
    paragraph: int


@dataclass
class DateMention:
    text: str
    date: str  # YYYY-MM-DD


@dataclass
class Record:
    url: str | None = None
    canonical_url: str | None = None
    kind: str = "other"  # "press_release" | "other"
    headline: str | None = None
    kicker: str | None = None
    published: str | None = None  # YYYY-MM-DD
    published_source: str | None = None  # "date_line" | "url" | "meta" | ...
    paragraphs: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    date_mentions: list[DateMention] = field(default_factory=list)
    extractor: str = "portal"  # "portal" | "fallback"

    def to_dict(self) -> dict:
        """The record as the contract's JSON object (plain dicts and lists)."""
        # By hand: dataclasses.asdict deep-copies value by value, ~0.15 ms a page in the crawl.
        # A dataclass's __dict__ holds exactly its fields, in order.
        data = dict(self.__dict__)
        data["paragraphs"] = list(self.paragraphs)
        for name in ("images", "quotes", "date_mentions"):
            data[name] = [dict(item.__dict__) for item in data[name]]
        return data

    def to_json(self) -> str:
        """One line of JSON, umlauts kept."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict) -> "Record":
        """Rebuild a record from `to_dict` output."""
        data = dict(data)
        data["images"] = [Image(**i) for i in data.get("images", [])]
        data["quotes"] = [Quote(**q) for q in data.get("quotes", [])]
        data["date_mentions"] = [DateMention(**m) for m in data.get("date_mentions", [])]
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})
