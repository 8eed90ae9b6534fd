"""The README's demo: crawl the replica portal, let its press office edit and withdraw releases, crawl
again, then read the versions (history, diff, show), search and export.

Run from the repository root after installing: `.venv/bin/python scripts/demo.py [--out demo]`.
The replica runs on 127.0.0.1:8240 (any free port if that one is taken) only while the demo
runs. The archive keeps every release under the URL it was crawled from: `history URL`, `diff URL`
and `show URL` work without the replica; the replica comes back with `--port 8240` (in its
original state: the edit and the withdrawal happened only in the demo's run of it).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from replica.server import start_replica  # noqa: E402

PORT, RELEASES, SEED = 8240, 240, 1


def pressarchive(*args: str) -> None:
    """Run one `pressarchive` command the way a user would, echoing it first."""
    print("\n$ pressarchive " + " ".join(args), flush=True)
    code = subprocess.call([sys.executable, "-m", "archive", *args], cwd=ROOT)
    if code != 0:
        sys.exit(f"demo: `pressarchive {args[0]}` exited {code}")


def replica_on(port: int):
    """The replica on port, or on any free port if that one is taken."""
    try:
        return start_replica(n=RELEASES, seed=SEED, port=port)
    except OSError:
        return start_replica(n=RELEASES, seed=SEED, port=0)


def press_office(replica) -> tuple[str, str]:
    """Correct a Stolpersteine release (body and headline) and withdraw another; their URLs."""
    releases = replica.portal.releases
    edited = next(r.path for r in releases if "Stolpersteine" in r.headline)
    withdrawn = next(r.path for r in releases if "Bücherei" in r.headline or "Stadtbücherei" in r.headline)
    replica.edit(edited)
    replica.correct_headline(edited)
    replica.withdraw(withdrawn)
    print(f"\nThe press office corrects {replica.url(edited)}\n  and withdraws {replica.url(withdrawn)}")
    return replica.url(edited), replica.url(withdrawn)


def crawl(replica, db: str, *extra: str) -> None:
    """One crawl of the replica into db."""
    pressarchive("crawl", "--start-url", replica.listing_url, "--delay", "0", "--db", db, *extra)


def main() -> None:
    """Crawl, change, crawl again; then history, diff, show, search and export."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "demo"), help="folder for the archive and CSV (replaced)")
    parser.add_argument("--port", type=int, default=PORT, help="the replica's port (0: any free one)")
    args = parser.parse_args()
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)  # a fresh archive: the replica starts in its original state
    out.mkdir(parents=True)
    db = str(out / "archive.sqlite")
    with replica_on(args.port) as replica:
        print(f"replica portal at {replica.listing_url} ({RELEASES} releases)")
        crawl(replica, db)
        edited, withdrawn = press_office(replica)
        crawl(replica, db, "--recheck", "all")
    pressarchive("history", edited, "--db", db)
    pressarchive("diff", edited, "--db", db)
    pressarchive("history", withdrawn, "--db", db)
    pressarchive("show", withdrawn, "--db", db)
    pressarchive("search", "Stolpersteine", "--db", db, "--limit", "5")
    pressarchive("export", "versions", "--db", db, "--out", str(out / "versions.csv"))
    pressarchive("feed", "--db", db, "--out", str(out / "changes.atom"), "--limit", "20")
    print(f"\narchive: {db}  (the replica has stopped; the archive needs no portal to be read)"
          f"\nfiles:   {out / 'versions.csv'}, {out / 'changes.atom'}"
          f"\ntry:     pressarchive show {edited} --version 1 --db {db}"
          f"\n         pressarchive serve --db {db}   (the browser; pip install -e '.[serve]')"
          f"\nthe replica again, in its original state: .venv/bin/python scripts/replica/server.py --port {replica.port}")


if __name__ == "__main__":
    main()
