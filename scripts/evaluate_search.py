"""Search quality: recall and precision of a German query set over the replica's ground truth.

    .venv/bin/python scripts/evaluate_search.py [--n 240] [--seed 1] [--pg URL|auto]

Crawls the replica portal (127.0.0.1) into a fresh SQLite archive (and, with --pg, a new
PostgreSQL database; `auto`: a throwaway server from tests/pg.py), then corrects the headline of
every release whose headline says "startet" (the replica's first correction: "beginnt"), withdraws three
releases and crawls again. Each query of CASES carries a judge: a pattern over the words of a
release's ground truth (headline, kicker, body, captions and alt texts, quotes with speaker and
role, as the replica generated them), written by hand from what the query asks for, never from
what the search returns. A query's expected releases are those whose truth the judge accepts
(after its filters: dates, speaker, the latest text or any version); recall and precision compare
them with the releases the search finds. Printed for SQLite, PostgreSQL and plain FTS5
(scripts/plain_fts.py), with the mean over the set. Targets: recall >= 0.95, precision >= 0.9.
"""
from __future__ import annotations

import argparse
import re
import sqlite3
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import compare_search  # noqa: E402
import plain_fts  # noqa: E402
from replica.content import canon_key  # noqa: E402

from archive.db import open_archive  # noqa: E402
from archive.search import SearchFilters, search_archive  # noqa: E402

TARGET_RECALL, TARGET_PRECISION = 0.95, 0.9
CORRECTED = "startet"  # the word the replica's first headline correction replaces
WITHDRAWN = 3


def words(pattern: str) -> re.Pattern:
    """A judge: some word (or run of words) of the text matches pattern as a whole, ignoring case."""
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Case:
    """One query of the set: what it tests, the query, its judge(s) and the search options."""

    kind: str
    query: str
    judge: re.Pattern
    options: dict = field(default_factory=dict)
    unless: re.Pattern | None = None  # exclusion: a release that matches this is not expected


UE, SS = "(?:ü|ue)", "(?:ß|ss)"
BUECHEREI = words(rf"\w*b{UE}cherei\w*")  # Bücherei, Büchereien and their compounds
CASES = [
    Case("inflection", "Stolperstein", words(r"stolperstein\w*")),
    Case("inflection", "Gedenksteinen", words(r"\w*gedenkstein(?:e|en|s)?")),
    Case("inflection", "Lesungen", words(r"\w*lesung(?:en)?")),
    Case("inflection", "Baustellen", words(r"\w*baustellen?\w*")),
    Case("-s plural", "Kitas", words(r"\w*kitas?\w*")),
    Case("-s plural", "Info", words(r"\w*infos?|info(?!rm)\w+")),
    Case("-s plural", "Autos", words(r"\w*autos?|auto(?!r|mat)\w+")),
    Case("compound", "Bücherei", BUECHEREI),
    Case("compound", "Bad", words(r"\w*bad|bade\w+")),
    Case("compound", "Museum", words(r"\w*museums?|museums?\w+|\w*museen")),
    Case("compound", "Schule", words(r"\w*schulen?|schul\w+")),
    Case("compound", "Haus", words(rf"\w*(?:haus|h(?:ä|ae)user)(?:e|es|n)?|haus\w+")),
    Case("inflection", "Schülerinnen", words(rf"\w*sch{UE}ler(?:in|innen|n)?")),
    Case("umlaut spelling", "Buecherei", BUECHEREI),
    Case("umlaut spelling", "Strasse", words(rf"\w*stra{SS}en?|stra{SS}en\w+")),
    Case("umlaut spelling", "Huelsmann", words(rf"h{UE}lsmann")),
    Case("umlaut spelling", "Buergerbuero", words(rf"\w*b{UE}rgerb{UE}ros?\w*")),
    Case("phrase", '"Stadt Bochum"', words(r"stadt\W+bochums?")),
    Case("phrase", '"Bürgerinnen und Bürger"', words(rf"b{UE}rgerinnen\W+und\W+b{UE}rgern?")),
    Case("exclusion", "Bücherei -Lesung", BUECHEREI, unless=words(r"lesung(?:en)?")),
    Case("exclusion", "Kita NOT Corona", words(r"\w*kitas?\w*"), unless=words(r"corona")),
    Case("boolean", "Kita OR Spielplatz", words(r"\w*kitas?\w*|\w*spielpl(?:a|ä|ae)tz(?:e|es)?\w*")),
    Case("prefix", "Stadtbüch*", words(rf"stadtb(?:ü|ue|u)ch\w*")),
    Case("prefix", "Musik*", words(r"musik\w*")),
    Case("filter", "Baustelle", words(r"\w*baustellen?\w*"), {"since": date(2023, 1, 1)}),
    Case("filter", "Corona", words(r"\w*corona\w*"), {"until": date(2020, 12, 31)}),
    Case("filter", "Bücherei", BUECHEREI, {"speaker": "Osterhoff"}),
    Case("versions", CORRECTED, words(r"start(?:et|en|e|s)?")),
    Case("versions", CORRECTED, words(r"start(?:et|en|e|s)?"), {"all_versions": True}),
]


@dataclass
class Release:
    """A release's ground truth: its key (canonical path), publication date and each version's text."""

    key: str
    published: date
    versions: list[tuple[str, set[str]]]  # (all searchable text, quoted speakers), oldest first


def truth_text(truth: dict) -> tuple[str, set[str]]:
    """The searchable words of one ground truth, and the names of the people it quotes."""
    parts = [truth["headline"], truth["kicker"], *truth["paragraphs"]]
    parts += [x for image in truth["images"] for x in (image["caption"], image["alt"])]
    parts += [x for quote in truth["quotes"] for x in (quote["text"], quote["speaker"], quote["role"])]
    return " ".join(p for p in parts if p), {q["speaker"] for q in truth["quotes"] if q["speaker"]}


def expected(case: Case, releases: list[Release]) -> set[str]:
    """The keys of the releases case's judge accepts, after its filters."""
    found = set()
    for release in releases:
        since, until = case.options.get("since"), case.options.get("until")
        if (since and release.published < since) or (until and release.published > until):
            continue
        versions = release.versions if case.options.get("all_versions") else release.versions[-1:]
        if any(_accepts(case, text, speakers) for text, speakers in versions):
            found.add(release.key)
    return found


def _accepts(case: Case, text: str, speakers: set[str]) -> bool:
    speaker = case.options.get("speaker")
    if speaker and not any(name.lower().split()[-1] == speaker.lower() for name in speakers):
        return False
    return bool(case.judge.search(text)) and not (case.unless and case.unless.search(text))


def url_key(url: str) -> str:
    """A release's key from any URL of it."""
    return canon_key(urlsplit(url).path)


# --- building the archives -----------------------------------------------------------------------

def crawl(url: str, db: str) -> None:
    """One crawl of the replica into db, re-fetching every known release."""
    compare_search.crawl(url, db, "--recheck", "all")


def prepare(replica, dbs: list[str]) -> list[Release]:
    """Crawl into every db, correct and withdraw releases, crawl again; the releases' truth."""
    for db in dbs:
        crawl(replica.listing_url, db)
    before = {r.path: replica.truth(r.path) for r in replica.portal.releases}
    withdrawn = list(before)[5:5 + 20 * WITHDRAWN:20]
    for path in withdrawn:  # a withdrawn release keeps the text it had when it was last crawled
        replica.withdraw(path)
    for path in set(before) - set(withdrawn):
        correct(replica, path)
    for db in dbs:
        crawl(replica.listing_url, db)
    releases = []
    for path, old in before.items():
        new = replica.truth(path)
        texts = [truth_text(old)] + ([truth_text(new)] if truth_text(new) != truth_text(old) else [])
        releases.append(Release(canon_key(path), date.fromisoformat(old["published"]), texts))
    return releases


def correct(replica, path: str) -> None:
    """Have the replica's press office correct a headline that says CORRECTED (it becomes "beginnt")."""
    if words(CORRECTED).search(replica.truth(path)["headline"]):
        replica.correct_headline(path)


# --- scoring -------------------------------------------------------------------------------------

def found_by_search(db: str, case: Case) -> set[str]:
    """The releases `pressarchive search` finds for case (every hit, not only the first page)."""
    sessions = open_archive(db)
    try:
        hits = search_archive(sessions, case.query, SearchFilters(limit=100_000, **case.options))
    finally:
        sessions.kw["bind"].dispose()
    return {url_key(hit.url) for hit in hits}


def found_by_plain_fts(path: str, case: Case) -> set[str]:
    """The releases plain FTS5 finds for case (scripts/plain_fts.py must have been built in path)."""
    with sqlite3.connect(path) as db:
        ids = plain_fts.search(db, case.query, SearchFilters(limit=100_000, **case.options))
        rows = db.execute(f"SELECT a.canonical_url FROM version v JOIN article a ON a.id = v.article_id"
                          f" WHERE v.id IN ({', '.join('?' * len(ids))})", ids).fetchall() if ids else []
    return {url_key(url) for (url,) in rows}


def score(expect: set[str], found: set[str]) -> tuple[float, float]:
    """(recall, precision); an empty side counts as perfect for its own measure."""
    both = len(expect & found)
    return (both / len(expect) if expect else 1.0), (both / len(found) if found else 1.0)


def evaluate(engines: dict, releases: list[Release]) -> list[dict]:
    """Per case: expected count, and per engine the found set with its recall and precision."""
    rows = []
    for case in CASES:
        expect = expected(case, releases)
        row = {"case": case, "expected": expect}
        for name, find in engines.items():
            found = find(case)
            row[name] = (found, *score(expect, found))
        rows.append(row)
    return rows


def means(rows: list[dict], engine: str) -> tuple[float, float]:
    """Mean recall and mean precision of an engine over the set."""
    return (sum(r[engine][1] for r in rows) / len(rows), sum(r[engine][2] for r in rows) / len(rows))


def pooled(rows: list[dict], engine: str) -> tuple[float, float]:
    """Recall and precision over every query's releases together (micro-averaged)."""
    both = sum(len(r["expected"] & r[engine][0]) for r in rows)
    expect, found = sum(len(r["expected"]) for r in rows), sum(len(r[engine][0]) for r in rows)
    return (both / expect if expect else 1.0), (both / found if found else 1.0)


def label(case: Case) -> str:
    """The query as typed on the command line, with its options."""
    flags = "".join(f" --{k.replace('_', '-')}" + ("" if v is True else f" {v}") for k, v in case.options.items())
    return case.query + flags


def report(rows: list[dict], engines: list[str]) -> None:
    """The table: per query the expected count, then per engine found / recall / precision."""
    head = f"{'kind':16} {'query':38} {'exp':>4}" + "".join(f" | {name[:10]:>10} {'R':>5} {'P':>5}" for name in engines)
    print(head + "\n" + "-" * len(head))
    for row in rows:
        line = f"{row['case'].kind:16} {label(row['case'])[:38]:38} {len(row['expected']):>4}"
        for name in engines:
            found, recall, precision = row[name]
            line += f" | {len(found):>10} {recall:>5.2f} {precision:>5.2f}"
        print(line)
    print("-" * len(head))
    for title, measure in ((f"mean of {len(rows)}", means), ("all hits pooled", pooled)):
        line = f"{title:16} {'':38} {'':>4}"
        for name in engines:
            recall, precision = measure(rows, name)
            line += f" | {'':>9} {recall:>6.3f} {precision:>5.3f}"
        print(line)
    print(f"targets: recall >= {TARGET_RECALL}, precision >= {TARGET_PRECISION} (a query that finds nothing"
          " counts as precise: see the pooled line)")
    if "PostgreSQL" in engines:
        same = sum(r["SQLite"][0] == r["PostgreSQL"][0] for r in rows)
        print(f"SQLite and PostgreSQL find the same releases for {same} of {len(rows)} queries")


def main() -> None:
    from replica.server import start_replica  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=240, help="releases on the replica")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg", metavar="URL", help="also on PostgreSQL: a server URL, or 'auto'")
    args = parser.parse_args()
    server = pg_url = None
    if args.pg:
        sys.path.insert(0, str(ROOT / "tests"))
        import pg  # noqa: PLC0415 - the tests' server helper

        server = pg.start() if args.pg == "auto" else pg.Server(admin_url=args.pg)
        pg_url = server.create_database()
    try:
        with tempfile.TemporaryDirectory() as tmp, start_replica(n=args.n, seed=args.seed, port=0) as replica:
            path = str(Path(tmp) / "archive.sqlite")
            releases = prepare(replica, [path] + ([pg_url] if pg_url else []))
            plain_fts.build(path)
            engines = {"SQLite": lambda case: found_by_search(path, case)}
            if pg_url:
                engines["PostgreSQL"] = lambda case: found_by_search(pg_url, case)
            engines["plain FTS5"] = lambda case: found_by_plain_fts(path, case)
            print(f"{args.n} releases (seed {args.seed}), {sum(len(r.versions) > 1 for r in releases)} corrected,"
                  f" {WITHDRAWN} withdrawn\n")
            report(evaluate(engines, releases), list(engines))
    finally:
        if server:
            server.drop_database(pg_url)
            server.stop()


if __name__ == "__main__":
    main()
