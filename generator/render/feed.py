"""An Atom feed of the reporting periods (``/feed.xml``), so subscribers hear of each quarter.

One entry per reporting period, newest first. An entry's id is the report's address when the
site's ``url`` is set (the usual Atom practice), otherwise a name-based UUID of the organisation
and the period, which stays the same from build to build. Its date is the end of the period:
the build must give the same bytes from the same files, so no clock is read.

The XML is written by ElementTree, which escapes every text and attribute.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from generator.assess.history import PeriodState
from generator.render import summaries
from generator.render.reports import report_url
from generator.site.i18n import t
from generator.site.models import SiteConfig
from generator.site.periods import Period

ATOM = "http://www.w3.org/2005/Atom"
FEED_FILE = "feed.xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _stamp(period: Period) -> str:
    end = period.end
    return (
        dt.datetime(end.year, end.month, end.day, tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")
    )


def entry_id(config: SiteConfig, period: Period) -> str:
    if config.site.url:
        return config.site.url + report_url(period)
    name = f"perfpages:{config.site.organisation}:{period.slug}"
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


def atom_feed(config: SiteConfig, states: Sequence[PeriodState]) -> bytes:
    """The feed document. Links are absolute when the site's url is set, else relative to the
    feed's own address (the site's root), which feed readers resolve."""
    info = config.site
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
        _sub(entry, "id", entry_id(config, period))
        _sub(entry, "updated", _stamp(period))
        _sub(entry, "link", rel="alternate", type="text/html", href=base + report_url(period))
        _sub(entry, "summary", headline(state))
    ET.indent(feed, space=" ")
    body = ET.tostring(feed, encoding="unicode", xml_declaration=False)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")
