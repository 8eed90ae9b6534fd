"""HTML of the replica's pages in the sample pages' markup model, and of the relaunch markup."""
from __future__ import annotations

from html import escape

from . import dates
from .chrome import HOST, Chrome, icon
from .compose import ItemList, Para, Picture
from .content import PRESS, Release, spellings
from .texts import INTERN_HEADLINE, INTERN_TEXT, SERVICE_PAGES

SECTION = "Aktuelle Pressemeldungen"
SERVICE_SECTION = "Dienstleistungen und Infos"
CONTACT = ('<div class="contact-box"><h2>Pressekontakt</h2><p>Referat für Kommunikation<br>Willy-Brandt-Platz 2-6'
           '<br>44777 Bochum<br>Telefon: 0234 / 910-3000<br><a href="mailto:presse@bochum.de">presse@bochum.de</a>'
           '</p></div>')
SHARE = (f'<div class="share"><span>Seite teilen:</span> <a href="#">{icon("Facebook")}Facebook</a> <a href="#">'
         f'{icon("Twitter")}Twitter</a> <a href="#">{icon("E-Mail")}E-Mail</a></div>')
CREDIT_TEXT = {"quelle": "(Quelle: {})", "foto": "Foto: {}", "copy": "© {}", "plain": "(Quelle: {})"}
SPELLINGS = ["slash", "encoded", "trailing", "absolute"]


def link(rel: Release, spelling: str = "slash") -> str:
    """The href of a release in one of the spellings the portal uses (absolute keeps the request's host)."""
    slash, encoded, trailing = spellings(rel.path)
    return {"slash": slash, "encoded": encoded, "trailing": trailing, "absolute": HOST + slash}[spelling]


def breadcrumb(*crumbs: tuple[str, str | None]) -> str:
    """The 'Sie sind hier' trail; the last crumb is plain text."""
    items = "".join(f'<li><a href="{href}">{escape(text)}</a></li>' if href else f"<li>{escape(text)}</li>"
                    for text, href in crumbs)
    return f'<nav class="breadcrumb" aria-label="Sie sind hier"><ol>{items}</ol></nav>'


def figure(pic: Picture) -> str:
    """An image box: img, caption and, where there is one, the credit."""
    alt = "" if pic.alt is None else f' alt="{escape(pic.alt)}"'
    caption = escape(pic.caption)
    if pic.credit_form == "plain":
        caption += " " + escape(CREDIT_TEXT["plain"].format(pic.credit))
    elif pic.credit:
        caption += f' <span class="image-box__copyright">{escape(CREDIT_TEXT[pic.credit_form].format(pic.credit))}</span>'
    return (f'<figure class="image-box"><img class="image-box__img" src="{pic.src}"{alt} width="640" height="360">'
            f'<figcaption class="image-box__caption">{caption}</figcaption></figure>')


def block(item) -> str:
    """One body block in the portal markup."""
    if isinstance(item, Para):
        return f"<p>{escape(item.text, quote=False)}</p>"
    if isinstance(item, ItemList):
        tag = "ol" if item.ordered else "ul"
        return f"<{tag}>" + "".join(f"<li>{escape(i, quote=False)}</li>" for i in item.items) + f"</{tag}>"
    return figure(item)


def teaser_box(teasers: list[tuple[Release, str]]) -> str:
    """'Weitere Pressemeldungen': other headlines with their dates, and the press contact."""
    items = "".join(f'<li class="teaser-list__item"><a href="{link(r, s)}">{escape(r.headline)}</a>'
                    f'<span class="teaser-list__date">{dates.numeric(r.published)}</span></li>' for r, s in teasers)
    return (f'<aside class="content__aside"><h2>Weitere Pressemeldungen</h2><ul class="teaser-list">{items}</ul>'
            f'{CONTACT}</aside>')


def richtext(rel: Release, chrome: Chrome) -> str:
    """The article body with the date line at its end; later chrome generations wrap and space it."""
    blocks = [block(b) for b in rel.body.blocks]
    blocks.append(f"<p>({dates.long_date(rel.published, rel.zero_dateline)})</p>")
    inner = f'<div class="richtext">{chrome.sep}{chrome.sep.join(blocks)}{chrome.sep}</div>'
    return inner if chrome.sep == "\n" else f'<div class="content__inner">{inner}</div>'


def article(rel: Release, teasers: list, chrome: Chrome) -> str:
    """Breadcrumb and main of a release page in its template (2019 or 2020)."""
    if rel.template == "2019":
        title = escape(rel.headline)
        return (breadcrumb(("Startseite", "/"), ("Pressemeldungen", PRESS), (rel.headline, None))
                + f'<main id="inhalt" class="content"><h1 class="page-title__headline">{title}</h1><div '
                f'class="content__main"><h2 class="content__headline">{title}</h2>{richtext(rel, chrome)}</div>'
                f'{teaser_box(teasers)}</main>\n')
    kicker = f'<p class="page-title__kicker">{escape(rel.kicker)}</p>' if rel.kicker else ""
    return (breadcrumb(("Startseite", "/"), ("Pressemeldungen", PRESS), (rel.kicker or SECTION, None))
            + f'<main id="inhalt" class="content"><div class="page-title">{kicker}<h1 class="page-title__headline">'
            f'{escape(rel.headline)}</h1></div><div class="content__main"><p class="content__label">{SECTION}</p>'
            f'{richtext(rel, chrome)}{SHARE}</div>{teaser_box(teasers)}</main>\n')


def relaunch_block(item, first: bool) -> str:
    """One body block in the relaunch markup."""
    if isinstance(item, Para):
        cls = ' class="nd-lead"' if first else ""
        return f"<p{cls}>{escape(item.text, quote=False)}</p>"
    if isinstance(item, ItemList):
        tag = "ol" if item.ordered else "ul"
        return f'<{tag} class="nd-list">' + "".join(f"<li>{escape(i, quote=False)}</li>" for i in item.items) + f"</{tag}>"
    alt = "" if item.alt is None else f' alt="{escape(item.alt)}"'
    credit = "" if not item.credit else f' <small>{escape(CREDIT_TEXT[item.credit_form].format(item.credit))}</small>'
    return (f'<div class="nd-media"><picture><img src="{item.src}"{alt} loading="lazy"></picture>'
            f'<div class="nd-media__caption">{escape(item.caption)}{credit}</div></div>')


def relaunch_article(rel: Release, teasers: list, chrome: Chrome) -> str:
    """A release after the next relaunch: <article class="news-detail">, no richtext, no date line."""
    if rel.rid % 2:
        stamp = f'<p class="nd-meta">Veröffentlicht am {dates.numeric(rel.published)}</p>'
    else:
        stamp = f'<time class="nd-date" datetime="{rel.published.isoformat()}">{dates.long_date(rel.published)}</time>'
    blocks = chrome.sep.join(relaunch_block(b, i == 0) for i, b in enumerate(rel.body.blocks))
    related = "".join(f'<li><a href="{link(r, s)}">{escape(r.headline)}</a> <time datetime="'
                      f'{r.published.isoformat()}">{dates.numeric(r.published)}</time></li>' for r, s in teasers)
    return (f'<main class="page"><article class="news-detail"><div class="nd-head"><p class="nd-category">'
            f'Pressemitteilung</p><h1 class="nd-title">{escape(rel.headline)}</h1>{stamp}</div><div class="nd-text">'
            f'{chrome.sep}{blocks}{chrome.sep}</div><div class="nd-share">Teilen</div></article><aside class="related">'
            f'<h2>Das könnte Sie auch interessieren</h2><ul>{related}</ul></aside></main>\n')


def teaser_text(rel: Release) -> str:
    """The listing's teaser: the lead's first sentence, shortened if long."""
    lead = rel.body.paragraphs()[0]
    sentence = lead.split(". ")[0].rstrip(".") + "."
    return sentence if len(sentence) <= 160 else sentence[:150].rsplit(" ", 1)[0] + " …"


def pagination(page: int, pages: int) -> str:
    """Page links around the current page, with rel=prev/next."""
    def href(n: int) -> str:
        return PRESS if n == 1 else f"{PRESS}?seite={n}"
    parts = [f'<a class="pagination__prev" rel="prev" href="{href(page - 1)}">Zurück</a>'] if page > 1 else []
    for n in range(max(1, page - 2), min(pages, page + 2) + 1):
        parts.append(f'<span class="pagination__current">{n}</span>' if n == page
                     else f'<a class="pagination__page" href="{href(n)}">{n}</a>')
    if page < pages:
        parts.append(f'<a class="pagination__next" rel="next" href="{href(page + 1)}">Weiter</a>')
    return f'<nav class="pagination" aria-label="Seiten">{"".join(parts)}</nav>'


def listing(releases: list[Release], page: int, pages: int, intern_path: str) -> str:
    """A listing page: 20 releases (every third link %2F-encoded), the Intern trap, pagination, services."""
    items = []
    for i, rel in enumerate(releases):
        spelling = "encoded" if i % 3 == 2 else "slash"
        items.append(f'<li class="press-list__item"><span class="press-list__date">{dates.numeric(rel.published)}'
                     f'</span> <a class="press-list__link" href="{link(rel, spelling)}">{escape(rel.headline)}</a>'
                     f'<p class="press-list__teaser">{escape(teaser_text(rel), quote=False)}</p></li>')
    intern = (f'<p class="press-list__preview"><a href="{intern_path}">Vorschau: {escape(INTERN_HEADLINE)}</a></p>'
              if page == 1 else "")
    return (breadcrumb(("Startseite", "/"), ("Pressemeldungen", None))
            + '<main id="inhalt" class="content"><div class="page-title"><h1 class="page-title__headline">'
            f'Pressemeldungen</h1></div><div class="content__main"><ul class="press-list">{"".join(items)}</ul>'
            f'{intern}{pagination(page, pages)}</div>{service_box()}</main>\n')


def junk_links(count: int) -> str:
    """List items linking release addresses that answer 404 (a broken CMS export, a spam injection)."""
    return "".join(f'<li class="press-list__item"><a class="press-list__link" href="/Pressemeldungen/'
                   f'Archiv-{n}/Eintrag-ohne-Inhalt-{n}">Eintrag {n}</a></li>' for n in range(count))


def empty_listing() -> str:
    """A listing whose releases are loaded by script: not one release link in the HTML."""
    return (breadcrumb(("Startseite", "/"), ("Pressemeldungen", None))
            + '<main id="inhalt" class="content"><div class="page-title"><h1 class="page-title__headline">'
            'Pressemeldungen</h1></div><div class="content__main"><div id="press-app" data-source="/api/'
            'pressemeldungen" data-page-size="20"></div><noscript><p>Bitte aktivieren Sie JavaScript, um die '
            f'Pressemeldungen zu sehen.</p></noscript></div>{service_box()}</main>\n')


def service_box() -> str:
    """Links from the listing to a few service pages."""
    links = "".join(f'<li><a href="/Service/{slug}">{escape(title)}</a></li>'
                    for slug, (title, _, _) in SERVICE_PAGES.items())
    return f'<aside class="content__aside"><h2>Service</h2><ul class="link-list">{links}</ul>{CONTACT}</aside>'


def service(title: str, paragraphs: list[str], items: list[str]) -> str:
    """A page in the service-page model: kicker and label 'Dienstleistungen und Infos', no date line."""
    body = "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs)
    bullets = "".join(f"<li>{escape(i, quote=False)}</li>" for i in items)
    return (breadcrumb(("Startseite", "/"), (SERVICE_SECTION, None))
            + f'<main id="inhalt" class="content"><div class="page-title"><p class="page-title__kicker">'
            f'{SERVICE_SECTION}</p><h1 class="page-title__headline">{escape(title)}</h1></div><div class="content__main">'
            f'<p class="content__label">{SERVICE_SECTION}</p><div class="richtext">\n{body}\n<ul>{bullets}</ul>\n'
            '</div></div></main>\n')


def intern() -> str:
    """The unpublished draft under /Pressemeldungen/Intern/ (robots.txt forbids it)."""
    body = "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in INTERN_TEXT)
    return (breadcrumb(("Startseite", "/"), ("Pressemeldungen", PRESS), (SECTION, None))
            + f'<main id="inhalt" class="content"><div class="page-title"><p class="page-title__kicker">{SECTION}</p>'
            f'<h1 class="page-title__headline">{escape(INTERN_HEADLINE)}</h1></div><div class="content__main">'
            f'<p class="content__label">{SECTION}</p><div class="richtext">\n{body}\n<p>(2. Januar 2025)</p>\n'
            '</div></div></main>\n')


def error(status: int) -> str:
    """The portal's page for 404 and 410."""
    title = "Pressemeldung nicht mehr verfügbar" if status == 410 else "Seite nicht gefunden"
    text = ("Diese Pressemeldung wurde zurückgezogen." if status == 410
            else "Die angeforderte Seite konnte leider nicht gefunden werden.")
    return (breadcrumb(("Startseite", "/"), (title, None))
            + f'<main id="inhalt" class="content"><div class="page-title"><h1 class="page-title__headline">{title}'
            f'</h1></div><div class="content__main"><div class="richtext">\n<p>{text}</p>\n</div></div></main>\n')


def home() -> str:
    """A minimal start page that leads to the press releases."""
    return ('<main id="inhalt" class="content"><div class="page-title"><h1 class="page-title__headline">Stadt Bochum'
            '</h1></div><div class="content__main"><div class="richtext">\n<p><a href="/Pressemeldungen">Aktuelle '
            'Pressemeldungen</a></p>\n</div></div></main>\n')
