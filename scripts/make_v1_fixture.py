"""Write tests/fixtures/archive_v1.sqlite: a small archive in schema 1 (Alembic revision 0001).

Run from the repository root: .venv/bin/python scripts/make_v1_fixture.py
The rows are written with plain SQL, as the first release wrote them, so the fixture does not
change when the models do. tests/test_migrations.py opens it and expects an upgrade to head.
"""
from __future__ import annotations

import json
import sys
import zlib
from hashlib import sha256
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.migrate import FIRST_REVISION, alembic_config  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "archive_v1.sqlite"
BASE = "https://bochum.de/Pressemeldungen/"
PAGES = [b"<html><h1>Stadtradeln startet</h1></html>", b"<html><h1>Stadtradeln startet bald</h1></html>",
         b"<html><h1>Spielplatz wird erneuert</h1></html>"]


def main() -> None:
    """Create the schema-1 database and fill it."""
    OUT.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{OUT}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), FIRST_REVISION)
        fill(conn)
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM")
    engine.dispose()
    print(f"wrote {OUT}")


def fill(conn) -> None:
    """Two articles (one edited, one withdrawn), their raw pages, children, a run and a failure."""
    run = ("INSERT INTO crawl_run VALUES (1, '2024-05-01 10:00:00', '2024-05-01 10:05:00', "
           "'https://www.bochum.de/Pressemeldungen', 'recent', 99, 'ok', 3, 0, 2, 3, 1, 0, 0, 0, '[]')")
    conn.execute(text(run))
    for n, body in enumerate(PAGES, start=1):
        conn.execute(text("INSERT INTO raw_page VALUES (:id, :sha, :url, 200, :headers, :at, :size, :body)"),
                     {"id": n, "at": f"2024-05-01 10:0{n}:00", "sha": sha256(body).hexdigest(),
                      "url": BASE + f"1-Mai-2024/Page-{n}", "headers": json.dumps({"ETag": f'"e{n}"'}),
                      "size": len(body), "body": zlib.compress(body, 6)})
    conn.execute(text(
        "INSERT INTO article VALUES (1, :u1, :u1, 'active', '2024-05-01', '2024-05-01 10:01:00', "
        "'2024-05-01 10:02:00', '2024-05-01 10:02:00', '\"e2\"', NULL, 2), "
        "(2, :u2, :u2, 'withdrawn', '2024-04-30', '2024-05-01 10:03:00', '2024-05-01 10:03:00', "
        "'2024-05-01 10:04:00', NULL, NULL, 2)"),
        {"u1": BASE + "1-Mai-2024/Stadtradeln", "u2": BASE + "30-April-2024/Spielplatz"})
    _versions(conn)
    conn.execute(text("INSERT INTO quote VALUES (1, 1, 0, 'Wir radeln', 'Thomas Eiskirch', 'Oberbürgermeister', 0), "
                      "(2, 2, 0, 'Wir radeln', 'Thomas Eiskirch', 'Oberbürgermeister', 0)"))
    conn.execute(text("INSERT INTO image VALUES (1, 3, 0, '/x/$FILE/spielplatz.jpg', 'Spielplatz', "
                      "'Der Spielplatz am Stadtpark', 'Stadt Bochum'), (2, 4, 0, '/x/$FILE/spielplatz.jpg', "
                      "'Spielplatz', 'Der Spielplatz am Stadtpark', 'Stadt Bochum')"))
    conn.execute(text("INSERT INTO date_mention VALUES (1, 1, 0, '24. Mai', '2024-05-24')"))
    conn.execute(text("INSERT INTO failed_fetch VALUES (1, :u, :u, '503 Service Unavailable', 2, 1, "
                      "'2024-05-01 10:05:00')"), {"u": BASE + "2-Mai-2024/Kaputt"})


def _versions(conn) -> None:
    rows = [(1, 1, 1, "new", "[]", "Stadtradeln startet", 1), (2, 1, 2, "edited", '["headline"]',
            "Stadtradeln startet bald", 2), (3, 2, 1, "new", "[]", "Spielplatz wird erneuert", 3),
            (4, 2, 2, "withdrawn", '["status"]', "Spielplatz wird erneuert", None)]
    for vid, article, number, change, fields, headline, page in rows:
        paragraphs = [f"{headline}: der Text."]
        conn.execute(text(
            "INSERT INTO version VALUES (:id, :article, :number, :at, :change, "
            ":fields, 'press_release', :headline, NULL, '2024-05-01', 'date_line', :paragraphs, :body, :hash, "
            "'portal', '1', :page, 1)"),
            {"id": vid, "at": f"2024-05-01 10:0{vid}:00", "article": article, "number": number, "change": change,
             "fields": fields, "headline": headline, "paragraphs": json.dumps(paragraphs, ensure_ascii=False),
             "body": paragraphs[0], "hash": sha256(headline.encode()).hexdigest(), "page": page})


if __name__ == "__main__":
    main()
