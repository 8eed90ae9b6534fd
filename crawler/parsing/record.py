"""The parse record: what the parsers make of one page, as `pressarchive extract` prints it.

This is the record's one schema. Each field says in its metadata what kind of value it holds
(`kind`: text, date, label, int, texts or children), whether the archive stores it with a
version (`stored`) and whether a change of it is a change of the release (`compared`). The
archive derives from it how a record is normalised, stored, read back and compared
(archive.versioning, archive.store) and the columns of its CSV exports (archive.export).
"""
from __future__ import annotations

import json
from dataclasses import Field, dataclass, field, fields

# Bump whenever a parser change may alter extracted fields; `reparse` records it per version.
PARSER_VERSION = "3"
# Soft hyphen, zero-width space, non-joiner and joiner, word joiner, BOM: invisible, yet editors
# insert them at random. No text of a record holds them (the parsers and the archive drop them).
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def _meta(kind: str, compared: bool = False, stored: bool = True, required: bool = False, **extra) -> dict:
    """A field's schema metadata (required: a child without it is dropped; default: stored instead of None)."""
    return {"kind": kind, "compared": compared, "stored": stored, "required": required, **extra}


@dataclass
class Image:
    src: str | None = field(metadata=_meta("text"))
    alt: str | None = field(metadata=_meta("text"))
    # A relaunch rewrites every asset URL (src) without changing the release: only these compare.
    caption: str | None = field(metadata=_meta("text", compared=True))
    credit: str | None = field(metadata=_meta("text", compared=True))


@dataclass
class Quote:
    text: str = field(metadata=_meta("text", compared=True, required=True))
    speaker: str | None = field(metadata=_meta("text", compared=True))
    role: str | None = field(metadata=_meta("text", compared=True))
    paragraph: int = field(metadata=_meta("int"))


@dataclass
class DateMention:
    text: str = field(metadata=_meta("text", default=""))
    date: str = field(metadata=_meta("date", required=True))  # YYYY-MM-DD


@dataclass
class Record:
    url: str | None = field(default=None, metadata=_meta("label", stored=False))
    canonical_url: str | None = field(default=None, metadata=_meta("label", stored=False))
    kind: str = field(default="other", metadata=_meta("label", default="other"))  # "press_release" | "other"
    headline: str | None = field(default=None, metadata=_meta("text", compared=True))
    kicker: str | None = field(default=None, metadata=_meta("text", compared=True))
    published: str | None = field(default=None, metadata=_meta("date", compared=True))  # YYYY-MM-DD
    published_source: str | None = field(default=None, metadata=_meta("label"))  # "date_line" | "url" | "meta" | ...
    paragraphs: list[str] = field(default_factory=list, metadata=_meta("texts", compared=True))
    images: list[Image] = field(default_factory=list, metadata=_meta("children", compared=True, item=Image))
    quotes: list[Quote] = field(default_factory=list, metadata=_meta("children", compared=True, item=Quote))
    date_mentions: list[DateMention] = field(default_factory=list, metadata=_meta("children", item=DateMention))
    extractor: str = field(default="portal", metadata=_meta("label"))  # "portal" (a site template) | "fallback"
    # "site/template" that matched, e.g. "bochum/2019-2020"; None for the fallback.
    template: str | None = field(default=None, metadata=_meta("label", stored=False))
    # How sure the extractor is that paragraphs are the page's own text (crawler.parsing.confidence).
    confidence: float = field(default=1.0, metadata=_meta("label", stored=False))

    def to_dict(self) -> dict:
        """The record as the contract's JSON object (plain dicts and lists)."""
        # By hand: dataclasses.asdict deep-copies value by value, ~0.15 ms a page in the crawl.
        # A dataclass's __dict__ holds exactly its fields, in order.
        data = dict(self.__dict__)
        data["paragraphs"] = list(self.paragraphs)
        for name in CHILDREN:
            data[name] = [dict(item.__dict__) for item in data[name]]
        return data

    def to_json(self) -> str:
        """One line of JSON, umlauts kept."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict) -> "Record":
        """Rebuild a record from `to_dict` output."""
        data = dict(data)
        for name, item in CHILDREN.items():
            data[name] = [item(**value) for value in data.get(name, [])]
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


# --- the schema, as the archive reads it ------------------------------------------------------------
STORED: tuple[Field, ...] = tuple(f for f in fields(Record) if f.metadata["stored"])
SCALARS: tuple[Field, ...] = tuple(f for f in STORED if f.metadata["kind"] != "children")
CHILDREN: dict[str, type] = {f.name: f.metadata["item"] for f in fields(Record) if f.metadata["kind"] == "children"}
COMPARED: tuple[str, ...] = tuple(f.name for f in STORED if f.metadata["compared"])


def item_fields(item: type) -> tuple[Field, ...]:
    """The fields of a child record (Image, Quote, DateMention), in order."""
    return fields(item)


def compared_fields(item: type) -> tuple[str, ...]:
    """The names of a child record's fields that a change is judged by."""
    return tuple(f.name for f in fields(item) if f.metadata["compared"])
