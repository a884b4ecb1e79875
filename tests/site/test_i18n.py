"""The interface's words: the PO catalogues (en.po the source, cy.po complete), plural forms by
CLDR rules, and a Welsh site with no English interface string."""

from __future__ import annotations

import gettext
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.pofile import read_po

from generator.site import i18n
from tests.conftest import build_strict, copy_example

LOCALE = Path(i18n.__file__).parent / "locale"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
PLURAL_KEYS = {
    "glance.measures",
    "glance.projects",
    "glance.off_target_more",
    "glance.not_updated_more",
    "summary.missing",
    "reports.index_older",
    "reports.began_later",
    "how.points",
    "print.parts_hint",
    "print.part_count",
    "print.part_intro",
}


def read(language: str):
    with (LOCALE / f"{language}.po").open("rb") as f:
        return read_po(f, locale=language)


def by_key(language: str) -> dict:
    return {m.context: m for m in read(language) if m.id}


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language("en")


def test_every_english_message_is_translated_in_welsh_with_the_same_placeholders():
    english, welsh = by_key("en"), by_key("cy")
    assert len(english) > 300
    assert set(welsh) == set(english), (set(english) ^ set(welsh))
    for key, source in english.items():
        translated = welsh[key]
        assert translated.id == source.id, f"{key}: cy.po translates an older English text"
        wanted = {p for text in (source.id if source.pluralizable else [source.id]) for p in
                  PLACEHOLDER.findall(text)}
        strings = translated.string if translated.pluralizable else (translated.string,)
        assert len(strings) == (6 if source.pluralizable else 1), key
        for text in strings:
            assert text.strip(), f"{key}: no Welsh translation"
            # a plural's singular may say "1" instead of {count}; every other name must be kept
            assert set(PLACEHOLDER.findall(text)) | {"count"} >= wanted, key
            assert set(PLACEHOLDER.findall(text)) <= wanted, f"{key}: unknown placeholder"


def test_the_same_messages_are_plural_in_both_catalogues():
    for language in ("en", "cy"):
        assert {k for k, m in by_key(language).items() if m.pluralizable} == PLURAL_KEYS


def test_catalogues_parse_and_declare_the_standard_plural_forms():
    assert read("en").num_plurals == 2
    assert read("cy").num_plurals == 6
    assert read("cy").plural_expr.replace(" ", "") == (
        "(n==0)?0:(n==1)?1:(n==2)?2:(n==3)?3:(n==6)?4:5"
    )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("language", ["en", "cy"])
def test_msgfmt_checks_the_catalogue(language, tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(LOCALE / f"{language}.po")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


COUNTS = [*range(21), 100, 101, 102, 103, 106, 1000, 1_000_000]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_tn_picks_the_form_the_catalogues_plural_forms_and_cldr_both_give(language):
    """The index is checked two independent ways: the catalogue header's C expression run by
    Python's gettext, and Babel's CLDR category placed in CLDR's canonical order."""
    header_rule = gettext.c2py(read(language).plural_expr)
    order = ["zero", "one", "two", "few", "many", "other"]
    used = [c for c in order if c in Locale.parse(language).plural_form.tags | {"other"}]
    messages = by_key(language)
    i18n.set_language(language)
    for key in PLURAL_KEYS:
        message = messages[key]
        forms = message.string if language != "en" else (message.id[0], message.id[1])
        for n in COUNTS:
            index = header_rule(n)
            assert index == used.index(Locale.parse(language).plural_form(n)), (language, n)
            values = {"period": "P", "amount": "A", "priority": "Q"}
            assert i18n.tn(key, n, **values) == forms[index].format(count=n, **values)


def test_welsh_counts_take_their_own_forms():
    i18n.set_language("cy")
    assert i18n.tn("glance.measures", 1) == "1 mesur"
    assert i18n.tn("reports.index_older", 1) == (
        "Mae'r adroddiadau'n mynd yn ôl un flwyddyn. Mae pob gwerth cynharach ar dudalen ei "
        "ddangosydd ac yn y data agored."
    )
    assert [i18n.plural_index("cy", n) for n in (0, 1, 2, 3, 4, 5, 6, 7)] == [0, 1, 2, 3, 5, 5, 4, 5]


def test_a_count_shown_with_decimals_takes_the_form_cldr_gives_it():
    assert [i18n.tn("how.points", a, amount=a) for a in ("1", "1.0", "4.5", "2")] == [
        "1 point",
        "1.0 points",
        "4.5 points",
        "2 points",
    ]


def test_months_and_ratings_in_welsh():
    i18n.set_language("cy")
    assert [i18n.month_name(m) for m in range(1, 13)] == (
        "Ionawr Chwefror Mawrth Ebrill Mai Mehefin Gorffennaf Awst Medi Hydref Tachwedd Rhagfyr"
    ).split()
    assert [i18n.t(f"rating.{r}") for r in ("red", "amber", "green", "blue")] == [
        "Coch",
        "Ambr",
        "Gwyrdd",
        "Glas",
    ]
    i18n.set_language("en")
    assert i18n.t_list("months.short")[8] == "Sep"


def test_a_language_with_no_catalogue_is_english_and_english_fills_gaps():
    i18n.set_language("fr")
    assert i18n.current_language() == "en"
    assert i18n.t("rating.green") == "Green"
    assert i18n.tn("glance.projects", 1) == "1 project"
    assert i18n.tn("glance.projects", 0) == "0 projects"


def english_phrases() -> set[str]:
    """The literal English of every message of four words or more (between placeholders),
    leaving out any that reads the same in Welsh."""
    welsh = by_key("cy")
    phrases = set()
    for key, message in by_key("en").items():
        texts = message.id if message.pluralizable else (message.id,)
        cy = welsh[key].string
        cy_texts = cy if isinstance(cy, (tuple, list)) else (cy,)
        for text in texts:
            for part in PLACEHOLDER.split(text)[::2]:
                part = part.strip(" ,.:;()")
                if len(part.split()) >= 4 and not any(part in c for c in cy_texts):
                    phrases.add(part)
    return phrases


SCRIPT = re.compile(r"<script.*?</script>|<style.*?</style>", re.S)
TAG = re.compile(r"<[^>]+>")
# attributes that carry words for readers (not data-sort-type="number" and the like)
LABEL = re.compile(
    r'(?:aria-label|title|alt|placeholder|data-[a-z-]*label|data-count|data-sorted|'
    r'data-ascending|data-descending)="([^"]*)"'
)


def english_messages_without_placeholders() -> set[str]:
    welsh = by_key("cy")
    return {
        m.id.strip()
        for key, m in by_key("en").items()
        if not m.pluralizable
        and not PLACEHOLDER.search(m.id)
        and m.id.strip() != welsh[key].string.strip()
    }


@pytest.fixture(scope="module")
def welsh_site(tmp_path_factory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("welsh"))
    config = root / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    assert "  language: en\n" in text
    config.write_text(text.replace("  language: en\n", "  language: cy\n"), encoding="utf-8")
    return build_strict(root)


def test_a_welsh_site_has_no_english_interface_string(welsh_site):
    phrases = english_phrases()
    assert len(phrases) > 150
    pages = sorted(welsh_site.rglob("*.html"))
    assert len(pages) > 40
    found = []
    for page in pages:
        text = " ".join(html.unescape(page.read_text(encoding="utf-8")).split())
        found += [f"{page.relative_to(welsh_site)}: {p}" for p in phrases if p in text]
    assert not found, "\n".join(found[:40])
    # Shorter messages (a heading, a column, a rating): no text or label is exactly one of them.
    words = english_messages_without_placeholders()
    whole = []
    for page in pages:
        source = SCRIPT.sub(" ", page.read_text(encoding="utf-8"))
        texts = TAG.split(source) + LABEL.findall(source)
        whole += [
            f"{page.relative_to(welsh_site)}: {text}"
            for text in (" ".join(html.unescape(t).split()) for t in texts)
            if text in words
        ]
    assert not whole, "\n".join(whole[:40])
    home = " ".join(html.unescape((welsh_site / "index.html").read_text("utf-8")).split())
    assert 'lang="cy"' in home
    assert "Prif ffigurau" in home and "Crynodeb fesul blaenoriaeth" in home


KEY_USE = re.compile(r"""\b(t|tn|tm|interface_markdown)\(\s*['"]([a-z0-9_.]+)['"]\s*[,)]""")


def test_every_key_the_code_asks_for_is_in_the_english_catalogue():
    """A literal key in Python or a template (t("rating.green"), tn(...), tm(...)) is a message
    of en.po, and of the right kind; keys built from parts are checked by the builds."""
    english = by_key("en")
    generator = Path(i18n.__file__).parents[1]
    uses = [
        (path, match[1], match[2])
        for path in sorted([*generator.rglob("*.py"), *generator.rglob("*.j2")])
        for match in KEY_USE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert len(uses) > 200
    for path, function, key in uses:
        where = f"{path.relative_to(generator)}: {function}({key!r})"
        assert key in english, f"{where} is not in en.po"
        assert english[key].pluralizable == (function == "tn"), where
