"""Scrapy spiders of the project (the press spider)."""
