"""Captions and credits in markup nobody here wrote: the short text box beside an image is its caption.

Each page is a whole release in an invented CMS markup, run through `extract`: the caption and credit
belong to the image and never to the body; text beside an image that is not a caption stays body.
"""
from __future__ import annotations

import pytest

from crawler.parsing import extract
from crawler.parsing.captions import caption_boxes, is_caption_box
from lxml import html as lxml_html

PAGE = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{title} | Stadt Bochum</title></head>
<body><header class="site-header"><a href="/">Stadt Bochum</a><nav><ul><li><a href="/presse">Presse</a></li>
<li><a href="/service">Service</a></li></ul></nav></header>
<main><article class="news"><h1 class="news__title">{title}</h1><p class="news__date"><time datetime="2026-03-12">12.03.2026</time></p>
<div class="news__body">
<p>Nach eineinhalb Jahren Bauzeit ist das Lehrschwimmbecken der Hollandschule in Wattenscheid wieder in Betrieb.
Die Stadt hat rund 2,4 Millionen Euro in Technik, Fliesen und einen neuen Hubboden investiert.</p>
{media}
<p>Schulleiterin Birgit Ostermann freut sich vor allem über die neue Lüftung, denn im Sommer war es in der Halle
kaum auszuhalten. Die ersten Schwimmkurse beginnen nach den Osterferien, Anmeldungen nehmen die Grundschulen entgegen.</p>
</div></article></main><footer class="site-footer"><a href="/impressum">Impressum</a></footer></body></html>"""

CAPTION = "Das sanierte Becken hat jetzt einen höhenverstellbaren Boden."
IMG = '<img src="/medien/2026/becken.jpg" alt="Blick in das Becken" width="1200" height="800">'


def _release(media: str):
    return extract(PAGE.format(title="Lehrschwimmbecken wieder geöffnet", media=media).encode(),
                   url="https://www.bochum.de/presse/2026-03-12-lehrschwimmbecken")


MEDIA_BOXES = {
    "text box with a small credit": (
        f'<div class="media">{IMG}<div class="media__text">{CAPTION} <small>Foto: Stadt Bochum, Lutz Leitmann</small></div></div>'),
    "caption and credit spans beside a frame": (
        f'<div class="c-image"><div class="c-image__frame">{IMG}</div><span class="c-image__desc">{CAPTION}</span>'
        '<span class="c-image__copy">© Stadt Bochum, Lutz Leitmann</span></div>'),
    "caption and credit line as paragraphs": (
        f'<div class="bild">{IMG}<p>{CAPTION}</p><p>Bild: Stadt Bochum, Lutz Leitmann</p></div>'),
    "figure with a meta box and no figcaption": (
        f'<figure class="article-image">{IMG}<div class="article-image__meta"><p>{CAPTION}</p>'
        '<p class="article-image__author">Foto: Stadt Bochum, Lutz Leitmann</p></div></figure>'),
    "two layout columns": (
        f'<div class="row"><div class="col-md-8"><picture><source srcset="/medien/2026/becken.webp">{IMG}</picture></div>'
        f'<div class="col-md-4"><p class="small text-muted">{CAPTION}<br>© Stadt Bochum, Lutz Leitmann</p></div></div>'),
    "credit box before the caption": (
        f'<div class="pic">{IMG}<span>© Stadt Bochum, Lutz Leitmann</span><span>{CAPTION}</span></div>'),
}


@pytest.mark.parametrize("media", sorted(MEDIA_BOXES))
def test_text_beside_an_image_is_its_caption_and_credit_not_body(media):
    record = _release(MEDIA_BOXES[media])
    assert [(i.src, i.caption, i.credit) for i in record.images] == [
        ("https://www.bochum.de/medien/2026/becken.jpg", CAPTION, "Stadt Bochum, Lutz Leitmann")]
    assert len(record.paragraphs) == 2
    assert not any("Becken hat jetzt" in p or "Leitmann" in p for p in record.paragraphs)


TEXT_BESIDE_IMAGE = (
    "<p>Das Becken ist zwölf Meter lang und acht Meter breit. Der Boden lässt sich auf jede Tiefe bis 1,80 Meter fahren.</p>"
    "<p>Vereine können das Becken nachmittags nutzen, die DLRG bietet dort ab Mai Kurse an.</p>")


def test_textpic_paragraphs_beside_a_captioned_figure_stay_body():
    # TYPO3's text-with-image element: the figure has its own figcaption, the box beside it is the release's text.
    media = (f'<div class="ce-textpic ce-right ce-intext"><div class="ce-gallery"><figure class="image">{IMG}'
             f'<figcaption class="image-caption">{CAPTION}</figcaption></figure></div>'
             f'<div class="ce-bodytext">{TEXT_BESIDE_IMAGE}</div></div>')
    record = _release(media)
    assert [i.caption for i in record.images] == [CAPTION]
    assert sum("zwölf Meter lang" in p or "DLRG" in p for p in record.paragraphs) == 2


def test_two_paragraphs_beside_an_uncaptioned_image_stay_body():
    record = _release(f'<div class="text-image"><div class="text-image__img">{IMG}</div>'
                      f'<div class="text-image__text">{TEXT_BESIDE_IMAGE}</div></div>')
    assert [i.caption for i in record.images] == [None]
    assert sum("zwölf Meter lang" in p or "DLRG" in p for p in record.paragraphs) == 2


def test_an_image_inside_running_text_leaves_the_paragraph_in_the_body():
    record = _release(f'<p>{IMG} Das Becken ist zwölf Meter lang und acht Meter breit.</p>')
    assert [i.caption for i in record.images] == [None]
    assert any("zwölf Meter lang" in p for p in record.paragraphs)


def test_a_box_with_two_images_is_no_media_box():
    box = lxml_html.fromstring(f'<div>{IMG}{IMG.replace("becken", "halle")}<p>{CAPTION}</p></div>')
    assert caption_boxes(box) == []
    assert not is_caption_box(box[2])


def test_a_text_with_image_paragraph_that_quotes_someone_stays_body():
    text = ("Tiefbauamtsleiter Gero Lindemann-Vogt erläuterte den Zeitplan: „Wenn das Wetter mitspielt, sind wir vor "
            "Weihnachten mit den Gleisen fertig.“")
    record = _release(f'<div class="text-media"><div class="text-media__media">{IMG}</div>'
                      f'<div class="text-media__body"><p>{text}</p></div></div>')
    assert [i.caption for i in record.images] == [None]
    assert text in record.paragraphs
    assert [(x.text[:20], x.speaker) for x in record.quotes] == [("Wenn das Wetter mits", "Gero Lindemann-Vogt")]


def test_a_credited_line_right_after_a_loose_image_is_its_caption():
    record = _release(f'{IMG}<p><em>{CAPTION} (Grafik: Stadt Bochum, Tiefbauamt)</em></p>')
    assert [(i.caption, i.credit) for i in record.images] == [(CAPTION, "Stadt Bochum, Tiefbauamt")]
    assert len(record.paragraphs) == 2
    # without a credit the line after a loose image may be body: it stays there
    record = _release(f'{IMG}<p>Das Becken ist zwölf Meter lang.</p>')
    assert [i.caption for i in record.images] == [None]
    assert "Das Becken ist zwölf Meter lang." in record.paragraphs


@pytest.mark.parametrize("markup", [
    # an author's photo with the byline and its date stamp
    '<div class="flex"><img src="/u/karp-96x96.jpg" width="96" height="96" alt=""><div>Evgenia Karp<br>'
    'Zuletzt geändert am 06.11.2023</div></div>',
    # a heading with an icon, its text below
    '<div class="wrap"><h5 class="title"><img class="ico" src="/icons/mischung.png" alt="">Die Mischung</h5>'
    '<p class="txt">Jede Mischung wird sorgfältig zusammengestellt und geröstet.</p></div>',
    # a field with a label beside a QR code
    '<div class="item"><div class="qr"><img src="/qr/718"></div><div class="field"><label>Letzte Änderung:</label>'
    '<div>14.01.2022 um 09:25</div></div></div>',
])
def test_bylines_icons_and_fields_beside_an_image_are_no_captions(markup):
    box = lxml_html.fromstring(markup)
    assert caption_boxes(box) == []
    assert not any(is_caption_box(el) for el in box.iter())


def test_a_gallery_list_gives_each_image_its_caption_and_credit():
    media = ('<ul class="gallery">'
             '<li class="gallery__item"><img src="/medien/2026/becken.jpg" alt="Becken"><span class="gallery__text">'
             f'{CAPTION}</span><span class="gallery__copy">Foto: Sammlung Heinz Kuhlmann</span></li>'
             '<li class="gallery__item"><img src="/medien/2026/halle.jpg" alt="Halle"><span class="gallery__text">'
             'Die Halle nach dem Umbau.</span><span class="gallery__copy">Foto: Stadtarchiv Bochum</span></li></ul>')
    record = _release(media)
    assert [(i.caption, i.credit) for i in record.images] == [
        (CAPTION, "Sammlung Heinz Kuhlmann"), ("Die Halle nach dem Umbau.", "Stadtarchiv Bochum")]
    assert len(record.paragraphs) == 2


def test_an_item_of_a_list_with_an_icon_stays_body():
    record = _release('<ul><li><img src="/icons/pdf.png" class="icon" alt=""> Antragsformular als PDF-Datei</li>'
                      '<li><img src="/icons/pdf.png" class="icon" alt=""> Merkblatt zur Anmeldung der Schwimmkurse</li></ul>')
    assert "Merkblatt zur Anmeldung der Schwimmkurse" in record.paragraphs


def test_a_caption_line_after_a_box_with_the_image_and_its_credit():
    media = (f'<div class="textimage"><div class="textimage__image">{IMG}</div>'
             '<div class="textimage__copyright">Foto: Stadt Bochum, Lutz Leitmann</div></div>'
             f'<p class="textimage__subline">{CAPTION}</p>')
    record = _release(media)
    assert [(i.caption, i.credit) for i in record.images] == [(CAPTION, "Stadt Bochum, Lutz Leitmann")]
    assert len(record.paragraphs) == 2
    # the next paragraph without the box's class name is the release's text
    record = _release(media.replace('class="textimage__subline"', ""))
    assert [(i.caption, i.credit) for i in record.images] == [(None, "Stadt Bochum, Lutz Leitmann")]
    assert CAPTION in record.paragraphs


def test_an_old_table_with_the_caption_in_the_row_below_the_image():
    media = (f'<table class="bild"><tr><td>{IMG}</td></tr>'
             f'<tr><td>{CAPTION} (Visualisierung: Architekturbüro Lenz + Partner)</td></tr></table>')
    record = _release(media)
    assert [(i.caption, i.credit) for i in record.images] == [(CAPTION, "Architekturbüro Lenz + Partner")]
    assert len(record.paragraphs) == 2
