"""Press-release addresses: one canonical spelling for the many a portal links, and start URLs."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

_SLASHES = re.compile(r"/{2,}")


def _clean_path(path: str) -> str:
    # %2F and / are one spelling on the portal; decode everything, then re-quote uniformly.
    decoded = unquote(path)
    decoded = _SLASHES.sub("/", decoded)
    if len(decoded) > 1:
        decoded = decoded.rstrip("/")
    return quote(decoded, safe="/-._~!$&'()*+,;=:@")


DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that say who sent the reader, not which page it is: never part of an identity.
_TRACKING = re.compile(r"(?i)utm_.*|mc_.*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|_ga|_gl")


def _clean_query(query: str) -> str:
    """The identifying parameters in a stable order; tracking ones dropped."""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not _TRACKING.fullmatch(k)]
    return urlencode(sorted(pairs), quote_via=quote)


def host_key(host: str) -> str:
    """A host in lower case without its www. prefix: www.bochum.de and bochum.de are one site."""
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def canonical_url(url: str, strip_www: bool = True, http_is_https: bool = True) -> str:
    """The identity of a page: no www., slashes decoded, no trailing slash, tracking parameter or fragment.

    The defaults are the rules of the sites profiled so far (crawler.sites): www.host is host, and
    http and https on default ports are one page. Raises ValueError for an address that cannot be
    split (a port that is no number, an unclosed IPv6 bracket)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if strip_www:
        host = host_key(host)
    scheme = (parts.scheme or "https").lower()
    port = None if parts.port == DEFAULT_PORTS.get(scheme) else parts.port
    if http_is_https and scheme == "http" and not port:
        scheme = "https"
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((scheme, netloc, _clean_path(parts.path or "/"), _clean_query(parts.query), ""))


def release_path(url: str, prefixes: tuple[str, ...]) -> str | None:
    """The decoded path if the URL points below one of the prefixes (any case), else None."""
    path = unquote(urlsplit(url).path)
    path = _SLASHES.sub("/", path).rstrip("/")
    lowered = path.lower()
    # Case-insensitive: a relaunch that writes /pressemeldungen/ must not lose every release.
    for prefix in prefixes:
        if lowered.startswith(prefix.lower()) and len(path) > len(prefix):
            return path
    return None


def is_release_url(url: str, prefixes: tuple[str, ...]) -> bool:
    """True for a press-release address in any spelling (slash or %2F, any case)."""
    return release_path(url, prefixes) is not None


def http_url(url: str | None) -> str:
    """The URL stripped, or ValueError (one line) unless it is an absolute http(s) URL with a readable port."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is no number or out of range
    except ValueError as exc:
        raise ValueError(f"{url!r} is not a URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"must be an http(s) URL, not {url!r}")
    return url


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
