"""The structure assistive technology relies on, on EVERY page of both built sites (the example
and the stress fixture): one h1 and no skipped heading level; tables with a caption and scoped
header cells; a skip link; page titles that are unique and say what the page is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import build_strict

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
TITLE_SEPARATOR = " – "


@dataclass
class Table:
    caption: str = ""
    header_cells: int = 0
    unscoped: list[str] = field(default_factory=list)


@dataclass
class Page:
    """What one HTML page says about its own structure."""

    title: str = ""
    headings: list[tuple[int, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    skip_links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._text: list[str] | None = None  # collecting text of a title, heading or caption
        self._into = ""
        self._th_text: list[str] | None = None
        self._th_scoped = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.page.ids.add(str(a["id"]))
        if tag == "a" and "md-skip" in (a.get("class") or "").split():
            self.page.skip_links.append(str(a.get("href") or ""))
        if tag == "table":
            self.page.tables.append(Table())
        elif tag == "th" and self.page.tables:
            self._th_text, self._th_scoped = (
                [],
                a.get("scope") in ("col", "row", "colgroup", "rowgroup"),
            )
        elif tag in HEADINGS or tag in ("title", "caption"):
            self._text, self._into = [], tag

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)
        if self._th_text is not None:
            self._th_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self._th_text is not None and self.page.tables:
            table = self.page.tables[-1]
            table.header_cells += 1
            if not self._th_scoped:
                table.unscoped.append(" ".join("".join(self._th_text).split()))
            self._th_text = None
        if self._text is None or tag != self._into:
            return
        text = " ".join("".join(self._text).split())
        if tag == "title":
            self.page.title = text
        elif tag == "caption" and self.page.tables:
            self.page.tables[-1].caption = text
        else:
            self.page.headings.append((HEADINGS[tag], text))
        self._text = None


def parse(path: Path) -> Page:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.page


def site_pages(site: Path) -> dict[str, Page]:
    return {p.relative_to(site).as_posix(): parse(p) for p in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="module", params=["example", "stress"])
def pages(request: pytest.FixtureRequest) -> dict[str, Page]:
    built: Path = request.getfixturevalue(f"{request.param}_built")
    return site_pages(built)


def test_the_sites_have_every_kind_of_page(pages: dict[str, Page]) -> None:
    assert "index.html" in pages and "404.html" in pages
    assert any(p.startswith("indicators/") and p != "indicators/index.html" for p in pages)
    assert any(p.startswith("priorities/") for p in pages)
    assert len(pages) >= 15


def test_one_h1_and_no_skipped_heading_level(pages: dict[str, Page]) -> None:
    problems = []
    for name, page in pages.items():
        levels = [level for level, _ in page.headings]
        if levels.count(1) != 1 or levels[0] != 1:
            problems.append(f"{name}: {levels.count(1)} h1 (the first heading is h{levels[0]})")
        for (before, _), (level, text) in zip(page.headings, page.headings[1:], strict=False):
            if level > before + 1:
                problems.append(f"{name}: h{before} then h{level} ({text!r})")
    assert not problems, "\n".join(problems)


def test_tables_have_captions_and_scoped_header_cells(pages: dict[str, Page]) -> None:
    problems = []
    tables = 0
    for name, page in pages.items():
        for table in page.tables:
            tables += 1
            if not table.caption:
                problems.append(f"{name}: a table without a caption")
            if not table.header_cells:
                problems.append(f"{name}: table {table.caption!r} has no header cells")
            if table.unscoped:
                problems.append(f"{name}: {table.caption!r}: th without scope: {table.unscoped}")
    assert tables >= 10
    assert not problems, "\n".join(problems)


def test_every_page_has_a_skip_link_to_something_on_the_page(pages: dict[str, Page]) -> None:
    problems = []
    for name, page in pages.items():
        if len(page.skip_links) != 1:
            problems.append(f"{name}: {len(page.skip_links)} skip links")
        elif page.skip_links[0].removeprefix("#") not in page.ids:
            problems.append(f"{name}: skip link to {page.skip_links[0]}, which is not on the page")
    assert not problems, "\n".join(problems)


def test_page_titles_are_unique_and_name_the_page_and_the_site(pages: dict[str, Page]) -> None:
    home = pages["index.html"]
    site_name = home.title
    assert site_name, "the home page has no title"
    by_title: dict[str, list[str]] = {}
    for name, page in pages.items():
        by_title.setdefault(page.title, []).append(name)
    duplicates = {title: names for title, names in by_title.items() if len(names) > 1}
    assert not duplicates, f"pages sharing a title: {duplicates}"
    problems = []
    for name, page in pages.items():
        if name == "index.html":
            continue
        # "Delayed transfers of care – Somerset County Council performance": what the page is,
        # then whose site it is; what the page is says what its main heading says (the same
        # words, or mostly: "Report for Q2 2019/20: printable version").
        what, sep, site = page.title.rpartition(TITLE_SEPARATOR)
        h1 = next(text for level, text in page.headings if level == 1)
        if not sep or site != site_name or not what or not says_the_same(what, h1):
            problems.append(f"{name}: title {page.title!r}, heading {h1!r}")
    assert not problems, "\n".join(problems)


def words(text: str) -> list[str]:
    return re.findall(r"[\w/'-]+", text.lower())


def says_the_same(title: str, heading: str) -> bool:
    """The title is the heading, or most of its words are in the heading."""
    in_title, in_heading = words(title), set(words(heading))
    return title == heading or sum(w in in_heading for w in in_title) * 2 > len(in_title)


def test_titles_are_compared_with_headings_by_their_words() -> None:
    assert says_the_same("Delayed transfers of care", "Delayed transfers of care")
    assert says_the_same(
        "Report for Q2 2019/20: printable version", "Somerset performance: report for Q2 2019/20"
    )
    assert not says_the_same("Page", "Delayed transfers of care")
    assert not says_the_same("Somerset County Council performance", "Priorities")


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    """The parser sees a second h1, a skipped level, a table without caption or scope, and a
    duplicated title: the checks above can fail."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<html><head><title>Same – Site</title></head><body>"
        '<a class="md-skip" href="#nowhere">Skip</a>'
        "<h1>One</h1><h3>Skipped</h3><h1>Two</h1>"
        "<table><tr><th>Header</th></tr></table></body></html>",
        encoding="utf-8",
    )
    page = parse(bad)
    assert [level for level, _ in page.headings] == [1, 3, 1]
    assert page.tables[0].caption == ""
    assert page.tables[0].unscoped == ["Header"]
    assert page.skip_links == ["#nowhere"] and "nowhere" not in page.ids
    assert page.title == "Same – Site"


def test_a_content_page_with_a_skipped_level_is_caught(make_site: Any) -> None:
    """A real build: a content page that jumps from h1 to h3 is reported by the check."""
    site = make_site(content={"about.md": "# About\n\n### Too deep\n\nText.\n"})
    pages = site_pages(build_strict(site.root))
    assert "about/index.html" in pages
    with pytest.raises(AssertionError, match=r"about/index.html: h1 then h3"):
        test_one_h1_and_no_skipped_heading_level(pages)
