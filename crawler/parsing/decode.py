"""Bytes to text to tree: non-HTML detection, charset detection, and a parse that survives hostile input."""
from __future__ import annotations

import codecs
import re

from lxml import etree

from . import NotHTMLError

# Pages beyond this many characters are cut (after dropping scripts and styles): a press release is
# a few hundred KB at most, and the cap bounds time and memory for hostile 10 MB inputs.
MAX_CHARS = 3_000_000
_SNIFF = 8192
# Strays per multi-byte character up to which bytes that are not UTF-8 count as Windows-1252 pasted into
# UTF-8. Lenient on purpose: detwingled, a cp1252 page loses only its accidental UTF-8 pairs ("ß“"),
# while a mixed page decoded as cp1252 loses every umlaut ("GroÃŸe"). A page in another legacy
# charset has (almost) no valid multi-byte sequences, so its label still counts.
_MIXED_RATIO = 50
_MAGIC = (
    (b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"PK\x03\x04", "a ZIP archive"), (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"), (b"\x7fELF", "an executable"), (b"%!PS", "a PostScript document"),
    (b"\xd0\xcf\x11\xe0", "an Office document"), (b"OggS", "an audio file"), (b"ID3", "an audio file"),
    (b"\x00\x00\x01\x00", "an icon"), (b"wOFF", "a font"), (b"wOF2", "a font"),
)
# Declared types that are never a page; octet-stream is left to sniffing (misconfigured servers).
_NON_HTML_TYPES = re.compile(r"^(application/(pdf|zip|gzip|msword|vnd\.)|image/|audio/|video/|font/)")
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_CONTROL_BYTES = bytes([*range(0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])  # _CONTROL's ASCII part
_BINARY_BYTES = bytes([*range(9), *range(14, 20)])  # control bytes that text files do not hold
_TAG = re.compile(r"<[A-Za-z!?/]")
_ANY_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*>")
# On a too-deep tree: first drop inline formatting (unclosed <font>/<b> is the usual cause) ...
_INLINE_TAGS = frozenset("a abbr b big cite code em font i mark q s small span strike strong sub sup tt u".split())
# ... then keep only elements that cannot nest, so the depth is bounded whatever the input.
_FLAT_TAGS = frozenset("html head body title meta link p br hr img h1 h2 h3 h4 h5 h6".split())


def _windows_1252(error: UnicodeDecodeError):
    # The five bytes cp1252 leaves undefined decode as Latin-1, like browsers do.
    return error.object[error.start:error.end].decode("latin-1"), error.end


def _pasted_windows_1252(error: UnicodeDecodeError):
    # What detwingle leaves in a UTF-8 page (a pasted "ß" it took for a lead byte) is Windows-1252 too.
    return error.object[error.start:error.end].decode("cp1252", "pressarchive-latin1"), error.end


codecs.register_error("pressarchive-latin1", _windows_1252)
codecs.register_error("pressarchive-cp1252", _pasted_windows_1252)


def header_value(headers, name: str) -> str | None:
    """A header from a dict of str or bytes (Scrapy gives lists of bytes), case-insensitively."""
    if not headers:
        return None
    for key, value in headers.items():
        key = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if key.lower() != name.lower():
            continue
        if isinstance(value, (list, tuple)):
            value = value[0] if value else ""
        return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return None


def check_html_bytes(data: bytes, headers=None) -> None:
    """Raise NotHTMLError for empty, binary or declared non-HTML input."""
    head = data[:_SNIFF]
    if not head.strip():
        raise NotHTMLError("empty document")
    content_type = (header_value(headers, "Content-Type") or "").strip().lower()
    if _NON_HTML_TYPES.match(content_type):
        raise NotHTMLError(f"not HTML (Content-Type {content_type.split(';')[0]})")
    stripped = head.lstrip()
    for magic, what in _MAGIC:
        if stripped.startswith(magic):
            raise NotHTMLError(f"not HTML ({what})")
    if not any(head.startswith(bom) for bom, _ in _BOMS[:2] + _BOMS[3:]):
        controls = len(head) - len(head.translate(None, _BINARY_BYTES))
        if head.count(b"\x00") > len(head) // 1000 or controls > len(head) // 20:
            raise NotHTMLError("not HTML (binary data)")


def decode_html(body: bytes | str, headers=None) -> str:
    """The page as text: BOM, HTTP charset, <meta> charset, else UTF-8 with a Windows-1252 fallback."""
    if isinstance(body, str):
        text = body
    else:
        check_html_bytes(body, headers)
        text = _decode(body, headers)
    text = _without_controls(text)
    if not text.strip():
        raise NotHTMLError("empty document")
    if not _TAG.search(text[:65536]):
        raise NotHTMLError("not HTML (no markup)")
    return _cap(text)


def _without_controls(text: str) -> str:
    """The text without control characters and lone surrogates (lxml rejects both)."""
    # Pages rarely hold any: a strict UTF-8 encode (no lone surrogates) and a byte count prove
    # that in a quarter of the time the regex takes to scan the text.
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return _CONTROL.sub("", text)
    return text if len(data.translate(None, _CONTROL_BYTES)) == len(data) else _CONTROL.sub("", text)


def _codec(label: str | bytes | None) -> str | None:
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    # WHATWG: Latin-1 and ASCII labels mean Windows-1252; a UTF-16 label without BOM means UTF-8.
    if name in {"latin-1", "iso8859-1", "ascii", "cp1252"}:
        return "cp1252"
    return "utf-8" if name.startswith("utf-16") or name.startswith("utf-32") else name


def declared_charset(data: bytes, headers=None) -> str | None:
    """The charset the HTTP header, else a <meta> or XML declaration, names (as a Python codec)."""
    match = _HEADER_CHARSET.search(header_value(headers, "Content-Type") or "")
    found = _codec(match.group(1)) if match else None
    if found:
        return found
    from bs4.dammit import EncodingDetector  # noqa: PLC0415 - bs4 takes ~0.1 s to import; UTF-8 pages never need it

    return _codec(EncodingDetector.find_declared_encoding(data[:_SNIFF], is_html=True, search_entire_document=True))


def _decode(data: bytes, headers) -> str:
    # BOM, then the bytes themselves: valid UTF-8 is UTF-8 whatever the label says (Latin-1 German
    # text practically never forms valid multi-byte sequences, while mislabelled UTF-8 pages are
    # common), and so is UTF-8 with Windows-1252 pasted in. Then the header, the <meta>, else cp1252.
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mixed(data):
        return _detwingled(data)
    declared = declared_charset(data, headers)
    if declared and declared != "utf-8":
        return data.decode(declared, "pressarchive-latin1" if declared == "cp1252" else "replace")
    return data.decode("cp1252", "pressarchive-latin1")


def _mixed(data: bytes) -> bool:
    """UTF-8 with Windows-1252 bytes pasted in (Word quotes): valid multi-byte characters beside the strays."""
    text = data.decode("utf-8", "replace")
    strays = text.count("\ufffd")
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - strays
    return multibyte > 0 and multibyte * _MIXED_RATIO >= strays


def _detwingled(data: bytes) -> str:
    """The text of a UTF-8 page with Windows-1252 pasted in; only lines that are not UTF-8 go through detwingle."""
    from bs4.dammit import UnicodeDammit  # noqa: PLC0415 - see declared_charset

    lines = data.split(b"\n")
    for index, line in enumerate(lines):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            lines[index] = UnicodeDammit.detwingle(line)  # a pure-Python byte loop: keep it to the broken lines
    return b"\n".join(lines).decode("utf-8", "pressarchive-cp1252")


def _cap(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    for tag in ("script", "style", "svg"):
        text = strip_element(text, tag)
    return text[:MAX_CHARS]


def strip_element(text: str, tag: str) -> str:
    """Remove every <tag>…</tag> (an unclosed one to the end) in linear time; no regex backtracking."""
    lower = text.lower()
    out, pos = [], 0
    while True:
        start = lower.find(f"<{tag}", pos)
        if start < 0:
            out.append(text[pos:])
            return "".join(out)
        out.append(text[pos:start])
        end = lower.find(f"</{tag}", start)
        if end < 0:
            return "".join(out)
        close = lower.find(">", end)
        pos = len(text) if close < 0 else close + 1


def parse_html(text: str):
    """An lxml tree of the page; too-deep documents are flattened and parsed again, never lost."""
    root, too_deep = _parse(text)
    for keep in (_drop_inline, _keep_flat):
        if not too_deep:
            break
        root, too_deep = _parse(_ANY_TAG.sub(keep, text))
    return root if root is not None else etree.Element("html")


def _parse(text: str):
    # collect_ids=False: no hash of id attributes (nothing here looks elements up by id), ~8% faster.
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True, collect_ids=False)
    try:
        root = etree.fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.XMLSyntaxError, etree.ParserError, ValueError):
        root = None
    last = parser.error_log.last_error
    too_deep = last is not None and "depth" in (last.message or "").lower()
    return root, too_deep


def _drop_inline(match: re.Match) -> str:
    return "" if match.group(2).lower() in _INLINE_TAGS else match.group(0)


def _keep_flat(match: re.Match) -> str:
    return match.group(0) if match.group(2).lower() in _FLAT_TAGS else " "


def over_cap(body: bytes | str, headers=None) -> bool:
    """True when the page is over MAX_CHARS even without scripts and styles: the parsers read only its start."""
    if len(body) <= MAX_CHARS:  # a character takes at least one byte
        return False
    text = body if isinstance(body, str) else _decode(body, headers)
    if len(text) <= MAX_CHARS:
        return False
    for tag in ("script", "style", "svg"):
        text = strip_element(text, tag)
    return len(text) > MAX_CHARS
