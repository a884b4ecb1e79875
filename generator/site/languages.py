"""A site in several languages (``site: languages``, SPEC "Languages").

The site is loaded once: each text a reader sees is a ``Localized`` string holding every
language it is given in. ``in_language`` makes the site as one language's pages see it, each
such text replaced by its text in that language; where a text has none, the text of another
language is shown, wrapped in markers that say its language (``marked``). The pages' final HTML
turns the markers into ``lang`` attributes (``mkdocs/raw_html.py``), and every other output
drops them (``unmark``). ``missing_translations`` reports, at its file and line, each text
and content page that has no translation, so that ``--strict`` names them all in one run.

Content pages in another language are ``NAME.<language>.md`` beside ``NAME.md``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator
from typing import Any

from babel import Locale
from pydantic import BaseModel

from generator.site.layout import ContentPage, Site
from generator.site.models import Localized
from generator.site.problems import Problems
from generator.site.yaml_reader import WHOLE_FILE, Document

# Text shown in a language other than its page's: START + language + SEPARATOR + text + END.
# The three private-use characters cannot come from a user's files (site/guards.py).
START, SEPARATOR, END = "\ue000", "\ue001", "\ue002"
MARKED = re.compile(f"{START}([^{SEPARATOR}]*){SEPARATOR}(.*?){END}", re.S)
_MARKS = re.compile(f"{START}[^{SEPARATOR}]*{SEPARATOR}|{END}")


def marked(text: str, language: str) -> str:
    """``text``, in ``language``, marked for a page in another language."""
    return f"{START}{language}{SEPARATOR}{text}{END}"


def unmark(text: str) -> str:
    """``text`` without the markers of text in another language."""
    # The markers come in pairs (user text cannot hold them): no start, no marker.
    return _MARKS.sub("", text) if START in text else text


def text_in(value: Any, language: str) -> Any:
    """``value`` (any field's value) as a page in ``language`` shows it."""
    if not isinstance(value, Localized):
        return value
    if language in value.texts:
        # In the language of the text the value stands for (the default language's, when
        # given): kept as it is, with its translations, which the open data publishes.
        if str(value) == value.texts[language] and next(iter(value.texts)) == language:
            return value
        return str(value.texts[language])
    shown_in = next(iter(value.texts))
    # Still with its translations, which the open data publishes.
    return Localized(value.texts, marked(value.texts[shown_in], shown_in))


def _project(value: Any, language: str) -> Any:
    if isinstance(value, Localized):
        return text_in(value, language)
    if isinstance(value, BaseModel):
        update = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _project(old, language)
            if new is not old:
                update[name] = new
        return value.model_copy(update=update) if update else value
    if isinstance(value, list):
        items = [_project(v, language) for v in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if isinstance(value, dict):
        mapped = {k: _project(v, language) for k, v in value.items()}
        return mapped if any(mapped[k] is not value[k] for k in value) else value
    return value


def in_language(site: Site, language: str) -> Site:
    """``site`` as the pages in ``language`` see it: every text in that language (or marked as
    in another), and each content page's version in that language where there is one."""
    default = site.config.site.all_languages[0]
    config = _project(site.config, language)
    if language != default:
        # The pages in another language are in a folder named after it, with its own address.
        url = config.site.url and f"{config.site.url}{language}/"
        info = config.site.model_copy(update={"language": language, "url": url})
        config = config.model_copy(update={"site": info})
    indicators = [
        dataclasses.replace(f, model=_project(f.model, language)) for f in site.indicators
    ]
    pages = _pages_in(site.pages, language, default)
    narratives = {
        period: _page_in(page, site.narrative_translations.get(period, {}), language, default)
        for period, page in site.narratives.items()
    }
    return dataclasses.replace(
        site, config=config, indicators=indicators, pages=pages, narratives=narratives
    )


def _pages_in(pages: list[ContentPage], language: str, default: str) -> list[ContentPage]:
    translations: dict[str, dict[str, ContentPage]] = {}
    for page in pages:
        if page.language is not None:
            translations.setdefault(page.path, {})[page.language] = page
    return [
        _page_in(page, translations.get(page.path, {}), language, default)
        for page in pages
        if page.language is None
    ]


def _page_in(
    page: ContentPage, versions: dict[str, ContentPage], language: str, default: str
) -> ContentPage:
    if language == default:
        return page
    if language in versions:
        return dataclasses.replace(versions[language], language=None)
    return dataclasses.replace(page, shown_in=default)


# ---- Missing translations ---------------------------------------------------------------------


@functools.cache
def language_name(code: str, in_language: str = "en") -> str:
    """``cy`` -> "Welsh" (in English); the code itself when Babel does not know it."""
    try:
        return str(Locale.parse(code).get_display_name(in_language)) or code
    except (ValueError, LookupError):
        return code


def _texts(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Localized]]:
    if isinstance(value, Localized):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))


def missing_translations(site: Site, problems: Problems) -> None:
    """Warn, at its line, of every text a reader sees that is not given in each of the site's
    languages, and of every content page with no version in each (``--strict`` fails on them)."""
    languages = site.config.site.all_languages
    if len(languages) < 2:
        return
    sources: list[tuple[Document, BaseModel]] = [(site.config_doc, site.config)]
    sources += [(f.doc, f.model) for f in site.indicators]
    for doc, model in sources:
        for path, text in _texts(model, ()):
            missing = [code for code in languages if code not in text.texts]
            if missing:
                _warn_text(problems, doc, path, missing, languages)
    have = {(p.path, p.language) for p in site.pages}
    pages = [(p, have) for p in site.pages if p.language is None]
    for period, page in site.narratives.items():
        pages.append((page, {(page.path, c) for c in site.narrative_translations.get(period, {})}))
    for page, translated in pages:
        for code in languages[1:]:
            if (page.path, code) not in translated:
                name = page.rel[: -len(".md")] + f".{code}.md"
                problems.warn(
                    page.rel,
                    WHOLE_FILE,
                    "",
                    f"has no {language_name(code)} version; write it in {name} (until then "
                    f"the {language_name(code)} pages show this page as it is)",
                    code="translation.missing",
                )


def _warn_text(
    problems: Problems,
    doc: Document,
    path: tuple[Any, ...],
    missing: list[str],
    languages: tuple[str, ...],
) -> None:
    field = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in path)
    field = field.replace(".[", "[")
    names = " and ".join(f"{language_name(c)} ({c})" for c in missing)
    codes = ", ".join(f"{c}: ..." for c in languages)
    problems.warn(
        doc.rel,
        doc.line(path),
        field,
        f"has no {names} text; give it in each language, as {{{codes}}}",
        code="translation.missing",
    )


# Markdown of another language than its page's (a narrative shown untranslated) between these,
# each a block of its own: the page's HTML has an element saying its language in their place.
LANG_CLOSE = "<!-- pp-lang-end -->"
_LANG_BLOCK = re.compile(r"<!-- pp-lang:([a-zA-Z0-9-]+) -->|<!-- pp-lang-end -->")


def lang_open(language: str) -> str:
    return f"<!-- pp-lang:{language} -->"


def lang_blocks(html: str) -> str:
    """A page's HTML with each pair of ``lang_open`` and ``LANG_CLOSE`` markers made a
    ``<div lang>`` holding what is between them."""
    if "<!-- pp-lang" not in html:
        return html
    return _LANG_BLOCK.sub(
        lambda m: f'<div lang="{m.group(1)}">' if m.group(1) else "</div>", html
    )


# ---- Marked text in the pages' HTML ------------------------------------------------------------

# Where a language cannot be set on an element: a tag's attributes, and the text of these
# (an option of a list holds text only).
_OPTION = re.compile(
    f"(<option\\b[^>]*)>{START}([^{SEPARATOR}]*){SEPARATOR}([^<{END}]*){END}</option>"
)
_TEXT_ONLY = re.compile(r"<(title|script|style|textarea|option)\b.*?</\1\s*>", re.S | re.I)


def with_lang(html: str) -> str:
    """A page's HTML with each marked text in an element saying its language
    (``<span lang="en">``); in an attribute, a title, a script or a style (where no element can
    hold it), the text alone."""
    if START not in html:
        return html
    # An option of a list, all in another language, says so itself.
    html = _OPTION.sub(lambda m: f'{m.group(1)} lang="{m.group(2)}">{m.group(3)}</option>', html)
    plain = [(m.start(), m.end()) for m in _TEXT_ONLY.finditer(html)]
    out: list[str] = []
    position = 0
    for m in MARKED.finditer(html):
        out.append(html[position : m.start()])
        language, text = m.group(1), m.group(2)
        in_tag = html.rfind("<", 0, m.start()) > html.rfind(">", 0, m.start())
        in_plain = any(a < m.start() < b for a, b in plain)
        if in_tag or in_plain or START in text:
            out.append(unmark(text))
        else:
            out.append(f'<span lang="{language}">{text}</span>')
        position = m.end()
    out.append(html[position:])
    return unmark("".join(out))
