"""A site folder's layout and the site's own types: where each file is, and what it holds once read.

Every stage names the site's files through these (rendering, the MkDocs configuration, the
diff and its git revisions, the importers); ``generator.site.loader`` fills them in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.site.inputs import input_files
from generator.site.models import Measure, Project, SiteConfig
from generator.site.periods import Period
from generator.site.problems import Problem, Problems
from generator.site.yaml_reader import Document

CONFIG_FILE = "site_config.yml"
INDICATORS_DIR = "indicators"
CONTENT_DIR = "content"
REPORTS_DIR = "reports"
THEME_DIR = "theme"  # the site's own overrides of the built-in theme
# Breakdowns of an indicator's values (disaggregations/<id>.csv), kept by perfpages import and
# published beside its data as data/<id>-disaggregations.csv.
DISAGGREGATIONS_DIR = "disaggregations"
BREAKDOWNS_SUFFIX = "-disaggregations"
MAX_BREAKDOWNS_BYTES = 20_000_000
WORK_DIR = "build"  # what the generator writes for MkDocs
SITE_DIR = "site"  # the default output
PREVIEW_DIR = "site-preview"  # the default output of perfpages build --preview
# Every folder a build reads: a build never writes into one of them (nor its output there).
INPUT_DIRS = (INDICATORS_DIR, CONTENT_DIR, THEME_DIR, DISAGGREGATIONS_DIR)

# Paths the generator writes; a content page there would silently replace a generated page.
RESERVED_PAGES = {"index.md", "how-to-read.md", "accessibility.md", "404.md"}
# Ids whose files would replace the site's own: indicators/index.md (the all-indicators page),
# data/indicators.csv and .json (every indicator), data/datapackage.json (the data package).
RESERVED_IDS = {"index", "indicators", "datapackage"}
RESERVED_FOLDERS = {"priorities", "indicators", "data", "reports", "assets", "search"}


@dataclass
class IndicatorFile:
    """An indicator file that is valid on its own: its id (the file name), YAML and model."""

    id: str
    doc: Document
    model: Measure | Project

    @property
    def rel(self) -> str:
        return self.doc.rel

    def line(self, *path: str | int) -> int:
        return self.doc.line(path)


@dataclass
class IndicatorRead:
    """One file under indicators/ with a usable id, as read, whether or not it is valid."""

    id: str
    rel: str
    doc: Document | None  # None when the file cannot be read as YAML
    valid: IndicatorFile | None  # None when the file has errors of its own


@dataclass
class ContentPage:
    source: Path
    rel: str  # as shown in messages: content/about.md
    path: str  # inside the docs folder: about.md
    text: str
    # A narrative's front matter ``about:``: the period its text describes, when that is not
    # the report's own (a report on a quarter published with text about its first month).
    about: Period | None = None
    # On a site of several languages: the language of a translation (content/about.cy.md; its
    # ``path`` is the page's, about.md), None for the default language's page ...
    language: str | None = None
    # ... and, on another language's pages, the language of a page shown untranslated.
    shown_in: str | None = None


@dataclass
class Site:
    """A valid site: its settings, indicators and pages, every file checked."""

    root: Path
    config: SiteConfig
    config_doc: Document
    indicators: list[IndicatorFile]
    pages: list[ContentPage]
    narratives: dict[Period, ContentPage] = field(default_factory=dict)
    # The narratives' translations (content/reports/2019-20-q2.cy.md), by period and language.
    narrative_translations: dict[Period, dict[str, ContentPage]] = field(default_factory=dict)

    @property
    def priority_ids(self) -> list[str]:
        return [p.id for p in self.config.priorities]


@dataclass
class SiteAsRead:
    """A site folder as the lenient load (``loader.read_site``) reads it: every part that could
    be read, whatever errors the others have; for comparing two versions of a site."""

    root: Path
    config: SiteConfig | None  # None when site_config.yml is missing or has errors
    config_doc: Document | None  # None when it is missing or is not YAML
    files: list[IndicatorRead]
    pages: list[ContentPage]
    narratives: dict[Period, ContentPage]
    narrative_translations: dict[Period, dict[str, ContentPage]] = field(default_factory=dict)

    @property
    def indicators(self) -> list[IndicatorFile]:
        """The indicator files that are valid on their own."""
        return [f.valid for f in self.files if f.valid is not None]

    def site(self) -> Site | None:
        """The settings with the indicators valid on their own and the pages; None when the
        settings cannot be read. A valid site when nothing had an error."""
        if self.config is None or self.config_doc is None:
            return None
        return Site(
            self.root,
            self.config,
            self.config_doc,
            self.indicators,
            self.pages,
            self.narratives,
            self.narrative_translations,
        )


# perfpages serve keeps each indicator file's outcome, keyed by what stat() says of the file and
# the settings it was checked against: an edit re-reads one file, not every file of the site.
FileCache = dict[str, tuple[tuple[object, ...], IndicatorRead, list[Problem]]]


def rel_path(root: Path, path: Path) -> str:
    """``path`` as messages show it: from the site folder, with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def indicator_files(root: Path, problems: Problems | None = None) -> list[Path]:
    """The YAML files under indicators/, in the order of their paths there; what must not be
    read (``generator.site.inputs``) is reported in ``problems`` and left out. A link must stay
    inside indicators/."""
    return input_files(
        root, INDICATORS_DIR, problems, suffixes=(".yml", ".yaml"), within=INDICATORS_DIR
    )


def content_files(root: Path, problems: Problems | None = None) -> list[Path]:
    """The Markdown files under content/, in the order of their paths there."""
    return input_files(root, CONTENT_DIR, problems, suffixes=(".md",))


def theme_files(root: Path, problems: Problems | None = None) -> list[Path]:
    """The files under theme/ (the site's overrides), names starting with a dot aside."""
    return input_files(root, THEME_DIR, problems)


def disaggregation_files(root: Path, problems: Problems | None = None) -> list[Path]:
    """The CSV files under disaggregations/."""
    return input_files(root, DISAGGREGATIONS_DIR, problems, suffixes=(".csv",))
