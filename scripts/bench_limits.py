"""Speed bounds of the parsers and the store on large and adversarial input, each against its target.

The tests check that such input gives the right result (and, in a subprocess, that it finishes at all);
how fast it does so is measured here, on a quiet machine, not asserted in a test:

    .venv/bin/python scripts/bench_limits.py

CPU seconds of the best of three runs (other jobs on the machine do not count). Exit 1 when a
target is missed.
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from crawler.parsing import extract  # noqa: E402
from crawler.parsing.dates import find_date_mentions  # noqa: E402
from crawler.parsing.quotes import extract_quotes  # noqa: E402

PUB = date(2024, 3, 1)
DATE_LINES = [
    "Am Sonntag, 24. März, öffnet das Museum; die Schau läuft vom 9. bis zum 29. Mai 2024.",
    "Geöffnet ist ab 9.30 Uhr, der Eintritt kostet 1.500 Euro für Gruppen (§ 9.10 der Satzung).",
    "Anmeldung bis 09.10.2024 unter Tel. 0234 / 910-1234, Stichtag 2024-10-01, der 9. Platz.",
    "Oberbürgermeister Thomas Eiskirch lobte das Engagement der vielen Ehrenamtlichen im Stadtteil.",
]
QUOTE_LINES = [
    "Oberbürgermeister Thomas Eiskirch eröffnete am Sonntag die Ausstellung „Licht und Schatten“ im Kunstmuseum.",
    "„Kunst gehört in die Mitte der Stadt“, sagte Eiskirch. „Und sie verbindet die Menschen.“",
    "Die Schau läuft bis Ende Mai, die Reihe „Original Bochum“ begleitet sie mit Führungen.",
    "Dazu sagt Stadtbaurat Dr. Markus Bradtke: „Das Gebäude ist ein Juwel.“ Anmeldung unter Tel. 0234 / 910-1234.",
]
# Shapes that make a backtracking pattern explode; each would take minutes if one did.
ADVERSARIAL_DATES = [
    "1., 2., 3. und " * 60_000, "9.10.9.10." * 80_000, "9 " * 400_000, "Sonntag, " * 100_000,
    "1.1.1.1.1.1.1" * 60_000, "2020-10-" * 100_000, "24. " * 200_000 + "März",
]
ADVERSARIAL_QUOTES = [
    "„" + "Wort " * 150_000, "„ " * 300_000, "“ ” « » " * 60_000,
    "Thomas Anna Peter Maria Oberbürgermeister " * 15_000,
    "Leiterin des Amtes der Stadt für Bau der Abteilung im Amt " * 8_000,
    '"a" ' * 100_000, "Eiskirch sagte: „A“ " * 20_000, ": " * 300_000, ". " * 300_000,
]


def best_of(fn, runs: int = 3) -> float:
    """CPU seconds of the fastest of a few runs."""
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        fn()
        best = min(best, time.process_time() - started)
    return best


def megabyte(lines: list[str]) -> list[str]:
    """The lines repeated to about one megabyte of paragraphs."""
    return lines * (1_000_000 // sum(map(len, lines)) + 1)


def portal_page_ms() -> float:
    """Milliseconds to extract one replica release page in the portal's markup."""
    from make_gold import replica_pages  # noqa: PLC0415

    _url, html, _truth = next(replica_pages(1))
    body = html.encode("utf-8")
    extract(body)
    return best_of(lambda: [extract(body) for _ in range(20)]) / 20 * 1000


def replica_start_s() -> float:
    """Seconds to build a replica portal of 10,000 releases."""
    from replica import Portal  # noqa: PLC0415

    return best_of(lambda: Portal(n=10_000, seed=2), runs=1)


def save_fetch_ms() -> float:
    """Milliseconds per store.save_fetch of distinct ~35 KB bodies (1,000 calls, wall clock: it writes)."""
    from archive.store import Store  # noqa: PLC0415
    from crawler.records import Fetch  # noqa: PLC0415

    filler = ("<div class='chrome'>" + "Navigation Freizeit Vereine Informationen " * 20 + "</div>") * 42
    record = extract(f"<html><body><main><h1>Meldung</h1><p>{QUOTE_LINES[1]}</p></main></body></html>")
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(str(Path(folder) / "speed.sqlite"))
        started = time.perf_counter()
        for n in range(1000):
            url = f"https://www.bochum.de/Pressemeldungen/9-Oktober-2020/Meldung-{n}"
            fetch = Fetch(url=url, canonical_url=url, status=200, body=f"<html>{n}{filler}</html>".encode(),
                          fetched_at=datetime(2024, 5, 1, 10, 0), headers={"Content-Type": "text/html"})
            store.save_fetch(fetch, {**record.to_dict(), "headline": f"Meldung {n}"}, None)
        return time.perf_counter() - started  # seconds for 1,000 calls = ms per call


def measurements():
    """(what, value, unit, target) for every bound."""
    yield "date mentions in 1 MB of paragraphs", best_of(lambda: find_date_mentions(megabyte(DATE_LINES), PUB)), "s", 1.0
    yield "date mentions in one 1 MB paragraph", best_of(
        lambda: find_date_mentions([" ".join(megabyte(DATE_LINES))], PUB)), "s", 1.0
    yield "quotes in 1 MB of paragraphs", best_of(lambda: extract_quotes(megabyte(QUOTE_LINES))), "s", 1.0
    yield "quotes in one 1 MB paragraph", best_of(lambda: extract_quotes([" ".join(megabyte(QUOTE_LINES))])), "s", 1.0
    yield "worst adversarial date paragraph", max(
        best_of(lambda p=p: find_date_mentions([p], PUB), runs=1) for p in ADVERSARIAL_DATES), "s", 2.0
    yield "worst adversarial quote paragraph", max(
        best_of(lambda p=p: extract_quotes([p]), runs=1) for p in ADVERSARIAL_QUOTES), "s", 2.0
    yield "extract one portal page", portal_page_ms(), "ms", 25.0
    yield "replica of 10,000 releases built", replica_start_s(), "s", 2.0
    yield "store.save_fetch, 35 KB bodies", save_fetch_ms(), "ms", 10.0


def main() -> int:
    """Print one row per bound; exit 1 when one is missed."""
    print("| bound | measured | target | ok |\n|---|---|---|---|")
    missed = 0
    for what, value, unit, target in measurements():
        ok = value < target
        missed += not ok
        print(f"| {what} | {value:.3f} {unit} | < {target:g} {unit} | {'yes' if ok else 'NO'} |", flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
