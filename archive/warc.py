"""`warc`: every stored raw page as a WARC response record (gzip per record), replayable in pywb.

The bodies are stored as the crawler received them after HTTP decoding, so Content-Encoding and
Transfer-Encoding are dropped and Content-Length is set to the stored body's size; all other
headers are written as stored. The file appears whole or not at all (archive.outfile).
"""
from __future__ import annotations

import os
import zlib
from http import HTTPStatus
from io import BytesIO

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from .models import RawPage
from .outfile import output_file

_DROPPED = {"content-encoding", "transfer-encoding", "content-length"}
_BATCH = 100


def write_warc(sessions: sessionmaker[Session], out_path: str) -> int:
    """Write a warcinfo record and one response record per raw page; returns the responses written."""
    with output_file(out_path, "wb") as fh, sessions() as s:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record(os.path.basename(out_path), _info()))
        count = 0
        for row in s.execute(_pages().execution_options(yield_per=_BATCH)):
            writer.write_record(_response(writer, row))
            count += 1
    return count


def _pages():
    # Plain columns, not ORM objects: rows stream through without filling the identity map.
    return select(RawPage.url, RawPage.status, RawPage.headers, RawPage.fetched_at, RawPage.body).order_by(RawPage.id)


def _info() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        software = f"pressarchive/{version('pressarchive')}"
    except PackageNotFoundError:
        software = "pressarchive"
    return {"software": software, "format": "WARC File Format 1.1",
            "description": "Raw responses of archived press releases of the city of Bochum"}


def _response(writer: WARCWriter, row):
    body = zlib.decompress(row.body)
    headers = [(k, str(v)) for k, v in (row.headers or {}).items() if k.lower() not in _DROPPED]
    headers.append(("Content-Length", str(len(body))))
    http_headers = StatusAndHeaders(_status_line(row.status), headers, protocol="HTTP/1.1")
    date = datetime_to_iso_date(row.fetched_at)  # stored as naive UTC, written with Z
    return writer.create_warc_record(row.url, "response", payload=BytesIO(body),
                                     http_headers=http_headers, warc_headers_dict={"WARC-Date": date})


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"
