"""The README's demo: start the replica portal, crawl it into an archive, then search and export.

Run from the repository root after installing: `.venv/bin/python scripts/demo.py`.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from replica.server import start_replica  # noqa: E402


def pressarchive(*args: str) -> None:
    """Run one `pressarchive` command the way a user would, echoing it first."""
    print("\n$ pressarchive " + " ".join(args), flush=True)
    code = subprocess.call([sys.executable, "-m", "archive", *args], cwd=ROOT)
    if code != 0:
        sys.exit(f"demo: `pressarchive {args[0]}` exited {code}")


def main() -> None:
    """Crawl a 240-release replica into demo/archive.sqlite and show what was archived."""
    out = ROOT / "demo"
    out.mkdir(exist_ok=True)
    db = str(out / "archive.sqlite")
    with start_replica(n=240, seed=1) as replica:
        print(f"replica portal at {replica.listing_url}")
        pressarchive("crawl", "--start-url", replica.listing_url, "--delay", "0", "--db", db)
    pressarchive("search", "Stolpersteine", "--db", db, "--limit", "5")
    pressarchive("export", "articles", "--db", db, "--out", str(out / "articles.csv"))
    pressarchive("export", "quotes", "--db", db, "--out", str(out / "quotes.csv"))
    print(f"\narchive: {db}\nCSV: {out / 'articles.csv'}, {out / 'quotes.csv'}")


if __name__ == "__main__":
    main()
