"""What perfpages relies on in MkDocs (generator/mkdocs/internals.py) is what the installed MkDocs
has; and when MkDocs changes, the check says what changed instead of a build failing halfway."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import mkdocs
import mkdocs.commands.build
import mkdocs.livereload
import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.pages import Page

from generator.mkdocs import build as mkdocs_build
from generator.mkdocs import internals, messages
from generator.mkdocs.preview import Preview

REPO = Path(__file__).resolve().parents[2]


def test_the_installed_mkdocs_is_the_one_expected():
    assert internals.check_mkdocs() == []
    assert internals.fits()
    assert mkdocs.__version__ == internals.WRITTEN_FOR
    pin = re.search(r'"mkdocs==([^"]+)"', (REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert pin and pin[1] == internals.WRITTEN_FOR


# ---- the wording, against what MkDocs really logs --------------------------------------------

# A page with each kind of link MkDocs warns about; the examples in internals.py are these lines.
ABOUT = """# About

[a](missing.md) [b](sub/../missing.md) [c](#nowhere) [d](index.md#nowhere) [e](index)
[f](/index.md)
"""


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def mkdocs_lines(root: Path) -> list[str]:
    """Every line MkDocs' own build logs for a site with a page of broken links (debug lines of
    the build itself, as perfpages' progress bar reads them)."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "docs" / "about.md").write_text(ABOUT)
    checks = ("not_found", "absolute_links", "unrecognized_links", "anchors")
    config = {
        "site_name": "Test",
        "theme": {"name": "mkdocs"},
        "plugins": [],
        "validation": {"links": dict.fromkeys(checks, "warn")},
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    handler = Lines()
    logger = logging.getLogger("mkdocs")
    reading = logging.getLogger(messages.PROGRESS_LOGGER)
    old_level = reading.level
    reading.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        config_file = str(root / "mkdocs.yml")
        mkdocs.commands.build.build(load_config(config_file, site_dir=str(root / "site")))
    finally:
        logger.removeHandler(handler)
        reading.setLevel(old_level)
    return handler.lines


def test_every_wording_is_what_mkdocs_logs(tmp_path):
    lines = mkdocs_lines(tmp_path)
    for name, wording in internals.WORDING.items():
        assert wording.example in lines, name
        assert wording.match_line(wording.example), name
    assert sum(messages.reads_page(line) for line in lines) == 2
    link_lines = [line for line in lines if line.startswith("Doc file")]
    assert len(link_lines) == 6
    kinds = [w for w in internals.WORDING.values() if w.head is internals.LINK]
    for line in link_lines:  # each warning is of a kind messages.py explains
        assert sum(bool(kind.match_line(line)) for kind in kinds) == 1, line
        source = messages.Source("about.md", "content/about.md", ABOUT)
        assert messages.explain(line, [source]) is not None, line


def test_the_shared_build_reads_pages_in_mkdocs_words(tmp_path, caplog):
    mkdocs_lines(tmp_path)  # the site
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "shared"))
    build = internals.start_build(config)
    with caplog.at_level(logging.DEBUG, logger=internals.BUILD_LOGGER):
        caplog.clear()
        build.read(build.doc_files[0])
    assert [r.getMessage() for r in caplog.records if messages.reads_page(r.getMessage())] == [
        "Reading: index.md"
    ]


# ---- a different MkDocs ------------------------------------------------------------------------


@pytest.fixture
def mkdocs_170(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mkdocs, "__version__", "1.7.0")


def _build_page(page: Any, config: Any, nav: Any, env: Any) -> None:
    """A _build_page as a later MkDocs might have it."""


_build_page.__module__ = "mkdocs.commands.build"  # as MkDocs' own would be


def test_a_changed_signature_is_reported(monkeypatch, mkdocs_170):
    monkeypatch.setattr(mkdocs.commands.build, "_build_page", _build_page)
    assert internals.check_mkdocs() == [
        "perfpages expects mkdocs.commands.build._build_page(page, config, doc_files, nav, env, "
        "dirty, excluded) but MkDocs 1.7.0 has (page, config, nav, env): update "
        "generator/mkdocs/internals.py"
    ]
    assert not internals.fits()


def test_a_function_gone_is_reported(monkeypatch, mkdocs_170):
    monkeypatch.delattr(mkdocs.commands.build, "_populate_page")
    assert internals.check_mkdocs() == [
        "perfpages expects mkdocs.commands.build._populate_page(page, config, files, dirty) but "
        "MkDocs 1.7.0 has no such function: update generator/mkdocs/internals.py",
        "perfpages follows the steps of mkdocs.commands.build.build() in MkDocs 1.6.1, but MkDocs "
        "1.7.0 changed them (it no longer calls _populate_page): make "
        "generator/mkdocs/internals.py follow them, then update BUILD_STEPS",
    ]


def validate_anchor_links(self: Any, *, files: Any, log_level: int) -> None:
    """Page.validate_anchor_links with other words for a missing anchor."""
    log = logging.getLogger("mkdocs.structure.pages")
    for to_file, links in (self.links_to_anchors or {}).items():
        for anchor, original_link in links.items():
            problem = "the anchor is missing"
            if to_file != self.file:
                problem = f"the doc '{to_file.src_uri}' does not contain an anchor '#{anchor}'"
            log.log(
                log_level,
                f"Doc file '{self.file.src_uri}' contains a link '{original_link}', but {problem}.",
            )


def test_a_changed_wording_is_reported(monkeypatch, mkdocs_170):
    monkeypatch.setattr(Page, "validate_anchor_links", validate_anchor_links)
    assert internals.check_mkdocs() == [
        "perfpages expects MkDocs to log \"Doc file 'about.md' contains a link '#nowhere', but "
        'there is no such anchor on this page." (NO_ANCHOR_HERE, written by '
        "mkdocs.structure.pages.Page.validate_anchor_links), but MkDocs 1.7.0 does not write "
        '"there is no such anchor on this page" there: update generator/mkdocs/internals.py'
    ]
    assert internals.fits()  # only the messages suffer: the builds go on


def build(config: Any, *, serve_url: str | None = None, dirty: bool = False) -> None:
    """MkDocs' build() with a new plugin event."""
    config = config.plugins.on_config(config)
    config.plugins.on_startup_pages(config=config)
    logging.getLogger("mkdocs.commands.build").debug(f"Reading: {config.nav}")


def test_changed_build_steps_are_reported(monkeypatch, mkdocs_170):
    monkeypatch.setattr(mkdocs.commands.build, "build", build)
    [problem] = internals.check_mkdocs()
    assert problem.startswith(
        "perfpages follows the steps of mkdocs.commands.build.build() in MkDocs 1.6.1, but "
        "MkDocs 1.7.0 changed them (it now calls config.plugins.on_startup_pages; it no longer "
        "calls utils.CountHandler, config.plugins.on_pre_build,"
    )
    assert problem.endswith(
        ": make generator/mkdocs/internals.py follow them, then update BUILD_STEPS"
    )


def small_site(root: Path) -> str:
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n")
    for n in range(4):
        (docs / f"page-{n}.md").write_text(f"# Page {n}\n")
    config = {
        "site_name": "Test",
        "theme": {"name": "material"},
        "nav": [{"Home": "index.md"}],
        "plugins": ["search"],
        "validation": {"omitted_files": "info"},
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return str(root / "mkdocs.yml")


def test_with_another_mkdocs_the_build_is_mkdocs_own(tmp_path, monkeypatch, mkdocs_170):
    config_file = small_site(tmp_path)
    real = mkdocs.commands.build._build_page

    def later_build_page(
        page, config, doc_files, nav, env, dirty=False, excluded=False, theme=None
    ):  # type: ignore[no-untyped-def]
        return real(page, config, doc_files, nav, env, dirty, excluded)

    def shared_out(config: Any) -> None:
        raise AssertionError("shared out with a MkDocs that does not fit")

    monkeypatch.setattr(mkdocs.commands.build, "_build_page", later_build_page)
    monkeypatch.setattr(mkdocs_build, "_SharedBuild", shared_out)
    config = load_config(config_file, site_dir=str(tmp_path / "site"))
    assert mkdocs_build.can_share(config)
    mkdocs_build.build_pages(config, 2)
    assert (tmp_path / "site" / "page-3" / "index.html").is_file()


def test_with_another_mkdocs_serve_stops_with_the_reason(tmp_path, monkeypatch, mkdocs_170):
    config_file = small_site(tmp_path)
    monkeypatch.setattr(mkdocs.commands.build, "_build_page", _build_page)
    preview = Preview(config_file, str(tmp_path / "preview"), "http://127.0.0.1:8000/")
    with pytest.raises(Abort) as stopped:
        preview.build()
    assert str(stopped.value).startswith(
        "perfpages serve needs MkDocs 1.6.1 (pip install mkdocs==1.6.1); MkDocs 1.7.0 is "
        "installed:\n- perfpages expects mkdocs.commands.build._build_page("
    )
    assert not (tmp_path / "preview").exists()


class _Server:
    """A LiveReloadServer whose __init__ no longer sets the condition perfpages uses."""

    def __init__(self, builder: Any, host: str, port: int, root: str) -> None:
        self._rebuild = None


def test_a_private_attribute_gone_is_reported(monkeypatch, mkdocs_170):
    monkeypatch.setattr(mkdocs.livereload, "LiveReloadServer", _Server)
    assert internals.check_mkdocs() == [
        "perfpages uses _rebuild_cond, _want_rebuild of mkdocs.livereload.LiveReloadServer, but "
        "MkDocs 1.7.0 no longer sets _rebuild_cond, _want_rebuild: update "
        "generator/mkdocs/internals.py"
    ]


def test_the_preview_answers_a_nul_in_the_path_with_not_found(tmp_path: Path) -> None:
    """/%00 is no file: a 404, not MkDocs' 500 with a traceback in the log (issue 15)."""
    from generator.mkdocs.internals import live_reload_server

    (tmp_path / "index.html").write_text("<p>home</p>")
    server = live_reload_server(lambda: None, "127.0.0.1", 0, str(tmp_path))
    try:
        statuses: list[str] = []
        environ = {"PATH_INFO": "/\x00", "REQUEST_METHOD": "GET"}
        body = server.serve_request(environ, lambda status, headers: statuses.append(status))
        assert statuses == ["404 Not Found"]
        assert b"".join(body) == b"404 Not Found"
    finally:
        server.server_close()


def test_the_theme_files_are_those_mkdocs_lists_and_the_sites_own_are_read_each_build(
    make_site,
):
    """The theme's loader skips hidden folders (Material's 14,000 icons) while MkDocs lists the
    theme's files: the files MkDocs publishes are those it publishes with Jinja's own loader;
    and a file added to the site's own theme between two builds in one process is published by
    the second."""
    import jinja2
    from mkdocs.structure.files import Files

    from tests.conftest import run_cli

    site = make_site()
    assert run_cli("build", site.root).exit_code == 0
    config = load_config(str(site.root / "build" / "mkdocs.yml"))
    internals.cache_theme(config)
    env = config.theme.get_env()
    assert isinstance(env.loader, internals._ThemeLoader)
    ours, theirs = Files([]), Files([])
    ours.add_files_from_theme(env, config)
    env.loader = jinja2.FileSystemLoader(env.loader.searchpath)
    theirs.add_files_from_theme(env, config)
    assert [(f.src_uri, f.abs_src_path) for f in ours] == [
        (f.src_uri, f.abs_src_path) for f in theirs
    ]
    assert any(f.src_uri.startswith("assets/stylesheets/") for f in ours)
    extra = site.root / "theme" / "assets" / "extra-note.txt"
    extra.parent.mkdir(parents=True, exist_ok=True)
    extra.write_text("added between builds", encoding="utf-8")
    assert run_cli("build", site.root).exit_code == 0
    published = site.root / "site" / "assets" / "extra-note.txt"
    assert published.read_text(encoding="utf-8") == "added between builds"


def add_files_from_theme(self: Any, env: Any, config: Any) -> None:
    """Files.add_files_from_theme as a later MkDocs might have it: hidden files kept."""
    for path in env.list_templates(filter_func=lambda name: not name.endswith(".html")):
        self.append(path)


def test_a_mkdocs_that_keeps_hidden_theme_files_is_reported(monkeypatch, mkdocs_170):
    from mkdocs.structure.files import Files

    monkeypatch.setattr(Files, "add_files_from_theme", add_files_from_theme)
    assert internals.check_mkdocs() == [
        "perfpages lists no hidden file of the theme, as "
        "mkdocs.structure.files.Files.add_files_from_theme() in MkDocs 1.6.1 leaves them out "
        "(.*, */.*), but MkDocs 1.7.0 does not: make _ThemeLoader in "
        "generator/mkdocs/internals.py list them, then update HIDDEN_PATTERNS"
    ]
    assert not internals.fits()
