"""The Scrapy project of pressarchive: settings, spiders, items, pipelines and the pure parsers."""
