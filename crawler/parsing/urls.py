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


DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """The identity of a page: no www., slashes decoded, no trailing slash, query or fragment.

    Raises ValueError for an address that cannot be split (a port that is no number, an
    unclosed IPv6 bracket)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    scheme = (parts.scheme or "https").lower()
    port = None if parts.port == DEFAULT_PORTS.get(scheme) else parts.port
    if scheme == "http" and not port:
        scheme = "https"  # the portal answers both; on default ports they are one page
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((scheme, netloc, _clean_path(parts.path or "/"), "", ""))


def release_path(url: str, prefixes: tuple[str, ...] = (RELEASE_PREFIX,)) -> str | None:
    """The decoded path if the URL points below one of the prefixes (any case), else None."""
    path = unquote(urlsplit(url).path)
    path = _SLASHES.sub("/", path).rstrip("/")
    lowered = path.lower()
    # Case-insensitive: a relaunch that writes /pressemeldungen/ must not lose every release.
    for prefix in prefixes:
        if lowered.startswith(prefix.lower()) and len(path) > len(prefix):
            return path
    return None


def is_release_url(url: str, prefixes: tuple[str, ...] = (RELEASE_PREFIX,)) -> bool:
    """True for a press-release address in any spelling (slash or %2F, any case)."""
    return release_path(url, prefixes) is not None


# A relaunch may move releases (/pressemitteilungen/2026/03/neue-radwege, /presse/detail/…): a press
# section segment, later a slug of three words or more. Used to classify pages, not to crawl.
_PRESS_SEGMENT = re.compile(r"(?i)presse(?:mitteilung(?:en)?|meldung(?:en)?|information(?:en)?)?|news|nachrichten|aktuelles")
_SLUG_WORD = re.compile(r"[^\W\d_]{2,}")


def looks_like_release(url: str) -> bool:
    """True for an address that reads like one press release: a press section, then a word slug."""
    segments = [s for s in unquote(urlsplit(url).path).split("/") if s]
    if len(segments) < 2 or not any(_PRESS_SEGMENT.fullmatch(s) for s in segments[:-1]):
        return False
    slug = segments[-1].rsplit(".", 1)[0] if segments[-1].endswith((".html", ".htm", ".php")) else segments[-1]
    return "-" in slug and len(_SLUG_WORD.findall(slug)) >= 3
