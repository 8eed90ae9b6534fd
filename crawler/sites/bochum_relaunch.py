"""The Bochum portal after its next relaunch (the replica's "relaunch" markup), as a site profile.

Addresses, listing and politeness are the portal's (crawler.sites.bochum); only the article
template is new: <article class="news-detail"> with a head (category line "Pressemitteilung",
h1.nd-title, a "Veröffentlicht am" line or a <time class="nd-date">) and the text in div.nd-text,
beside an aside of related releases. No kicker, no date line at the end of the text.
"""
from __future__ import annotations

from dataclasses import replace

from crawler.sites import Template
from crawler.sites.bochum import PROFILE as BOCHUM

NEWS_DETAIL = Template(
    name="news-detail",
    article_class="news-detail",
    text_class="nd-text",
    headline_class="nd-title",
    label_classes=("nd-category",),
)

PROFILE = replace(
    BOCHUM,
    name="bochum-relaunch",
    description="Pressemeldungen der Stadt Bochum after the relaunch (news-detail template)",
    templates=(NEWS_DETAIL,),
    section_labels=BOCHUM.section_labels | {"pressemitteilung"},
)
