"""`perfpages serve` shows the problems of a broken edit in the browser: every page it serves
has the problems script, the problems file lists them as the terminal prints them, the browsers
reload, and once the file is fixed the list is empty (and the browsers reload again).

Run for real, as tests/commands/test_serve.py does: a port on 127.0.0.1 and HTTP requests."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest

from generator.commands.serve import PROBLEMS_FILE, PROBLEMS_SCRIPT
from generator.site.i18n import t
from tests.commands.test_serve import fetch, start_serve, wait_for
from tests.conftest import MINIMAL_MEASURE

BROKEN = MINIMAL_MEASURE.replace("value: 91", 'value: "<b>93%</b>"')
PROBLEM = (
    'indicators/test-measure.yml:10: values[1].value: "<b>93%</b>" is not a number; '
    "write a plain number such as 85.1"
)


def status(base: str) -> dict[str, Any] | None:
    text = fetch(base + PROBLEMS_FILE)
    return json.loads(text) if text else None


def epoch(page: str) -> int:
    """The site's version a page was served at, from MkDocs' live-reload script in it."""
    found = re.search(r"livereload\((\d+), \d+\)", page)
    assert found, "the page has no live-reload script"
    return int(found[1])


def reloaded_after(base: str, seen: int) -> int:
    """The version the live-reload server tells a page of version ``seen`` to reload to (the
    request waits until there is one, as a browser's does)."""
    with urllib.request.urlopen(f"{base}livereload/{seen}/1", timeout=60) as response:
        return int(response.read())


@pytest.mark.slow
def test_a_broken_edit_is_listed_for_the_browser_and_cleared_once_fixed(make_site):
    site = make_site()
    process, base = start_serve(site.root)
    url = base + "indicators/test-measure/"
    measure = site.root / "indicators" / "test-measure.yml"
    try:
        page = wait_for(lambda: fetch(url))
        assert page is not None, "the preview did not start"
        # Every page served loads the script, from the preview's own folder.
        scripts = re.findall(r'<script src="([^"]+)"', page)
        ours = [s for s in scripts if s.endswith(PROBLEMS_SCRIPT)]
        assert ours == ["../../" + PROBLEMS_SCRIPT], scripts
        assert urllib.parse.urljoin(url, ours[0]) == base + PROBLEMS_SCRIPT
        script = fetch(base + PROBLEMS_SCRIPT)
        assert script is not None and PROBLEMS_FILE in script
        assert "innerHTML" not in script and "textContent" in script
        for other in ("", "priorities/", "no-such-page/"):
            assert PROBLEMS_SCRIPT in (fetch(base + other) or fetch_error_page(base + other))
        first = status(base)
        assert first is not None and first["problems"] == []

        measure.write_text(BROKEN)
        broken = wait_for(lambda: (s := status(base)) and s["problems"] and s)
        assert broken, "the problems never reached the preview"
        assert broken["problems"] == [PROBLEM]
        assert broken["count"] == "1 error in 1 file"
        assert broken["heading"] == t("serve.problems_heading")
        assert broken["generation"] > first["generation"]
        assert reloaded_after(base, epoch(page)) > epoch(page), "the browsers were not reloaded"
        still = fetch(url)
        assert still is not None and "91%" in still, "the last good page stays"

        # Undone: the pages are the same as the last good ones, yet the browsers reload.
        measure.write_text(MINIMAL_MEASURE)
        fixed = wait_for(lambda: (s := status(base)) and not s["problems"] and s)
        assert fixed, "the problems stayed after the file was fixed"
        assert fixed == {"generation": broken["generation"] + 1, "problems": []}
        shown = fetch(url)
        assert shown is not None
        assert reloaded_after(base, epoch(still)) > epoch(still), "no reload once fixed"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert PROBLEM in output  # the terminal says the same


def fetch_error_page(url: str) -> str:
    """The body of a page served with an error status (the site's own 404 page)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return str(error.read().decode("utf-8"))
