"""One Scrapy spider per site profile, named after it: `scrapy list` prints them, `scrapy crawl NAME` runs one.

A new profile in crawler/sites gets its spider here without a line of its own.
"""
from __future__ import annotations

import re

from crawler.sites import SiteProfile, all_profiles
from crawler.spiders.press import PressSpider


def _spider_for(profile: SiteProfile) -> type[PressSpider]:
    """A PressSpider subclass for the profile (defined in this module, where Scrapy's loader looks)."""
    words = re.split(r"[^0-9A-Za-z]+", profile.name)
    return type("".join(w.capitalize() for w in words) + "Spider", (PressSpider,),
                {"name": profile.name, "profile": profile, "__module__": __name__,
                 "__doc__": f"{profile.name}: {profile.description}"})


SPIDERS: dict[str, type[PressSpider]] = {p.name: _spider_for(p) for p in all_profiles()}
globals().update({cls.__name__: cls for cls in SPIDERS.values()})


def spider_class(site: str) -> type[PressSpider]:
    """The spider of the site profile of that name (KeyError if there is none)."""
    return SPIDERS[site]
