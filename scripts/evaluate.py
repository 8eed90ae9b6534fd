"""Per-field scores of pressarchive's `extract` and of trafilatura + htmldate on a gold set of pages."""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "gold"
QUOTE_MATCH_F1 = 0.8  # a found quote counts when its text reaches this token F1 with an expected one
_WORD = re.compile(r"\w+")


@dataclass
class GoldPage:
    stem: str
    body: bytes
    expected: dict

    @property
    def group(self) -> str:
        """'portal', 'fallback' or 'other' (non-press pages)."""
        if self.expected["kind"] != "press_release":
            return "other"
        return self.expected["extractor"]


def load_gold(directory: Path = GOLD_DIR, pattern: str = "*") -> list[GoldPage]:
    """Every STEM.html with its STEM.json in a directory (STEM matching a glob), sorted by name."""
    pages = []
    for path in sorted(Path(directory).glob(f"{pattern}.html")):
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        pages.append(GoldPage(path.stem, path.read_bytes(), expected))
    return pages


# --------------------------------------------------------------------------- text measures
def norm(text: str | None) -> str:
    """Whitespace collapsed and stripped; None stays None-like ('')."""
    return re.sub(r"\s+", " ", text or "").strip()


def tokens(text: str) -> list[str]:
    """Word tokens (letters and digits), case kept."""
    return _WORD.findall(text or "")


def token_f1(expected: str, got: str) -> float:
    """Multiset token F1 of two texts; 1.0 when both are empty."""
    exp, out = Counter(tokens(expected)), Counter(tokens(got))
    if not exp and not out:
        return 1.0
    common = sum((exp & out).values())
    if common == 0:
        return 0.0
    precision, recall = common / sum(out.values()), common / sum(exp.values())
    return 2 * precision * recall / (precision + recall)


def body_f1(expected: list[str], got: list[str]) -> float:
    """Token F1 of the whole body (paragraphs joined)."""
    return token_f1(" ".join(expected), " ".join(got))


# --------------------------------------------------------------------------- images
def _src_key(src: str | None) -> str:
    """The file name of an image address: relative, absolute and quoted spellings agree."""
    return unquote(urlsplit(src or "").path).rsplit("/", 1)[-1]


def pair_images(expected: list[dict], got: list[dict]) -> list[tuple[dict, dict | None]]:
    """Each expected image with the found image of the same file (else same caption, else None)."""
    left = list(got)
    pairs = []
    for exp in expected:
        match = next((g for g in left if _src_key(g.get("src")) == _src_key(exp["src"])), None)
        if match is None and exp.get("caption"):
            match = next((g for g in left if norm(g.get("caption")) == norm(exp["caption"])), None)
        if match is not None:
            left.remove(match)
        pairs.append((exp, match))
    return pairs


def caption_counts(expected: list[dict], got: list[dict]) -> tuple[int, int]:
    """(expected captions found exactly, expected captions)."""
    wanted = [norm(e["caption"]) for e in expected if e.get("caption")]
    found = Counter(norm(g.get("caption")) for g in got)
    hits = 0
    for caption in wanted:
        if found[caption] > 0:
            found[caption] -= 1
            hits += 1
    return hits, len(wanted)


def credit_counts(expected: list[dict], got: list[dict]) -> tuple[int, int]:
    """(expected images whose found image has the same credit, None included; expected images)."""
    pairs = pair_images(expected, got)
    hits = sum(1 for exp, g in pairs if g is not None and norm(g.get("credit")) == norm(exp.get("credit")))
    return hits, len(pairs)


# --------------------------------------------------------------------------- quotes and mentions
def pair_quotes(expected: list[dict], got: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one pairs of expected and found quotes whose texts reach QUOTE_MATCH_F1, best first."""
    scored = sorted(((token_f1(e["text"], g["text"]), i, j) for i, e in enumerate(expected)
                     for j, g in enumerate(got)), reverse=True)
    used_e, used_g, pairs = set(), set(), []
    for f1, i, j in scored:
        if f1 >= QUOTE_MATCH_F1 and i not in used_e and j not in used_g:
            used_e.add(i), used_g.add(j)
            pairs.append((expected[i], got[j]))
    return pairs


def quote_counts(expected: list[dict], got: list[dict]) -> dict:
    """Matched quotes, expected, found, and matched ones whose speaker is right."""
    pairs = pair_quotes(expected, got)
    right = sum(1 for e, g in pairs if norm(e.get("speaker")) == norm(g.get("speaker")))
    return {"matched": len(pairs), "expected": len(expected), "found": len(got), "speaker_ok": right}


def mention_counts(expected: list[dict], got: list[dict]) -> tuple[int, int, int]:
    """(expected mentions found, expected, found): same date and a shared word with the text."""
    left = list(got)
    hits = 0
    for exp in expected:
        words = set(tokens(exp["text"]))
        match = next((g for g in left if g["date"] == exp["date"] and words & set(tokens(g["text"]))), None)
        if match is not None:
            left.remove(match)
            hits += 1
    return hits, len(expected), len(got)


# --------------------------------------------------------------------------- one page
def score_page(expected: dict, got: dict) -> dict:
    """Per-field results of one page; fields the extractor does not produce (got[field] None) are None."""
    press = expected["kind"] == "press_release"
    score = {"headline": norm(got.get("headline")) == norm(expected["headline"]),
             "published": got.get("published") == expected["published"],
             "kind": None if got.get("kind") is None else got["kind"] == expected["kind"],
             "extractor": None if got.get("extractor") is None or not press else got["extractor"] == expected["extractor"]}
    if not press:
        return score
    images, na = got.get("images") or [], set(got.get("not_available", ()))
    score["body"] = body_f1(expected["paragraphs"], got.get("paragraphs") or [])
    score["captions"] = caption_counts(expected["images"], images)
    score["credits"] = None if "credit" in na else credit_counts(expected["images"], images)
    quotes, mentions = got.get("quotes"), got.get("date_mentions")
    score["quotes"] = None if quotes is None else quote_counts(expected["quotes"], quotes)
    score["mentions"] = None if mentions is None else mention_counts(expected["date_mentions"], mentions)
    return score


def run_pressarchive(page: GoldPage) -> dict:
    """pressarchive's record for a gold page (an empty record with 'error' if the parser raised)."""
    from crawler.parsing import extract  # noqa: PLC0415

    try:
        return extract(page.body, url=page.expected["url"]).to_dict()
    except Exception as exc:  # noqa: BLE001 - a crash is a result to report, not to hide
        return {"error": f"{type(exc).__name__}: {exc}", "kind": "error", "extractor": "error"}


def run_trafilatura(page: GoldPage) -> dict:
    """trafilatura (body, images, title) + htmldate (date) in the record's shape; no kind, quotes, mentions."""
    import htmldate  # noqa: PLC0415
    import trafilatura  # noqa: PLC0415

    url = page.expected["url"]
    xml = trafilatura.extract(page.body, url=url, output_format="xml", include_comments=False,
                              include_images=True, include_tables=True)
    meta = trafilatura.extract_metadata(page.body, default_url=url)
    paragraphs, images = _trafilatura_parts(xml)
    return {"headline": meta.title if meta else None, "published": htmldate.find_date(page.body, url=url, original_date=True),
            "paragraphs": paragraphs, "images": images, "kind": None, "extractor": None,
            "quotes": None, "date_mentions": None, "not_available": ["credit"]}


def _trafilatura_parts(xml: str | None) -> tuple[list[str], list[dict]]:
    """Paragraph texts and images (alt/title standing in for the caption) of trafilatura's XML."""
    from lxml import etree  # noqa: PLC0415

    if not xml:
        return [], []
    main = etree.fromstring(xml.encode("utf-8")).find("main")
    paragraphs = [norm("".join(el.itertext())) for el in main.iter("p", "item", "head", "cell")]
    images = [{"src": g.get("src"), "alt": g.get("alt"), "caption": g.get("title") or g.get("alt"), "credit": None}
              for g in main.iter("graphic")]
    return [p for p in paragraphs if p], images


# --------------------------------------------------------------------------- aggregation and table
def _mean(values: list) -> float | None:
    """Mean of the values that are not None; None if there are none or any is None (n/a)."""
    if not values or any(v is None for v in values):
        return None
    return sum(values) / len(values)


def _ratio(pairs: list, index: int = 0, total: int = 1) -> float | None:
    """Sum of one count over the sum of another, over pages; None if n/a or nothing to count."""
    if any(p is None for p in pairs):
        return None
    denominator = sum(p[total] for p in pairs)
    return sum(p[index] for p in pairs) / denominator if denominator else None


def _quote_metrics(counts: list[dict | None]) -> dict:
    """Quote precision, recall, F1 (micro) and speaker accuracy over matched quotes."""
    if not counts or any(c is None for c in counts):
        return dict.fromkeys(("quote P", "quote R", "quote F1", "speaker acc"))
    total = Counter()
    for c in counts:
        total.update(c)
    p = total["matched"] / total["found"] if total["found"] else 1.0
    r = total["matched"] / total["expected"] if total["expected"] else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    speaker = total["speaker_ok"] / total["matched"] if total["matched"] else None
    return {"quote P": p, "quote R": r, "quote F1": f1, "speaker acc": speaker}


def aggregate(scores: list[dict]) -> dict:
    """The table's metrics over a group of page scores."""
    press = [s for s in scores if "body" in s]
    mentions = [s["mentions"] for s in press]
    row = {"pages": len(scores), "headline": _mean([s["headline"] for s in scores]),
           "published": _mean([s["published"] for s in scores]), "kind": _mean([s["kind"] for s in scores]),
           "extractor": _mean([s["extractor"] for s in press]), "body F1": _mean([s["body"] for s in press]),
           "caption R": _ratio([s["captions"] for s in press]), "credit acc": _ratio([s["credits"] for s in press])}
    row.update(_quote_metrics([s["quotes"] for s in press]))
    row["mention R"] = _ratio(mentions)
    row["mention P"] = _ratio(mentions, 0, 2)
    return row


GROUPS = ("all", "portal", "fallback")


def evaluate(pages: list[GoldPage], runner) -> dict[str, dict]:
    """Metrics per group (all pages, portal-template pages, fallback pages) for one extractor."""
    scored = [(page.group, score_page(page.expected, runner(page))) for page in pages]
    return {group: aggregate([s for g, s in scored if group == "all" or g == group]) for group in GROUPS}


def cell(value) -> str:
    """A table cell: a count, a share with three decimals, or n/a."""
    if value is None:
        return "n/a"
    return str(value) if isinstance(value, int) else f"{value:.3f}"


def render_table(ours: dict, theirs: dict) -> str:
    """Metrics as rows; per group a pressarchive and a trafilatura+htmldate column."""
    header = ["metric"] + [f"{who}:{g}" for g in GROUPS for who in ("pa", "tf")]
    lines = [header]
    for metric in ours["all"]:
        lines.append([metric] + [cell(run[g][metric]) for g in GROUPS for run in (ours, theirs)])
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    text = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
            for row in lines]
    legend = "pa = pressarchive extract; tf = trafilatura.extract + extract_metadata (title) + htmldate.find_date"
    return "\n".join(text + ["", legend])


# --------------------------------------------------------------------------- per-page problems
BODY_MIN = {"portal": 0.99, "fallback": 0.95}


def _field_problems(page: GoldPage, got: dict) -> list[str]:
    """Mismatches of the single-valued fields."""
    exp, out = page.expected, []
    for name in ("kind", "headline", "published") + (("extractor",) if page.group != "other" else ()):
        if norm(str(got.get(name))) != norm(str(exp[name])):
            out.append(f"{name}: expected {exp[name]!r}, got {got.get(name)!r}")
    return out


def _image_problems(exp: dict, got: dict) -> list[str]:
    """Captions not found and credits that differ."""
    out = []
    for e, g in pair_images(exp["images"], got.get("images") or []):
        if g is None:
            out.append(f"image {_src_key(e['src'])}: not found")
            continue
        for name in ("caption", "credit"):
            if norm(e.get(name)) != norm(g.get(name)):
                out.append(f"image {_src_key(e['src'])} {name}: expected {e.get(name)!r}, got {g.get(name)!r}")
    return out


def _quote_problems(exp: dict, got: dict) -> list[str]:
    """Expected quotes not found, found quotes not expected, wrong speakers."""
    quotes = got.get("quotes") or []
    pairs = pair_quotes(exp["quotes"], quotes)
    hit_e, hit_g = [id(e) for e, _ in pairs], [id(g) for _, g in pairs]
    out = [f"quote missed: {e['text'][:60]!r} ({e['speaker']})" for e in exp["quotes"] if id(e) not in hit_e]
    out += [f"quote not expected: {g['text'][:60]!r} ({g.get('speaker')})" for g in quotes if id(g) not in hit_g]
    out += [f"speaker of {e['text'][:40]!r}: expected {e['speaker']!r}, got {g.get('speaker')!r}"
            for e, g in pairs if norm(e["speaker"]) != norm(g.get("speaker"))]
    return out


def _mention_problems(exp: dict, got: dict) -> list[str]:
    """Expected date mentions not found."""
    out, left = [], list(got.get("date_mentions") or [])
    for e in exp["date_mentions"]:
        words = set(tokens(e["text"]))
        match = next((g for g in left if g["date"] == e["date"] and words & set(tokens(g["text"]))), None)
        if match is None:
            out.append(f"mention missed: {e['text']!r} = {e['date']}")
        else:
            left.remove(match)
    return out


def page_problems(page: GoldPage, got: dict) -> list[str]:
    """Everything pressarchive got wrong on one page, one line each."""
    if "error" in got:
        return [f"parser raised {got['error']}"]
    out = _field_problems(page, got)
    if page.group == "other":
        return out
    f1 = body_f1(page.expected["paragraphs"], got.get("paragraphs") or [])
    if f1 < BODY_MIN[page.group]:
        out.append(f"body token F1 {f1:.3f} < {BODY_MIN[page.group]}")
    return out + _image_problems(page.expected, got) + _quote_problems(page.expected, got) + _mention_problems(page.expected, got)


# --------------------------------------------------------------------------- command line
def main(argv: list[str] | None = None) -> int:
    """Print the side-by-side table (and with --detail what pressarchive got wrong per page)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=Path, default=GOLD_DIR, help="a folder of gold pages (STEM.html + STEM.json)")
    parser.add_argument("--stems", default="*", help="only the pages whose STEM matches this glob (blind3-*)")
    parser.add_argument("--detail", action="store_true", help="list pressarchive's mistakes page by page")
    parser.add_argument("--no-trafilatura", action="store_true", help="score pressarchive only")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    pages = load_gold(args.pages, args.stems)
    if not pages:
        print(f"no gold pages in {args.pages}", file=sys.stderr)
        return 2
    counts = Counter(p.group for p in pages)
    print(f"{len(pages)} pages in {args.pages}: " + ", ".join(f"{n} {g}" for g, n in sorted(counts.items())))
    ours = evaluate(pages, run_pressarchive)
    theirs = evaluate(pages, _no_run) if args.no_trafilatura else evaluate(pages, run_trafilatura)
    print(render_table(ours, theirs))
    if args.detail:
        _print_detail(pages)
    return 0


def _no_run(page: GoldPage) -> dict:
    """An extractor that produces nothing (for --no-trafilatura)."""
    return {"not_available": ["credit"]}


def _print_detail(pages: list[GoldPage]) -> None:
    """pressarchive's mistakes, page by page."""
    print("\npressarchive, page by page:")
    for page in pages:
        problems = page_problems(page, run_pressarchive(page))
        print(f"  {page.stem}: {'ok' if not problems else ''}")
        for line in problems:
            print(f"      {line}")


if __name__ == "__main__":
    sys.exit(main())
