"""The press releases of the city of Bochum (www.bochum.de), in the portal's 2019 and 2020 templates.

Releases live two segments below /Pressemeldungen/: a date folder (9-Oktober-2020) or a topic
(Aktuelle-Pressemeldungen-zum-Corona-Virus), then the slug; links spell the slashes as / or %2F.
The listing pages with ?seite=N and rel=next. Both templates put the article in
<main id="inhalt">: the 2020 one with a page title box (kicker, h1) and a section label, the 2019
one with the h1 right in <main> and the headline repeated as an h2; both close the text box
("richtext") with the date line.
"""
from __future__ import annotations

from crawler.sites import SiteProfile, Template

PORTAL = Template(
    name="2019-2020",
    content_id="inhalt",
    content_class="content__main",
    text_class="richtext",
    headline_class="page-title__headline",
    kicker_class="page-title__kicker",
    label_classes=("content__label",),
)

PROFILE = SiteProfile(
    name="bochum",
    description="Pressemeldungen der Stadt Bochum (portal templates of 2019 and 2020)",
    start_url="https://www.bochum.de/Pressemeldungen",
    release_prefixes=("/Pressemeldungen/",),
    release_depth=2,
    templates=(PORTAL,),
    pagination_param="seite",
    # Printed above and below the headline; never body text, not even on a relaunched page.
    section_labels=frozenset({"aktuelle pressemeldungen", "pressemeldungen", "dienstleistungen und infos"}),
    site_words=("bochum",),
    url_dates=("day-month-year", "iso"),
    delay=1.5,
    concurrency=1,
)
