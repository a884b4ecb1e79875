"""MkDocs' warnings about the user's own pages, as perfpages messages: file, line and fix.

MkDocs knows the pages by their place in the generated docs folder (``about.md``) and reports
a broken link without a line ("Doc file 'about.md' contains a link 'x.md', but the target is
not found among documentation files."). The editor wrote ``content/about.md``, or the period's
narrative in ``content/reports/``, which perfpages places in the home page: here the warning is
traced back to that file and the line with the link, and says what to write instead.

MkDocs' wording is no API: the patterns read here are in internals.py, each with the line it
matches, and checked against the installed MkDocs (``internals.check_mkdocs``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.mkdocs import internals

if TYPE_CHECKING:
    from generator.site.layout import Site


# The logger whose debug lines say which page MkDocs reads (``reads_page``).
PROGRESS_LOGGER = internals.BUILD_LOGGER


def reads_page(message: str) -> bool:
    """Whether a MkDocs debug line says it reads a page (the progress bar counts them)."""
    return internals.READING.match(message) is not None


@dataclass(frozen=True)
class Source:
    """A file the user wrote and where its text ends up in the docs folder."""

    docs_path: str  # about.md; index.md for the reporting period's narrative
    rel: str  # content/about.md
    text: str
    prefix: str = ""  # added to the page's relative links where it is placed deeper (../../)


@dataclass(frozen=True)
class Explained:
    file: str
    line: int
    message: str


LINK_HELP = (
    "link to another page by its file name relative to this one (about.md), and to the pages "
    "perfpages makes as indicators/ID.md, priorities/ID.md or how-to-read.md"
)


def explain(message: str, sources: list[Source]) -> Explained | None:
    """The perfpages message for one MkDocs warning about a user's page; None for others."""
    match = internals.LINK.match(message.strip())
    if not match:
        return None
    candidates = [s for s in sources if s.docs_path == match["doc"]]
    if not candidates:
        return None
    what = match["what"]
    # The page that holds the link (the home page holds the narrative and generated text).
    source = next((s for s in candidates if _written(s, what) in s.text), candidates[0])
    if source.prefix:
        # Said as the editor wrote it, so the same link placed on several pages is one problem.
        what = what.replace(f"'{source.prefix}", "'", 1)
    link, text = _describe(what)
    if text is None:
        return None
    return Explained(source.rel, _line_of(source.text, link), text)


def _written(source: Source, what: str) -> str:
    """The link as the editor wrote it in ``source`` (without the prefix it was given)."""
    link = what.split("'")[1] if what.count("'") >= 2 else ""
    if source.prefix and link.startswith(source.prefix):
        link = link[len(source.prefix) :]
    return link or "\0"


def _describe(what: str) -> tuple[str, str | None]:
    if m := internals.NOT_FOUND.match(what):
        return m["link"], (
            f"the link '{m['link']}' goes to a page that does not exist; {_hint(m['suggest'])}"
        )
    if m := internals.NO_ANCHOR_HERE.match(what):
        return m["link"], (
            f"the link '{m['link']}' goes to a heading that is not on this page; link to a "
            "heading by its text in lower case with hyphens (## Our plans -> #our-plans)"
        )
    if m := internals.NO_ANCHOR.match(what):
        return m["link"], (
            f"the link '{m['link']}' goes to a heading '#{m['anchor']}' that is not on "
            f"{m['doc']}; check the heading's text"
        )
    if m := internals.UNRECOGNISED.match(what):
        return m["link"], (
            f"the link '{m['link']}' does not name a page or file; {_hint(m['suggest'])}"
        )
    if m := internals.ABSOLUTE.match(what):
        return m["link"], (
            f"the link '{m['link']}' starts with '/', which breaks when the site is published "
            f"in a folder; {LINK_HELP}"
        )
    return "", None


def _hint(suggestion: str | None) -> str:
    return f"did you mean {suggestion}? ({LINK_HELP})" if suggestion else LINK_HELP


def _line_of(text: str, link: str) -> int:
    """The first line that holds ``link`` as a link target (1 when it cannot be found)."""
    if link:
        for pattern in (f"]({link}", f"({link}", f'"{link}"', link):
            for number, line in enumerate(text.splitlines(), 1):
                if pattern in line:
                    return number
    return 1


def sources(site: Site) -> list[Source]:
    """The user's pages as MkDocs sees them: content pages, and the narratives inside the home
    page and the report pages."""
    out = [Source(page.path, page.rel, page.text) for page in site.pages]
    narrative = site.narratives.get(site.config.reporting_period)
    if narrative:
        out.append(Source("index.md", narrative.rel, narrative.text))
    # Each period's narrative is also on its report page and printable report, two folders
    # down, with its links rebased (generator/render/reports.py).
    for period, page in site.narratives.items():
        for name in ("index.md", "print.md"):
            out.append(Source(f"reports/{period.slug}/{name}", page.rel, page.text, "../../"))
    return out
