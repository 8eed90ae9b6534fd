"""The page chrome around the content, as in the sample pages, and its reshuffled variants.

Chrome is built once per chrome generation and shared by all pages. Markers \\x00c (cookie-banner
id), \\x00t (search token) and \\x00h (scheme and host of the request) are filled per response.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from random import Random

COOKIE, TOKEN, HOST = "\x00c", "\x00t", "\x00h"

SPRITE = ("BOP|Freizeit & Vereine|Informationen|Fabrik|Pinnwand|Ausweis|Lesen|Frauen und Beruf|"
          "Frauen und Bildung|Reisepass|Medizin|Helfen|Haus|Callcenter|Familienzuhause|Großvater|Erziehung|"
          "Familie mit Kind|Verlobung|Erde|Tod|Bau|Zertifikat|Katze|Auto|Datum und Uhrzeit|Abmachung|"
          "Wegweiser|Vertrag|Bus|Nachwuchs|Bürgerecho|Facebook|Twitter|YouTube|Instagram|Flickr|E-Mail|"
          "nachladen|nach unten|Panorama|Service|Regeln|Aktuelles|Wissen|Marktplatz|Finanzen & Gebühren|"
          "Umwelt & Klima|Logout|Vorreiterin|Talentschmiede|Wissenschaft|Kultur|Großstadt|Kompetenzen|"
          "Kompass|Projekte|Sportehrung: Abstimmung|Sportehrung: Kriterien|Sportehrung: Meldeformular|"
          "Sportehrung: Rückblick|Barrierefreiheit").split("|")

NAV = [
    ("Leben in Bochum", "/Leben-in-Bochum", "Bürgerbüros|Familie|Gesundheit|Jugend|Senioren|Soziales|Wohnen|"
     "Sicherheit & Ordnung|Umwelt|Verkehr|Bauen|Integration|Bildung|Sport|Friedhöfe|Tiere"),
    ("Rathaus", "/Rathaus", "Oberbürgermeister|Rat und Ausschüsse|Verwaltung|Ämter und Einrichtungen|"
     "Pressemeldungen|Stellenangebote|Ausschreibungen|Bekanntmachungen|Haushalt|Wahlen|Statistik|"
     "Bürgerbeteiligung|Ehrenamt|Partnerstädte"),
    ("Wirtschaft", "/Wirtschaft", "Wirtschaftsförderung|Gewerbeflächen|Gründen|Fachkräfte|Hochschulen|"
     "Gesundheitswirtschaft|IT-Sicherheit|Innenstadt|Einzelhandel|Märkte"),
    ("Kultur & Freizeit", "/Kultur---Freizeit", "Museen|Theater|Konzerte|Stadtbücherei|Musikschule|"
     "Volkshochschule|Parks|Bäder|Veranstaltungen|Sportehrung"),
    ("Tourismus", "/Tourismus", "Sehenswürdigkeiten|Stadtführungen|Übernachten|Anreise|Gastronomie|"
     "Route der Industriekultur|Bochum Marketing"),
    ("Service", "/Service", "Dienstleistungen A-Z|Formulare|Online-Services|Termin buchen|Mängelmelder|"
     "Fundbüro|Notdienste|Kontakt|Öffnungszeiten|Leichte Sprache|Gebärdensprache|Barrierefreiheit|"
     "Bewohnerparkausweis"),
]

AZ = ("Abfall|Abwasser|Adoption|Anwohnerparken|Ausweis|Bafög|Baugenehmigung|Betreuung|Bewohnerparken|"
      "Blindengeld|Bürgerbüro|Denkmalschutz|Einbürgerung|Elterngeld|Energieberatung|Fahrerlaubnis|Feuerwerk|"
      "Fischereischein|Führungszeugnis|Fundsachen|Gaststätte|Gewerbe|Grundsteuer|Hundesteuer|Impfung|"
      "Jugendamt|Kindergeld|Kita|Kfz-Zulassung|Lärmschutz|Meldebescheinigung|Mietspiegel|Müllabfuhr|"
      "Namensänderung|Ordnungsamt|Parkausweis|Personalausweis|Reisepass|Rente|Schwerbehinderung|"
      "Sondernutzung|Sperrmüll|Standesamt|Steuern|Straßenreinigung|Tagespflege|Trauung|Umzug|Unterhalt|"
      "Vaterschaft|Verkehr|Wahlen|Wohngeld|Wohnberechtigung|Zweitwohnung").split("|")
AZ_KINDS = ["beantragen", "Informationen", "Formulare", "Kosten"]

FOOTER = (
    '<footer class="site-footer"><div class="site-footer__contact"><h2>Stadt Bochum</h2><p>Willy-Brandt-Platz '
    '2-6<br>44777 Bochum<br>Telefon: 0234 / 910-0<br><a href="mailto:info@bochum.de">info@bochum.de</a></p>'
    '</div><ul class="site-footer__social">{social}</ul><ul class="site-footer__links"><li><a href="/Impressum">'
    'Impressum</a></li><li><a href="/Datenschutz">Datenschutz</a></li><li><a href="/Barrierefreiheit">Erklärung'
    ' zur Barrierefreiheit</a></li><li><a href="/Kontakt">Kontakt</a></li><li><a href="/Sitemap">Sitemap</a>'
    '</li></ul><p class="site-footer__copy">© Stadt Bochum</p></footer><div class="eyeable-widget" '
    'data-eyeable="1"><button>Vorlesen</button><button>Schrift vergrößern</button></div><script>'
    'window.dataLayer=window.dataLayer||[];</script>\n</body>\n</html>\n')
COOKIE_BANNER = (
    f'<div id="cookie-consent-{COOKIE}" class="cookie-consent" role="dialog"><p>Wir verwenden Cookies, um Ihnen die '
    'bestmögliche Nutzung unserer Website zu ermöglichen. Weitere Informationen finden Sie in unserer <a '
    'href="/Datenschutz">Datenschutzerklärung</a>.</p><button class="cookie-consent__accept">Alle akzeptieren'
    '</button><button class="cookie-consent__deny">Nur notwendige</button></div>')
NOTICE = ('<div class="site-notice" role="status"><p>Hinweis: Wegen Wartungsarbeiten sind einige Online-Dienste '
          'am Wochenende nur eingeschränkt erreichbar.</p></div>')


def icon(name: str) -> str:
    """An inline reference to a sprite symbol."""
    return f'<svg class="icon" aria-hidden="true"><use href="#icon-{icon_id(name)}"></use></svg>'


def icon_id(title: str) -> str:
    """The sprite id the samples use: lower case, spaces, '&' and ':' as '-'."""
    return title.lower().replace(" ", "-").replace("&", "-").replace(":", "-")


def head(title: str, og_title: str | None = None) -> str:
    """The document head up to and including <body>."""
    og = f'\n<meta property="og:title" content="{escape(og_title)}">' if og_title else ""
    return ('<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" '
            f'content="width=device-width, initial-scale=1">\n<title>{escape(title)} - Stadt Bochum</title>{og}\n'
            '<link rel="stylesheet" href="/C125830C0042AB74/files/bochum.css/$FILE/bochum.css">\n'
            '<script src="/C125830C0042AB74/files/eyeable.js/$FILE/eyeable.js" defer></script>\n</head>\n<body>\n')


@dataclass(frozen=True)
class Chrome:
    """The shared parts of every page of one chrome generation."""

    top: str  # sprite, cookie banner, header: after <body>, before the breadcrumb
    bottom: str  # footer to </html>
    sep: str  # whitespace put between blocks inside the content


def _sprite(titles: list[str]) -> str:
    symbols = "".join(f'<symbol id="icon-{icon_id(t)}" viewBox="0 0 32 32"><title>{escape(t)}</title>'
                      '<path d="M2 2h28v28H2z"/></symbol>' for t in titles)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="svg-sprite" aria-hidden="true" style="display:none">'
            f'{symbols}</svg>')


def _nav(rng: Random | None) -> str:
    sections = list(NAV)
    if rng:
        rng.shuffle(sections)
    items = []
    for label, href, subs in sections:
        names = subs.split("|")
        if rng:
            rng.shuffle(names)
        links = "".join(f'<li><a href="{_sub_href(href, n)}">{escape(n)}</a></li>' for n in names)
        items.append(f'<li class="main-nav__item"><a class="main-nav__link" href="{href}">{escape(label)}</a>'
                     f'<ul class="main-nav__sub">{links}</ul></li>')
    return f'<nav class="main-nav" aria-label="Hauptnavigation"><ul>{"".join(items)}</ul></nav>'


def _sub_href(section: str, name: str) -> str:
    return f"{section}/{name.replace(' & ', '---').replace(' ', '-')}"


def _mega_az() -> str:
    items = "".join(f'<li><a href="/Dienstleistungen/{t}-{i}">{escape(t)} {kind}</a></li>'
                    for t in AZ for i, kind in enumerate(AZ_KINDS))
    return f'<div class="mega-az" hidden><h2>Dienstleistungen A-Z</h2><ul>{items}</ul></div>'


def _header(rng: Random | None) -> str:
    search = ('<form class="site-search" action="/Suche" method="get"><label for="q">Suche</label><input id="q" '
              'name="q" type="search" placeholder="Suchbegriff eingeben"><input type="hidden" name="token" '
              f'value="{TOKEN}"><button type="submit">{icon("Wegweiser")}Suchen</button></form>')
    service = (f'<ul class="service-nav"><li><a href="/Buergerecho">{icon("Bürgerecho")}Bürgerecho</a></li><li>'
               '<a href="/Barrierefreiheit">Barrierefreiheit</a></li><li><a href="/Leichte-Sprache">Leichte Sprache'
               f'</a></li><li><a href="/Login">{icon("Logout")}Anmelden</a></li></ul>')
    logo = ('<a class="site-header__logo" href="/"><img src="/C125830C0042AB74/files/logo.svg/$FILE/logo.svg" '
            'alt="Stadt Bochum - Startseite"></a>')
    return f'<header class="site-header">{logo}{search}{_nav(rng)}{_mega_az()}{service}</header>'


def _social() -> str:
    return "".join(f'<li><a href="#" title="{n}">{icon(n)}{n}</a></li>'
                   for n in ("Facebook", "Twitter", "YouTube", "Instagram", "Flickr"))


def portal_chrome(generation: int) -> Chrome:
    """The sample pages' chrome; later generations reorder it and add whitespace, markup and a notice."""
    if generation == 0:
        top = f'{_sprite(SPRITE)}{COOKIE_BANNER}<a class="skip-link" href="#inhalt">Zum Inhalt springen</a>'
        return Chrome(top + _header(None) + "\n", FOOTER.format(social=_social()), "\n")
    rng = Random(generation)
    titles = list(SPRITE)
    rng.shuffle(titles)
    sep = "\n" + " " * rng.randint(1, 8)
    notice = NOTICE if generation % 2 else ""
    top = (f'{_sprite(titles)}{sep}{COOKIE_BANNER}{sep}<div class="page-wrapper" data-build="{generation}">'
           f'{notice}<a class="skip-link" href="#inhalt">Zum Inhalt springen</a>{sep}{_header(rng)}{sep}')
    bottom = f'{sep}</div>{sep}' + FOOTER.format(social=_social())
    return Chrome(top, bottom, sep + "  ")


def relaunch_chrome(generation: int) -> Chrome:
    """A relaunched portal: the same services, entirely different tags and classes."""
    rng = Random(generation) if generation else None
    links = [(label, href) for label, href, _ in NAV]
    if rng:
        rng.shuffle(links)
    nav = "".join(f'<a class="topnav__link" href="{h}">{escape(lb)}</a>' for lb, h in links)
    top = (f'<div class="consent-layer" data-consent-id="{COOKIE}"><span>Diese Website nutzt Cookies.</span>'
           '<a href="/Datenschutz">Mehr erfahren</a></div><div class="app"><div class="topbar"><a class="brand" '
           'href="/">Stadt Bochum</a><form class="quicksearch" action="/Suche"><input name="q" aria-label="Suche">'
           f'<input type="hidden" name="csrf" value="{TOKEN}"></form><div class="topnav">{nav}</div></div>\n')
    bottom = ('\n<div class="foot"><div class="foot__col">Stadt Bochum · Willy-Brandt-Platz 2-6 · 44777 Bochum'
              '</div><div class="foot__col"><a href="/Impressum">Impressum</a> <a href="/Datenschutz">Datenschutz'
              '</a></div></div></div>\n</body>\n</html>\n')
    return Chrome(top, bottom, "\n")
