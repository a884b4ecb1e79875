"""``perfpages import --from open-sdg``: real Open SDG files (OGL v3.0) into a perfpages site."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from generator.importers.opensdg.convert import decimals_for
from generator.importers.opensdg.headline import choose_headline
from generator.importers.opensdg.html_text import to_markdown, to_plain
from generator.importers.opensdg.repo import read_repository, sort_key
from generator.importers.opensdg.units import unit_fields
from generator.importers.opensdg.years import hyphen_reading, map_year
from generator.site.problems import Problems
from generator.site.yaml_reader import parse_yaml
from tests.conftest import REPO, run_cli, write

FIXTURE = REPO / "tests/fixtures/open_sdg/repo"


@pytest.mark.parametrize(
    ("written", "period", "note"),
    [
        ("2019", "2019", None),
        ("2021.0", "2021", None),
        ("2013 Q1", "2013 Q1", None),
        ("1993 01", "1993-01", None),
        ("2019/20", "2019/20", None),
        ("2001/2002", "2001/02", None),
        ("2019-20", "2019/20", None),
        ("2010 to 2011", "2010/11", None),
        ("2018 to 2020", "2020", "Covers 2018 to 2020"),
        ("2015-2017", "2017", "Covers 2015 to 2017"),
        ("2003-05", "2005", "Covers 2003 to 2005"),
        ("1999/01", "2001", "Covers 1999 to 2001"),
        ("2007/08 to 2009/10", "2009/10", "Covers 2007/08 to 2009/10"),
        ("2002/03-2007/08", "2007/08", "Covers 2002/03 to 2007/08"),
        ("17 May to 11 June 2023", "2023-06-11", "Covers 17 May to 11 June 2023"),
        ("2019/20 [Note 5]", "2019/20", "Marked [Note 5] in the source data"),
        ("2018 to 2020 [x]", "2020", "Covers 2018 to 2020; Marked [x] in the source data"),
        ("2019-09-30", "2019-09-30", None),
        ("2019/20 Q2", "2019/20 Q2", None),
    ],
)
def test_year_forms(written: str, period: str, note: str | None) -> None:
    mapped = map_year(written)
    assert mapped.period is not None
    assert (mapped.period.text, mapped.note) == (period, note)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("1974a", "a letter after the year (1974a, 1974b) marks several values in one year"),
        ("", "the Year cell is empty"),
        ("There is no data for this indicator yet", "the Year cell holds text, not a period"),
        ("2020 to 2018", "not a period perfpages can show"),
        ("31 February to 30 February 2020", "not a period perfpages can show"),
    ],
)
def test_years_that_cannot_be_read(written: str, reason: str) -> None:
    mapped = map_year(written)
    assert (mapped.period, mapped.reason) == (None, reason)


def test_yyyy_nn_is_read_one_way_per_indicator() -> None:
    rolling = ["2003-05", "2004-06", "2016-18"]
    assert hyphen_reading(rolling) == "span"
    assert hyphen_reading(["2019-01", "2019-02", "2019-12"]) == "month"  # 01 cannot end a span
    assert hyphen_reading(["2009-10", "2010-11", "2010-12"]) == "month"  # spans of unequal length
    assert map_year("2009-10", hyphen="month").period.text == "2009-10"  # type: ignore[union-attr]
    assert map_year("2009-10", hyphen="span").period.text == "2009/10"  # type: ignore[union-attr]


def test_units() -> None:
    assert unit_fields("Percentage (%)") == {"unit": "percent"}
    assert unit_fields("Rate per 100,000 population") == {
        "unit": "rate",
        "unit_label": "per 100,000 population",
    }
    assert unit_fields("GBP (£ thousands)") == {
        "unit": "currency",
        "currency": "GBP",
        "scale": "thousand",
    }
    assert unit_fields("Constant USD ($ Millions)") == {
        "unit": "currency",
        "currency": "USD",
        "scale": "million",
        "unit_label": "constant prices",
    }
    assert unit_fields("Tonnes", "Thousands") == {"unit": "number", "unit_label": "thousand tonnes"}
    assert unit_fields("Number") == {"unit": "number"}
    assert unit_fields("MRSA bloodstream infection") == {
        "unit": "number",
        "unit_label": "MRSA bloodstream infection",
    }


def test_metadata_html_becomes_markdown() -> None:
    assert to_markdown(
        '<p><b>Company</b> - see <a href="https://example.org/x">the report</a> &amp; '
        '<a href="javascript:alert(1)">this</a></p><p><li>One</li><li>Two</li></p>'
        "<h3>Sources</h3>More at <https://example.org>"
    ) == (
        "**Company** - see [the report](https://example.org/x) & this\n\n- One\n\n- Two\n\n"
        "**Sources**\n\nMore at [https://example.org](https://example.org)"
    )
    assert to_plain("Rate of <i>x</i>\n per <b>y</b>") == "Rate of *x* per y"


def test_decimals_shown() -> None:
    def items(*values: str) -> list[dict[str, object]]:
        return [{"value": v} for v in values]

    assert decimals_for(items("22.0", "15.0")) == 0  # type: ignore[arg-type]
    assert decimals_for(items("18.6", "19.0")) == 1  # type: ignore[arg-type]
    assert decimals_for(items("0.934645991703", "1.2")) == 3  # type: ignore[arg-type]
    assert decimals_for(items("0.00012", "0.0005")) == 6  # type: ignore[arg-type]


def test_indicator_order() -> None:
    ids = ["1-10-1", "1-a-1", "1-2-1", "10-1-1", "2-1-1"]
    assert sorted(ids, key=sort_key) == ["1-2-1", "1-10-1", "1-a-1", "2-1-1", "10-1-1"]


# ---- Headline series -----------------------------------------------------------------------------


def source(indicator_id: str):  # type: ignore[no-untyped-def]
    repo = read_repository(FIXTURE)
    return repo, next(i for i in repo.indicators if i.id == indicator_id)


def test_headline_rows_have_no_breakdown() -> None:
    _repo, src = source("1-2-1")
    headline = choose_headline(src.columns, src.rows, src.meta)
    assert headline.how == "headline"
    assert len(headline.rows) == 14
    age, sex = src.columns.index("Age"), src.columns.index("Sex")
    assert all(not src.rows[i][age] and not src.rows[i][sex] for i in headline.rows)


def test_start_values_choose_the_series_and_units() -> None:
    _repo, src = source("3-1-1")
    headline = choose_headline(src.columns, src.rows, src.meta)
    assert (headline.series, headline.units) == (
        "Maternal mortality rate",
        "Rate per 100,000 maternities",
    )
    assert headline.other_series == ["Maternal mortality ratio"]


def test_without_a_headline_the_start_values_or_fewest_breakdowns_are_used() -> None:
    _repo, src = source("13-a-1")
    headline = choose_headline(src.columns, src.rows, src.meta)
    assert (headline.how, headline.selection) == ("start values", {"Theme": "Total"})
    _repo, src = source("17-10-1")
    headline = choose_headline(src.columns, src.rows, src.meta)
    assert headline.how == "fewest breakdowns"
    assert headline.selection == {"Type of product": "Agricultural products"}


def test_metadata_with_crlf_and_a_blank_first_line_is_read() -> None:
    repo, src = source("1-2-1")
    assert src.meta["indicator_number"] == "1.2.1"
    assert not src.problems
    assert repo.licence == "Open Government Licence v3.0"
    _repo, src = source("3-3-5")  # its data file starts with an empty line
    assert src.columns[0] == "Year"


# ---- The command ---------------------------------------------------------------------------------


SUMMARY = """\
11 indicators converted into 7 goals: 9 with values, 2 without values
  without values: 1: a non-statistical indicator (no data)
  without values: 1: no data file in the repository
118 headline values converted (22 of periods spanning several years or days, shown at their \
end; 0 repeated rows merged)
2 headline rows not converted:
  2: a letter after the year (1974a, 1974b) marks several values in one year
1059 other rows (breakdowns, other series and units) kept in 8 data files under disaggregations/
"""


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("sdg") / "site-src"
    result = run_cli("import", "--from", "open-sdg", FIXTURE, site)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == SUMMARY
    return site


def load(path: Path) -> dict[str, object]:
    doc = parse_yaml(path.read_bytes(), path, path.name, Problems())
    assert doc is not None
    return doc.data  # type: ignore[no-any-return]


def test_converted_indicator(converted: Path) -> None:
    path = converted / "indicators/goal-3/3-1-1.yml"
    text = path.read_text()
    assert text.startswith(
        "# Converted from Open SDG data: data/indicator_3-1-1.csv and meta/3-1-1.md "
        "(Open Government Licence v3.0).\n"
        "# Every row of the source, with its period: disaggregations/3-1-1.csv\n"
        "title: Maternal mortality rate per 100,000 maternities, and maternal mortality ratio.\n"
        "ref: 3.1.1\n"
    )
    data = load(path)
    assert data["priority"] == "goal-3"
    assert data["tags"] == ["Target 3.1", "Tier I"]
    assert (data["unit"], data["unit_label"], data["polarity"]) == (
        "rate",
        "per 100,000 maternities",
        "neutral",
    )
    values = data["values"]
    assert isinstance(values, list)
    assert values[0] == {
        "period": "2005",
        "value": 13.95,
        "note": "Covers 2003 to 2005; Definition differs",
    }
    assert "# Open SDG data does not say whether higher or lower is better: not rated." in text


def test_site_config_has_the_goals(converted: Path) -> None:
    config = load(converted / "site_config.yml")
    assert config["reporting_period"] == "2023"
    priorities = config["priorities"]
    assert isinstance(priorities, list)
    assert [p["id"] for p in priorities] == [
        "goal-1",
        "goal-3",
        "goal-5",
        "goal-10",
        "goal-13",
        "goal-16",
        "goal-17",
    ]
    assert priorities[0]["title"] == "Goal 1: No poverty"
    assert config["data"] == {"licence": "Open Government Licence v3.0"}


def test_every_source_row_is_kept_with_its_period(converted: Path) -> None:
    rows = list(csv.reader(io.StringIO((converted / "disaggregations/3-1-1.csv").read_text())))
    source_rows = list(csv.reader(io.StringIO((FIXTURE / "data/indicator_3-1-1.csv").read_text())))
    assert rows[0] == ["period", *source_rows[0]]
    assert [r[1:] for r in rows[1:]] == source_rows[1:]
    assert rows[1][:2] == ["2005", "2003-05"]


def test_indicators_without_values_are_kept_with_their_metadata(converted: Path) -> None:
    data = load(converted / "indicators/goal-1/1-5-3.yml")
    assert data["values"] == []
    assert (
        "No values: a non-statistical indicator (no data)."
        in (converted / "indicators/goal-1/1-5-3.yml").read_text()
    )
    assert (converted / "indicators/goal-3/3-5-1.yml").exists()  # metadata only


def test_notes_file_lists_what_was_not_converted(converted: Path) -> None:
    notes = (converted / "open-sdg-import.md").read_text()
    assert "- 5-5-1: 2 row(s): a letter after the year (1974a, 1974b)" in notes
    assert "- 3-5-1: no values (no data file in the repository)" in notes


def test_converted_site_builds_and_publishes_the_breakdowns(converted: Path) -> None:
    result = run_cli("build", converted)
    assert result.exit_code == 0, result.stderr
    published = converted / "site/data/3-1-1-disaggregations.csv"
    data = published.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfperiod,Year,Series,") and b"\r\n" in data
    page = (converted / "site/indicators/3-1-1/index.html").read_text()
    assert 'href="../../data/3-1-1-disaggregations.csv" download>' in page
    assert "Download every series and breakdown (CSV," in page
    assert not (converted / "site/data/1-5-3-disaggregations.csv").exists()
    about = (converted / "site/about-this-data/index.html").read_text()
    assert "shown at the span" in about


def test_published_breakdowns_neutralise_formulas_but_not_numbers(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write(
        repo / "data/indicator_1-1-1.csv",
        'Year,Region,Value\n2019,,-1.5\n2019,=HYPERLINK("x"),2\n2020,,3\n',
    )
    write(repo / "meta/1-1-1.md", "---\nindicator_number: 1.1.1\n---\n")
    site = tmp_path / "site-src"
    assert run_cli("import", "--from", "open-sdg", repo, site).exit_code == 0
    assert run_cli("build", site).exit_code == 0
    published = (site / "site/data/1-1-1-disaggregations.csv").read_bytes().decode("utf-8-sig")
    assert published.splitlines() == [
        "period,Year,Region,Value",
        "2019,2019,,-1.5",
        '2019,2019,"\'=HYPERLINK(""x"")",2',
        "2020,2020,,3",
    ]


def test_an_existing_site_is_not_overwritten(converted: Path) -> None:
    before = (converted / "site_config.yml").read_bytes()
    result = run_cli("import", "--from", "open-sdg", FIXTURE, converted)
    assert result.exit_code == 1
    assert "already holds site_config.yml, indicators, disaggregations" in result.stderr
    assert (converted / "site_config.yml").read_bytes() == before


def test_dry_run_and_a_folder_that_is_not_a_repository(tmp_path: Path) -> None:
    result = run_cli("import", "--from", "open-sdg", "--dry-run", FIXTURE, tmp_path / "new")
    assert result.exit_code == 0
    assert result.stdout == SUMMARY
    assert not (tmp_path / "new").exists()
    result = run_cli("import", "--from", "open-sdg", tmp_path, tmp_path / "new")
    assert result.exit_code == 1
    assert "not an Open SDG data repository (it has no data/ or meta/ folder)" in result.stderr


def test_unreadable_metadata_is_reported_and_the_data_still_converted(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write(repo / "data/indicator_2-1-1.csv", "Year,Value\n2019,1\n")
    write(repo / "meta/2-1-1.md", "---\ngraph_title: [unclosed\n---\nBody\n")
    site = tmp_path / "site-src"
    result = run_cli("import", "--from", "open-sdg", repo, site)
    assert result.exit_code == 0, result.stderr
    text = (site / "indicators/goal-2/2-1-1.yml").read_text()
    assert "# meta/2-1-1.md: the metadata cannot be read" in text
    assert load(site / "indicators/goal-2/2-1-1.yml")["title"] == "Indicator 2.1.1"


def test_translations_and_polarity_from_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write(repo / "data/indicator_4-1-1.csv", "Year,Value\n2019,1\n2020,2\n")
    write(
        repo / "meta/4-1-1.md",
        "---\nindicator_name: global_indicators.4-1-1-title\npolarity: higher_is_better\n---\n",
    )
    write(repo / "translations/en/global_goals.yml", "4-short: Education for all\n")
    write(
        repo / "translations/en/global_indicators.yml",
        "4-1-1-title: Proportion of children achieving a minimum proficiency\n",
    )
    site = tmp_path / "site-src"
    result = run_cli(
        "import", "--from", "open-sdg", "--title", "SDG data", "--organisation", "ONS", repo, site
    )
    assert result.exit_code == 0, result.stderr
    config = load(site / "site_config.yml")
    assert config["site"] == {
        "title": "SDG data",
        "organisation": "ONS",
        "description": "Data for the UN Sustainable Development Goals, converted from an Open "
        "SDG data repository.",
    }
    assert config["priorities"][0]["title"] == "Goal 4: Education for all"  # type: ignore[index]
    data = load(site / "indicators/goal-4/4-1-1.yml")
    assert data["title"] == "Proportion of children achieving a minimum proficiency"
    assert data["polarity"] == "higher_is_better"
    assert "not rated" not in (site / "indicators/goal-4/4-1-1.yml").read_text()
    assert "The repository's licence was not recognised: set data.licence" in result.stdout
