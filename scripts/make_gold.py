"""Build gold pages: wrap hand-written article parts in the portal model's chrome, export replica pages."""
from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
MODEL = Path("/work/shared/portal-model")
FIELDS = ("url", "kind", "headline", "published", "paragraphs", "images", "quotes", "date_mentions", "extractor")

TEASER_POOL = [
    ("/Pressemeldungen/8-Oktober-2020/Herbstferienprogramm-der-Stadtbuecherei", "Herbstferienprogramm der Stadtbücherei", "08.10.2020"),
    ("/Pressemeldungen/Aktuelle-Pressemeldungen-zum-Corona-Virus/Neue-Regeln-fuer-Veranstaltungen", "Neue Regeln für Veranstaltungen", "07.10.2020"),
    ("/Pressemeldungen%2F7-Mai-2019%2FSpielplatz-am-Stadtpark-wird-erneuert", "Spielplatz am Stadtpark wird erneuert", "07.05.2019"),
    ("/Pressemeldungen/3-Januar-2022/Wertstoffhoefe-wieder-regulaer-geoeffnet", "Wertstoffhöfe wieder regulär geöffnet", "03.01.2022"),
    ("/Pressemeldungen/28-Februar-2022/Kita-Anmeldung-fuer-das-neue-Kita-Jahr", "Kita-Anmeldung für das neue Kita-Jahr", "28.02.2022"),
    ("/Pressemeldungen/1-Maerz-2022/Baumfaellungen-an-der-Wittener-Strasse", "Baumfällungen an der Wittener Straße", "01.03.2022"),
    ("/Pressemeldungen/12-Juni-2023/Sommerkino-im-Westpark", "Sommerkino im Westpark", "12.06.2023"),
    ("/Pressemeldungen/4-Juni-2019/Blutspende-im-Rathaus", "Blutspende im Rathaus", "04.06.2019"),
]


def _sample(name: str) -> str:
    """The text of one sample page of the portal model."""
    return (MODEL / name).read_text(encoding="utf-8")


def _chrome(name: str) -> tuple[str, str]:
    """Everything before the breadcrumb and everything from the footer on, of a sample page."""
    page = _sample(name)
    return page[: page.index('<nav class="breadcrumb"')], page[page.index("<footer") :]


def _head(prefix: str, headline: str, stem: str) -> str:
    """The sample's head and header with this page's title, cookie id and search token."""
    digest = hashlib.sha1(stem.encode()).hexdigest()
    text = html.escape(headline, quote=False)
    prefix = re.sub(r"<title>.*?</title>", f"<title>{text} - Stadt Bochum</title>", prefix)
    prefix = re.sub(r'(og:title" content=")[^"]*', lambda m: m.group(1) + html.escape(headline), prefix)
    prefix = re.sub(r'cookie-consent-\d+', f"cookie-consent-{int(digest[:4], 16)}", prefix)
    return re.sub(r'(name="token" value=")[0-9a-f]+', lambda m: m.group(1) + digest[:32], prefix)


def _teasers(stem: str, picks: list[int] | None) -> str:
    """The 'Weitere Pressemeldungen' box: three other headlines with their dates (a date trap)."""
    start = int(hashlib.sha1(stem.encode()).hexdigest()[:2], 16)
    idx = picks or [(start + i) % len(TEASER_POOL) for i in range(3)]
    items = "".join(
        f'<li class="teaser-list__item"><a href="{TEASER_POOL[i][0]}">{html.escape(TEASER_POOL[i][1])}</a>'
        f'<span class="teaser-list__date">{TEASER_POOL[i][2]}</span></li>' for i in idx)
    contact = ('<div class="contact-box"><h2>Pressekontakt</h2><p>Referat für Kommunikation<br>Willy-Brandt-Platz 2-6'
               '<br>44777 Bochum<br>Telefon: 0234 / 910-3000<br><a href="mailto:presse@bochum.de">presse@bochum.de</a>'
               '</p></div>')
    return f'<aside class="content__aside"><h2>Weitere Pressemeldungen</h2><ul class="teaser-list">{items}</ul>{contact}</aside>'


SHARE = ('<div class="share"><span>Seite teilen:</span> <a href="#"><svg class="icon" aria-hidden="true"><use href="#icon-facebook">'
         '</use></svg>Facebook</a> <a href="#"><svg class="icon" aria-hidden="true"><use href="#icon-twitter"></use></svg>Twitter</a> '
         '<a href="#"><svg class="icon" aria-hidden="true"><use href="#icon-e-mail"></use></svg>E-Mail</a></div>')


def _main_2020(h: str, body: str, aside: str, label: str = "Aktuelle Pressemeldungen") -> str:
    """The 2020 template's main part: kicker, headline, label, richtext."""
    crumb = '<li><a href="/Pressemeldungen">Pressemeldungen</a></li>' if label.startswith("Aktuelle") else ""
    share = SHARE if aside else ""
    return (f'<nav class="breadcrumb" aria-label="Sie sind hier"><ol><li><a href="/">Startseite</a></li>{crumb}<li>{label}</li></ol>'
            f'</nav><main id="inhalt" class="content"><div class="page-title"><p class="page-title__kicker">{label}</p>'
            f'<h1 class="page-title__headline">{h}</h1></div><div class="content__main"><p class="content__label">{label}</p>'
            f'<div class="richtext">\n{body}\n</div>{share}</div>{aside}</main>\n')


def _main_2019(h: str, body: str, aside: str) -> str:
    """The 2019 template's main part: the headline three times, no section labels."""
    return (f'<nav class="breadcrumb" aria-label="Sie sind hier"><ol><li><a href="/">Startseite</a></li><li><a href="/Pressemeldungen">'
            f'Pressemeldungen</a></li><li>{h}</li></ol></nav><main id="inhalt" class="content"><h1 class="page-title__headline">{h}'
            f'</h1><div class="content__main"><h2 class="content__headline">{h}</h2><div class="richtext">\n{body}\n</div></div>'
            f'{aside}</main>\n')


def wrap(template: str, headline: str, body: str, stem: str, teasers: list[int] | None = None) -> str:
    """A whole page in the model's chrome: template '2020', '2019', 'service' or 'info' around an article part."""
    prefix, suffix = _chrome("article-2019.html" if template == "2019" else "article-2020.html")
    h = html.escape(headline, quote=False)
    if template == "2019":
        main = _main_2019(h, body, _teasers(stem, teasers))
    elif template in ("service", "info"):
        main = _main_2020(h, body, "", label="Dienstleistungen und Infos" if template == "service" else "Rathaus")
    else:
        main = _main_2020(h, body, _teasers(stem, teasers))
    return _head(prefix, headline, stem) + main + suffix


def write_pair(stem: str, page: str | bytes, expected: dict, out: Path = GOLD) -> None:
    """Write tests/gold/STEM.html and STEM.json (the expected record, fields in contract order)."""
    out.mkdir(parents=True, exist_ok=True)
    data = page if isinstance(page, bytes) else page.encode("utf-8")
    (out / f"{stem}.html").write_bytes(data)
    record = {k: expected.get(k) for k in FIELDS}
    (out / f"{stem}.json").write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- replica pages
HOST = "https://www.bochum.de"
REPLICA_SEED, REPLICA_RELEASES = 20260, 400
QUOTAS = {"2019": 8, "2020": 8, "relaunch": 4}


def _replica_site(n: int, seed: int):
    """A replica portal and its site (scripts/replica), in the sample pages' markup."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from replica.content import Portal  # noqa: PLC0415
    from replica.site import Site  # noqa: PLC0415
    from replica.state import SiteState  # noqa: PLC0415

    return Site(Portal(n=n, seed=seed), SiteState())


def _render(site, rel) -> str:
    """The replica's page of a release as its server sends it (fixed cookie id and token)."""
    from replica.site import assemble  # noqa: PLC0415

    page = site.render(site.route(rel.path))
    values = {"c": b"4711", "t": hashlib.sha1(rel.path.encode()).hexdigest()[:32].encode(), "h": HOST.encode()}
    return assemble(page.parts, values).decode("utf-8")


def replica_pages(n: int, seed: int = REPLICA_SEED):
    """(url, html, truth) of the first n active releases of a replica portal, in the model's markup."""
    site = _replica_site(max(n, 1), seed)
    for rel in site.portal.active[:n]:
        yield HOST + rel.path, _render(site, rel), rel.truth()


def _expected(url: str, truth: dict, extractor: str) -> dict:
    """A gold record from the replica's ground truth."""
    keep = ("headline", "published", "paragraphs", "images", "quotes", "date_mentions")
    return {"url": url, "kind": "press_release", **{k: truth[k] for k in keep}, "extractor": extractor}


def _spread(items: list, count: int) -> list:
    """`count` items evenly spaced over a list."""
    if len(items) <= count:
        return list(items)
    return [items[round(i * (len(items) - 1) / (count - 1))] for i in range(count)] if count > 1 else items[:1]


def _pick(site, quotas: dict) -> list[tuple[str, object]]:
    """Releases spread over the portal's years, per template; relaunch pages from the rest."""
    rich = [r for r in site.portal.active if r.body.quotes or r.body.images()]
    picked = [(t, r) for t in ("2019", "2020") for r in _spread([r for r in rich if r.template == t], quotas[t])]
    taken = {r.rid for _, r in picked}
    rest = [r for r in rich if r.rid not in taken]
    return picked + [("relaunch", r) for r in _spread(rest[1::2], quotas["relaunch"])]


def export_replica(out: Path = GOLD, seed: int = REPLICA_SEED) -> int:
    """Write replica-GROUP-ID.html/.json pairs; relaunch pages in the replica's fallback markup."""
    site = _replica_site(REPLICA_RELEASES, seed)
    picked = _pick(site, QUOTAS)
    for group, rel in picked:
        site.state.set(markup="fallback" if group == "relaunch" else "portal")
        url = HOST + (rel.path if rel.rid % 3 else "/" + rel.path[1:].replace("/", "%2F"))
        stem = f"replica-{group}-{rel.rid:04d}"
        write_pair(stem, _render(site, rel), _expected(url, rel.truth(), "fallback" if group == "relaunch" else "portal"), out)
    return len(picked)


def main(argv: list[str] | None = None) -> int:
    """`replica`: (re)write the replica part of the gold set."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["replica"])
    parser.add_argument("--seed", type=int, default=REPLICA_SEED)
    parser.add_argument("--out", type=Path, default=GOLD)
    args = parser.parse_args(argv)
    for old in args.out.glob("replica-*"):
        old.unlink()
    print(f"{export_replica(args.out, args.seed)} replica pages written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
