"""Benchmark search and export on a generated archive of 100,000 versions.

    .venv/bin/python scripts/bench_search.py [--versions 100000] [--dir /tmp/pressarchive-bench] [--keep]
                                             [--pg URL|auto]

Builds the archive with the ORM's tables (bulk inserts of German-ish releases: Zipf-distributed
words from a city-press vocabulary, compounds for the long tail, quotes, images, date mentions;
every fifth article has a second, edited version), indexes it with archive.search.index_versions,
then prints:
- the query latency (in-process `search_archive`, snippets included, every match ranked, headline
  hits first) p50/p95 over 20 German queries, rare and very frequent words, phrases, prefixes,
  boolean operators and filters, side by side with plain FTS5 over the same versions
  (scripts/plain_fts.py: the same queries as typed, bm25 with the same weights, the best 20 ids,
  no snippets); both FTS5 indexes merged into one segment (the archive's as a crawl's end does,
  archive.search_index.tidy_index);
- the time to `export versions` (in-process, and the `pressarchive` CLI with its peak memory)
  next to `sqlite3 -csv` writing the same columns. The sqlite3 column needs the sqlite3 command
  line shell (`apt-get install -y sqlite3`); without it that column is skipped.
Goals: query p95 <= 50 ms; export within 3x of sqlite3. Runs in a few minutes on one core.

--pg URL (a role that may CREATE DATABASE) also builds the same archive in a new database on that
PostgreSQL server (dropped afterwards), or `--pg auto` on a throwaway server (tests/pg.py), and
prints both databases' query p50/p95 side by side (the export comparison is SQLite's alone). The
PostgreSQL archive is vacuumed and analysed after its bulk load, as autovacuum would have done.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

import plain_fts
from archive.db import open_archive
from archive.export import ExportOptions, export_table
from archive.models import Article, DateMention, Image, Quote, Version
from archive.search import SearchFilters, index_versions, search_archive
from archive.search_index import tidy_index

FUNCTION_WORDS = ("der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch "
                  "an werden aus hat dass sie nach wird bei einer um am sind noch wie einem über einen so "
                  "zum war haben nur oder aber vor zur bis mehr durch sein wurde sowie ab ihre unter").split()
NOUNS = ("Stadt Bochum Bürgerinnen Bürger Stadtverwaltung Oberbürgermeister Verwaltung Rat Bezirksvertretung "
         "Straße Stadtteil Schule Kita Kinder Jugendliche Familien Sport Kultur Museum Bücherei Stolpersteine "
         "Baustelle Sperrung Umleitung Veranstaltung Konzert Ausstellung Projekt Förderung Millionen Euro "
         "Klimaschutz Radweg Park Spielplatz Feuerwehr Polizei Gesundheit Impfung Wahl Haushalt Sanierung "
         "Wohnungen Quartier Innenstadt Bahnhof Haltestelle Bus Verkehr Parkplatz Umwelt Bäume Grünfläche "
         "Ehrenamt Verein Vereine Senioren Pflege Integration Bildung Hochschule Universität Wirtschaft "
         "Unternehmen Arbeitsplätze Digitalisierung Internet Glasfaser Musik Theater Festival Sommer Winter "
         "Weihnachtsmarkt Markt Termin Anmeldung Eintritt Programm Führung Vortrag Lesung Workshop Stadtrat "
         "Ausschuss Beschluss Planung Entwicklung Zukunft Geschichte Erinnerung Gedenken Denkmal Friedhof "
         "Wasser Kanal Brücke Fahrbahn Gehweg Ampel Kreuzung Tiefbauamt Umweltamt Jugendamt Sozialamt").split()
VERBS = ("informiert lädt beginnt findet statt eröffnet startet verlegt erinnert fördert plant baut saniert "
         "sperrt öffnet schließt bietet zeigt präsentiert unterstützt beschließt stellt vor erhält feiert "
         "gedenkt investiert erneuert erweitert verbessert").split()
ADJECTIVES = ("neue neuen städtische städtischen kostenlos öffentliche öffentlichen große kleine digitale "
              "nachhaltige gemeinsame erste letzte kommenden aktuellen wichtigen zahlreiche bunte historische").split()
PLACES = ("Langendreer Wattenscheid Weitmar Linden Dahlhausen Querenburg Stiepel Gerthe Harpen Hamme Riemke "
          "Hattinger Königsallee Castroper Herner Wittener Kortumstraße Südpark Westpark Stadtpark Kemnader").split()
HEADS = "Stadt Kinder Schul Sport Kultur Wasser Rad Bau Park Haus Wald Bürger Jugend Musik Volks Kreis Bahn".split()
TAILS = ("bücherei fest garten platz weg haus zentrum markt verein programm projekt förderung ausstellung "
         "initiative wettbewerb konzept anlage hof turm amt gruppe rallye preis woche").split()
SPEAKERS = [("Thomas Eiskirch", "Oberbürgermeister"), ("Anna Beispiel", "Bezirksbürgermeisterin"),
            ("Markus Feldkamp", "Stadtbaurat"), ("Dietmar Dieckmann", "Kulturdezernent"),
            ("Jörg Müller", "Leiter des Tiefbauamts"), ("Sabine Öztürk", "Leiterin der Stadtbücherei")]
PHRASES = ["Bürgerinnen und Bürger", "im Haus der Musik", "sagte Oberbürgermeister Thomas Eiskirch",
           "neue Stolpersteine erinnern an", "die Stadtbücherei lädt ein", "die Herner Straße wird gesperrt"]
QUERIES = [
    ("Stadt Bochum", {}), ("Bochum", {}), ('"Bürgerinnen und Bürger"', {}), ("Stolpersteine", {}),
    ("Bücherei", {}), ("Buecherei", {}), ('"Haus der Musik"', {}), ("Kita OR Schule", {}),
    ("Baustelle NOT Sperrung", {}), ("Stadtbüch*", {}), ("Klimaschutz Förderung", {}),
    ("Oberbürgermeister Eiskirch", {}), ("Kemnader Wasserwettbewerb", {}),
    ("Feuerwehr", {"since": date(2023, 1, 1)}), ("Konzert", {"speaker": "Eiskirch"}),
    ("Straße", {"all_versions": True}), ("Radweg*", {}), ("(Kita OR Schule) AND Sanierung", {}),
    ("Millionen Euro", {}), ("Wattenscheid Spielplatz", {"until": date(2019, 12, 31)}),
]


class Texts:
    """German-ish releases: Zipf-weighted vocabulary with compounds as the long tail."""

    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        compounds = [h + t for h in HEADS for t in TAILS]
        self.vocab = FUNCTION_WORDS + NOUNS + VERBS + ADJECTIVES + PLACES + compounds
        self.rng.shuffle(self.vocab[len(FUNCTION_WORDS):])  # function words stay the most frequent
        weights = [1 / (rank + 1) for rank in range(len(self.vocab))]
        self.cum = [sum(weights[:i + 1]) for i in range(len(weights))]

    def sentence(self) -> str:
        words = self.rng.choices(self.vocab, cum_weights=self.cum, k=self.rng.randint(8, 20))
        if self.rng.random() < 0.1:  # set phrases, so that phrase queries have something to find
            words[2:2] = self.rng.choice(PHRASES).split()
        return words[0][:1].upper() + words[0][1:] + " " + " ".join(words[1:]) + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 4)))

    def release(self) -> tuple[str, list[str]]:
        headline = self.sentence()[:-1]
        return headline, [self.paragraph() for _ in range(self.rng.randint(4, 7))]


def build(path, n_versions: int) -> None:
    """Bulk-insert articles and versions (every fifth article edited once), then index them all."""
    sessions, texts = open_archive(str(path)), Texts()
    n_articles = int(n_versions / 1.2)
    vid = 0
    with sessions.begin() as session:
        for start in range(0, n_articles, 2000):
            rows = _batch(texts, range(start, min(start + 2000, n_articles)), vid)
            vid += len(rows[Version])
            for model, values in rows.items():
                session.execute(insert(model), values)
        leftover = n_versions - vid
        if leftover:
            print(f"  ({leftover} versions short of {n_versions})")
    t0 = time.perf_counter()
    with sessions.begin() as session:
        index_versions(session, range(1, vid + 1))
    seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    with sessions.begin() as session:
        merged = tidy_index(session)  # what the end of every crawl does (a no-op on PostgreSQL)
    sessions.kw["bind"].dispose()  # closing the last connection checkpoints the WAL, as after a crawl
    print(f"  indexed {vid:,} versions in {seconds:.1f} s ({vid / seconds:,.0f} versions/s)"
          + (f"; merged its segments in {time.perf_counter() - t0:.1f} s, as a crawl's end does" if merged else ""))


def _batch(texts: Texts, ids: range, vid: int) -> dict:
    rows: dict = {Article: [], Version: [], Quote: [], Image: [], DateMention: []}
    for aid in ids:
        aid += 1
        published = date(2015, 1, 1) + timedelta(days=texts.rng.randint(0, 3800))
        seen = datetime.combine(published, datetime.min.time()) + timedelta(hours=9)
        count = 2 if aid % 5 == 0 else 1
        url = f"https://www.bochum.de/Pressemeldungen/{published:%d-%m-%Y}/Meldung-{aid}"
        rows[Article].append(dict(id=aid, canonical_url=url, url=url, status="active", published=published,
                                  first_seen=seen, last_seen=seen, last_checked=seen, latest_version=count))
        headline, paragraphs = texts.release()
        for number in range(1, count + 1):
            vid += 1
            if number > 1:
                paragraphs = paragraphs[:-1] + [texts.paragraph()]
            _version_rows(rows, texts, vid, aid, number, seen + timedelta(days=number - 1), headline, paragraphs,
                          published)
    return rows


def _version_rows(rows, texts, vid, aid, number, fetched, headline, paragraphs, published) -> None:
    body = "\n\n".join(paragraphs)
    rows[Version].append(dict(id=vid, article_id=aid, number=number, fetched_at=fetched,
                              change="new" if number == 1 else "edited", changed_fields=[], kind="press_release",
                              headline=headline, published=published, paragraphs=paragraphs, body=body,
                              content_hash=hashlib.sha256(body.encode()).hexdigest(), extractor="portal"))
    speaker, role = texts.rng.choice(SPEAKERS)
    rows[Quote].append(dict(version_id=vid, position=0, text=texts.sentence(), speaker=speaker, role=role,
                            paragraph=1))
    rows[Image].append(dict(version_id=vid, position=0, src=f"https://www.bochum.de/img/{vid}.jpg",
                            alt=texts.sentence(), caption=texts.sentence(), credit="Stadt Bochum"))
    rows[DateMention].append(dict(version_id=vid, position=0, text=f"{published.day}. Mai",
                                  date=published + timedelta(days=3)))


def time_queries(search, repeats: int, show: bool) -> tuple[float, float]:
    """Time search(query, filters) on every query `repeats` times after one untimed run; (p50, p95) in ms."""
    if show:
        print(f"\n{'query':44} {'hits':>5} {'median ms':>10} {'max ms':>8}")
    samples = []
    for query, options in QUERIES:
        filters = SearchFilters(**options)
        hits = search(query, filters)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            search(query, filters)
            times.append((time.perf_counter() - t0) * 1000)
        samples += times
        label = query + "".join(f" --{k.replace('_', '-')} {v}" for k, v in options.items())
        if show:
            print(f"{label[:44]:44} {len(hits):>5} {statistics.median(times):>10.1f} {max(times):>8.1f}")
    samples.sort()
    return samples[len(samples) // 2], samples[int(len(samples) * 0.95) - 1]


def bench_queries(path, repeats: int) -> tuple[float, float]:
    """The queries through pressarchive's search, each line printed; returns (p50, p95) in ms."""
    sessions = open_archive(str(path))
    search_archive(sessions, "Bochum", SearchFilters())  # warm the page cache and the index check
    try:
        return time_queries(lambda query, filters: search_archive(sessions, query, filters), repeats, show=True)
    finally:
        sessions.kw["bind"].dispose()


EXPORT_SQL = ("SELECT a.id AS article_id, a.canonical_url AS url, v.number AS version, v.fetched_at, v.change,"
              " v.headline, v.published, v.content_hash, v.body FROM version v JOIN article a"
              " ON a.id = v.article_id ORDER BY a.id, v.number")


def bench_export(path: Path, workdir: Path) -> None:
    sessions = open_archive(str(path))
    t0 = time.perf_counter()
    count = export_table(sessions, "versions", str(workdir / "inproc.csv"), ExportOptions())
    inproc = time.perf_counter() - t0
    cli, rss = _timed([str(Path(sys.executable).with_name("pressarchive")), "export", "versions", "--db", str(path),
                       "--out", str(workdir / "cli.csv")])
    size = (workdir / "cli.csv").stat().st_size / 1e6
    print(f"\nexport versions: {count:,} rows, {size:,.0f} MB of CSV")
    print(f"{'in-process':>12} {'CLI':>8} {'CLI peak RSS':>13} {'sqlite3 -csv':>13} {'ratio':>6}")
    line = f"{inproc:>11.2f}s {cli:>7.2f}s {rss:>10.0f} MB"
    if shutil.which("sqlite3"):
        with open(workdir / "sqlite3.csv", "wb") as out:
            ref, _ = _timed(["sqlite3", "-csv", "-header", str(path), EXPORT_SQL], stdout=out)
        line += f" {ref:>12.2f}s {cli / ref:>5.1f}x  (goal <= 3x)"
    else:
        line += f" {'(no sqlite3)':>13}"
    print(line)


def _timed(cmd: list[str], stdout=subprocess.DEVNULL) -> tuple[float, float]:
    """Wall seconds and the child's peak RSS in MB (the largest of any child so far)."""
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=stdout)
    return time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=100_000)
    parser.add_argument("--dir", default="/tmp/pressarchive-bench")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="Keep the archive and CSVs.")
    parser.add_argument("--pg", metavar="URL", help="Also on PostgreSQL: a server URL, or 'auto' for a throwaway one.")
    args = parser.parse_args()
    workdir = Path(args.dir)
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    path = workdir / "bench.sqlite"
    results = {"SQLite": bench_database(path, args)}
    plain_fts.build(str(path))
    results["plain FTS5"] = bench_plain(path, args.repeats)
    bench_export(path, workdir)
    if args.pg:
        results["PostgreSQL"] = bench_postgres(args)
    print(f"\n{'search':12} {'p50 ms':>8} {'p95 ms':>8}   ({args.versions:,} versions, {len(QUERIES)} queries,"
          " every match ranked, headline hits first)")
    for name, (p50, p95) in results.items():
        print(f"{name:12} {p50:>8.1f} {p95:>8.1f}")
    if not args.keep:
        shutil.rmtree(workdir)


def bench_plain(path, repeats: int) -> tuple[float, float]:
    """The same queries through plain FTS5 (scripts/plain_fts.py: no stemming, no compounds, bm25);
    (p50, p95) in ms of fetching the best 20 version ids."""
    with sqlite3.connect(str(path)) as db:
        return time_queries(lambda query, filters: plain_fts.search(db, query, filters), repeats, show=False)


def bench_database(db, args) -> tuple[float, float]:
    """Build the archive at db (a path or URL), print its queries' table; returns (p50, p95)."""
    t0 = time.perf_counter()
    print(f"building an archive of {args.versions:,} versions in {db} ...")
    build(db, args.versions)
    if "://" in str(db):
        _vacuum(db)
    print(f"  built in {time.perf_counter() - t0:.0f} s, {_size(db) / 1e6:,.0f} MB")
    p50, p95 = bench_queries(db, args.repeats)
    print(f"{'all queries':44} p50 {p50:.1f} ms  p95 {p95:.1f} ms"
          "  (goal p95 <= 50 ms; every match ranked, headline hits first)")
    return p50, p95


def bench_postgres(args) -> tuple[float, float]:
    """The same benchmark in a new database on the --pg server (a throwaway one for 'auto')."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import pg  # noqa: PLC0415 - the tests' server helper

    server = pg.start() if args.pg == "auto" else pg.Server(admin_url=args.pg)
    url = server.create_database()
    try:
        return bench_database(url, args)
    finally:
        server.drop_database(url)
        server.stop()


def _vacuum(url: str) -> None:
    """VACUUM ANALYZE the PostgreSQL archive: what autovacuum does within minutes of a bulk load.

    The bulk build leaves no planner statistics (and dead rows where older versions stopped being
    latest); a crawled archive that autovacuum has been through has statistics and no dead rows."""
    engine = open_archive(url).kw["bind"]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    print("  VACUUM ANALYZE after the bulk load (as autovacuum would)")


def _size(db) -> int:
    """Bytes the archive takes: the file, or the PostgreSQL database."""
    if "://" not in str(db):
        return os.path.getsize(db)
    sessions = open_archive(str(db))
    with sessions() as session:
        size = session.execute(text("SELECT pg_database_size(current_database())")).scalar()
    sessions.kw["bind"].dispose()
    return size


if __name__ == "__main__":
    main()
