"""The interface's own wording, in one place per language (``generator/locale/<lang>.yml``).

Templates and code ask for a key; a translation is a new locale file with the same keys.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE = "en"

_language = DEFAULT_LANGUAGE


def available_languages() -> list[str]:
    return sorted(p.stem for p in LOCALE_DIR.glob("*.yml"))


@functools.cache
def _strings(language: str) -> dict[str, Any]:
    path = LOCALE_DIR / f"{language}.yml"
    with path.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    flat: dict[str, Any] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)
        else:
            flat[prefix] = node

    walk("", data)
    return flat


def set_language(language: str) -> None:
    """Choose the interface language; falls back to English for a language with no locale file."""
    global _language
    _language = language if (LOCALE_DIR / f"{language}.yml").exists() else DEFAULT_LANGUAGE


def t(key: str, /, **values: object) -> str:
    """The text for ``key`` in the current language, with ``{name}`` placeholders filled in."""
    strings = _strings(_language)
    if key not in strings:
        strings = _strings(DEFAULT_LANGUAGE)
    text = strings[key]
    if not isinstance(text, str):
        raise KeyError(f"locale key {key!r} is not a string")
    return text.format(**values) if values else text


def tn(key: str, count: int, /, **values: object) -> str:
    """A text that depends on a number: ``key.one`` for 1, ``key.other`` otherwise."""
    return t(f"{key}.{'one' if count == 1 else 'other'}", count=count, **values)


def t_list(key: str) -> list[str]:
    value = _strings(_language).get(key) or _strings(DEFAULT_LANGUAGE)[key]
    if not isinstance(value, list):
        raise KeyError(f"locale key {key!r} is not a list")
    return [str(v) for v in value]


def og_locale(language: str) -> str:
    """The site language as Open Graph's og:locale writes it (language_TERRITORY): en-GB is
    en_GB; a language alone takes its locale file's (en is en_GB), else stands alone (fr)."""
    language, _, territory = language.partition("-")
    if len(territory) == 2:
        return f"{language}_{territory.upper()}"
    if (LOCALE_DIR / f"{language}.yml").exists():
        return str(_strings(language)["page.og_locale"])
    return language


def month_abbr(month: int) -> str:
    return t_list("months.short")[month - 1]


def month_name(month: int) -> str:
    return t_list("months.long")[month - 1]
