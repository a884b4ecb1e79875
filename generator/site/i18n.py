"""The interface's own wording: a gettext PO catalogue per language, ``locale/<lang>.po``.

``en.po`` is the source: each message's context (``msgctxt``) is the key the code asks for
(``t("rating.green")``) and its ``msgid`` the English text. A translation (``cy.po``) has the
same contexts and msgids with the ``msgstr`` filled in, so any PO editor (Poedit, Weblate,
Lokalize ...) reads and checks it. A message that is missing or untranslated falls back to the
English. Plural messages are real PO plurals; the form for a count is chosen by the language's
CLDR plural rules (Babel), which must agree with the catalogue's ``Plural-Forms`` header.
Catalogues are read at run time (nothing is compiled) and cached.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE = "en"
# CLDR's plural categories in the order gettext catalogues number their forms (msgstr[0] ...):
# the standard Plural-Forms of every language lists the categories it uses in this order.
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")

_language = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Message:
    """One message: its English source (one or, for a plural, two forms) and its translation
    (empty strings where untranslated; one form per plural category of the language)."""

    source: tuple[str, ...]
    translation: tuple[str, ...]

    @property
    def plural(self) -> bool:
        return len(self.source) > 1


def available_languages() -> list[str]:
    return sorted(p.stem for p in LOCALE_DIR.glob("*.po"))


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / f"{language}.po"


@functools.cache
def plural_categories(language: str) -> tuple[str, ...]:
    """The CLDR plural categories of ``language`` in catalogue order: ('one', 'other') for
    English, all six for Welsh. The index of a category is its ``msgstr[n]``."""
    tags = _locale(language).plural_form.tags | {"other"}
    return tuple(c for c in CLDR_ORDER if c in tags)


@functools.cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def plural_index(language: str, count: int | str) -> int:
    """Which ``msgstr[n]`` of a plural message ``count`` takes in ``language`` (CLDR rules)."""
    number = Decimal(count) if isinstance(count, str) else count
    category = _locale(language).plural_form(number)
    return plural_categories(language).index(category)


@functools.cache
def catalogue(language: str) -> dict[str, Message]:
    """The messages of ``locale/<language>.po`` by key (msgctxt), read with Babel."""
    path = catalogue_path(language)
    with path.open("rb") as f:
        po = read_po(f, locale=language)
    categories = plural_categories(language)
    if po.num_plurals != len(categories):
        raise ValueError(
            f"{path}: Plural-Forms has nplurals={po.num_plurals}, but {language} has "
            f"{len(categories)} CLDR plural forms ({', '.join(categories)})"
        )
    messages: dict[str, Message] = {}
    for message in po:
        if not message.id or message.context is None:
            continue  # the header
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        string = message.string
        strings = string if isinstance(string, (tuple, list)) else (string or "",)
        messages[message.context] = Message(
            tuple(str(s) for s in ids), tuple(str(s or "") for s in strings)
        )
    return messages


def set_language(language: str) -> None:
    """Choose the interface language; falls back to English for a language with no catalogue."""
    global _language
    _language = language if catalogue_path(language).exists() else DEFAULT_LANGUAGE


def current_language() -> str:
    return _language


@functools.cache
def _resolved(language: str) -> dict[str, tuple[tuple[str, ...], str]]:
    """Every message's texts as shown in ``language`` (one, or one per plural form) and the
    language whose plural rules choose among them: the translation where every form of it is
    there, the English otherwise (the msgid and msgid_plural, unless en.po fills its msgstr)."""
    resolved: dict[str, tuple[tuple[str, ...], str]] = {}
    for key, english in catalogue(DEFAULT_LANGUAGE).items():
        texts = english.translation if all(english.translation) else english.source
        resolved[key] = (texts, DEFAULT_LANGUAGE)
    if language != DEFAULT_LANGUAGE:
        for key, message in catalogue(language).items():
            if key in resolved and all(message.translation):
                resolved[key] = (message.translation, language)
    return resolved


def _texts(key: str) -> tuple[tuple[str, ...], str]:
    try:
        return _resolved(_language)[key]
    except KeyError:
        raise KeyError(f"no message {key!r} in {catalogue_path(DEFAULT_LANGUAGE).name}") from None


def t(key: str, /, **values: object) -> str:
    """The text for ``key`` in the current language, with ``{name}`` placeholders filled in."""
    texts, _ = _texts(key)
    if len(texts) > 1:
        raise KeyError(f"message {key!r} has plural forms: use tn()")
    return texts[0].format(**values) if values else texts[0]


def tn(key: str, count: int | str, /, **values: object) -> str:
    """A text that depends on a number, in the form the language's plural rules give ``count``
    (an ``int``, or a number as shown, "4.5", whose visible decimals CLDR rules count)."""
    texts, language = _texts(key)
    if len(texts) < 2:
        raise KeyError(f"message {key!r} has no plural forms: use t()")
    return texts[plural_index(language, count)].format(count=count, **values)


def t_list(key: str) -> list[str]:
    """A list kept as one message per item, ``key.1``, ``key.2`` ... (the month names)."""
    english = catalogue(DEFAULT_LANGUAGE)
    items: list[str] = []
    while f"{key}.{len(items) + 1}" in english:
        items.append(t(f"{key}.{len(items) + 1}"))
    if not items:
        raise KeyError(f"no list {key!r} in {catalogue_path(DEFAULT_LANGUAGE).name}")
    return items


@functools.cache
def _number_symbols(language: str) -> tuple[str, str]:
    symbols = _locale(language).number_symbols["latn"]
    return symbols["group"], symbols["decimal"]


def number_symbols() -> tuple[str, str]:
    """The thousands separator and the decimal mark of the current language (CLDR, via Babel):
    ("," and ".") for English and Welsh alike."""
    return _number_symbols(_language)


def og_locale(language: str) -> str:
    """The site language as Open Graph's og:locale writes it (language_TERRITORY): en-GB is
    en_GB; a language alone takes its locale file's (en is en_GB), else stands alone (fr)."""
    language, _, territory = language.partition("-")
    if len(territory) == 2:
        return f"{language}_{territory.upper()}"
    if catalogue_path(language).exists():
        message = _resolved(language)["page.og_locale"]
        return message[0][0] if message[1] == language else language
    return language


def month_abbr(month: int) -> str:
    return t(f"months.short.{month}")


def month_name(month: int) -> str:
    return t(f"months.long.{month}")
