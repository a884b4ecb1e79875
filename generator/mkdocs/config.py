"""The generated mkdocs.yml: Material, self-hosted, with a navigation that stays small.

Indicator pages are deliberately not in the navigation: MkDocs renders the whole navigation into
every page, so a navigation listing every indicator makes build time and output size grow with
the square of the number of indicators. Readers reach indicators through their priority page
and the all-indicators page; each indicator page has its own breadcrumb.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import yaml

from generator.mkdocs import indexing, offline, raw_html
from generator.site.i18n import og_locale, t
from generator.site.languages import language_name
from generator.site.layout import Site


def _e(text: str) -> str:
    """MkDocs' templates do not escape: user text given to MkDocs is escaped here, once."""
    return html.escape(text, quote=True)


def page_title(text: str) -> str:
    """The first heading of a content page, for its navigation entry."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("# "):
            return stripped[2:].strip()
    return ""


def nav(site: Site) -> list[Any]:
    items: list[Any] = [{t("nav.home"): "index.md"}]
    priorities: list[Any] = ["priorities/index.md"]
    for p in site.config.priorities:
        priorities.append({_e(p.title): f"priorities/{p.id}.md"})
    items.append({t("nav.priorities"): priorities})
    items.append({t("nav.all_indicators"): "indicators/index.md"})
    # One entry for every report: the reports index links each period, so the navigation
    # MkDocs writes into every page does not grow with the number of periods.
    items.append({t("nav.reports"): "reports/index.md"})
    for page in site.pages:
        title = page_title(page.text) or Path(page.path).stem.replace("-", " ").capitalize()
        items.append({_e(title): page.path})
    items.append({t("nav.how_to_read"): "how-to-read.md"})
    items.append({t("nav.accessibility"): "accessibility.md"})
    return items


def alternates(languages: tuple[str, ...], current: str, url: str | None) -> list[dict[str, str]]:
    """The pages in each of the site's ``languages``, as the pages in ``current`` link them: each
    language named in itself, ``link`` the path from ``current``'s first page to that
    language's (the default language's pages are at the site's address, each other's in a
    folder named after it), ``url`` the same in full when the site's address ``url`` is known."""
    up = "" if current == languages[0] else "../"
    found = []
    for code in languages:
        folder = "" if code == languages[0] else f"{code}/"
        found.append(
            {
                "name": language_name(code, code),
                "lang": code,
                "link": up + folder,
                "url": (url or "") and f"{url}{folder}",
            }
        )
    return found


def mkdocs_config(
    site: Site,
    theme_dir: Path,
    site_dir: Path,
    preview: bool = False,
    docs_dir: str = "docs",
    languages: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """The generated ``mkdocs.yml``: the site's name, language and links from
    ``site_config.yml``, Material with the theme overrides and no font or asset from another
    host, the navigation (one entry per priority, none per indicator, so its size does not grow
    with the number of indicators), and the plugins and Markdown extensions the pages use.

    With ``preview``, the copy a reviewer opens from the disk (``offline.py``): links to
    ``index.html``, search from ``file://``, a banner and ``noindex`` on every page, and no
    site address (no sitemap, no canonical link to the published site)."""
    info = site.config.site
    config: dict[str, Any] = {
        "site_name": _e(info.title),
        "docs_dir": docs_dir,
        "site_dir": str(site_dir),
        "use_directory_urls": True,
        "theme": {
            "name": "material",
            "custom_dir": str(theme_dir),
            "language": info.language,
            # No Google Fonts: the site must not contact another host when viewed.
            "font": False,
            "palette": {"scheme": "default", "primary": "custom", "accent": "custom"},
            # navigation.prune: a page carries the entries of its own section only (each
            # priority is listed on the priorities' pages, not on every page of the site)
            "features": [
                "navigation.indexes",
                "navigation.prune",
                "navigation.top",
                "search.highlight",
            ],
            "icon": {"logo": "material/chart-line"},
        },
        "markdown_extensions": [
            "attr_list",
            "tables",
            "admonition",
            {"toc": {"permalink": False}},
        ],
        "plugins": [{"search": {"lang": info.language if info.language in ("en", "cy") else "en"}}],
        # Puts back the large HTML blocks carried past Python-Markdown (raw_html.py).
        # No sitemap without the site's address; the printable reports' canonical link is
        # their report page (indexing.py).
        "hooks": [raw_html.HOOK, indexing.HOOK],
        "extra_css": ["assets/stylesheets/perfpages.css"],
        "extra": {
            "generator": False,
            "pp_footer_links": [
                {"title": t("nav.accessibility"), "url": "accessibility/"},
                {"title": t("nav.how_to_read"), "url": "how-to-read/"},
            ],
            "pp_og_locale": og_locale(info.language),
            "pp_feed": {"title": _e(t("feed.title", site=info.title)), "url": "feed.xml"},
            "pp_404": {
                "title": t("page.not_found_title"),
                "text": t("page.not_found_text"),
                "home": t("nav.home"),
                "all": t("nav.all_indicators"),
            },
        },
        "copyright": _e(
            t("footer.copyright", organisation=info.organisation, licence=site.config.data.licence)
        ),
        "nav": nav(site),
        "validation": {
            "nav": {"omitted_files": "info", "not_found": "warn", "absolute_links": "info"},
            "links": {
                "not_found": "warn",
                "absolute_links": "info",
                "unrecognized_links": "warn",
                "anchors": "warn",
            },
        },
    }
    shown_in = {p.path: p.shown_in for p in site.pages if p.shown_in}
    if shown_in:
        config["extra"]["pp_shown_in"] = shown_in
    if languages:
        # Material's header shows a language switcher with these (theme/partials/alternate.html
        # links the same page in each language); theme/main.html adds the hreflang links.
        config["extra"]["alternate"] = languages
    if preview:
        config["hooks"].append(offline.HOOK)
        config["extra"]["pp_preview"] = {"text": _e(t("preview.banner", site=info.title))}
    elif info.url:
        config["site_url"] = info.url
    if info.description:
        config["site_description"] = _e(info.description)
    return config


def mkdocs_yaml(config: dict[str, Any]) -> bytes:
    header = "# Generated by perfpages from site_config.yml; edits here are overwritten.\n"
    body = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)
    return (header + body).encode("utf-8")
