"""The one loader, strict (load_site) or lenient (read_site): the same problems either way, and
the lenient load keeps every part that could be read."""

from __future__ import annotations

from generator.site.loader import load_site, read_config, read_site
from generator.site.models import (
    DEFAULT_TOLERANCE,
    FINANCIAL_YEAR_START_MONTH,
    REPORT_YEARS,
    STALE_AFTER_MONTHS,
    SiteConfig,
)
from generator.site.problems import Problems
from tests.conftest import MINIMAL_CONFIG, MINIMAL_MEASURE

BAD_VALUE = MINIMAL_MEASURE.replace("value: 91", "value: 91%")
UNKNOWN_PRIORITY = MINIMAL_MEASURE.replace("priority: health", "priority: helth")


def both(root):
    strict, lenient = Problems(), Problems()
    site = load_site(root, strict)
    read = read_site(root, lenient)
    assert [p.format() for p in strict] == [p.format() for p in lenient]
    return site, read, lenient


def test_a_valid_site_is_the_same_either_way(make_site):
    site, read, problems = both(make_site().root)
    assert site is not None and not problems.errors
    assert read.site() == site
    assert [f.valid for f in read.files] == site.indicators


def test_the_lenient_load_keeps_the_files_that_are_valid_on_their_own(make_site):
    site_dir = make_site(
        indicators={
            "good.yml": MINIMAL_MEASURE,
            "bad-value.yml": BAD_VALUE,
            "not-yaml.yml": "title: [\n",
            "Bad Name.yml": MINIMAL_MEASURE,
            "index.yml": MINIMAL_MEASURE,
            "other-priority.yml": UNKNOWN_PRIORITY,
        }
    )
    site, read, problems = both(site_dir.root)
    assert site is None
    codes = {p.code for p in problems.errors}
    assert {"id.invalid", "id.reserved", "priority.unknown"} <= codes
    assert read.config is not None
    # Files the site would not read (a bad name, an id of the site's own) are not listed.
    listed = {f.id: f for f in read.files}
    assert sorted(listed) == ["bad-value", "good", "not-yaml", "other-priority"]
    assert listed["not-yaml"].doc is None and listed["not-yaml"].valid is None
    assert listed["bad-value"].doc is not None and listed["bad-value"].valid is None
    # An unknown priority is an error of the site, not of the file.
    assert [i.id for i in read.indicators] == ["good", "other-priority"]
    partial = read.site()
    assert partial is not None and [i.id for i in partial.indicators] == ["good", "other-priority"]


def test_without_valid_settings_the_files_are_read_with_the_stated_financial_year(make_site):
    config = {**MINIMAL_CONFIG, "financial_year_start_month": 7, "priorities": []}
    site, read, problems = both(make_site(config=config).root)
    assert [p.field for p in problems.errors] == ["priorities"]
    assert site is None and read.config is None and read.site() is None
    assert [i.id for i in read.indicators] == ["test-measure"]
    assert read.indicators[0].model.values[0].period.fy_start_month == 7


def test_a_folder_without_settings_reports_that_alone_and_its_files_are_still_read(make_site):
    site_dir = make_site(indicators={"good.yml": MINIMAL_MEASURE, "bad.yml": BAD_VALUE})
    (site_dir.root / "site_config.yml").unlink()
    _, read, problems = both(site_dir.root)
    assert [p.code for p in problems] == ["config.missing"]
    assert [i.id for i in read.indicators] == ["good"]
    assert read.indicators[0].model.values[0].period.fy_start_month == FINANCIAL_YEAR_START_MONTH


def test_read_config_reads_the_settings_alone(make_site):
    site_dir = make_site()
    problems = Problems()
    config, doc = read_config(site_dir.root, problems)
    assert isinstance(config, SiteConfig) and doc is not None and not problems
    (site_dir.root / "site_config.yml").unlink()
    assert read_config(site_dir.root, problems) == (None, None) and not problems


def test_the_defaults_are_the_models_defaults(make_site):
    site = load_site(make_site().root, Problems())
    assert site is not None
    config = site.config
    assert config.financial_year_start_month == FINANCIAL_YEAR_START_MONTH == 4
    assert config.ratings.tolerance == DEFAULT_TOLERANCE
    assert DEFAULT_TOLERANCE.percent == 5 and DEFAULT_TOLERANCE.absolute is None
    assert config.ratings.stale_after_months == STALE_AFTER_MONTHS == 12
    assert config.reports.years == REPORT_YEARS == 10
