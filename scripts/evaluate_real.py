"""Score `pressarchive extract` on real pages nobody here wrote, side by side with trafilatura + htmldate.

The pages and their annotations are third-party data in ../shared/real-pages (see its README): they
are read from there at run time and never copied into the repository. Scoring follows the
collection's own rules: whitespace-normalised substring tests of the annotated sentences against
the body (paragraphs joined by newlines), pooled over all pages.

    .venv/bin/python scripts/evaluate_real.py [--pages DIR] [--json] [--problems]

Columns: `pa` is pressarchive as `pressarchive extract FILE…` runs it (several files, so no
--url); `pa+url` as `pressarchive extract FILE --url URL` (the address is a date source too);
`tf` is trafilatura.extract (defaults) + its metadata title + htmldate.find_date.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from evaluate import cell, norm

from crawler.records import LOW_CONFIDENCE  # below it a record counts toward the drift alarm

ROOT = Path(__file__).resolve().parent.parent
REAL_PAGES = ROOT.parent / "shared" / "real-pages"
TITLE_NEAR = 0.8  # SequenceMatcher ratio of the normalised titles that counts as a near match


@dataclass
class RealPage:
    name: str
    url: str | None
    body: bytes
    must: list[str]
    must_not: list[str]
    title: str | None
    date: str | None


def load_pages(directory: Path = REAL_PAGES) -> list[RealPage]:
    """Every annotated page of the folder, sorted by file name."""
    notes = json.loads((directory / "annotations.json").read_text(encoding="utf-8"))
    pages = []
    for name in sorted(notes):
        note = notes[name]
        with gzip.open(directory / "pages" / f"{name}.gz") as fh:
            body = fh.read()
        pages.append(RealPage(name, note.get("url"), body, note.get("must", []), note.get("must_not", []),
                              note.get("title"), note.get("date")))
    return pages


def title_near(expected: str, got: str | None) -> bool:
    """The extracted title nearly matches the annotated one (case and spacing aside)."""
    a, b = norm(expected).casefold(), norm(got).casefold()
    return bool(b) and (a == b or SequenceMatcher(None, a, b, autojunk=False).ratio() >= TITLE_NEAR)


# --------------------------------------------------------------------------- the extractors
def run_pressarchive(page: RealPage, with_url: bool) -> dict:
    """The record `pressarchive extract` prints for the page (in process, the same code path)."""
    from crawler.parsing import extract  # noqa: PLC0415

    return extract(page.body, url=page.url if with_url else None).to_dict()


def run_trafilatura(page: RealPage) -> dict:
    """trafilatura's body and title, htmldate's date, in the record's shape."""
    import htmldate  # noqa: PLC0415
    import trafilatura  # noqa: PLC0415

    text = trafilatura.extract(page.body, url=page.url) or ""
    meta = trafilatura.extract_metadata(page.body, default_url=page.url)
    published = htmldate.find_date(page.body, url=page.url, original_date=True)
    return {"paragraphs": text.split("\n"), "headline": meta.title if meta else None,
            "published": published, "confidence": None}


# --------------------------------------------------------------------------- scoring
def score_page(page: RealPage, got: dict) -> dict:
    """Per-page counts: must found, must-not absent, title and date right."""
    body = norm("\n".join(got.get("paragraphs") or []))
    found = sum(1 for s in page.must if norm(s) in body)
    absent = sum(1 for s in page.must_not if norm(s) not in body)
    confidence = got.get("confidence")
    return {
        "name": page.name, "must": len(page.must), "found": found,
        "must_not": len(page.must_not), "absent": absent,
        "none_found": bool(page.must) and found == 0,
        "flagged": confidence is not None and confidence < LOW_CONFIDENCE,
        "title": None if not page.title else title_near(page.title, got.get("headline")),
        "date": None if not page.date else got.get("published") == page.date,
        "date_missing": None if not page.date else not got.get("published"),
        "got_date": got.get("published"), "got_title": got.get("headline"),
    }


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def aggregate(scores: list[dict]) -> dict:
    """Pooled figures over all pages, as the issue's table has them."""
    found_pages = [s for s in scores if not s["none_found"]]
    titled = [s for s in scores if s["title"] is not None]
    dated = [s for s in scores if s["date"] is not None]
    return {
        "pages": len(scores),
        "must found": _share(sum(s["found"] for s in scores), sum(s["must"] for s in scores)),
        "pages with none found": sum(s["none_found"] for s in scores),
        "  of them not flagged (< 0.5)": sum(s["none_found"] and not s["flagged"] for s in scores),
        "boilerplate absent": _share(sum(s["absent"] for s in scores), sum(s["must_not"] for s in scores)),
        "  where the body was found": _share(sum(s["absent"] for s in found_pages),
                                             sum(s["must_not"] for s in found_pages)),
        "title near match": _share(sum(s["title"] for s in titled), len(titled)),
        "date right": _share(sum(s["date"] for s in dated), len(dated)),
        "date missing": _share(sum(s["date_missing"] for s in dated), len(dated)),
        "flagged below 0.5": sum(s["flagged"] for s in scores),
    }


def evaluate(pages: list[RealPage], runner) -> tuple[dict, list[dict], float, float]:
    """Aggregate figures, per-page scores, and wall and CPU seconds per page for one extractor."""
    runner(pages[0])  # imports and caches warm up outside the clock
    scores, started, cpu = [], time.perf_counter(), time.process_time()
    for page in pages:
        scores.append(score_page(page, runner(page)))
    count = max(1, len(pages))
    return aggregate(scores), scores, (time.perf_counter() - started) / count, (time.process_time() - cpu) / count


def render(columns: dict[str, dict]) -> str:
    """One row per metric, one column per extractor."""
    names = list(columns)
    rows = [f"| metric | {' | '.join(names)} |", "|---|" + "---|" * len(names)]
    for metric in next(iter(columns.values())):
        rows.append(f"| {metric} | {' | '.join(cell(columns[n][metric]) for n in names)} |")
    return "\n".join(rows)


def problems(scores: list[dict], pages: list[RealPage]) -> list[str]:
    """One line per page that misses something, for the developer's eye (never stored)."""
    by_name = {p.name: p for p in pages}
    lines = []
    for s in scores:
        page = by_name[s["name"]]
        misses = []
        if s["found"] < s["must"]:
            misses.append(f"found {s['found']}/{s['must']}")
        if s["absent"] < s["must_not"]:
            misses.append(f"boilerplate {s['must_not'] - s['absent']}")
        if s["title"] is False:
            misses.append(f"title {s['got_title']!r} != {page.title!r}")
        if s["date"] is False:
            misses.append(f"date {s['got_date']} != {page.date}")
        if misses:
            lines.append(f"{s['name']}: " + "; ".join(misses))
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print the side-by-side table (or JSON) for the real pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=REAL_PAGES, help="folder with annotations.json and pages/")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--problems", action="store_true", help="list pressarchive's misses per page")
    parser.add_argument("--no-baseline", action="store_true", help="skip trafilatura + htmldate")
    args = parser.parse_args(argv)
    if not (args.pages / "annotations.json").is_file():
        print(f"evaluate_real: no annotated pages in {args.pages}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    pages = load_pages(args.pages)
    runs = {"pa": lambda p: run_pressarchive(p, False), "pa+url": lambda p: run_pressarchive(p, True)}
    if not args.no_baseline:
        runs["tf"] = run_trafilatura
    columns, per_page = {}, {}
    for name, runner in runs.items():
        figures, scores, seconds, cpu = evaluate(pages, runner)
        # CPU time as well: on a shared machine the wall clock measures the neighbours.
        columns[name] = {**figures, "ms per page": seconds * 1000, "CPU ms per page": cpu * 1000}
        per_page[name] = scores
    if args.json:
        print(json.dumps(columns, indent=2))
    else:
        print(render(columns))
    if args.problems:
        print("\n".join(problems(per_page["pa"], pages)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
