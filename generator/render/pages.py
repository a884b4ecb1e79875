"""Render the assessed site into the MkDocs docs folder: Markdown pages and data files.

Pages are Markdown with HTML blocks where Markdown has no words for what is needed (tables with
captions and scoped headers, badges, the chart's figure). Every piece of user text passes
through ``generator.render.text``; templates are autoescaped, so a forgotten filter escapes
rather than injects.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
import jinja2.bccache
import yaml
from markupsafe import Markup

from generator.assess import glance as at_a_glance
from generator.assess.assessment import (
    COMPARISONS,
    PROJECT_COUNTS,
    Assessed,
    Bands,
    Direction,
    Point,
    Position,
    Rating,
    Summary,
    UpdatePoint,
    summarise,
    target_for,
    tolerance_amount,
)
from generator.assess.history import History, report_periods
from generator.render import (
    axes,
    charts,
    feed,
    filters,
    formatting,
    glance,
    opendata,
    reports,
    summaries,
)
from generator.render.labels import labelled_tables
from generator.render.output import Output, page_url, relative
from generator.render.sparkline import sparkline
from generator.render.text import (
    carry_raw,
    escape,
    inline_html,
    interface_markdown,
    link_target,
    markdown_html,
    md_escape,
    plain_text,
)
from generator.site.i18n import t, tn
from generator.site.languages import LANG_CLOSE, lang_open, unmark
from generator.site.layout import IndicatorFile, Site
from generator.site.models import (
    DEFAULT_TOLERANCE,
    AboveTarget,
    Band,
    Measure,
    Priority,
    Project,
    TargetLabel,
    Tolerance,
)
from generator.site.periods import Period

TEMPLATES = Path(__file__).parent / "templates"

# libyaml's emitter writes the same YAML as PyYAML's pure-Python one, many times faster; front
# matter is written once per page.
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@functools.lru_cache(maxsize=256)
def _span(classes: str, word: str) -> Markup:
    """A badge; made once per kind, as the reports by period repeat them tens of thousands of
    times."""
    return Markup('<span class="{}">{}</span>').format(classes, word)


@functools.lru_cache(maxsize=256)
def _span_saying(classes: str, word: str, said: str) -> Markup:
    """A badge whose symbol also means something (which way the value moved): said to screen
    readers after the word, not shown."""
    return Markup('<span class="{}">{}<span class="pp-visually-hidden">, {}</span></span>').format(
        classes, word, said
    )


def rating_badge(rating: Rating | None, as_published: bool = False) -> Markup:
    """The rating's word in its badge; a rating the council published that the value alone
    does not give is marked so in words beside it, wherever it is shown."""
    if rating is None:
        return Markup("")
    cls = rating.value.replace("_", "-")
    badge = _span(f"pp-rating pp-rating--{cls}", t(f"rating.{rating.value}"))
    return _marked_as_published(badge) if as_published else badge


# A project's standing looks like the rating it rests on (SPEC: green on target, ...), in the
# words of the projects' summary table.
STANDING_KIND = dict(
    zip(PROJECT_COUNTS, ("green", "amber", "red", "blue", "not_rated"), strict=True)
)


def standing_badge(standing: str) -> Markup:
    kind = STANDING_KIND[standing].replace("_", "-")
    return _span(f"pp-rating pp-rating--{kind}", t(f"home.project_column.{standing}"))


# The home page lists at most this many indicators off target, and as many not updated; the
# list of all indicators has every one.
LIST_SHOWN = 10
# A priority page's small trend line shows each measure's last values only.
CARD_VALUES = 8


# The arrow: one meaning everywhere, as in councils' own reports and the key on every summary.
# Up is improving and down declining, whichever way the value moved (a fall in delays is
# improving: up); where neither way is better, the way the value moved.
ARROW = {
    Direction.IMPROVING: "up",
    Direction.DECLINING: "down",
    Direction.STEADY: "steady",
    Direction.UP: "up",
    Direction.DOWN: "down",
}


def direction_badge(
    direction: Direction | None, polarity: str | None = None, as_published: bool = False
) -> Markup:
    """The direction word with its arrow (up improving, down declining), marked in words when
    it is as the council published it rather than as the values give."""
    badge = _direction_badge(direction, polarity)
    return _marked_as_published(badge) if as_published and direction is not None else badge


def _marked_as_published(badge: Markup) -> Markup:
    """A rating or direction the council published that the data alone does not give: said
    in words beside its badge."""
    return badge + Markup(" ") + _span("pp-as-published", t("rating.as_published"))


def _direction_badge(direction: Direction | None, polarity: str | None = None) -> Markup:
    """The badge alone. For a measure (``polarity`` given) screen readers also hear which way
    the value moved: "Improving, the value fell" when lower is better."""
    if direction is None:
        return Markup('<span class="pp-dir pp-dir--none">{word}</span>').format(
            word=t("direction.none")
        )
    move = ARROW[direction]
    classes = f"pp-dir pp-dir--{direction.value} pp-arrow--{move}"
    word = t(f"direction.{direction.value}")
    if polarity is not None and direction in (Direction.IMPROVING, Direction.DECLINING):
        rose = (direction is Direction.IMPROVING) == (polarity != "lower_is_better")
        said = t("direction.value_rose" if rose else "direction.value_fell")
        return _span_saying(classes, word, said)
    return _span(classes, word)


def progress_badge(progress: str) -> Markup:
    direction = {"achieved_milestone": "improving", "progressing": "steady"}.get(
        progress, "declining"
    )
    move = {"improving": "up", "steady": "steady", "declining": "down"}[direction]
    return Markup('<span class="pp-dir pp-dir--{kind} pp-arrow--{move}">{word}</span>').format(
        kind=direction, move=move, word=t(f"progress.{progress}")
    )


def milestone_badge(status: str) -> Markup:
    return Markup('<span class="pp-milestone pp-milestone--{cls}">{word}</span>').format(
        cls=status.replace("_", "-"), word=t(f"milestone.{status}")
    )


def front_matter(meta: dict[str, Any]) -> Markup:
    """YAML front matter. MkDocs' templates print titles and descriptions without escaping, so
    text values are HTML-escaped here, once, before they are written as YAML."""
    escaped = {k: html.escape(v) if isinstance(v, str) else v for k, v in meta.items()}
    body = yaml.dump(
        escaped, Dumper=_Dumper, allow_unicode=True, sort_keys=True, width=1000
    ).strip()
    return Markup(f"---\n{body}\n---\n")


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process, not once per Renderer (perfpages serve makes one
    for every edit) or per MkDocs build of the theme's. A template is known by its name and
    its source: the same theme copied into another site's build folder is not compiled again
    (a process that builds several sites, as the tests do), and its code names the file it
    was read from this time, as a compiled one would."""

    def __init__(self) -> None:
        self._code: dict[tuple[str, str], CodeType] = {}

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        bucket = jinja2.bccache.Bucket(environment, name, self.get_source_checksum(source))
        code = self._code.get((name, bucket.checksum))
        if code is not None:
            bucket.code = _named(code, filename or "<template>")
        return bucket

    def set_bucket(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is not None:
            self._code[(bucket.key, bucket.checksum)] = bucket.code

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Not called: get_bucket looks the code up itself."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Not called: set_bucket keeps the code itself."""


def _named(code: CodeType, filename: str) -> CodeType:
    """``code`` and the functions in it, saying they were compiled from ``filename`` (what a
    traceback through the template shows)."""
    if code.co_filename == filename:
        return code
    consts = tuple(_named(c, filename) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


_COMPILED = CompiledTemplates()


IndicatorData = tuple[list[tuple[str, bytes]], opendata.TableParts]
# The same once its files are written where they were made (a large build): their facts only.
WrittenData = tuple[list[tuple[str, opendata.FileFacts]], opendata.TableParts]


@dataclass
class OutputCache:
    """What perfpages serve keeps of each indicator's rendering, with the inputs it was made
    from (the indicator's file as loaded, the site configuration, its breakdowns file and the
    sizes of its data files): an edit re-renders one indicator."""

    data: dict[str, tuple[IndicatorFile, tuple[str, bytes | None], IndicatorData]] = field(
        default_factory=dict
    )
    pages: dict[str, tuple[IndicatorFile, tuple[str, tuple[int, ...]], Output]] = field(
        default_factory=dict
    )


# A Markdown link to a file of the open data: [words](data/indicators.csv)
_DATA_LINK = re.compile(r"\[([^\]\[]+)\]\((data/[^)\s]+)\)")


class Renderer:
    """Renders every page of one site; holds what all pages share."""

    def __init__(
        self,
        site: Site,
        assessed: list[Assessed],
        cache: OutputCache | None = None,
        data_from: Renderer | None = None,
    ) -> None:
        """Set up the templates and what every page shares, computed once: each indicator's
        position at the reporting period, the members of each priority, the summary now and
        and the position at every earlier period (``History``), with its change since the one
        before. With ``data_from`` (the renderer of the default language's pages), the pages
        of another language, one folder down: they link that renderer's open data files, which
        are written once, at the site's root."""
        self.data_from = data_from
        self.data: dict[str, bytes] = {}
        self.data_sizes: dict[str, int] = {}
        self.site = site
        self.config = site.config
        self.period = site.config.reporting_period
        self.assessed = assessed
        self.by_id = {a.id: a for a in assessed}
        self.priorities = {p.id: p for p in site.config.priorities}
        self.stale_months = site.config.ratings.stale_after_months
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
            bytecode_cache=_COMPILED,
        )
        self.env.filters.update(
            md=markdown_html,
            raw=carry_raw,
            inline=inline_html,
            mdx=md_escape,
            plain=plain_text,
            esc=escape,
            link_target=link_target,
        )
        self.env.globals.update(
            t=t,
            tm=interface_markdown,
            rating_badge=rating_badge,
            direction_badge=direction_badge,
            progress_badge=progress_badge,
            standing_badge=standing_badge,
            tn=tn,
            milestone_badge=milestone_badge,
            benchmark_label=formatting.benchmark_label,
            projects_text=summaries.projects_text,
            comparison_text=summaries.comparison_text,
            project_counts=PROJECT_COUNTS,
            config=self.config,
            period=self.period,
            Rating=Rating,
            Direction=Direction,
        )
        # Exceeding is shown in the summaries only where some measure can be rated so: a
        # column that is always 0 is noise.
        self.exceeding_shown = exceeding_possible(assessed)
        self.env.globals.update(
            exceeding_shown=self.exceeding_shown,
            shown_ratings=shown_ratings(self.exceeding_shown),
            on_target_text=summaries.on_target_text,
        )
        self.positions: dict[str, Position | None] = {
            a.id: a.position(self.period, self.stale_months) for a in assessed
        }
        self.members: dict[str, list[Assessed]] = {pid: [] for pid in self.priorities}
        for a in assessed:
            self.members[a.priority].append(a)
        self._rows: dict[str, dict[str, Any]] = {}
        self._summaries: dict[Period, Summary] = {}
        self.cache = cache
        self._config_key = site.config.model_dump_json() if cache is not None else ""
        self.summary = self.summary_at(self.period)
        # The periods with a report, newest first (``history`` is every indicator's position
        # at each, made when first asked for: an edit under serve shows its own pages first).
        self.report_periods = report_periods(self.period, assessed, site.config.reports.years)
        self.env.globals.update(
            report_url=reports.report_url,
            print_url=reports.print_url,
            feed_url=feed.FEED_FILE,
        )

    @functools.cached_property
    def history(self) -> History:
        """Every indicator's position at each reporting period, and the summary of each."""
        return History(
            self.period,
            self.assessed,
            list(self.priorities),
            self.stale_months,
            self.config.reports.years,
        )

    def summary_at(self, period: Period) -> Summary:
        """The summary as at ``period``, computed once per period (history pages ask again)."""
        if period not in self._summaries:
            self._summaries[period] = summarise(
                self.assessed, self.priorities, period, self.stale_months
            )
        return self._summaries[period]

    # ---- Driver ------------------------------------------------------------------------------

    def render_all(self) -> list[Output]:
        """Every file of the docs folder except content pages and theme assets."""
        self.prepare_data()
        outputs = self.site_outputs()
        for a in self.assessed:
            outputs += self.indicator_outputs(a)
        return outputs

    def site_outputs(self, with_reports: bool = True, with_pages: bool = True) -> list[Output]:
        """The files made from every indicator at once: site-wide pages and data (after
        ``prepare_data``); without the report of each period if not ``with_reports`` (see
        ``report_outputs``), and only the data if not ``with_pages`` (see ``site_pages``)."""
        own_data = [] if self.data_from else opendata.SITE_DATA_FILES
        # (on a large build, pipeline.write_docs has written them already and let them go)
        outputs = [Output(path, self.data[path]) for path in own_data if path in self.data]
        if not self.data_from:
            outputs.append(Output(feed.ROBOTS_FILE, feed.robots_txt(self.config)))
        if with_pages:
            outputs += [make() for _, make in self.site_pages()]
        if with_reports:
            for i in range(len(self.report_periods)):
                outputs += self.report_outputs(i)
        return outputs

    def site_pages(self) -> list[tuple[str, Callable[[], Output]]]:
        """The pages made from every indicator at once (the home page, the priorities, the
        list of indicators, the list of reports, the feed, ...): each one's docs path, and
        what makes it. Under serve they follow the pages an edit changed."""
        made: list[tuple[str, Callable[[], Output]]] = [
            ("index.md", lambda: self._page("index.md", "home.md.j2", self.home_context())),
            (
                "priorities/index.md",
                lambda: self._page(
                    "priorities/index.md", "priorities.md.j2", {"rows": self.priority_rows()}
                ),
            ),
        ]
        for priority in self.config.priorities:
            path = f"priorities/{priority.id}.md"
            made.append(
                (
                    path,
                    functools.partial(self._priority_page, path, priority),
                )
            )
        made += [
            (
                "indicators/index.md",
                lambda: self._page(
                    "indicators/index.md", "all_indicators.md.j2", self.all_context()
                ),
            ),
            (
                "how-to-read.md",
                lambda: self._page("how-to-read.md", "how_to_read.md.j2", self.rules_context()),
            ),
            ("accessibility.md", lambda: self._page("accessibility.md", "accessibility.md.j2", {})),
            (reports.INDEX, lambda: reports.index_output(self, self.history)),
            (feed.FEED_FILE, self._feed),
        ]
        return made

    def _priority_page(self, path: str, priority: Priority) -> Output:
        return self._page(path, "priority.md.j2", self.priority_context(priority))

    def _feed(self) -> Output:
        atom = feed.atom_feed(self.config, self.history)
        return Output(feed.FEED_FILE, unmark(atom.decode("utf-8")).encode("utf-8"))

    def report_outputs(self, i: int) -> list[Output]:
        """The report and printable report of the ``i``-th reporting period, newest first."""
        return reports.period_outputs(self, self.history, i)

    def prepare_data(self, made: Sequence[IndicatorData | WrittenData] | None = None) -> None:
        """Every open data file, as ``opendata.data_files`` makes them, with each indicator's
        files and rows made once (and kept between builds by serve); ``made`` is what
        ``indicator_data`` gives for every indicator in order, when made elsewhere (in other
        processes), or only the facts of its files where they were also written there (they
        are then not in ``data``). Pages show the files' sizes, so this comes first."""
        if self.data_from:
            self.data = self.data_from.data
            self.data_sizes = self.data_from.data_sizes
            return
        if made is None:
            made = self.indicator_data(range(len(self.assessed)))
        out = opendata.DataFiles()
        parts: list[opendata.TableParts] = []
        for files, indicator_parts in made:
            for path, data in files:
                if isinstance(data, bytes):
                    out.add(path, data)
                else:
                    out.add_written(path, data)
            parts.append(indicator_parts)
        opendata.add_site_data_files(self.config, self.assessed, out, parts)
        self.data = dict(out.files)
        self.data_sizes = out.sizes

    def indicator_data(self, indices: Iterable[int]) -> list[IndicatorData]:
        """The data files and table rows of the indicators at ``indices`` of ``assessed``:
        each depends on its indicator alone."""
        return [self._indicator_data(self.assessed[i]) for i in indices]

    def _indicator_data(self, a: Assessed) -> IndicatorData:
        breakdowns = opendata.disaggregations(self.site.root, a.id)
        if self.cache is None:
            return opendata.indicator_files(a, breakdowns, self.config.site.all_languages[1:])
        key = (self._config_key, breakdowns)
        hit = self.cache.data.get(a.id)
        if hit is not None and hit[0] is a.file and hit[1] == key:
            return hit[2]
        made = opendata.indicator_files(a, breakdowns, self.config.site.all_languages[1:])
        self.cache.data[a.id] = (a.file, key, made)
        return made

    def indicator_outputs(self, a: Assessed) -> list[Output]:
        """One indicator's page and data files: they depend on that indicator alone (after
        ``prepare_data``)."""
        paths = [f"data/{a.id}.csv", f"data/{a.id}.json", opendata.breakdowns_path(a.id)]
        if self.data_from:
            paths = []
        outputs = [Output(path, self.data[path]) for path in paths if path in self.data]
        return [*outputs, self._indicator_page(a)]

    def _indicator_page(self, a: Assessed) -> Output:
        template = "project.md.j2" if a.is_project else "measure.md.j2"
        if self.cache is None:
            return self._page(f"indicators/{a.id}.md", template, self.indicator_context(a))
        sizes = tuple(self.data_sizes.get(p, -1) for p in opendata.indicator_paths(a.id))
        key = (self._config_key, sizes)
        hit = self.cache.pages.get(a.id)
        if hit is not None and hit[0] is a.file and hit[1] == key:
            return hit[2]
        page = self._page(f"indicators/{a.id}.md", template, self.indicator_context(a))
        self.cache.pages[a.id] = (a.file, key, page)
        return page

    def load_templates(self) -> None:
        """Compile every template now (before work is shared out, so it is done once)."""
        for name in self.env.list_templates(extensions=["j2"]):
            self.env.get_template(name)

    def _page(self, path: str, template: str, context: dict[str, Any]) -> Output:
        url = page_url(path)
        rel: Callable[[str], str] = lambda target: relative(url, target)  # noqa: E731
        if self.data_from:
            # The open data is at the site's root, one folder up from these pages' own.
            page_rel = rel
            rel = lambda target: (  # noqa: E731
                page_rel("") + "../" + target if target.startswith("data/") else page_rel(target)
            )
        text = self.env.get_template(template).render(
            page_path=path, page_url=url, rel=rel, front_matter=front_matter, **context
        )
        if self.data_from:
            # A Markdown link to the open data (in an interface message) would be checked by
            # MkDocs among this language's pages, where the data is not: an HTML link is not.
            text = _DATA_LINK.sub(lambda m: f'<a href="{rel(m.group(2))}">{m.group(1)}</a>', text)
        return Output(path, labelled_tables(text).encode("utf-8"))

    def page(self, path: str, template: str, context: dict[str, Any]) -> Output:
        """One page from a template (for the modules that render their own pages)."""
        return self._page(path, template, context)

    def report_order(self) -> list[Assessed]:
        """Every indicator in report order: by priority, then by title."""
        return self._report_order()

    # ---- Contexts ------------------------------------------------------------------------------

    def narrative(self, period: Period) -> reports.Narrative | None:
        page = self.site.narratives.get(period)
        # A narrative is a content page, written by the site's editors: used as written, like
        # the pages in content/ (YAML text, by contrast, never becomes markup).
        if page is None:
            return None
        text = shift_headings(page.text, 1)
        if page.shown_in:
            # Shown untranslated: MkDocs makes the markers an element saying its language
            # (mkdocs/raw_html.py).
            text = f"{lang_open(page.shown_in)}\n\n{text}\n\n{LANG_CLOSE}"
        return reports.Narrative(Markup(text), page.about)

    def home_context(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "comparison": self.history.current.comparison,
            "rows": self.summary_rows(self.summary),
            "narrative": self.narrative(self.period),
            "count": len(self.assessed),
            "earlier_periods": [s.period for s in self.history.earlier],
            "patterns": glance.patterns(self.exceeding_shown),
            "measure_bars": self.glance_bars(projects=False),
            "project_bars": self.glance_bars(projects=True),
            **self.glance_lists(),
        }

    def glance_bars(self, projects: bool) -> list[dict[str, Any]]:
        """The bars of the ratings at a glance: all priorities, then each priority, of measures
        by rating or of projects by standing. Each has its name, its page, its bar and the
        word, symbol and count of each segment, in the bar's order. The projects' chart has
        a bar only for the priorities that have projects, and none when no priority does."""
        entries = [(t("home.total"), None, self.summary.overall)] + [
            (p.label, f"priorities/{p.id}/", self.summary.by_priority[p.id])
            for p in self.config.priorities
        ]
        bars: list[dict[str, Any]] = []
        for name, url, counts in entries:
            if projects:
                if not counts.projects:
                    continue
                segments = [
                    (STANDING_KIND[k], standing_badge(k), getattr(counts, k))
                    for k in PROJECT_COUNTS
                ]
                total = tn("glance.projects", counts.projects)
            else:
                segments = [
                    (r.value, rating_badge(r), getattr(counts, r.value))
                    for r in shown_ratings(self.exceeding_shown)
                ]
                total = tn("glance.measures", sum(n for _, _, n in segments))
            bars.append(
                {
                    "name": name,
                    "url": url,
                    "all": url is None,
                    "total": total,
                    "bar": glance.bar([(kind, n) for kind, _, n in segments]),
                    "segments": [
                        (glance.swatch(kind), badge, n) for kind, badge, n in segments if n
                    ],
                }
            )
        return bars

    def glance_lists(self) -> dict[str, Any]:
        """The home page's named lists (the rules are in ``assess/glance.py``): each
        indicator's row with the figures its line states, written as the pages write them."""
        order = self._report_order()
        off = at_a_glance.off_target(order, self.positions)
        improved, worsened = at_a_glance.changes(order, self.period)
        stale = at_a_glance.not_updated(order, self.period)
        return {
            "off_target": [self.indicator_row(a) for a in off[:LIST_SHOWN]],
            "off_target_more": max(0, len(off) - LIST_SHOWN),
            "improved": [self._change_item(c) for c in improved],
            "worsened": [self._change_item(c) for c in worsened],
            "not_updated": [self._stale_item(s) for s in stale[:LIST_SHOWN]],
            "not_updated_more": max(0, len(stale) - LIST_SHOWN),
            "most_changed": at_a_glance.MOST_CHANGED,
        }

    def _change_item(self, change: at_a_glance.Change) -> dict[str, Any]:
        model = change.assessed.model
        assert isinstance(model, Measure)
        tenths = change.percent_tenths
        return {
            "row": self.indicator_row(change.assessed),
            "text": t(
                "glance.change",
                now=formatting.value(model, change.now.value),
                now_period=change.now.period.label,
                before=formatting.value(model, change.before.value),
                before_period=change.before.period.label,
                percent=f"{tenths // 10:,}.{tenths % 10}",
            ),
            "direction": change.now.direction,
        }

    def _stale_item(self, stale: at_a_glance.Stale) -> dict[str, Any]:
        latest = stale.latest
        model = stale.assessed.model
        if isinstance(latest, Point) and isinstance(model, Measure):
            text = t(
                "glance.stale_value",
                value=formatting.value(model, latest.value),
                period=latest.period.label,
            )
        elif latest is not None:
            text = t("glance.stale_update", period=latest.period.label)
        else:
            text = t(
                "glance.stale_no_update" if stale.assessed.is_project else "glance.stale_no_value"
            )
        return {"row": self.indicator_row(stale.assessed), "text": text}

    def summary_rows(self, summary: Summary) -> list[dict[str, Any]]:
        rows = []
        for priority in self.config.priorities:
            rows.append(
                {
                    "priority": priority,
                    "url": f"priorities/{priority.id}/",
                    "now": summary.by_priority[priority.id],
                }
            )
        return rows

    def priority_rows(self) -> list[dict[str, Any]]:
        return [
            {"priority": p, "counts": self.summary.by_priority[p.id], "url": f"priorities/{p.id}/"}
            for p in self.config.priorities
        ]

    def indicator_row(self, a: Assessed) -> dict[str, Any]:
        """One indicator's row in the priority and all-indicators tables (made once)."""
        if a.id not in self._rows:
            latest = a.latest_update(self.period) if a.is_project else a.latest_point(self.period)
            self._rows[a.id] = self.row_at(a, self.positions[a.id], latest)
        return self._rows[a.id]

    def row_at(
        self, a: Assessed, position: Position | None, latest: Point | UpdatePoint | None
    ) -> dict[str, Any]:
        """A table row of one indicator: its position and the value or update it rests on."""
        model = a.model
        row: dict[str, Any] = {
            "a": a,
            "model": model,
            "url": f"indicators/{a.id}/",
            "position": position,
            "priority": self.priorities[model.priority],
            "period_label": position.period.label if position else "",
        }
        if isinstance(model, Measure):
            point = latest if isinstance(latest, Point) else None
            row["value"] = (
                formatting.value(model, point.value)
                if point and point.value is not None
                else (t(f"missing.{point.missing}") if point and point.missing else "")
            )
            row["value_number"] = point.value if point else None
            row["target"] = self.target_text(model, point.target if point else None)
            row["polarity"] = model.polarity
        else:
            update = latest if isinstance(latest, UpdatePoint) else None
            row["value"] = ""
            row["value_number"] = None
            row["target"] = ""
            row["polarity"] = "higher_is_better"
            row["progress"] = update.progress if update else None
        return row

    def card(self, a: Assessed) -> dict[str, Any]:
        """A measure's card on its priority page: its row, and a small trend line of its last
        values (the card states the latest value, its target and direction in words)."""
        model = a.model
        assert isinstance(model, Measure)
        shown = a.points_until(self.period)[-CARD_VALUES:]
        label = summaries.print_chart_label(model.title, shown)
        return {
            **self.indicator_row(a),
            "spark": sparkline(model, shown, label, compact=True),
        }

    def target_text(self, model: Measure, target: float | None) -> str:
        if isinstance(model.target, TargetLabel):
            return model.target.label
        if target is None:
            return ""
        return formatting.reference(model, target)

    def priority_context(self, priority: Priority) -> dict[str, Any]:
        members = self.members[priority.id]
        return {
            "priority": priority,
            "measures": [self.card(a) for a in members if not a.is_project],
            "projects": [self.indicator_row(a) for a in members if a.is_project],
            "counts": self.summary.by_priority[priority.id],
        }

    def all_context(self) -> dict[str, Any]:
        rows = [self.indicator_row(a) for a in self._report_order()]
        order = {pid: i for i, pid in enumerate(self.priorities)}
        for row in rows:
            row["sort"] = filters.sort_keys(row, order[row["priority"].id])
            row["direction_key"] = filters.direction_key(row)
        downloads = [
            (opendata.ALL_CSV, "all.download_csv"),
            (opendata.ALL_JSON, "all.download_json"),
            (opendata.PACKAGE_FILE, "all.download_package"),
        ]
        return {
            "rows": rows,
            "has_tags": any(row["model"].tags for row in rows),
            "filters": filters.filter_options(rows),
            "downloads": [(path, t(key, size=self.data_size(path))) for path, key in downloads],
            "attribution": opendata.attribution(self.config),
        }

    def _report_order(self) -> list[Assessed]:
        order = {pid: i for i, pid in enumerate(self.priorities)}
        return sorted(self.assessed, key=lambda a: (order[a.priority], a.model.title.lower(), a.id))

    def data_size(self, path: str) -> str:
        """The size of a data file as the download link shows it ("2 KB")."""
        return opendata.human_size(self.data_sizes[path])

    def indicator_context(self, a: Assessed) -> dict[str, Any]:
        """What an indicator's page shows: a project's latest and earlier updates, or a
        measure's chart, its summary in words, every value up to the reporting period, the
        target in force and the commentary of earlier periods."""
        model = a.model
        context: dict[str, Any] = {
            "a": a,
            "m": model,
            "priority": self.priorities[model.priority],
            "position": self.positions[a.id],
            "csv_size": self.data_size(f"data/{a.id}.csv"),
            "json_size": self.data_size(f"data/{a.id}.json"),
            "breakdowns_size": self.data_size(opendata.breakdowns_path(a.id))
            if opendata.breakdowns_path(a.id) in self.data_sizes
            else None,
            "description": plain_text(model.description) or plain_text(model.title),
        }
        if isinstance(model, Project):
            updates = [u for u in a.updates if u.period.end <= self.period.end]
            context["latest"] = updates[-1] if updates else None
            context["earlier"] = list(reversed(updates[:-1]))
            return context
        assert isinstance(model, Measure)
        spec = charts.chart_spec(a, self.period)
        points = [p for p in a.points if p.period.end <= self.period.end]
        latest = a.latest_point(self.period)
        context.update(self.comparison_context(a, model, latest))
        context.update(
            {
                "chart": charts.chart_json(spec) if spec else None,
                "summary_text": summaries.trend_summary(a, self.period),
                "chart_label": summaries.chart_label(model.title, points, bool(model.benchmarks)),
                "points": list(reversed(points)),
                "latest": latest,
                "fmt": lambda v: formatting.value(model, v),
                "ref": lambda v: formatting.reference(model, v),
                "target_text": lambda v: self.target_text(model, v),
                "target_steps": self.target_steps(model),
                "bands": self.bands_text(a),
                "earlier": sorted(
                    (c for c in model.earlier_commentary if c.period.end <= self.period.end),
                    key=lambda c: c.period.sort_key,
                    reverse=True,
                ),
            }
        )
        return context

    def bands_text(self, a: Assessed) -> str | None:
        """How the measure is rated against the target in force at the reporting period, in
        numbers ("Green at 90% or more; Amber from 85.5% up to 90%; Red below 85.5%"); None
        when it is not rated (no numeric target then, or neither way is better)."""
        model = a.model
        assert isinstance(model, Measure)
        target = target_for(model, self.period)
        if target is None or model.polarity == "neutral" or a.bands is None:
            return None
        bands = "; ".join(summaries.rating_bands(model, a.bands, target))
        if isinstance(model.target, list):
            return t(
                "indicator.bands_at",
                period=self.period.label,
                target=formatting.reference(model, target),
                bands=bands,
            )
        return bands

    def comparison_context(
        self, a: Assessed, model: Measure, latest: Point | None
    ) -> dict[str, Any]:
        """The directions a measure's page shows beside the headline one (also_compare_with):
        the heading of each column of its table, and the latest value's direction against
        each comparison, named, headline first, for its position (none when it shows only the
        headline)."""
        rules = a.comparisons
        periods = a.trend_periods
        also = [(rule, summaries.column_heading(model, rule, periods)) for rule in rules[1:]]
        headline_heading = (
            summaries.column_heading(model, rules[0], periods) if also else t("common.direction")
        )
        items: list[tuple[str, Markup]] = []
        if also and latest is not None and latest.value is not None:
            for i, travel in enumerate(latest.travels):
                label = summaries.comparison_words(model, travel.rule, periods, "label")
                if i == 0:
                    badge = direction_badge(
                        latest.direction, model.polarity, latest.direction_as_published
                    )
                else:
                    badge = direction_badge(travel.direction, model.polarity)
                items.append((label, badge))
        return {
            "also": also,
            "headline_heading": headline_heading,
            "travel_items": items,
            "compared": bool(rules),  # false: compare_with: none, no direction at all
        }

    def target_steps(self, model: Measure) -> list[tuple[Period, str]]:
        if not isinstance(model.target, list):
            return []
        steps = sorted(model.target, key=lambda s: s.from_.sort_key)
        return [
            (
                s.from_,
                formatting.reference(model, s.value)
                if s.value is not None
                else t("common.no_target"),
            )
            for s in steps
        ]

    def rules_context(self) -> dict[str, Any]:
        """What /how-to-read/ says of this site's own rules: the tolerance and band above target
        with their worked example, those of the priorities, services and measures that set
        their own, the stale limit, and which direction rules its measures use (so a rule no
        indicator uses is not described)."""
        ratings = self.config.ratings
        tolerance = ratings.tolerance
        measures = [a for a in self.assessed if isinstance(a.model, Measure)]
        default = self.config.ratings.compare_with
        # The worked example, from the site's own tolerance: a 90% target, higher better.
        amount = tolerance_amount(Decimal(90), tolerance)
        edge = Decimal(90) - amount
        above = ratings.above_target
        above_amount = tolerance_amount(Decimal(90), above) if above is not None else None
        headlines = {a.comparisons[0] for a in measures if a.comparisons}
        main = default if default in headlines or not headlines else min(headlines)
        return {
            "band": band_words(tolerance),
            "example_amount": _plain_decimal(amount),
            "example_edge": _plain_decimal(edge),
            "above": band_words(above) if above is not None else None,
            "above_amount": _plain_decimal(above_amount) if above_amount is not None else None,
            "above_top": _plain_decimal(Decimal(90) + above_amount)
            if above_amount is not None
            else None,
            "own_rules": self.own_rules(),
            "stale": self.stale_months,
            "axis": axes.rule_words(),
            "compare_default": main,
            "compare_others": [rule for rule in COMPARISONS if rule in headlines - {main}],
            "any_trend": any("trend" in a.comparisons for a in measures),
            "any_also": any(len(a.comparisons) > 1 for a in measures),
            "any_not_compared": any(not a.comparisons for a in measures),
            "trend_periods": self.config.ratings.trend_periods,
            "any_cumulative": any(getattr(a.model, "cumulative", None) for a in measures),
            "any_break": any(p.series_break for a in measures for p in a.points),
            "any_stated_direction": any(p.direction_stated for a in measures for p in a.points),
        }

    def own_rules(self) -> list[dict[str, Any]]:
        """The priorities, services and measures with a rating rule of their own, in that
        order (a measure's own wins over its service's, which wins over its priority's): what
        each sets, in words, and its worked example. A priority's or service's example is a
        90% target, higher being better, and shows the bands it sets; a measure's is its own
        target at the reporting period, with every band."""
        out: list[dict[str, Any]] = []
        for priority in self.config.priorities:
            if priority.tolerance is not None or priority.above_target is not None:
                out.append(
                    {
                        "kind": "priority",
                        "name": priority.label,
                        **_own_rule(priority.tolerance, priority.above_target),
                    }
                )
        for name, service in self.config.ratings.services.items():
            out.append(
                {
                    "kind": "service",
                    "name": name,
                    **_own_rule(service.tolerance, service.above_target),
                }
            )
        for a in self._report_order():
            model = a.model
            if not isinstance(model, Measure) or (
                model.tolerance is None and model.above_target is None
            ):
                continue
            out.append(
                {
                    "kind": "indicator",
                    "name": model.title,
                    "url": f"indicators/{a.id}.md",  # a Markdown link, from the site's root
                    "tolerance": band_words(model.tolerance) if model.tolerance else None,
                    "above": band_words(model.above_target) if model.above_target else None,
                    **self._own_example(a, model),
                }
            )
        return out

    def _own_example(self, a: Assessed, model: Measure) -> dict[str, Any]:
        """A measure's own rule worked on its target at the reporting period, if it has one."""
        target = target_for(model, self.period)
        if target is None or model.polarity == "neutral" or a.bands is None:
            return {"target": None, "example": None}
        return {
            "target": formatting.reference(model, target),
            "example": "; ".join(summaries.rating_bands(model, a.bands, target)),
        }


def band_words(band: Band) -> str:
    """A tolerance or band above target in words: "5% of the target", "2 in the measure's own
    unit"."""
    if band.percent is not None:
        places = 0 if band.percent.is_integer() else 1
        return t("how.band_percent", percent=formatting.number(band.percent, places))
    assert band.absolute is not None
    return t("how.band_absolute", amount=f"{band.absolute:g}")


# The measure the worked examples of /how-to-read/ are rated on: a 90% target, higher better.
EXAMPLE_TARGET = 90
_EXAMPLE = Measure.model_validate(
    {
        "title": "Example",
        "priority": "example",
        "polarity": "higher_is_better",
        "unit": "percent",
        "decimals": 0,
        "values": [],
    }
)


def _own_rule(tolerance: Tolerance | None, above: AboveTarget | None) -> dict[str, Any]:
    """A priority's or service's rule in words, and its worked example on a 90% target: the
    bands it sets (Exceeding; Amber and Red), from the same arithmetic as the ratings."""
    phrases = summaries.rating_bands(
        _EXAMPLE, Bands(tolerance or DEFAULT_TOLERANCE, above), EXAMPLE_TARGET
    )
    shown: list[str] = []
    if above is not None:
        shown.append(phrases[0])
    if tolerance is not None:
        shown += phrases[2:] if above is not None else phrases[1:]
    return {
        "tolerance": band_words(tolerance) if tolerance is not None else None,
        "above": band_words(above) if above is not None else None,
        "example": "; ".join(shown),
    }


def exceeding_possible(assessed: Iterable[Assessed]) -> bool:
    """Whether some measure can be rated Exceeding: it has a band above target, or a value
    stated as exceeding."""
    return any(
        (a.bands is not None and a.bands.above_target is not None)
        or any(p.rating is Rating.EXCEEDING for p in a.points)
        for a in assessed
    )


def shown_ratings(exceeding: bool) -> list[Rating]:
    """The ratings the summaries count, best first: Exceeding only where it can be given."""
    return [r for r in Rating if exceeding or r is not Rating.EXCEEDING]


def _plain_decimal(number: Decimal) -> str:
    """4.5, 9, 85.5: a decimal without trailing zeros."""
    text = format(number.normalize(), "f")
    return text


def shift_headings(markdown_text: str, by: int) -> str:
    """Move ATX headings down ``by`` levels (outside fenced code), for text placed under an h2."""
    out: list[str] = []
    fence: str | None = None
    for line in markdown_text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            marker = stripped[:3]
            fence = None if fence == marker else (fence or marker)
        elif fence is None and stripped.startswith("#"):
            hashes = len(stripped) - len(stripped.lstrip("#"))
            if hashes <= 6 and stripped[hashes : hashes + 1] in (" ", ""):
                line = "#" * min(6, hashes + by) + stripped[hashes:]
        out.append(line)
    return "\n".join(out) + "\n"


def all_outputs(site: Site, assessed: list[Assessed]) -> list[Output]:
    return Renderer(site, assessed).render_all()


def content_outputs(site: Site) -> Iterable[Output]:
    for page in site.pages:
        yield Output(page.path, page.text.encode("utf-8"))
