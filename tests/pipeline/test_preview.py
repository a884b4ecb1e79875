"""perfpages build --preview (issue 17, point 3): the copy a reviewer downloads, unzips and opens
from the disk. Every address a page uses must name a file of the preview (a folder opens as a
listing from file://), nothing may come from another host, the preview must say it is one, and
it must never be taken for, or replace, a site built for publishing. The browser test
(tests/browser/test_file_preview.py) follows links and searches in Chromium."""

from __future__ import annotations

import json
import os
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.mkdocs.offline import file_link, file_links, index_location
from generator.output.place import MARKER, PREVIEW_MARKER
from tests.conftest import MINIMAL_CONFIG, copy_example, run_cli, write
from tests.pipeline.test_determinism import differences, tree

# Attributes holding an address the browser loads or follows (data-plotly: charts.js loads
# Plotly from it).
ADDRESS_ATTRIBUTES = {"href", "src", "data-plotly"}
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class _Addresses(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.config = ""
        self._in_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ADDRESS_ATTRIBUTES and value is not None:
                self.found.append((tag, name, value))
        self._in_config = tag == "script" and ("id", "__config") in attrs

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config += data

    def handle_endtag(self, tag: str) -> None:
        self._in_config = False


def addresses(page: Path) -> _Addresses:
    parser = _Addresses()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def resolve(folder: Path, page: Path, address: str) -> Path:
    """The file a relative ``address`` on ``page`` names (query and fragment dropped)."""
    path = re.split(r"[?#]", address, maxsplit=1)[0]
    base = page.parent.relative_to(folder).as_posix()
    return folder / posixpath.normpath(posixpath.join(base, path))


def broken_addresses(folder: Path) -> tuple[list[str], int]:
    """Every address in the pages of ``folder`` that does not name a file of it (a folder, no
    such file, or an address from the root of the disk), and how many were checked. Another
    host may only be linked (``<a href>``), never loaded."""
    broken: list[str] = []
    checked = 0
    for page in sorted(folder.rglob("*.html")):
        found = addresses(page)
        for tag, attribute, value in found.found:
            where = f"{page.relative_to(folder)}: <{tag} {attribute}={value!r}>"
            if value.startswith("#") or value.startswith("mailto:"):
                continue
            if SCHEME.match(value) or value.startswith("/"):
                if tag != "a" or value.startswith(("/", "file:")):
                    broken.append(f"{where}: not relative")
                continue
            target = resolve(folder, page, value)
            checked += 1
            if not target.is_file():
                broken.append(f"{where}: {'a folder' if target.is_dir() else 'no such file'}")
        # Material's search worker and the site's root, named in each page's configuration.
        config = json.loads(found.config)
        if not resolve(folder, page, config["search"]).is_file():
            broken.append(f"{page.relative_to(folder)}: search worker {config['search']}")
        if resolve(folder, page, config["base"] + "/index.html") != folder / "index.html":
            broken.append(f"{page.relative_to(folder)}: base {config['base']}")
    return broken, checked


def test_every_address_in_the_preview_names_a_file_of_it(example_preview: Path) -> None:
    assert len(list(example_preview.rglob("*.html"))) > 60
    broken, checked = broken_addresses(example_preview)
    assert not broken, "\n".join(broken[:20])
    assert checked > 2_000


def test_search_finds_files_and_loads_from_the_disk(example_preview: Path) -> None:
    folder = example_preview
    index = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    assert len(locations) > 60
    for location in locations:
        assert (folder / location.split("#")[0]).is_file(), location
    # Material reads the index from this script on file:// pages.
    script = (folder / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = ")
    assert json.loads(script[len("var __index = ") :]) == index
    assert (folder / "assets" / "javascripts" / "perfpages-file-worker.js").is_file()


def test_the_preview_says_what_it_is(example_preview: Path) -> None:
    folder = example_preview
    assert (folder / PREVIEW_MARKER).is_file()
    assert not (folder / MARKER).exists()
    assert (folder / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"
    assert not (folder / "sitemap.xml").exists()
    for page in sorted(folder.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        where = page.relative_to(folder)
        assert '<meta name="robots" content="noindex">' in text, where
        assert "for review: not the published site." in text, where
        # No address of the published site to index instead.
        assert '<link rel="canonical" href="http' not in text, where


def test_a_site_for_publishing_is_not_a_preview(example_built: Path) -> None:
    """What the preview adds stays out of the real site."""
    assert (example_built / MARKER).is_file()
    assert not (example_built / PREVIEW_MARKER).exists()
    assert not (example_built / "assets" / "javascripts" / "perfpages-file-worker.js").exists()
    assert not (example_built / "search" / "search_index.js").exists()
    home = (example_built / "index.html").read_text(encoding="utf-8")
    assert "md-banner" not in home
    assert "noindex" not in home
    assert 'href="indicators/"' in home


def test_two_preview_builds_are_byte_identical(tmp_path: Path, example_preview: Path) -> None:
    root = copy_example(tmp_path / "again" / "deeper")
    output = tmp_path / "elsewhere" / "preview"
    result = run_cli("build", root, "--strict", "--preview", "--output", output)
    assert result.exit_code == 0, result.stderr
    assert differences(tree(example_preview), tree(output)) == []


def _project(root: Path) -> Path:
    write(root / "site_config.yml", json.dumps(MINIMAL_CONFIG))
    write(
        root / "indicators" / "m.yml",
        "title: M\npriority: health\nunit: percent\npolarity: higher_is_better\n"
        "values:\n  - period: 2019/20 Q2\n    value: 5\n",
    )
    return root


def test_a_preview_goes_to_its_own_folder_and_says_how_to_open_it(tmp_path: Path) -> None:
    root = _project(tmp_path / "S")
    result = run_cli("build", root, "--preview")
    assert result.exit_code == 0, result.stderr
    preview = root / "site-preview"
    assert f"open {preview / 'index.html'}" in result.stderr
    assert "not for publishing" in result.stderr
    assert (preview / PREVIEW_MARKER).is_file()
    assert not (root / "site").exists()
    # A second preview replaces the first.
    assert run_cli("build", root, "--preview").exit_code == 0


def test_a_preview_never_replaces_a_site_for_publishing(tmp_path: Path) -> None:
    root = _project(tmp_path / "S")
    assert run_cli("build", root).exit_code == 0
    site = root / "site"
    before = tree(site)
    result = run_cli("build", root, "--preview", "--output", site)
    assert result.exit_code == 2
    assert (
        f"The output folder {site} holds a site built for publishing, and a preview must never "
        f"be taken for it. Give another folder, e.g. {root / 'site-preview'}"
    ) in result.stderr
    assert "Nothing was written." in result.stderr
    assert tree(site) == before
    # A site published before the marker existed is recognised by its files.
    (site / MARKER).unlink()
    assert run_cli("build", root, "--preview", "--output", site).exit_code == 2
    # A site for publishing may replace a preview (both are perfpages' own).
    preview = tmp_path / "review"
    assert run_cli("build", root, "--preview", "--output", preview).exit_code == 0
    assert run_cli("build", root, "--output", preview).exit_code == 0
    assert (preview / MARKER).is_file()
    assert not (preview / PREVIEW_MARKER).exists()


@pytest.mark.parametrize(
    ("link", "on_disk"),
    [
        ("../priorities/x/", "../priorities/x/index.html"),
        ("./", "./index.html"),
        (".", "./index.html"),
        ("..", "../index.html"),
        ("../..", "../../index.html"),
        ("reports/2019-20-q2/#summary", "reports/2019-20-q2/index.html#summary"),
        ("indicators/?tag=ASCOF", "indicators/index.html?tag=ASCOF"),
        ("indicators/x/index.html", "indicators/x/index.html"),
        ("../data/x.csv", "../data/x.csv"),
        ("#top", "#top"),
        ("", ""),
        ("https://example.org/a/", "https://example.org/a/"),
        ("mailto:a@example.org", "mailto:a@example.org"),
        ("/absolute/", "/absolute/"),
        ("//example.org/", "//example.org/"),
    ],
)
def test_links_to_folders_name_their_index(link: str, on_disk: str) -> None:
    assert file_link(link) == on_disk


def test_only_href_and_src_are_rewritten() -> None:
    html = '<a href="x/" title="y/">x/</a><img src="../" alt="a/"><p data-x="z/">'
    assert file_links(html) == (
        '<a href="x/index.html" title="y/">x/</a><img src="../index.html" alt="a/"><p data-x="z/">'
    )
    assert file_links("<a href='w/'>w/</a>") == "<a href='w/index.html'>w/</a>"


@pytest.mark.parametrize(
    ("location", "on_disk"),
    [
        ("", "index.html"),
        ("#headline", "index.html#headline"),
        ("indicators/x/", "indicators/x/index.html"),
        ("indicators/x/#values", "indicators/x/index.html#values"),
        ("data/x.csv", "data/x.csv"),
    ],
)
def test_search_results_name_their_file(location: str, on_disk: str) -> None:
    assert index_location(location) == on_disk


def test_the_preview_marker_is_not_linked(example_preview: Path) -> None:
    for page in example_preview.rglob("*.html"):
        assert PREVIEW_MARKER not in page.read_text(encoding="utf-8")
    assert os.path.getsize(example_preview / PREVIEW_MARKER) > 0
