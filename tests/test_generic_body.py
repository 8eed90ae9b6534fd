"""The generic extractor on markup nobody here wrote: each failure class of issue 10 on a small page.

The pages are written here, in the shapes real CMSs produce (WordPress themes, ASP.NET forms,
page builders): a wrapper with a chrome word in its class, cards inside the body, tag classes on
the article, a page-wide <form>, a lead in the article's header, box headings left without their box.
"""
from __future__ import annotations

import pytest

from crawler.parsing import extract
from crawler.parsing import page as page_module
from crawler.parsing.decode import parse_html
from crawler.parsing.second_opinion import agreement, disagree
from crawler.parsing.teasers import teaser_boxes

TEXT = [
    "Die Stadtbibliothek öffnet ab dem kommenden Monat auch sonntags ihre Türen für alle Leserinnen und "
    "Leser, die unter der Woche keine Zeit für einen Besuch finden.",
    "Nach Angaben der Verwaltung wird der Sonntagsbetrieb zunächst für ein Jahr erprobt; Ehrenamtliche "
    "des Fördervereins unterstützen das Team an der Ausleihe und im Lesecafé.",
    "Geöffnet ist von 11 bis 17 Uhr. Medien können an den Automaten im Foyer ausgeliehen und "
    "zurückgegeben werden, die Beratung am Infotresen ist durchgehend besetzt.",
    "Die Leiterin der Bibliothek rechnet mit vielen Familien und bittet um Rückmeldungen, damit das "
    "Angebot nach dem Probejahr an die Wünsche der Besucherinnen und Besucher angepasst werden kann.",
]
HEADLINE = "Stadtbibliothek öffnet sonntags"
SIDEBAR = (
    '<aside class="widget-area"><section class="widget"><h2>Über uns</h2><p>Wir berichten seit 2009 '
    'über alles, was in der Stadt passiert, unabhängig und werbefrei.</p></section>'
    '<section class="widget"><h2>Neueste Beiträge</h2><ul><li><a href="/a">Neuer Radweg an der '
    'Ringstraße freigegeben</a></li><li><a href="/b">Wochenmarkt zieht vorübergehend um</a></li>'
    '<li><a href="/c">Sommerferien: Programm im Jugendzentrum</a></li></ul></section></aside>'
)
HEADER = (
    '<header class="site-header"><div class="logo"><a href="/">Stadtblog</a></div><nav class="main-nav">'
    '<ul><li><a href="/">Start</a></li><li><a href="/kultur">Kultur</a></li><li><a href="/politik">'
    'Politik</a></li></ul></nav></header>'
)
FOOTER = '<footer class="site-footer"><p>© 2024 Stadtblog · <a href="/impressum">Impressum</a></p></footer>'


def paragraphs(text=TEXT) -> str:
    return "".join(f"<p>{p}</p>" for p in text)


def blog_page(article: str, wrapper_open: str = '<div class="site-content">', wrapper_close: str = "</div>",
              title: str = HEADLINE) -> str:
    """A blog page: header, a wrapper around article and sidebar, footer."""
    return (f"<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body>{HEADER}{wrapper_open}<main id='main'>{article}</main>{SIDEBAR}{wrapper_close}"
            f"{FOOTER}</body></html>")


def article(classes: str = "post type-post status-publish", extra: str = "") -> str:
    return (f'<article class="{classes}"><header class="entry-header"><h1 class="entry-title">{HEADLINE}</h1>'
            f'</header><div class="entry-content">{paragraphs()}{extra}</div></article>')


def body_of(html: str) -> list[str]:
    return extract(html.encode("utf-8")).paragraphs


# --------------------------------------------------------------------------- 1. chrome words on wrappers
@pytest.mark.parametrize("wrapper", [
    '<div class="container has-sidebar">', '<div class="content-with-sidebar-wrp">',
    '<div class="l-sidebar-fixed l-article-body-segment">', '<div class="post-wrap sidebar-on sidebar-r">',
    '<div class="off-canvas-content">', '<div class="page modal-enabled">', '<div id="navigation-wrapper">',
])
def test_a_wrapper_with_a_chrome_word_keeps_the_article_it_holds(wrapper):
    record = extract(blog_page(article(), wrapper).encode())
    assert record.paragraphs == TEXT
    assert record.headline == HEADLINE
    assert record.confidence >= 0.5


def test_a_body_class_with_chrome_words_is_still_the_page():
    html = blog_page(article()).replace("<body>", '<body class="single has-sidebar offcanvas-enabled">')
    assert body_of(html) == TEXT


def test_a_real_sidebar_with_a_chrome_word_stays_out():
    record = extract(blog_page(article(), '<div class="has-sidebar">').encode())
    assert not any("werbefrei" in p or "Radweg" in p for p in record.paragraphs)


# --------------------------------------------------------------------------- 2. cards inside the body
CARDS = (
    '<div class="related-box"><h3>Mehr zum Thema</h3>'
    '<div class="card"><h4><a href="/x">Lesesommer: 400 Kinder machen mit</a></h4><time>12.07.2024</time></div>'
    '<div class="card"><h4><a href="/y">Neue Medien für die Stadtteilbücherei</a></h4><time>03.06.2024</time></div>'
    '</div>'
)


def test_a_body_that_embeds_two_cards_is_still_the_body():
    text = paragraphs(TEXT[:2]) + CARDS + paragraphs(TEXT[2:])
    html = blog_page(f'<article class="post"><h1>{HEADLINE}</h1><div class="entry-content">{text}</div></article>')
    found = body_of(html)
    assert found == TEXT


def test_cards_between_paragraphs_are_siblings_of_the_text():
    # The cards sit directly among the paragraphs (no box): the run is a small part of its parent.
    cards = ('<div class="card"><h3><a href="/x">Lesesommer: 400 Kinder machen mit</a></h3></div>'
             '<div class="card"><h3><a href="/y">Neue Medien für die Stadtteilbücherei</a></h3></div>')
    text = paragraphs(TEXT[:2]) + cards + paragraphs(TEXT[2:])
    found = body_of(blog_page(f'<article class="post"><h1>{HEADLINE}</h1><div class="text">{text}</div></article>'))
    assert [p for p in found if p in TEXT] == TEXT


# --------------------------------------------------------------------------- 3. CMS tag classes
@pytest.mark.parametrize("tags", ["", "category-newsletter tag-social-media", "tag-navigation category-share",
                                  "format-standard tag-sidebar tag-menu"])
def test_what_an_article_is_tagged_with_does_not_decide_whether_it_is_extracted(tags):
    assert body_of(blog_page(article(f"post type-post {tags}"))) == TEXT


# --------------------------------------------------------------------------- 4. page-wide form, page header
def test_a_page_wide_form_wrapper_holds_the_article():
    html = blog_page(article(), '<form method="post" action="./artikel.aspx" id="form1">', "</form>")
    assert body_of(html) == TEXT


LEAD = "Ein Jahr lang probiert die Bibliothek aus, ob sich der zusätzliche Öffnungstag für die Stadt lohnt."


def test_a_lead_in_the_article_header_opens_the_body():
    html = blog_page(f'<article class="post"><header class="entry-header"><h1>{HEADLINE}</h1>'
                     f'<p class="lead">{LEAD}</p></header><div class="entry-content">{paragraphs()}</div></article>')
    assert body_of(html) == [LEAD, *TEXT]


def test_a_lead_in_a_page_header_without_an_article_element_opens_the_body():
    # No <article> or <main>: the <header> holding headline and lead is a page-level header by its tag.
    html = (f"<html><head><title>{HEADLINE}</title></head><body>{HEADER}<div class='page'>"
            f"<header class='ct-header'><h1>{HEADLINE}</h1><div class='text-lead'><p>{LEAD}</p></div></header>"
            f"<div class='content'>{paragraphs()}</div>{SIDEBAR}</div>{FOOTER}</body></html>")
    record = extract(html.encode())
    assert record.paragraphs == [LEAD, *TEXT] and record.headline == HEADLINE


# --------------------------------------------------------------------------- box headings without their box
def test_a_heading_left_without_its_box_is_dropped():
    tail = '<h3>Ähnliche Beiträge</h3><ul><li><a href="/1">Radweg freigegeben</a></li><li><a href="/2">Markt zieht um</a></li></ul>'
    assert body_of(blog_page(article(extra=tail))) == TEXT


def test_a_heading_over_subsections_stays():
    extra = ("<h2>Die neuen Zeiten</h2><h3>Sonntags</h3><p>Von 11 bis 17 Uhr ist die Zentrale geöffnet, "
             "die Stadtteilbüchereien bleiben geschlossen.</p>")
    found = body_of(blog_page(article(extra=extra)))
    assert found[-3:] == ["Die neuen Zeiten", "Sonntags", "Von 11 bis 17 Uhr ist die Zentrale geöffnet, "
                          "die Stadtteilbüchereien bleiben geschlossen."]


# --------------------------------------------------------------------------- headline
def test_the_articles_own_h1_beats_a_section_h1_inside_the_text():
    inner = f"<h1>Öffnungszeiten</h1>{paragraphs()}"
    html = blog_page(f'<article class="post"><header class="entry-header"><h1 class="entry-title">{HEADLINE}</h1>'
                     f'</header><div class="entry-content">{inner}</div></article>')
    assert extract(html.encode()).headline == HEADLINE


@pytest.mark.parametrize("title, headline", [
    (f"{HEADLINE} | Stadtblog Neustadt", HEADLINE),
    (f"{HEADLINE} • Stadtblog", HEADLINE),
    (f"{HEADLINE} – ein Jahr zur Probe", f"{HEADLINE} – ein Jahr zur Probe"),
])
def test_a_titles_site_part_is_dropped_but_not_its_subtitle(title, headline):
    # No h1: the headline comes from <title>.
    html = blog_page(f'<article class="post"><div class="entry-content">{paragraphs()}</div></article>', title=title)
    assert extract(html.encode()).headline == headline


# --------------------------------------------------------------------------- confidence
def test_a_good_generic_page_is_confident():
    assert extract(blog_page(article()).encode()).confidence >= 0.8


def test_a_page_without_prose_is_flagged():
    html = blog_page('<div class="gallery"><a href="/1">Bild 1</a> <a href="/2">Bild 2</a></div>')
    assert extract(html.encode()).confidence < 0.5


def test_when_the_second_opinion_disagrees_the_record_is_flagged_and_its_prose_stands(monkeypatch):
    other = ["Der Rat hat am Dienstag den Haushalt für das kommende Jahr beschlossen, mit großer Mehrheit.",
             "Investiert wird vor allem in Schulen, Radwege und die Sanierung der städtischen Bäder."]
    monkeypatch.setattr(page_module, "other_body", lambda html: other)
    record = extract(blog_page(article()).encode())
    assert record.confidence < 0.5
    assert record.paragraphs == other


def test_when_the_second_opinion_agrees_nothing_changes(monkeypatch):
    monkeypatch.setattr(page_module, "other_body", lambda html: TEXT[1:])
    record = extract(blog_page(article()).encode())
    assert record.paragraphs == TEXT and record.confidence >= 0.8


def test_a_template_page_never_asks_for_a_second_opinion(monkeypatch, gold_portal_page):
    def refuse(html):
        raise AssertionError("the template path asked trafilatura")

    monkeypatch.setattr(page_module, "other_body", refuse)
    record = extract(gold_portal_page)
    assert record.extractor == "portal" and record.confidence == 1.0


@pytest.fixture
def gold_portal_page() -> bytes:
    from pathlib import Path  # noqa: PLC0415
    import json  # noqa: PLC0415

    gold = Path(__file__).resolve().parent / "gold"
    for path in sorted(gold.glob("*.json")):
        if json.loads(path.read_text(encoding="utf-8")).get("extractor") == "portal":
            return path.with_suffix(".html").read_bytes()
    pytest.skip("no portal page in tests/gold")


def test_agreement_measures_shared_prose_either_way():
    assert agreement(TEXT, TEXT[:2]) == 1.0  # all of theirs is ours
    assert agreement(TEXT, ["Ganz andere Sätze über ein ganz anderes Thema, lang genug für Prosa."]) == 0.0
    assert not disagree(TEXT, None) and not disagree(TEXT, ["kurz"])
    assert disagree(TEXT, ["Ganz andere Sätze über ein ganz anderes Thema, lang genug für Prosa."])


# --------------------------------------------------------------------------- leads, split texts, back links
def test_a_subtitle_set_as_a_heading_leads_the_body():
    subtitle = "Ab März öffnet die Zentrale auch am Sonntag – zunächst für ein Probejahr"
    html = blog_page(f'<article class="post"><header><h1>{HEADLINE}</h1><h2 class="subheadline">{subtitle}</h2>'
                     f'</header><div class="entry-content">{paragraphs()}</div></article>')
    assert body_of(html) == [subtitle, *TEXT]


def test_a_text_written_one_div_per_line_is_read_whole():
    # An old editor: one big <div> of running text among many short <div>s, one line each.
    lines = ["Aus dem Programm der ersten Sonntage:", "– Lesungen für Kinder am Vormittag im Lesesaal",
             "– eine Spieleecke im Lesecafé für die ganze Familie", "– Führungen durch das Magazin im Keller",
             "– die Sprechstunde der Onleihe für Einsteiger", "– Bastelnachmittage mit dem Förderverein"]
    divs = "".join(f"<div>{line}</div><div></div>" for line in lines)
    text = f"<div>{' '.join(TEXT)}</div><div></div>{divs}"
    found = body_of(blog_page(f'<article class="post"><h1>{HEADLINE}</h1><div class="entry-content">{text}'
                              f'</div></article>'))
    assert found[-len(lines):] == lines


def test_an_article_with_a_back_link_below_its_text_is_no_teaser():
    # Two sections of one kind, each with a link and a date: the second is the article, its link
    # ("back to the section") stands below the text, where no teaser has its title.
    head = (f'<section class="section news-single"><div><a href="/rubrik">Kultur und Freizeit</a></div>'
            f'<h1>{HEADLINE}</h1></section>')
    text = (f'<section class="section"><div class="date">04. Februar 2024</div>{paragraphs(TEXT[:3])}'
            f'<div class="bottom"><a href="/rubrik">Kultur und Freizeit</a></div></section>')
    html = f"<html><body>{HEADER}<section class='frame'>{head}{text}</section>{FOOTER}</body></html>"
    assert not teaser_boxes(parse_html(html))
    assert [p for p in body_of(html) if p in TEXT] == TEXT[:3]


def test_cards_with_their_titles_on_top_are_still_a_teaser_run():
    cards = "".join(f'<div class="card"><time>0{n}.02.2024</time><h3><a href="/{n}">Meldung Nummer {n} aus dem '
                    f'Rathaus</a></h3><p>Kurzer Anrisstext der Meldung.</p></div>' for n in range(1, 4))
    html = f"<html><body><main><h1>{HEADLINE}</h1>{paragraphs()}</main><div class='list'>{cards}</div></body></html>"
    assert len(teaser_boxes(parse_html(html))) == 1


def test_short_lines_at_the_end_that_the_second_opinion_left_out_go(monkeypatch):
    tail = ['<p><strong>Das könnte dich auch interessieren</strong></p>', '<p>Verpasse keine News mehr 💌</p>']
    monkeypatch.setattr(page_module, "other_body", lambda html: TEXT)
    assert body_of(blog_page(article(extra="".join(tail)))) == TEXT


def test_a_closing_paragraph_the_second_opinion_left_out_stays(monkeypatch):
    closing = ("Weitere Informationen gibt es an der Ausleihe und auf der Internetseite der Bibliothek, "
               "wo auch die Termine der Lesungen stehen.")
    monkeypatch.setattr(page_module, "other_body", lambda html: TEXT)
    assert body_of(blog_page(article(extra=f"<p>{closing}</p>"))) == [*TEXT, closing]


def test_loose_lines_of_a_text_box_inside_a_date_wrapper_are_body():
    # Blogger wraps each day's posts in <div class="date-outer">; the post's text is loose lines
    # between <br>s, owned by the text box itself. A short last line is text, not a date line.
    closing = "Herzlichen Dank, und bis zum nächsten Sonntag in der Bibliothek!"
    text = "<br><br>".join([*TEXT, closing])
    html = (f"<html><body>{HEADER}<div class='date-outer'><h2 class='date-header'><span>Sonntag, 3. März 2024"
            f"</span></h2><div class='date-posts'><div class='post'><h3 class='post-title'>{HEADLINE}</h3>"
            f"<div class='post-body entry-content'>{text}</div></div></div></div>{SIDEBAR}{FOOTER}</body></html>")
    assert body_of(html)[-1] == closing


def test_a_subheading_is_text_whatever_its_id_says():
    # id="nav_…" anchors a table of contents: the subheading has no links and is the article's.
    parts = f'{paragraphs(TEXT[:2])}<h3 class="subheading" id="nav_sonntags_geoeffnet__1">Sonntags geöffnet</h3>' \
            f'{paragraphs(TEXT[2:])}'
    found = body_of(blog_page(f'<article class="post"><h1>{HEADLINE}</h1><div class="entry-content">{parts}'
                              f'</div></article>'))
    assert found == [*TEXT[:2], "Sonntags geöffnet", *TEXT[2:]]


def test_a_linked_subheading_of_a_menu_box_stays_out():
    menu = '<h3 class="nav-title"><a href="/themen">Alle Themen</a></h3>'
    assert body_of(blog_page(article(extra=menu))) == TEXT


def test_a_paragraph_citing_an_address_is_text():
    cited = "https://www.openpetition.de/petition/sonntagsoeffnung"
    parts = f'{paragraphs(TEXT[:2])}<p><a href="{cited}">{cited}</a></p>{paragraphs(TEXT[2:])}'
    html = blog_page(f'<article class="post"><h1>{HEADLINE}</h1><div class="entry-content">{parts}</div></article>')
    assert body_of(html) == [*TEXT[:2], cited, *TEXT[2:]]


def test_a_page_builders_text_sections_are_one_body():
    # Each section carries a unique id class beside its kind: they are twins all the same.
    sections = "".join(f'<section class="elementor-section elementor-element-{n:08x}">{paragraphs(chunk)}</section>'
                       for n, chunk in enumerate([TEXT[:3], TEXT[3:]]))
    html = blog_page(f'<article class="post"><h1>{HEADLINE}</h1><div class="builder">{sections}</div></article>')
    assert body_of(html) == TEXT


def test_related_posts_with_excerpts_and_no_dates_are_teasers():
    items = "".join(f'<li><a href="/{n}">Weitere Meldung Nummer {n} aus der Stadt</a><br><small>Ein kurzer Anriss '
                    f'der Meldung {n}, wie ihn Empfehlungs-Plugins unter Artikel setzen: zwei, drei Sätze vom '
                    f'Anfang eines anderen Beitrags, abgeschnitten mitten im Satz, damit man weiterklickt und '
                    f'dort...</small></li>'
                    for n in range(1, 4))
    html = blog_page(article(extra=f'<ul class="related_post wp_rp">{items}</ul>'))
    assert body_of(html) == TEXT


def test_a_list_of_plain_points_is_text():
    points = ["Lesungen für Kinder am Vormittag im Lesesaal", "eine Spieleecke im Lesecafé für Familien"]
    html = blog_page(article(extra="<ul>" + "".join(f"<li>{p}</li>" for p in points) + "</ul>"))
    assert body_of(html) == [*TEXT, *points]


def test_camel_case_class_names_are_read_word_by_word():
    blocker = ('<div class="BorlabsCookie"><p>Klicken Sie auf den Button, um den Inhalt von www.example.org '
               'zu laden, und stimmen Sie der Übertragung Ihrer Daten zu.</p></div>')
    assert body_of(blog_page(article(extra=blocker))) == TEXT


def test_a_cards_inline_script_does_not_make_it_long():
    style = "var s = document.createElement('style'); s.innerHTML = '" + ".ratio{padding-bottom:56%}" * 40 + "';"
    cards = "".join(f'<article class="Teaser Teasers-item"><div class="Teaser-image"><script>{style}</script></div>'
                    f'<h3>Meldung Nummer {n} aus der Stadt</h3><p>09.07.2024</p><p>Ein kurzer Anriss der Meldung.</p>'
                    f'<a href="/{n}">Mehr erfahren zur Meldung {n}</a></article>' for n in range(1, 4))
    box = f'<div class="Teasers"><h2>Mehr zum Thema</h2><div class="Teasers-items">{cards}</div></div>'
    assert len(teaser_boxes(parse_html(blog_page(article(extra=box))))) == 1
