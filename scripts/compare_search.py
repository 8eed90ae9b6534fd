"""Search on SQLite vs PostgreSQL over the same crawl of the replica: same articles, same order?

    .venv/bin/python scripts/compare_search.py [--n 240] [--pg URL|auto] [--limit 20]

Crawls the replica portal (127.0.0.1) once into a fresh SQLite archive and once into a new
PostgreSQL database (`auto`: a throwaway server from tests/pg.py), runs bench_search's German
queries (with their filters) and a few of the query language's features on both, and prints
per query the hits, whether both found the same articles, and whether in the same order.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "tests")]

EXTRA = [("Stolpersteine -Schule", {}), ("Buecherei", {}), ("Strasse", {}), ("Kitas", {}), ("Autos", {}),
         ('"Stadt Bochum" NOT Sport', {}), ("Schule", {}), ("Bad", {})]


def crawl(url: str, db: str, *options: str) -> None:
    """One crawl of the replica into db (options: more `pressarchive crawl` options)."""
    subprocess.run([sys.executable, "-m", "archive", "crawl", "--start-url", url, "--delay", "0", "--quiet",
                    "--db", db, *options], check=True, cwd=ROOT, timeout=900)


def hits(db: str, query: str, options: dict, limit: int) -> list[str]:
    """The URLs search returns, best first."""
    from builders import invoke  # noqa: PLC0415

    args = [a for k, v in options.items() for a in (f"--{k.replace('_', '-')}",) + (() if v is True else (str(v),))]
    result = invoke("search", query, *args, "--db", db, "--format", "json", "--limit", str(limit))
    if result.exit_code != 0:
        raise SystemExit(f"search {query!r} failed: {result.output}")
    return [f"{h['url']}#{h['version']}" for h in json.loads(result.stdout)]


def compare(sqlite: str, pg_url: str, queries, limit: int) -> list[tuple]:
    """(query, matches, same articles among all matches, same order of the first `limit`,
    share of the first `limit` found by both, same best hit) per query."""
    rows = []
    for query, options in queries:
        a, b = hits(sqlite, query, options, 100_000), hits(pg_url, query, options, 100_000)
        label = query + "".join(f" --{k.replace('_', '-')}" + ("" if v is True else f" {v}") for k, v in options.items())
        overlap = len(set(a[:limit]) & set(b[:limit])) / len(a[:limit]) if a else 1.0
        rows.append((label, len(a), set(a) == set(b), a[:limit] == b[:limit], overlap, a[:1] == b[:1]))
    return rows


def main() -> None:
    import pg  # noqa: PLC0415

    from archive import search_pg  # noqa: PLC0415
    from bench_search import QUERIES  # noqa: PLC0415
    from replica.server import start_replica  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=240)
    parser.add_argument("--pg", default="auto")
    parser.add_argument("--limit", type=int, default=20, help="hits whose order is compared")
    parser.add_argument("--normalization", type=int, nargs="+", default=[search_pg.NORMALIZATION],
                        help="ts_rank normalization flags to try (archive.search_pg.NORMALIZATION)")
    args = parser.parse_args()
    server = pg.start() if args.pg == "auto" else pg.Server(admin_url=args.pg)
    url = server.create_database()
    try:
        with tempfile.TemporaryDirectory() as tmp, start_replica(n=args.n, seed=1, port=0) as replica:
            sqlite = str(Path(tmp) / "a.sqlite")
            crawl(replica.listing_url, sqlite)
            crawl(replica.listing_url, url)
            for normalization in args.normalization:
                search_pg.NORMALIZATION = normalization
                report(compare(sqlite, url, QUERIES + EXTRA, args.limit), args, normalization)
    finally:
        server.drop_database(url)
        server.stop()


def report(rows, args, normalization: int) -> None:
    """One line per query, then the totals."""
    print(f"\nts_rank normalization {normalization}")
    print(f"{'query':46} {'hits':>5} {'same articles':>14} {'same order':>11} {'top overlap':>12} {'same best':>10}")
    for label, count, same, order, overlap, best in rows:
        print(f"{label[:46]:46} {count:>5} {'yes' if same else 'NO':>14} {'yes' if order else 'no':>11}"
              f" {overlap:>12.0%} {'yes' if best else 'no':>10}")
    print(f"{sum(r[2] for r in rows)}/{len(rows)} queries find the same articles (all matches),"
          f" {sum(r[3] for r in rows)}/{len(rows)} their first {args.limit} in the same order,"
          f" {sum(r[5] for r in rows)}/{len(rows)} the same best hit; mean overlap of the first {args.limit}:"
          f" {sum(r[4] for r in rows) / len(rows):.0%} ({args.n} releases)")


if __name__ == "__main__":
    main()
