"""What search engines are told: no sitemap without the site's address, and a page that is a
copy of another (a printable report) names that page as canonical.

Named in the generated mkdocs.yml as a MkDocs hook. A sitemap's entries must be absolute, so
without the site's ``url`` MkDocs' sitemap (which would be an empty ``<urlset>``) is not
written. A page whose front matter has
``pp_canonical`` (a site-relative address, such as ``reports/2019-20-q2/``) gets that page as its
canonical link: absolute when the site's ``url`` is set, else relative to the page. The theme
(``main.html``) marks such a page ``noindex``, and its sitemap leaves the printable reports out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# The name the generated mkdocs.yml gives this file under ``hooks:``.
HOOK = str(Path(__file__).resolve())


def canonical_url(target: str, page_url: str, site_url: str | None) -> str:
    """The address of ``target`` (site-relative) as a canonical link from the page at
    ``page_url``."""
    if site_url:
        return site_url.rstrip("/") + "/" + target
    from mkdocs.utils import get_relative_url

    relative = get_relative_url(target, page_url)
    return relative if relative.endswith("/") else relative + "/"


SITEMAP = "sitemap.xml"


def on_config(config: Any, **kwargs: Any) -> Any:
    """MkDocs' hook on the configuration, before anything is built."""
    if not config.site_url:
        config.theme.static_templates.discard(SITEMAP)
    return config


def on_files(files: Any, config: Any, **kwargs: Any) -> Any:
    """MkDocs' hook on the site's files: a template no longer rendered is not copied as it is
    either (MkDocs copies a theme's files that are not templates)."""
    if not config.site_url:
        theme_dirs = set(config.theme.dirs)
        sitemap = files.get_file_from_path(SITEMAP)
        if sitemap is not None and sitemap.src_dir in theme_dirs:
            files.remove(sitemap)
    return files


def on_page_context(context: Any, page: Any, config: Any, **kwargs: Any) -> Any:
    """MkDocs' hook before a page is rendered through the theme."""
    target = page.meta.get("pp_canonical") if page.meta else None
    if isinstance(target, str):
        page.canonical_url = canonical_url(target, page.url, config.site_url)
    return context
