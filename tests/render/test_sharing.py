"""Sharing: page titles and descriptions, Open Graph tags, the sitemap and the Atom feed."""

from __future__ import annotations

import html as htmllib
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
import yaml

from generator.pipeline import check
from generator.site.i18n import og_locale
from tests.conftest import MINIMAL_CONFIG, MINIMAL_MEASURE, run_cli

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
TRICKY = 'Fish & "Chips" <Council>'


class Head(HTMLParser):
    """The <title>, <meta> and <link> elements of a page, with entities decoded once."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = a.get("property") or a.get("name")
            if key:
                self.meta[key] = a.get("content", "")
        elif tag == "link":
            self.links.append(a)
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def head(path) -> Head:
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """A site with a web address and a title that needs escaping."""
    root = tmp_path_factory.mktemp("shared")
    config = {
        **MINIMAL_CONFIG,
        "site": {
            **MINIMAL_CONFIG["site"],
            "title": TRICKY,
            "url": "https://perf.example.org/",
            "description": "How the <council> is doing & why",
        },
    }
    (root / "site_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (root / "indicators").mkdir()
    measure = MINIMAL_MEASURE.replace("title: Test measure", 'title: "Waits < 4 hours & more"')
    measure += 'description: "Share of \\"urgent\\" cases"\n'
    (root / "indicators" / "waits.yml").write_text(measure, encoding="utf-8")
    result = run_cli("build", "--strict", root)
    assert result.exit_code == 0, result.stderr
    return root / "site"


def test_open_graph_tags_are_escaped_exactly_once(shared):
    page = shared / "indicators" / "waits" / "index.html"
    source = page.read_text(encoding="utf-8")
    tags = head(page).meta
    assert tags["og:title"] == "Waits < 4 hours & more"
    assert tags["og:description"] == 'Share of "urgent" cases'
    assert tags["og:site_name"] == TRICKY
    assert tags["og:type"] == "website"
    assert tags["og:url"] == "https://perf.example.org/indicators/waits/"
    assert tags["og:locale"] == "en_GB"
    og_lines = [line for line in source.splitlines() if 'property="og:' in line]
    assert len(og_lines) == 6
    for line in og_lines:
        assert "&amp;amp;" not in line and "&amp;lt;" not in line and "&amp;quot;" not in line
    assert '<meta property="og:title" content="Waits &lt; 4 hours &amp; more">' in source
    home = head(shared / "index.html").meta
    assert home["og:title"] == TRICKY and home["og:url"] == "https://perf.example.org/"
    assert home["og:description"] == "How the <council> is doing & why"


NO_URL = "site: url is not set, so the sitemap and the feed's links cannot be absolute; set site.url to the address the site is published at"


@pytest.fixture(scope="module")
def no_address(tmp_path_factory):
    """A site without a web address (as ``perfpages init`` writes it), built without --strict;
    the site folder and the build's messages."""
    root = tmp_path_factory.mktemp("no-address")
    config = {**MINIMAL_CONFIG, "site": {"title": "T", "organisation": "O"}}
    (root / "site_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    (root / "indicators").mkdir()
    (root / "indicators" / "m.yml").write_text(MINIMAL_MEASURE, encoding="utf-8")
    result = run_cli("build", root)
    assert result.exit_code == 0, result.stderr
    return root / "site", result.stderr


def test_without_a_site_address_there_is_no_sitemap_or_og_url_and_a_warning(no_address):
    site, messages = no_address
    assert f"site_config.yml:1: site.url: warning: {NO_URL}\n" in messages
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    assert "og:url" not in head(site / "index.html").meta
    assert (site / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"
    root = ET.parse(site / "feed.xml").getroot()
    assert [x for x in root.iter(f"{ATOM}link") if x.get("rel") == "self"] == []
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == "reports/2019-20-q2/"
    assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")


def test_a_missing_site_address_fails_a_strict_build_and_only_that(make_site):
    site = make_site(config={**MINIMAL_CONFIG, "site": {"title": "T", "organisation": "O"}})
    result = run_cli("build", "--strict", site.root)
    assert result.exit_code == 1
    assert f"site_config.yml:1: site.url: warning: {NO_URL}\n1 warning in 1 file\n" in result.stderr
    assert not (site.root / "site").exists()
    # A warning about what the build writes: validate, which writes nothing, passes.
    assert run_cli("validate", "--strict", site.root).exit_code == 0
    site.config(MINIMAL_CONFIG)  # with an address
    result = run_cli("build", "--strict", site.root)
    assert result.exit_code == 0, result.stderr
    assert "site: url" not in result.stderr


def test_robots_txt_names_the_sitemap_when_the_site_has_an_address(shared):
    assert (shared / "robots.txt").read_text(encoding="utf-8") == (
        "User-agent: *\nAllow: /\n\nSitemap: https://perf.example.org/sitemap.xml\n"
    )


def test_printable_reports_are_noindex_and_name_their_report_as_canonical(shared, no_address):
    page = head(shared / "reports" / "2019-20-q2" / "print" / "index.html")
    assert page.meta["robots"] == "noindex"
    canonical = [x["href"] for x in page.links if x.get("rel") == "canonical"]
    assert canonical == ["https://perf.example.org/reports/2019-20-q2/"]
    assert page.meta["og:url"] == "https://perf.example.org/reports/2019-20-q2/"
    # Without the site's address, relative to the page.
    site, _ = no_address
    page = head(site / "reports" / "2019-20-q2" / "print" / "index.html")
    assert page.meta["robots"] == "noindex"
    assert [x["href"] for x in page.links if x.get("rel") == "canonical"] == ["../"]
    # The report page itself is indexed and its own canonical.
    report = head(shared / "reports" / "2019-20-q2" / "index.html")
    assert "robots" not in report.meta
    canonical = [x["href"] for x in report.links if x.get("rel") == "canonical"]
    assert canonical == ["https://perf.example.org/reports/2019-20-q2/"]


def test_every_page_has_a_title_description_og_tags_and_the_feed_link(example_built):
    pages = sorted(example_built.rglob("index.html"))
    assert len(pages) > 60
    titles = {}
    for page in pages:
        h = head(page)
        assert h.title.strip(), page
        assert h.meta.get("description"), page
        for key in ("og:title", "og:description", "og:type", "og:site_name", "og:locale"):
            assert h.meta.get(key), (page, key)
        assert h.meta["og:url"].startswith("https://performance.example.org/"), page
        feeds = [link for link in h.links if link.get("type") == "application/atom+xml"]
        assert len(feeds) == 1 and feeds[0]["rel"] == "alternate", page
        assert (page.parent / feeds[0]["href"]).resolve() == (example_built / "feed.xml").resolve()
        titles.setdefault(h.title, []).append(page.relative_to(example_built).as_posix())
    repeated = {t: p for t, p in titles.items() if len(p) > 1}
    assert not repeated, f"pages share a title: {repeated}"


def test_sitemap_lists_every_page_when_the_site_has_an_address(shared):
    root = ET.parse(shared / "sitemap.xml").getroot()
    locations = {loc.text for loc in root.iter(f"{SITEMAP}loc")}
    for url in (
        "https://perf.example.org/",
        "https://perf.example.org/indicators/",
        "https://perf.example.org/indicators/waits/",
        "https://perf.example.org/reports/",
        "https://perf.example.org/reports/2019-20-q1/",
        "https://perf.example.org/reports/2019-20-q2/",
    ):
        assert url in locations, url
    # The printable reports are copies of their report pages.
    assert not [loc for loc in locations if loc.endswith("/print/")]
    assert (shared / "reports" / "2019-20-q2" / "print" / "index.html").is_file()


# ---- The Atom feed -----------------------------------------------------------------------------


def test_feed_has_one_entry_per_report_with_stable_ids(example_built, example_copy):
    root = ET.parse(example_built / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    reports = sorted(
        (p.name for p in (example_built / "reports").iterdir() if p.is_dir()), reverse=True
    )
    assert len(entries) == len(reports) == 9
    address = "https://performance.example.org/"
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert [re.sub("#figures-[0-9a-f]{12}$", "", i) for i in ids] == [
        f"{address}reports/{slug}/" for slug in reports
    ]
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links == [f"{address}reports/{slug}/" for slug in reports]
    for link in links:
        assert (example_built / link.removeprefix(address) / "index.html").is_file()
    self_links = [x.get("href") for x in root.findall(f"{ATOM}link") if x.get("rel") == "self"]
    assert self_links == [f"{address}feed.xml"]
    # Dates are the ends of the periods: newest first, and the feed's date is the newest.
    site, _, _ = check(example_copy)
    assert entries[0].findtext(f"{ATOM}updated") == "2019-09-30T00:00:00Z"
    assert entries[-1].findtext(f"{ATOM}updated") == "2017-09-30T00:00:00Z"
    assert root.findtext(f"{ATOM}updated") == "2019-09-30T00:00:00Z"
    assert entries[0].findtext(f"{ATOM}title") == "Performance report for Q2 2019/20"
    assert (
        entries[0].findtext(f"{ATOM}summary").startswith("8 of 13 rated measures are Green (62%)")
    )
    assert root.find(f"{ATOM}author").findtext(f"{ATOM}name") == site.config.site.organisation


def test_feed_escapes_everything_and_uses_addresses_when_the_site_has_one(shared):
    raw = (shared / "feed.xml").read_text(encoding="utf-8")
    root = ET.fromstring(raw.encode("utf-8"))  # well-formed, or this raises
    assert root.findtext(f"{ATOM}title") == f"{TRICKY}: reports"
    assert "&amp;" in raw and "<Council>" not in raw
    entry = root.findall(f"{ATOM}entry")[0]
    assert re.fullmatch(
        r"https://perf\.example\.org/reports/2019-20-q2/#figures-[0-9a-f]{12}",
        entry.findtext(f"{ATOM}id"),
    )
    assert entry.find(f"{ATOM}link").get("href") == "https://perf.example.org/reports/2019-20-q2/"
    self_links = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_links[0].get("href") == "https://perf.example.org/feed.xml"
    home = (shared / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="feed.xml" type="application/atom\+xml">', home)
    link = next(x for x in head(shared / "index.html").links if x.get("rel") == "alternate")
    assert link["title"] == f"{TRICKY}: reports"
    assert htmllib.escape(TRICKY) in home


def test_feed_is_the_same_from_build_to_build(make_site):
    site = make_site()
    assert run_cli("build", site.root).exit_code == 0
    first = (site.root / "site" / "feed.xml").read_bytes()
    assert run_cli("build", site.root).exit_code == 0
    assert (site.root / "site" / "feed.xml").read_bytes() == first


def feed_entries(root) -> dict[str, tuple[str, str]]:
    """Each entry's link, with its id and date, from the site built in ``root``."""
    feed = ET.parse(root / "site" / "feed.xml").getroot()
    return {
        e.find(f"{ATOM}link").get("href"): (e.findtext(f"{ATOM}id"), e.findtext(f"{ATOM}updated"))
        for e in feed.findall(f"{ATOM}entry")
    }


def test_a_revised_figure_gives_its_periods_new_feed_ids_and_nothing_else(make_site):
    site = make_site()
    assert run_cli("build", "--strict", site.root).exit_code == 0
    before = feed_entries(site.root)
    first = (site.root / "site" / "feed.xml").read_bytes()
    assert run_cli("build", "--strict", site.root).exit_code == 0
    assert (site.root / "site" / "feed.xml").read_bytes() == first  # same data, same bytes
    # Q1's value revised: Q1's report shows it, and so does Q2's (its previous value).
    site.indicator("test-measure.yml", MINIMAL_MEASURE.replace("value: 85", "value: 86"))
    assert run_cli("build", "--strict", site.root).exit_code == 0
    after = feed_entries(site.root)
    assert after.keys() == before.keys()
    q1 = "https://performance.test.example/reports/2019-20-q1/"
    q2 = "https://performance.test.example/reports/2019-20-q2/"
    for link in (q1, q2):
        assert after[link][0] != before[link][0], link
        assert after[link][0].startswith(link + "#figures-")
        assert after[link][1] == before[link][1]  # the date is still the period's end
    # Undone: the ids are the first build's again.
    site.indicator("test-measure.yml", MINIMAL_MEASURE)
    assert run_cli("build", "--strict", site.root).exit_code == 0
    assert (site.root / "site" / "feed.xml").read_bytes() == first


@pytest.mark.parametrize(
    ("language", "locale"),
    [("en", "en_GB"), ("en-US", "en_US"), ("en-gb", "en_GB"), ("fr", "fr"), ("zh-Hant", "zh")],
)
def test_og_locale_is_language_and_territory(language, locale):
    assert og_locale(language) == locale
