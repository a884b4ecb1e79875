"""Fixtures of the browser tests, defined once for the whole session (a session fixture imported
into several modules would start one Playwright per module)."""

from tests.browser.reader_support import chromium, example_url, reader

__all__ = ["chromium", "example_url", "reader"]
