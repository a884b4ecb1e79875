"""An Atom feed of the reporting periods (``/feed.xml``), so subscribers hear of each quarter.

One entry per reporting period, newest first. Its date is the end of the period: the build must
give the same bytes from the same files, so no clock is read, and the files record no date of
revision. So that a revised figure still reaches subscribers, an entry's id ends with a short
hash of the figures its report shows (``FiguresHash``): the report's address and ``#figures-<hash>``
when the site's ``url`` is set, otherwise a name-based UUID of the organisation, the period and
the hash. The same files give the same ids; a revised value, target, rating or update gives the
period a new id, which feed readers show as a new entry.

Links are absolute, and the feed names its own address (``rel="self"``), only when the site's
``url`` is set; without it they are relative to the feed (the site's root), and the build warns.

The XML is written by ElementTree, which escapes every text and attribute.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
import xml.etree.ElementTree as ET
from typing import Any

from generator.assess.assessment import UpdatePoint
from generator.assess.history import History, Item, PeriodState
from generator.render import summaries
from generator.render.reports import report_url
from generator.site.i18n import t
from generator.site.models import SiteConfig
from generator.site.periods import Period

ATOM = "http://www.w3.org/2005/Atom"
FEED_FILE = "feed.xml"
ROBOTS_FILE = "robots.txt"
SITEMAP_FILE = "sitemap.xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _stamp(period: Period) -> str:
    end = period.end
    return (
        dt.datetime(end.year, end.month, end.day, tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")
    )


HASH_LENGTH = 12


def _item_figures(item: Item) -> list[Any]:
    """What a reader of a report sees of one indicator's value or update."""
    if isinstance(item, UpdatePoint):
        return [item.period.slug, str(item.rating), item.progress, item.commentary]
    return [
        item.period.slug,
        item.value,
        item.missing,
        item.target,
        str(item.computed),
        str(item.stated) if item.stated else None,
        str(item.direction) if item.direction else None,
        item.note,
    ]


class FiguresHash:
    """A short hash of every indicator's values (or updates) up to a period, as its report and
    printable report show them: the same files give the same hash; a revised figure of the
    period or of any period before it gives another. Each indicator's values are hashed once,
    as a chain (the hash up to each value), so a site's feed takes time in proportion to its
    values plus its indicators times its periods."""

    def __init__(self, history: History) -> None:
        self.history = history
        self.chains: dict[str, list[str]] = {}

    def _chain(self, indicator: str) -> list[str]:
        chain = self.chains.get(indicator)
        if chain is None:
            chain = [hashlib.sha256(indicator.encode("utf-8")).hexdigest()]
            for item in self.history.timelines[indicator].items:
                text = json.dumps(_item_figures(item), ensure_ascii=True, separators=(",", ":"))
                chain.append(hashlib.sha256((chain[-1] + text).encode("utf-8")).hexdigest())
            self.chains[indicator] = chain
        return chain

    def __call__(self, state: PeriodState) -> str:
        digest = hashlib.sha256()
        for indicator in sorted(state.latest):
            shown = len(self.history.timelines[indicator].until(state.period))
            digest.update(self._chain(indicator)[shown].encode("ascii"))
        return digest.hexdigest()[:HASH_LENGTH]


def entry_id(config: SiteConfig, period: Period, figures: str) -> str:
    """An entry's id: its report's address, or a name-based UUID, with the hash of its
    figures."""
    if config.site.url:
        return f"{config.site.url}{report_url(period)}#figures-{figures}"
    name = f"perfpages:{config.site.organisation}:{period.slug}:{figures}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def feed_id(config: SiteConfig) -> str:
    if config.site.url:
        return config.site.url
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'perfpages:' + config.site.organisation)}"


def headline(state: PeriodState) -> str:
    """The period's headline figures in one sentence, as on the home page."""
    o = state.summary.overall
    parts = []
    parts.append(summaries.on_target_text(o))
    parts.append(
        ", ".join(
            [
                t("home.improving", improving=o.improving),
                t("home.steady", steady=o.steady),
                t("home.declining", declining=o.declining),
            ]
        )
    )
    return "; ".join(parts) + "."


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def atom_feed(config: SiteConfig, history: History) -> bytes:
    """The feed document. Links are absolute when the site's url is set, else relative to the
    feed's own address (the site's root), which feed readers resolve."""
    info = config.site
    states = history.states
    figures = FiguresHash(history)
    base = info.url or ""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: info.language})
    _sub(feed, "title", t("feed.title", site=info.title))
    _sub(feed, "subtitle", t("feed.subtitle", organisation=info.organisation))
    _sub(feed, "id", feed_id(config))
    _sub(feed, "updated", _stamp(states[0].period))
    _sub(feed, "link", rel="alternate", type="text/html", href=base or "./")
    if base:
        _sub(feed, "link", rel="self", type="application/atom+xml", href=base + FEED_FILE)
    author = _sub(feed, "author")
    _sub(author, "name", info.organisation)
    if info.contact and info.contact.email:
        _sub(author, "email", info.contact.email)
    _sub(feed, "rights", t("feed.rights", licence=config.data.licence))
    for state in states:
        period = state.period
        entry = _sub(feed, "entry")
        _sub(entry, "title", t("feed.entry_title", period=period.label))
        _sub(entry, "id", entry_id(config, period, figures(state)))
        _sub(entry, "updated", _stamp(period))
        _sub(entry, "link", rel="alternate", type="text/html", href=base + report_url(period))
        _sub(entry, "summary", headline(state))
    ET.indent(feed, space=" ")
    body = ET.tostring(feed, encoding="unicode", xml_declaration=False)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def robots_txt(config: SiteConfig) -> bytes:
    """``/robots.txt``: every page may be crawled (the printable reports say ``noindex``
    themselves), and the sitemap's address when the site has one (MkDocs writes the sitemap
    only then; on a site of several languages, each language's)."""
    lines = ["User-agent: *", "Allow: /"]
    if config.site.url:
        lines += ["", f"Sitemap: {config.site.url}{SITEMAP_FILE}"]
        # Each other language's pages have a sitemap of their own, in their folder.
        for code in config.site.all_languages[1:]:
            lines.append(f"Sitemap: {config.site.url}{code}/{SITEMAP_FILE}")
    return ("\n".join(lines) + "\n").encode("utf-8")
