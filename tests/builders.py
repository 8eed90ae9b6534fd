"""Shared builders of the tests: a small archive of realistic releases, CLI runners, page fetches.

The fixtures around them (a running replica portal, a built archive) are in conftest.py; tests
that need a builder as a plain function import it from here.
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import text

from archive.cli import main
from archive.db import open_archive
from archive.models import Article, DateMention, Image, Quote, Version
from archive.search import index_versions

ROOT = Path(__file__).resolve().parents[1]

EISKIRCH = ("Thomas Eiskirch", "Oberbürgermeister")
STOLPER_V1 = [
    "Der Künstler Gunter Demnig verlegt am Donnerstag, 14. März, zwölf neue Stolpersteine in Bochum. "
    "Die Stolpersteine erinnern an Bochumer Familien, die von den Nationalsozialisten verfolgt wurden.",
    "„Die Stolpersteine holen die Namen zurück in unsere Straßen“, sagte Oberbürgermeister Thomas Eiskirch.",
    "Im Anschluss lädt die Bürgerinitiative zu einem Gedenkspaziergang durch Ehrenfeld ein.",
]
ARTICLES = [
    # (slug, published, status, [(headline, paragraphs, quotes, images, mentions, change)])
    ("Neue-Stolpersteine-erinnern-an-Bochumer-Familien", date(2024, 3, 12), "active", [
        ("Neue Stolpersteine erinnern an Bochumer Familien", STOLPER_V1,
         [("Die Stolpersteine holen die Namen zurück in unsere Straßen", *EISKIRCH)],
         [("stolpersteine.jpg", "Stolpersteine vor einem Haus", "Gunter Demnig bei der Verlegung", "Stadt Bochum")],
         [("14. März", date(2024, 3, 14))], "new"),
        ("Neue Stolpersteine erinnern an Bochumer Familien", STOLPER_V1[:2],
         [("Die Stolpersteine holen die Namen zurück in unsere Straßen", *EISKIRCH)],
         [("stolpersteine.jpg", "Stolpersteine vor einem Haus", "Gunter Demnig bei der Verlegung", "Stadt Bochum")],
         [("14. März", date(2024, 3, 14))], "edited"),
    ]),
    ("Buechereien-oeffnen-wieder-samstags", date(2024, 5, 2), "active", [
        ("Büchereien öffnen wieder samstags", [
            "Ab dem 4. Mai öffnen die Bücherei in Wattenscheid und die Zentralbücherei wieder samstags.",
            "„Die Büchereien sind Orte für alle“, sagt Kulturdezernent Dietmar Dieckmann.",
        ], [("Die Büchereien sind Orte für alle", "Dietmar Dieckmann", "Kulturdezernent")],
         [("lesesaal.jpg", "=SUM(1)", "Der Lesesaal der Bücherei", "Lutz Leitmann/Stadt Bochum")],
         [("4. Mai", date(2024, 5, 4))], "new"),
    ]),
    ("Sperrung-der-Herner-Strasse", date(2023, 11, 20), "active", [
        ("Sperrung der Herner Straße wegen Kanalarbeiten", [
            "Die Herner Straße wird ab Montag zwischen Nordring und Feldsieper Straße gesperrt.",
            "„Wir wissen, dass die Sperrung für alle eine Belastung ist“, erklärt Jörg Müller.",
        ], [("Wir wissen, dass die Sperrung für alle eine Belastung ist", "Jörg Müller", "Leiter des Tiefbauamts")],
         [], [], "new"),
    ]),
    ("Buecherei-Flohmarkt-in-Linden", date(2022, 8, 15), "active", [
        ("Flohmarkt der Buecherei Linden", [
            "Die Buecherei Linden lädt zum Flohmarkt ein: an der Strasse vor dem Haus werden Bücher verkauft.",
        ], [], [], [], "new"),
    ]),
    ("Sinfoniker-im-Haus-der-Musik", date(2024, 1, 10), "active", [
        ("Bochumer Symphoniker spielen im Haus der Musik", [
            "Das Konzert im Haus der Musik beginnt um 19 Uhr.",
        ], [], [], [], "new"),
    ]),
    ("Musikschule-zieht-um", date(2024, 1, 15), "withdrawn", [
        ("Musikschule zieht um", [
            "Die Musikschule bezieht ein neues Haus. Der Unterricht der Musik-Klassen läuft weiter.",
        ], [], [], [], "new"),
        (None, [], [], [], [], "withdrawn"),
    ]),
]


def make_version(number: int, spec, fetched: datetime, published: date) -> Version:
    headline, paragraphs, quotes, images, mentions, change = spec
    body = "\n\n".join(paragraphs)
    return Version(
        number=number, fetched_at=fetched, change=change, headline=headline, published=published,
        paragraphs=paragraphs, body=body, content_hash=hashlib.sha256(body.encode()).hexdigest(),
        quotes=[Quote(position=i, text=t, speaker=s, role=r, paragraph=1) for i, (t, s, r) in enumerate(quotes)],
        images=[Image(position=i, src=f"https://www.bochum.de/img/{src}", alt=alt, caption=cap, credit=credit)
                for i, (src, alt, cap, credit) in enumerate(images)],
        date_mentions=[DateMention(position=i, text=t, date=d) for i, (t, d) in enumerate(mentions)],
    )


def make_article(slug: str, published: date, status: str, specs) -> Article:
    url = f"https://www.bochum.de/Pressemeldungen/{published.day}-Monat-{published.year}/{slug}"
    seen = datetime.combine(published, datetime.min.time()) + timedelta(hours=9)
    versions = [make_version(n, spec, seen + timedelta(days=n - 1), published) for n, spec in enumerate(specs, 1)]
    return Article(canonical_url=url, url=url, status=status, published=published, first_seen=seen,
                   last_seen=seen + timedelta(days=len(specs)), last_checked=seen + timedelta(days=len(specs)),
                   latest_version=len(specs), versions=versions)


PLAIN = ("Die Stadt informiert über die Sanierung der Sporthalle an der Castroper Straße. "
         "Die Arbeiten dauern bis zum Herbst.")


def release(slug: str, day: int, headline: str, paragraphs: list[str]):
    """An active release spec for make_article: one version, no quotes, images or mentions."""
    return (slug, date(2024, 3, day), "active", [(headline, paragraphs, [], [], [], "new")])


def build_archive(path, index: bool = True, articles=ARTICLES) -> str:
    """A small archive of realistic releases (make_article specs) at path; returns the --db argument."""
    sessions = open_archive(str(path))
    with sessions.begin() as session:
        session.add_all(make_article(*spec) for spec in articles)
    if index:
        with sessions.begin() as session:
            index_versions(session, session.execute(text("SELECT id FROM version")).scalars().all())
    sessions.kw["bind"].dispose()
    return str(path)


def open_crawl_session(db: str):
    """A crawl's hold on the archive, opened as the spider opens it (lock, run row, plan): (hold, state)."""
    from crawler.items import CrawlState  # noqa: PLC0415
    from crawler.session import ArchiveSession  # noqa: PLC0415

    hold, state = ArchiveSession(db, "http://127.0.0.1:9/Pressemeldungen", "bochum", "new", None), CrawlState()
    hold.open(state)
    return hold, state


def pressarchive(*args: str, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    """`pressarchive ARGS` in a subprocess (`python -m archive`), from the project folder unless cwd= says."""
    kwargs.setdefault("cwd", ROOT)
    return subprocess.run([sys.executable, "-m", "archive", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, **kwargs)


def invoke(*args, **kwargs):
    """`pressarchive ARGS` in this process (click's runner): faster, for commands that need no crawl."""
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def fetch(url: str) -> bytes:
    """A page's bytes (from the replica on 127.0.0.1)."""
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read()
