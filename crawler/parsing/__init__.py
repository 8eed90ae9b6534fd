"""Pure parsers: (html, url) -> Record. No Scrapy and no database in here."""
from .record import PARSER_VERSION, DateMention, Image, Quote, Record

__all__ = ["extract", "Record", "Image", "Quote", "DateMention", "PARSER_VERSION", "NotHTMLError"]


class NotHTMLError(ValueError):
    """The input is not an HTML document (binary, PDF, empty)."""


def extract(body: bytes | str, url: str | None = None, headers: dict[str, str] | None = None,
            profile=None) -> Record:
    """Parse one page of a site (a crawler.sites.SiteProfile, default bochum) into a Record.

    Raises NotHTMLError for input that is not HTML."""
    from .page import extract_page  # noqa: PLC0415 - keeps import of this package cheap

    return extract_page(body, url=url, headers=headers, profile=profile)
