"""What counts as a change: normalised extracted fields, their content hash, the fields that differ.

An "extract" is a parse record with every text normalised (NFC, whitespace and NBSP collapsed,
invisible characters dropped), in the shape the record's schema gives (crawler.parsing.record:
its stored fields, each child a dict of its fields). The content hash covers only the compared
fields, never the raw HTML, so markup, chrome and whitespace changes give no new version. Images
are compared by caption and credit: a portal relaunch rewrites every asset URL (src) without
changing the release, so src and alt are stored but not compared.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import date

from crawler.parsing.record import CHILDREN, COMPARED, INVISIBLE, SCALARS, compared_fields, item_fields

FIELDS = COMPARED  # the compared fields, in record order
_SPACES = re.compile(r"\s+")  # str patterns match NBSP, narrow NBSP and the other Unicode spaces


def norm_text(value: object) -> str | None:
    """NFC, invisible characters dropped, whitespace runs as one space, trimmed; '' becomes None."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).translate(INVISIBLE)
    return _SPACES.sub(" ", text).strip() or None


def iso_date(value: object) -> str | None:
    """YYYY-MM-DD for a date, a datetime or a string starting with a valid date; else None."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    try:
        return date.fromisoformat(str(value).strip()[:10]).isoformat() if value else None
    except ValueError:
        return None


def _int(value: object) -> int:
    return int(value or 0)


def _label(value: object) -> object:
    return value


def _texts(values) -> list[str]:
    return [t for t in (norm_text(v) for v in values or []) if t]


_NORMALISE = {"text": norm_text, "date": iso_date, "int": _int, "label": _label, "texts": _texts}
_UNSET = object()


def _plan(fields_) -> tuple[tuple[str, object, object, bool], ...]:
    """(name, normaliser, default, required) per field, worked out once: make_extract runs on every save."""
    return tuple((f.name, _NORMALISE[f.metadata["kind"]], f.metadata.get("default", _UNSET), f.metadata["required"])
                 for f in fields_)


def _values(plan, raw: dict) -> dict:
    values = {}
    for name, normalise, default, _ in plan:
        value = normalise(raw.get(name))
        values[name] = default if default is not _UNSET and value in (None, "") else value
    return values


_SCALAR_PLAN = _plan(SCALARS)
_CHILD_PLANS = {name: _plan(item_fields(item)) for name, item in CHILDREN.items()}


def _child(plan, raw: dict) -> dict | None:
    values = _values(plan, raw)
    return None if any(required and values[name] is None for name, _, _, required in plan) else values


def make_extract(record: dict) -> dict:
    """The stored shape of a parse record (Record.to_dict()), every text normalised."""
    extract = _values(_SCALAR_PLAN, record)
    for name, plan in _CHILD_PLANS.items():
        children = (_child(plan, raw) for raw in record.get(name) or [])
        extract[name] = [child for child in children if child is not None]
    return extract


def compared(extract: dict) -> dict:
    """The fields a change is judged by (see the module docstring); children as lists of their compared values."""
    out = {}
    for name in COMPARED:
        if name in CHILDREN:
            keys = compared_fields(CHILDREN[name])
            out[name] = [[child[key] for key in keys] for child in extract[name]]
        else:
            out[name] = extract[name]
    return out


def content_hash(extract: dict) -> str:
    """SHA-256 of the canonical JSON of the compared fields."""
    canonical = json.dumps(compared(extract), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def changed_fields(old: dict, new: dict) -> list[str]:
    """Names of the compared fields that differ between two extracts, in FIELDS order."""
    a, b = compared(old), compared(new)
    return [name for name in FIELDS if a[name] != b[name]]


def _stored(f, value: object):
    # Read back from a column: dates as ISO text, JSON lists as lists.
    if f.metadata["kind"] == "date":
        return value.isoformat() if value else None
    return list(value or []) if f.metadata["kind"] == "texts" else value


def version_extract(version) -> dict:
    """A stored Version (its children loaded) in the shape make_extract() returns."""
    extract = {f.name: _stored(f, getattr(version, f.name)) for f in SCALARS}
    for name, item in CHILDREN.items():
        extract[name] = [{f.name: _stored(f, getattr(row, f.name)) for f in item_fields(item)}
                         for row in getattr(version, name)]
    return extract
