"""axe-core finds no WCAG 2.2 A/AA or best-practice violation on any page type of either site, at
1280 px and at 320 px wide (the page types are listed once, in harness.PAGE_TYPES)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import harness

pytestmark = pytest.mark.browser

CASES = [
    pytest.param(site, kind, width, id=f"{site}-{kind.name}-{width}")
    for site in harness.SITES
    for kind in harness.PAGE_TYPES
    for width in harness.WIDTHS
]


@pytest.mark.parametrize(("site", "kind", "width"), CASES)
def test_no_axe_violations(
    open_page: Any, servers: dict[str, str], site: str, kind: harness.PageType, width: int
) -> None:
    page = open_page(site, kind.path(site), width, chart=kind.chart)
    # The page checked is the page meant: a real page of the site, not an error from the server.
    assert page.locator("main").count() == 1
    assert page.locator("h1").count() == 1
    if kind.name == "not-found":
        response = page.request.get(servers[site] + kind.path(site))
        assert response.status == 404
    violations = harness.run_axe(page)
    assert not violations, (
        f"axe found {len(violations)} violation(s) on {kind.path(site) or 'home'} of the {site} "
        f"site at {width} px:\n{harness.describe_violations(violations)}"
    )


@pytest.mark.parametrize("width", harness.WIDTHS)
def test_no_axe_violations_on_the_list_of_a_printable_reports_parts(
    open_page: Any, width: int
) -> None:
    """The stress site's printable report is in parts (its printable-report page type is one of
    them): its own page, the summary and the list of the parts, is checked too."""
    page = open_page("stress", "reports/2019-20-q2/print/", width)
    assert page.locator("ol.pp-print-parts a").count() >= 2
    violations = harness.run_axe(page)
    assert not violations, harness.describe_violations(violations)


def test_axe_reports_a_violation_it_is_given(open_page: Any) -> None:
    """The check can fail: a page made inaccessible on purpose is reported, readably."""
    page = open_page("example", "about/")
    page.evaluate(
        """() => {
          const img = document.createElement('img');
          img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
          img.id = 'no-alt';
          document.querySelector('article').appendChild(img);
        }"""
    )
    violations = harness.run_axe(page)
    report = harness.describe_violations(violations)
    assert "image-alt" in [v["id"] for v in violations]
    assert "#no-alt" in report
