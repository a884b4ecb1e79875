"""Issue 7, done when: from the home page and without a mouse, a resident finds an indicator,
downloads its data, sees how it stood two quarters ago, and prints the current report."""

from __future__ import annotations

import io

import pytest

from tests.browser.keyboard import link_starting, link_text, tab_to

pytestmark = pytest.mark.browser

INDICATOR = "Percentage of users using self-directed support"


def test_a_resident_without_a_mouse(reader, example_url, example_built, tmp_path):
    page = reader
    page.goto(example_url)

    # 1. Find an indicator: the all-indicators page, filtered by a tag, with the keyboard.
    tab_to(page, link_text("All indicators"), describe="'All indicators'")
    page.keyboard.press("Enter")
    page.wait_for_url(example_url + "indicators/")
    tab_to(page, lambda i: i["id"] == "pp-filter-tag", describe="the tag filter")
    page.keyboard.press("ArrowDown")  # the first tag after "Any": ASCOF
    assert page.eval_on_selector("#pp-filter-tag", "s => s.value") == "ASCOF"
    status = page.locator("#pp-filter-count")
    shown = page.locator("#all-table >> xpath=.. >> tbody tr:not([hidden])")
    assert status.inner_text() == f"Showing {shown.count()} of 38 indicators."
    assert 0 < shown.count() < 38
    tab_to(page, link_starting(INDICATOR), describe=INDICATOR)
    page.keyboard.press("Enter")
    page.wait_for_url(example_url + "indicators/self-directed-support/")
    assert page.locator("h1").inner_text().startswith(INDICATOR)

    # 2. Download its data.
    tab_to(page, link_starting("Download the data (CSV"), describe="the CSV download")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert download.suggested_filename == "self-directed-support.csv"
    assert saved.read_bytes() == (example_built / "data" / "self-directed-support.csv").read_bytes()
    assert io.BytesIO(saved.read_bytes()).read(3) == b"\xef\xbb\xbf"

    # 3. How it stood two quarters ago: Q4 2018/19, through the reports.
    tab_to(page, link_text("Reports"), describe="'Reports' in the navigation")
    page.keyboard.press("Enter")
    page.wait_for_url(example_url + "reports/")
    tab_to(page, link_text("Report for Q4 2018/19"), describe="the Q4 2018/19 report")
    page.keyboard.press("Enter")
    page.wait_for_url(example_url + "reports/2018-19-q4/")
    row = page.locator(
        "tr",
        has=page.locator(
            f"a:text-is('{INDICATOR} (given a personal budget or in receipt of a direct payment)')"
        ),
    )
    # What is shown; the direction also tells screen readers which way the value moved.
    cells = row.locator("td").evaluate_all(
        """tds => tds.map(td => { const shown = td.cloneNode(true);
           shown.querySelectorAll('.pp-visually-hidden').forEach(h => h.remove());
           return shown.textContent.trim(); })"""
    )
    # March 2019: 90.66% against 95% (amber: within 5%), up from 85.84% in February.
    assert cells == ["Mar 2019", "90.66%", "95.00%", "Amber", "Improving"]
    assert row.locator("td .pp-visually-hidden").text_content() == ", the value rose"
    tab_to(page, link_starting(INDICATOR), describe="the indicator in the old report")

    # 4. Print the current report: the printable version linked from the home page.
    tab_to(page, link_text("Home"), describe="'Home'")
    page.keyboard.press("Enter")
    page.wait_for_url(example_url)
    tab_to(page, link_starting("Print this report"), describe="the printable report")
    page.keyboard.press("Enter")
    page.wait_for_url(example_url + "reports/2019-20-q2/print/")
    pdf = page.pdf(format="A4", print_background=True)
    from pypdf import PdfReader

    reader_pdf = PdfReader(io.BytesIO(pdf))
    assert len(reader_pdf.pages) > 6
    # Lines break where the paper's width puts them.
    first = " ".join(reader_pdf.pages[0].extract_text().split())
    assert "report for Q2 2019/20" in first
