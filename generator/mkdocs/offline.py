"""The preview a reviewer opens from the disk (``perfpages build --preview``): every link works
from ``file://`` and so does search.

Named in the generated mkdocs.yml as a MkDocs hook in preview builds only. The preview keeps the
published site's folders (``indicators/<id>/index.html``), so its addresses are the real site's
and every relative link the generator and MkDocs write stays right; a browser showing a folder
from the disk shows its listing, not its ``index.html``, so this hook adds ``index.html`` to
every relative link that names a folder (``../priorities/x/``, ``./``, ``..``), in every page
and the search index (there is no 404 page, which only a web server shows). Material's search
runs in a Web Worker, which browsers refuse to start from ``file://``: the hook adds
``file_worker.js`` (a stand-in run in a hidden frame of the page) and, as Material's own
``offline`` plugin does, the search index as a script (``search/search_index.js``), which
Material loads on ``file://`` pages. Material's ``offline`` plugin itself is not used: it turns
directory URLs off (every link the generator writes would then need another form) and loads its
worker stand-in from unpkg.com, another host.

A preview is not for publishing: every page says ``noindex`` (this hook) and carries a banner
(the theme, ``config.extra.pp_preview``), ``robots.txt`` disallows everything, and there is no
sitemap (the preview is built without the site's address). The hook needs nothing of perfpages'
own pages: the guide's preview uses it too (``guide/build.py --preview``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

# The name the generated mkdocs.yml gives this file under ``hooks:``.
HOOK = str(Path(__file__).resolve())

WORKER_FILE = "assets/javascripts/perfpages-file-worker.js"
INDEX_SCRIPT = "search/search_index.js"
ROBOTS = b"User-agent: *\nDisallow: /\n"
_INDEX = "index.html"
NOT_FOUND = "404.html"
SITEMAP = "sitemap.xml"
NOINDEX = '<meta name="robots" content="noindex">'
_CHARSET = '<meta charset="utf-8">'

# href="..." and src="..." (or in single quotes, as a content page's own HTML may have them).
_LINK = re.compile(r"""(\s(?:href|src)=)(?:"([^"]*)"|'([^']*)')""")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def file_link(link: str) -> str:
    """``link`` as it must be from a page on the disk: a relative link to a folder gets the
    folder's ``index.html`` (its query and fragment kept); anything else is left as it is."""
    if not link or link.startswith(("#", "/", "?")) or _SCHEME.match(link):
        return link
    cut = min((i for i in (link.find("?"), link.find("#")) if i >= 0), default=len(link))
    path, rest = link[:cut], link[cut:]
    if path.endswith("/"):
        return path + _INDEX + rest
    if path in (".", "..") or path.endswith(("/.", "/..")):
        return path + "/" + _INDEX + rest
    return link


def file_links(html: str) -> str:
    """Every ``href`` and ``src`` of ``html`` through ``file_link``."""

    def one(match: re.Match[str]) -> str:
        quote = '"' if match.group(2) is not None else "'"
        link = match.group(2) if match.group(2) is not None else match.group(3)
        return f"{match.group(1)}{quote}{file_link(link)}{quote}"

    return _LINK.sub(one, html)


def index_location(location: str) -> str:
    """A search result's address (site-relative, as in the search index) on the disk."""
    cut = location.find("#")
    path, anchor = (location, "") if cut < 0 else (location[:cut], location[cut:])
    if path == "" or path.endswith("/"):
        return path + _INDEX + anchor
    return location


def on_files(files: Any, config: Any, **kwargs: Any) -> Any:
    """MkDocs' hook on the site's files: the worker stand-in, a robots.txt that keeps crawlers
    out of a preview put online by mistake, and no copy of the templates left out."""
    from mkdocs.structure.files import File

    worker = (Path(__file__).parent / "file_worker.js").read_text(encoding="utf-8")
    files.append(File.generated(config, WORKER_FILE, content=worker))
    theme_dirs = set(config.theme.dirs)
    for name in (NOT_FOUND, SITEMAP):
        # a template no longer rendered is not copied as it is either
        template = files.get_file_from_path(name)
        if template is not None and template.src_dir in theme_dirs:
            files.remove(template)
    robots = files.get_file_from_path("robots.txt")
    if robots is not None:
        files.remove(robots)
    files.append(File.generated(config, "robots.txt", content=ROBOTS))
    return files


# After the raw HTML hook has put the page's large blocks back (raw_html.py).
@event_priority(-50)
def on_post_page(output: str, **kwargs: Any) -> str:
    """MkDocs' hook on each page's final HTML: links to files, and ``noindex``."""
    if NOINDEX not in output:
        after = _CHARSET if _CHARSET in output else "<head>"
        output = output.replace(after, f"{after}\n      {NOINDEX}", 1)
    return file_links(output)


def on_config(config: Any, **kwargs: Any) -> Any:
    """MkDocs' hook on the configuration: the worker stand-in in every page's head, before
    Material's scripts (Material's ``polyfills``), and no 404 page, which only a web server
    shows (its addresses start at the server's root, which on the disk is the disk's), and no
    sitemap (a preview is not to be indexed)."""
    polyfills = list(config.extra.get("polyfills") or [])
    if WORKER_FILE not in polyfills:
        polyfills.append(WORKER_FILE)
    config.extra["polyfills"] = polyfills
    for name in (NOT_FOUND, SITEMAP):
        config.theme.static_templates.discard(name)
    return config


# After the search plugin has written its index (Material's offline plugin runs at -100 too).
@event_priority(-100)
def on_post_build(config: Any, **kwargs: Any) -> None:
    """The search index's addresses on the disk, and the index as a script for ``file://``."""
    folder = Path(config.site_dir) / "search"
    path = folder / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    for doc in index.get("docs", []):
        doc["location"] = index_location(doc.get("location", ""))
    data = json.dumps(index, separators=(",", ":"))
    path.write_text(data, encoding="utf-8")
    script = Path(config.site_dir) / INDEX_SCRIPT
    script.write_text(f"var __index = {data}", encoding="utf-8")
