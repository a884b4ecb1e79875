"""A site in several languages (site: languages, issue 18): every page in each language at a
predictable address, each linking the same page in the other, text given per language shown in
its language, text without a translation shown with its own language said, and every missing
translation reported at its line. Checked on the bilingual fixture (tests/fixtures/bilingual,
real figures published in English and Welsh), against what its YAML files say, read here
independently of the generator."""

from __future__ import annotations

import html
import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from click.testing import CliRunner

from generator.commands.cli import main
from generator.site.problems import Problems
from tests.conftest import BILINGUAL, copy_example, write

pytestmark = pytest.mark.usefixtures("bilingual_built")

# Folders of the built site that are not pages in a language.
NOT_PAGES = ("assets/", "data/", "search/", "cy/")
# The fields of the format a reader sees, which may be given per language (SPEC "Languages").
TRANSLATABLE = {
    "title",
    "short_title",
    "organisation",
    "description",
    "address",
    "commentary",
    "actions",
    "note",
    "source",
    "owner",
    "unit_label",
    "rating_reason",
    "direction_reason",
    "series_break",
    "label",
    "licence",
    "attribution",
    "known_limitations",
    "enforcement",
    "next_steps",
}
# Mappings under these keys are not text (their values are settings).
NOT_TEXT = {"ratings", "reports", "accessibility_dates", "values", "target"}


def pages(site: Path, folder: str = "") -> set[str]:
    """The HTML pages of one language, as paths inside that language's folder."""
    base = site / folder if folder else site
    found = set()
    for path in base.rglob("*.html"):
        rel = path.relative_to(base).as_posix()
        if not folder and rel.startswith(NOT_PAGES):
            continue
        if folder and rel.startswith(("assets/", "search/")):
            continue
        found.add(rel)
    return found


def url_of(rel: str) -> str:
    """indicators/x/index.html -> indicators/x/ (the address a page is linked by)."""
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def resolve(page_rel: str, href: str) -> str:
    """A relative link from the page at ``page_rel`` (a file of the site) as a site path."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_rel), href))
    if href.endswith("/") or href in (".", "./"):
        joined = (joined + "/index.html") if joined != "." else "index.html"
    return joined.lstrip("./") if joined.startswith("./") else joined


def yaml_files() -> list[tuple[str, Any]]:
    files = [("site_config.yml", yaml.safe_load((BILINGUAL / "site_config.yml").read_text()))]
    for path in sorted((BILINGUAL / "indicators").rglob("*.yml")):
        files.append((path.relative_to(BILINGUAL).as_posix(), yaml.safe_load(path.read_text())))
    return files


def texts(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every value of a translatable field in a YAML document, with its path."""
    found: list[tuple[tuple[Any, ...], Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TRANSLATABLE and (isinstance(value, str) or _per_language(value)):
                found.append(((*path, key), value))
            elif key in TRANSLATABLE and isinstance(value, list):
                found += [((*path, key, i), v) for i, v in enumerate(value)]
            elif key not in NOT_TEXT or isinstance(value, list):
                found += texts(value, (*path, key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found += texts(item, (*path, i))
    return found


def _per_language(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= {"en", "cy"}


def field_name(path: tuple[Any, ...]) -> str:
    name = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path)
    return name.replace(".[", "[")


def test_every_page_is_published_in_both_languages(bilingual_built: Path) -> None:
    english, welsh = pages(bilingual_built), pages(bilingual_built, "cy")
    assert "index.html" in english and "indicators/recycling-rate/index.html" in english
    assert english == welsh
    # One set of open data, at the site's root.
    assert (bilingual_built / "data" / "indicators.csv").is_file()
    assert not (bilingual_built / "cy" / "data").exists()
    assert not (bilingual_built / "cy" / "robots.txt").exists()
    # robots.txt names each language's sitemap, and each exists and lists its own pages.
    url = yaml.safe_load((BILINGUAL / "site_config.yml").read_text())["site"]["url"]
    robots = (bilingual_built / "robots.txt").read_text()
    assert f"Sitemap: {url}sitemap.xml\nSitemap: {url}cy/sitemap.xml\n" in robots
    welsh_map = (bilingual_built / "cy" / "sitemap.xml").read_text()
    assert f"<loc>{url}cy/indicators/recycling-rate/</loc>" in welsh_map


def test_every_page_says_its_language_and_links_the_same_page_in_the_other(
    bilingual_built: Path,
) -> None:
    url = yaml.safe_load((BILINGUAL / "site_config.yml").read_text())["site"]["url"]
    for folder, language, other, other_name in (
        ("", "en", "cy", "Cymraeg"),
        ("cy", "cy", "en", "English"),
    ):
        for rel in sorted(pages(bilingual_built, folder)):
            text = (bilingual_built / folder / rel).read_text()
            assert f'<html lang="{language}"' in text, rel
            switch = re.findall(
                rf'<a href="([^"]+)" hreflang="{other}" lang="{other}" '
                rf'class="md-header__button pp-language">([^<]+)</a>',
                text,
            )
            assert switch and switch[0][1] == other_name, rel
            site_rel = f"{folder}/{rel}" if folder else rel
            target = resolve(site_rel, switch[0][0])
            expected = f"cy/{rel}" if other == "cy" else rel
            if rel == "404.html":
                continue  # the page-not-found page is shown at any address
            assert target == expected, (rel, switch[0][0])
            alternates = dict(
                re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', text)
            )
            assert alternates == {
                "en": url + url_of(rel),
                "x-default": url + url_of(rel),
                "cy": url + "cy/" + url_of(rel),
            }, rel


def _h1(text: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
    assert match
    return match.group(1)


def test_titles_are_shown_in_the_pages_language_or_say_their_own(bilingual_built: Path) -> None:
    checked = {"translated": 0, "untranslated": 0}
    for rel, data in yaml_files():
        if not rel.startswith("indicators/"):
            continue
        page = f"indicators/{Path(rel).stem}/index.html"
        english = _h1((bilingual_built / page).read_text())
        welsh = _h1((bilingual_built / "cy" / page).read_text())
        title = data["title"]
        if isinstance(title, dict) and "cy" in title:
            assert html.unescape(english) == title["en"]
            assert html.unescape(welsh) == title["cy"]
            assert "lang=" not in welsh
            checked["translated"] += 1
        else:
            shown = title["en"] if isinstance(title, dict) else title
            assert welsh == f'<span lang="en">{html.escape(shown, quote=False)}</span>'
            assert html.unescape(english) == shown
            checked["untranslated"] += 1
    # The fixture has both kinds, so both branches were checked.
    assert checked["translated"] and checked["untranslated"], checked


def test_no_marker_of_untranslated_text_reaches_any_file(bilingual_built: Path) -> None:
    for path in bilingual_built.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".csv", ".txt"}:
            data = path.read_text(encoding="utf-8")
            assert not re.search("[\ue000-\ue002]", data), path


def test_each_languages_search_finds_only_its_own_pages(bilingual_built: Path) -> None:
    site = yaml.safe_load((BILINGUAL / "site_config.yml").read_text())
    english = json.loads((bilingual_built / "search" / "search_index.json").read_text())
    welsh = json.loads((bilingual_built / "cy" / "search" / "search_index.json").read_text())
    titles_en = {d["title"] for d in english["docs"]}
    titles_cy = {d["title"] for d in welsh["docs"]}
    priority = site["priorities"][0]["title"]
    assert priority["en"] in titles_en and priority["en"] not in titles_cy
    assert priority["cy"] in titles_cy and priority["cy"] not in titles_en


def test_strict_names_every_missing_translation_at_its_line(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "site", BILINGUAL)
    write(root / "content" / "help.md", "# Help\n\nWrite to us.\n")
    result = CliRunner().invoke(main, ["build", "--strict", str(root)])
    assert result.exit_code == 1
    output = result.output + (result.stderr or "")
    reported = set(
        re.findall(r"^(\S+?):(\d+): (\S+): warning: has no Welsh \(cy\) text", output, re.M)
    )
    expected = set()
    for rel, data in yaml_files():
        for path, value in texts(data):
            if not (isinstance(value, dict) and "cy" in value):
                expected.add((rel, field_name(path)))
    assert {(f, name) for f, _, name in reported} == expected
    assert expected, "the fixture has texts not published in Welsh"
    # Nothing else stops the strict build: every warning is a missing translation (so the
    # site builds strictly once they are given), and the count says so.
    warnings = [line for line in result.output.splitlines() if ": warning: " in line]
    assert all("has no Welsh" in line for line in warnings), warnings
    assert f"\n{len(warnings)} warnings in " in result.output
    # Each at the line of its field's key.
    for rel, line, name in reported:
        key = name.split(".")[-1].split("[")[0]
        text = (BILINGUAL / rel).read_text().splitlines()[int(line) - 1]
        assert re.match(rf"\s*(- )?{key}:|\s*- ", text), (rel, line, name, text)
    # The content page without its Welsh version is reported; the translated one is not.
    assert (
        "content/help.md:1: warning: has no Welsh version; write it in content/help.cy.md" in output
    )
    assert "about.md:1: warning" not in output


def test_a_content_page_without_its_translation_is_shown_with_its_language_said(
    bilingual_built: Path,
) -> None:
    welsh = (bilingual_built / "cy" / "help" / "index.html").read_text()
    assert re.search(r'<div lang="en"><h1[^>]*>Help', welsh)
    assert '<html lang="cy"' in welsh
    english = (bilingual_built / "help" / "index.html").read_text()
    assert '<div lang="en">' not in english and re.search(r"<h1[^>]*>Help", english)
    # A translated page is shown in its language: the fixture's about.cy.md.
    about = (bilingual_built / "cy" / "about" / "index.html").read_text()
    source = (BILINGUAL / "content" / "about.cy.md").read_text()
    heading = re.search(r"^# (.+)$", source, re.M)
    assert heading and heading.group(1) in html.unescape(about)
    assert '<div lang="en">' not in about


def load(root: Path) -> tuple[Any, Problems]:
    from generator.site.loader import load_site

    problems = Problems()
    return load_site(root, problems), problems


def _site(tmp_path: Path, languages: str, title: str) -> Path:
    root = copy_example(tmp_path / "site", BILINGUAL)
    config = (root / "site_config.yml").read_text()
    config = config.replace("  languages: [en, cy]\n", f"  {languages}\n")
    config = re.sub(r"  title:\n    en: .*\n    cy: .*\n", f"  title: {title}\n", config, count=1)
    write(root / "site_config.yml", config)
    return root


def test_text_per_language_on_a_site_of_one_language_is_an_error(tmp_path: Path) -> None:
    root = _site(tmp_path, "language: en", "{en: Waste, cy: Gwastraff}")
    site, problems = load(root)
    assert site is None
    messages = [f"{p.file}:{p.line}: {p.field}: {p.message}" for p in problems.errors]
    assert any(
        m.startswith("site_config.yml:9: site.title:") and "must be text, not a mapping" in m
        for m in messages
    ), messages


def test_a_language_the_site_does_not_have_is_an_error(tmp_path: Path) -> None:
    root = _site(tmp_path, "languages: [en, cy]", "{en: Waste, ga: Dramhaíl}")
    site, problems = load(root)
    assert site is None
    messages = [f"{p.file}:{p.line}: {p.field}: {p.message}" for p in problems.errors]
    assert any('"ga" is not one of the site\'s languages (en, cy)' in m for m in messages), messages


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("languages: []", "is an empty list"),
        ("languages: [en, en]", "names en more than once"),
        ("languages: [en, Welsh]", '"Welsh" is not a language code'),
        ("languages: [en, cy]\n  language: cy", "gives both language and languages"),
    ],
)
def test_the_languages_setting_is_checked(tmp_path: Path, setting: str, message: str) -> None:
    root = _site(tmp_path, setting, "Waste")
    site, problems = load(root)
    assert site is None
    messages = [p.message for p in problems.errors]
    assert any(message in m for m in messages), messages


class _LangTexts(HTMLParser):
    """Each run of text of a page with the language its nearest ``lang`` says (scripts,
    styles and the page's title left out: no element inside them can say a language)."""

    VOID: ClassVar[set[str]] = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.found: list[tuple[str, str]] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        lang = dict(attrs).get("lang")
        if tag in ("script", "style", "title"):
            self.skip += 1
        self.stack.append((tag, lang))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                if tag in ("script", "style", "title"):
                    self.skip -= 1
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self.skip or not data.strip():
            return
        lang = next((lang for _, lang in reversed(self.stack) if lang), "")
        self.found.append((" ".join(data.split()), lang))


def lang_texts(path: Path) -> list[tuple[str, str]]:
    parser = _LangTexts()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


def _plain(value: str) -> str:
    """A short text's words as a page shows them (Markdown emphasis and links dropped)."""
    return " ".join(re.sub(r"[*_`]|\]\([^)]*\)|\[", "", value).split())


def test_every_text_is_in_the_language_its_element_says(bilingual_built: Path) -> None:
    """On every indicator page in each language, a text the fixture gives in both languages is
    inside an element of that page's language, and one it gives in English only is inside an
    element that says English, wherever it appears (headings, tables, notes, navigation)."""
    checked: dict[str, int] = {"cy": 0, "en": 0}
    for rel, data in yaml_files():
        if not rel.startswith("indicators/"):
            continue
        page = f"indicators/{Path(rel).stem}/index.html"
        runs = lang_texts(bilingual_built / "cy" / page)
        for _, value in texts(data):
            if isinstance(value, dict) and "cy" in value:
                expected, text = "cy", _plain(value["cy"])
            else:
                expected = "en"
                text = _plain(value["en"] if isinstance(value, dict) else value)
            if "\n" in text or len(text) < 8:
                continue
            # The first line of the text, as one run of the page's text shows it.
            first = text.split(". ")[0][:60]
            where = [lang for run, lang in runs if first in run]
            if where:
                assert set(where) == {expected}, (rel, text, where)
                checked[expected] += 1
    # Both kinds of text were found on the pages, so both were checked.
    assert checked["cy"] > 10 and checked["en"] > 3, checked


def test_a_welsh_page_has_no_english_interface_string(bilingual_built: Path) -> None:
    from tests.site.test_i18n import english_messages_without_placeholders, english_phrases

    phrases = english_phrases()
    words = english_messages_without_placeholders()
    found = []
    for path in sorted((bilingual_built / "cy").rglob("*.html")):
        if "assets" in path.parts:
            continue
        welsh = " ".join(t for t, lang in lang_texts(path) if lang == "cy")
        found += [f"{path.relative_to(bilingual_built)}: {p}" for p in phrases if p in welsh]
        found += [
            f"{path.relative_to(bilingual_built)}: {t}"
            for t, lang in lang_texts(path)
            if lang == "cy" and t in words
        ]
    assert not found, "\n".join(found[:40])


def test_the_open_data_has_each_text_in_each_language_once(
    bilingual_built: Path, tmp_path: Path
) -> None:
    """One set of open data, at the root: the site-wide table and each indicator's files carry
    the Welsh of every text the fixture gives in Welsh, and nothing where it gives none; the
    package stays valid Frictionless."""
    import csv
    import shutil

    import frictionless

    data = bilingual_built / "data"
    with (data / "indicators.csv").open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.DictReader(f))
    assert table and {"indicator_title_cy", "note_cy"} <= set(table[0])
    listed = json.loads((data / "indicators.json").read_text())
    assert listed[0] == list(table[0])  # the JSON table has the CSV's columns
    checked = 0
    for rel, source in yaml_files():
        if not rel.startswith("indicators/"):
            continue
        indicator = Path(rel).stem
        title = source["title"]
        welsh = title["cy"] if isinstance(title, dict) and "cy" in title else ""
        mine = [row for row in table if row["indicator_id"] == indicator]
        assert mine and {row["indicator_title_cy"] for row in mine} == {welsh}, indicator
        own = json.loads((data / f"{indicator}.json").read_text())
        assert own["title_cy"] == (welsh or None)
        notes = {
            str(v["period"]): v["note"]["cy"]
            for v in source.get("values", [])
            if isinstance(v.get("note"), dict) and "cy" in v["note"]
        }
        for row in own["values"]:
            expected = notes.get(row["period"])
            assert (row["note_cy"] is None) == (expected is None), (indicator, row["period"])
            if expected:
                assert row["note_cy"].split()[:3] == expected.split()[:3]
                checked += 1
    assert checked, "the fixture has notes in Welsh"
    folder = tmp_path / "data"
    shutil.copytree(data, folder)
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, [(t.name, e.message) for t in report.tasks for e in t.errors][:5]


def test_a_narrative_without_its_translation_says_its_language(bilingual_built: Path) -> None:
    welsh = (bilingual_built / "cy" / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<div lang="en">(.*?)</div>', welsh, re.S)
    assert block, "the English narrative on the Welsh home page says it is English"
    assert "Recycling stayed <strong>above</strong> two thirds." in block.group(1)
    assert "<li>Food waste rose.</li>" in block.group(1)
    runs = dict(lang_texts(bilingual_built / "cy" / "index.html"))
    assert runs["Food waste rose."] == "en"
    english = (bilingual_built / "index.html").read_text(encoding="utf-8")
    assert "Recycling stayed <strong>above</strong> two thirds." in english
    assert '<div lang="en">' not in english and "<!-- pp-lang" not in english


# The Welsh Government's releases on the recycling rate (tests/fixtures/bilingual/indicators/
# README.md gives each source): whether the statutory target was met, and which way the rate
# moved on the year before, as the releases say it in words.
PUBLISHED = {
    "2017/18": (True, "declining"),  # "a small decrease" / "ostyngiad bach"
    "2019/20": (True, "improving"),  # "rhagori ar y targed", record high
    "2020/21": (True, "improving"),  # "rhagori ar y targed o 64%", "Cynyddodd"
    "2021/22": (True, "declining"),  # "rhagori ar y targed o 64%", "Gostyngodd ... ychydig"
    "2022/23": (True, "improving"),  # "exceeds the target of 64%", "increased slightly"
    "2023/24": (True, "improving"),  # "exceeds the target of 64%", "increased"
    "2024/25": (False, "improving"),  # "lower than the target of 70%", "increased"
}


def test_ratings_and_directions_agree_with_the_published_releases(bilingual_built: Path) -> None:
    own = json.loads((bilingual_built / "data" / "recycling-rate.json").read_text())
    computed = {row["period"]: (row["rating"], row["direction"]) for row in own["values"]}
    for period, (met, direction) in PUBLISHED.items():
        rating, moved = computed[period]
        assert (rating in ("green", "blue")) == met, (period, rating)
        assert moved == direction, (period, moved)


def test_an_option_of_a_filter_says_its_own_language(bilingual_built: Path) -> None:
    page = (bilingual_built / "cy" / "indicators" / "index.html").read_text(encoding="utf-8")
    options = re.findall(r'<option value="([^"]+)"( lang="en")?>([^<]*)</option>', page)
    site = yaml.safe_load((BILINGUAL / "site_config.yml").read_text())
    # A filter names each priority by its short title where it has one.
    titles = {p["id"]: p.get("short_title") or p["title"] for p in site["priorities"]}
    checked = 0
    for value, lang, text in options:
        if value not in titles:
            continue
        title = titles[value]
        translated = isinstance(title, dict) and "cy" in title
        assert bool(lang) != translated, (value, lang)
        english = title["en"] if isinstance(title, dict) else title
        assert html.unescape(text) == (title["cy"] if translated else english)
        checked += 1
    assert checked == len(titles)


def test_a_text_given_only_in_welsh_is_shown_as_welsh_on_english_pages(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "site", BILINGUAL)
    source = root / "indicators" / "recycling" / "recycling-rate.yml"
    for other in (root / "indicators").rglob("*.yml"):
        if other != source:
            other.unlink()  # this indicator alone, and no earlier reports: a smaller build
    config = root / "site_config.yml"
    write(config, config.read_text(encoding="utf-8") + "reports:\n  years: 0\n")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    welsh = data["title"]["cy"]
    text = source.read_text(encoding="utf-8")
    english_line = f"  en: {data['title']['en']}\n"
    assert english_line in text
    write(source, text.replace(english_line, "", 1))
    result = CliRunner().invoke(main, ["build", str(root)])
    assert result.exit_code == 0, result.output
    assert "recycling-rate.yml:8: title: warning: has no English (en) text" in result.output
    site = root / "site"
    page = (site / "indicators" / "recycling-rate" / "index.html").read_text(encoding="utf-8")
    assert f'<span lang="cy">{html.escape(welsh, quote=False)}</span>' in _h1(page)
    for path in (site / "data").iterdir():
        assert not re.search("[\ue000-\ue002]", path.read_text(encoding="utf-8")), path
    with (site / "data" / "recycling-rate.csv").open(encoding="utf-8-sig", newline="") as f:
        import csv

        rows = list(csv.DictReader(f))
    assert {r["indicator_title"] for r in rows} == {welsh}
    assert {r["indicator_title_cy"] for r in rows} == {welsh}
