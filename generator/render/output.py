"""What the renderer makes: files for the docs folder, and the links between their pages.

Every page and data file is an ``Output`` (a path inside the docs folder and its bytes); links
are written relative (``relative``) so the site works from any folder on any host.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass


@dataclass(frozen=True)
class Output:
    """One file of the docs folder."""

    path: str  # inside the docs folder, forward slashes
    data: bytes


def page_url(path: str) -> str:
    """The URL MkDocs gives a page (use_directory_urls): indicators/x.md -> indicators/x/."""
    if path == "index.md":
        return ""
    if path.endswith("/index.md"):
        return path[: -len("index.md")]
    return path[: -len(".md")] + "/"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (site-relative) that works on any host."""
    base = posixpath.dirname(from_url.rstrip("/") + "/x") if from_url else ""
    target = to_url or "."
    rel = _relpath(target, base or ".")
    if to_url.endswith("/") or to_url == "":
        rel = rel.rstrip("/") + "/"
    return "./" if rel == "./" else rel


def _relpath(target: str, base: str) -> str:
    """``posixpath.relpath`` for two site-relative paths, without asking the operating system
    for the current folder each time (it does, for every link of every page)."""
    to = [p for p in posixpath.normpath(target).split("/") if p not in ("", ".")]
    start = [p for p in posixpath.normpath(base).split("/") if p not in ("", ".")]
    common = 0
    while common < min(len(to), len(start)) and to[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."
