"""Pages per second of pressarchive's extract vs trafilatura + htmldate on the same pages, one core, one run."""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from evaluate import GOLD_DIR, load_gold  # noqa: E402

Page = tuple[bytes, str]  # (raw body, url)
CLI_BATCH = 200  # files per `pressarchive extract` process


def pin_one_core() -> str:
    """Run this process (and the processes it starts) on one core, where the OS allows it."""
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    return "not pinned (no sched_setaffinity here)"


def load_pages(gold: Path, replica: int, seed: int) -> dict[str, list[Page]]:
    """The gold pages, plus `replica` freshly rendered replica pages, in memory: profile pages (a site
    template matches: the crawl's everyday case) and generic ones (the fallback and non-release pages)."""
    groups: dict[str, list[Page]] = {"profile": [], "generic": []}
    for page in load_gold(gold):
        groups["profile" if page.group == "portal" else "generic"].append((page.body, page.expected["url"]))
    if replica:
        from make_gold import replica_pages  # noqa: PLC0415 - needs the replica package

        groups["profile"] += [(html.encode("utf-8"), url) for url, html, _ in replica_pages(replica, seed)]
    return groups


def run_pressarchive(pages: list[Page]) -> None:
    """pressarchive's extract over every page."""
    from crawler.parsing import extract  # noqa: PLC0415

    for body, url in pages:
        extract(body, url=url)


def run_trafilatura(pages: list[Page]) -> None:
    """trafilatura.extract + trafilatura.extract_metadata + htmldate.find_date over every page."""
    import htmldate  # noqa: PLC0415
    import trafilatura  # noqa: PLC0415

    for body, url in pages:
        trafilatura.extract(body, url=url, include_comments=False, include_images=True)
        trafilatura.extract_metadata(body, default_url=url)
        htmldate.find_date(body, url=url, original_date=True)


def timed(fn, pages: list[Page], rounds: int) -> float:
    """Pages per second of fn over `rounds` passes, after one warm-up pass (imports, caches)."""
    fn(pages[: max(1, len(pages) // 10)])
    start = time.perf_counter()
    for _ in range(rounds):
        fn(pages)
    return rounds * len(pages) / (time.perf_counter() - start)


def write_files(pages: list[Page], count: int, folder: Path) -> list[Path]:
    """`count` page files in a folder, cycling through the pages."""
    paths = []
    for i in range(count):
        path = folder / f"page-{i:05d}.html"
        path.write_bytes(pages[i % len(pages)][0])
        paths.append(path)
    return paths


def cli_rate(paths: list[Path]) -> float:
    """Pages per second of `pressarchive extract FILE...` end to end, process starts included."""
    exe = shutil.which("pressarchive", path=str(Path(sys.executable).parent)) or "pressarchive"
    start = time.perf_counter()
    for i in range(0, len(paths), CLI_BATCH):
        batch = [str(p) for p in paths[i : i + CLI_BATCH]]
        subprocess.run([exe, "extract", *batch], check=True, stdout=subprocess.DEVNULL)
    return len(paths) / (time.perf_counter() - start)


def compare(name: str, pages: list[Page], rounds: int) -> tuple[float, float]:
    """Pages per second of both extractors on one group of pages, printed with their ratio."""
    size = sum(len(b) for b, _ in pages) / len(pages) / 1024
    print(f"\n{name} pages: {len(pages)} in memory, {size:.0f} KiB on average, {rounds} rounds each")
    ours = timed(run_pressarchive, pages, rounds)
    theirs = timed(run_trafilatura, pages, rounds)
    print(f"  pressarchive extract (in process):           {ours:8.1f} pages/s  ({1000 / ours:.1f} ms a page)")
    print(f"  trafilatura + extract_metadata + htmldate:   {theirs:8.1f} pages/s  ({1000 / theirs:.1f} ms a page)")
    print(f"  ratio in process:                            {ours / theirs:8.2f}x")
    return ours, theirs


def main(argv: list[str] | None = None) -> int:
    """Time both extractors in one run and print pages/second and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=Path, default=GOLD_DIR, help="gold pages to time (STEM.html + STEM.json)")
    parser.add_argument("--replica", type=int, default=0, help="also render N replica pages")
    parser.add_argument("--seed", type=int, default=7, help="the replica's seed")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the pages per extractor")
    parser.add_argument("--files", type=int, default=400, help="files for the end-to-end CLI run (0: skip)")
    args = parser.parse_args(argv)
    print(f"one core: {pin_one_core()}")
    groups = load_pages(args.pages, args.replica, args.seed)
    seconds = 0.0  # trafilatura's time for one pass over every page, for the end-to-end ratio
    for name, group in groups.items():
        theirs = compare(name, group, args.rounds)[1]
        seconds += len(group) / theirs
    pages = groups["profile"] + groups["generic"]
    theirs = len(pages) / seconds
    if args.files:
        with tempfile.TemporaryDirectory() as tmp:
            cli = cli_rate(write_files(pages, args.files, Path(tmp)))
        print(f"`pressarchive extract FILE...` ({args.files} files, {CLI_BATCH} per process, starts included): "
              f"{cli:.1f} pages/s")
        print(f"ratio end to end vs trafilatura in process:    {cli / theirs:8.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
