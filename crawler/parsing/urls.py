"""Press-release addresses: one canonical spelling for the many the portal links."""
from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit, urlunsplit

RELEASE_PREFIX = "/Pressemeldungen/"
_SLASHES = re.compile(r"/{2,}")


def _clean_path(path: str) -> str:
    # %2F and / are one spelling on the portal; decode everything, then re-quote uniformly.
    decoded = unquote(path)
    decoded = _SLASHES.sub("/", decoded)
    if len(decoded) > 1:
        decoded = decoded.rstrip("/")
    return quote(decoded, safe="/-._~!$&'()*+,;=:@")


def canonical_url(url: str) -> str:
    """The identity of a page: no www., slashes decoded, no trailing slash, query or fragment."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    netloc = f"{host}:{parts.port}" if parts.port else host
    scheme = (parts.scheme or "https").lower()
    if scheme == "http" and not parts.port:
        scheme = "https"  # the portal answers both; on default ports they are one page
    return urlunsplit((scheme, netloc, _clean_path(parts.path or "/"), "", ""))


def release_path(url: str) -> str | None:
    """The decoded path if the URL points at a press release (below /Pressemeldungen/), else None."""
    path = unquote(urlsplit(url).path)
    path = _SLASHES.sub("/", path).rstrip("/")
    if path.startswith(RELEASE_PREFIX) and len(path) > len(RELEASE_PREFIX):
        return path
    return None


def is_release_url(url: str) -> bool:
    """True for a press-release address in any spelling (slash or %2F)."""
    return release_path(url) is not None
