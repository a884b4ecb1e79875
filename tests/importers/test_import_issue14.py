"""``perfpages import`` as a performance officer uses it (issue 14, point 6): into the file
``perfpages new`` writes, quarter by quarter, with the headers councils' reports use."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path

from generator.commands.scaffold import init_site
from tests.conftest import SiteDir, run_cli, write


def sheet(root: Path, text: str, name: str = "q.csv") -> Path:
    return write(root.parent / name, textwrap.dedent(text))


def test_a_value_for_the_last_item_of_the_last_field(make_site: Callable[..., SiteDir]) -> None:
    # The shape `perfpages new` wrote: the imported period is the last entry of values:, and
    # values: the last field (it crashed with an IndexError in rewrite._regions).
    site = make_site()
    path = site.indicator(
        "test-measure.yml",
        "title: T\npriority: health\npolarity: neutral\nvalues:\n"
        "  - period: 2019/20 Q2\n    value: null\n    missing: tbc\n",
    )
    csv = sheet(site.root, "indicator,period,value\ntest-measure,2019/20 Q2,7\n")
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 0, result.stderr
    assert path.read_text().endswith("  - period: 2019/20 Q2\n    value: 7\n")


def test_the_same_target_on_every_row_is_written_once(make_site: Callable[..., SiteDir]) -> None:
    site = make_site()
    path = site.indicator(
        "test-measure.yml", "title: T\npriority: health\npolarity: higher_is_better\nvalues: []\n"
    )
    csv = sheet(
        site.root,
        """\
        indicator,period,value,target
        test-measure,2019/20 Q1,81,80
        test-measure,2019/20 Q2,82,80
        test-measure,2019/20 Q3,83,85
        test-measure,2019/20 Q4,84,85
        """,
    )
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 0, result.stderr
    text = path.read_text()
    assert (
        "target:\n  - from: 2019/20 Q1\n    value: 80\n  - from: 2019/20 Q3\n    value: 85\n"
        in (text)
    )
    assert text.count("from:") == 2
    one = sheet(site.root, "indicator,period,value,target\ntest-measure,2020/21 Q1,1,85\n")
    assert run_cli("import", one, site.root).exit_code == 0
    assert path.read_text().count("from:") == 2  # 85 is already the target: no new step


def test_one_target_for_every_value_is_a_number(make_site: Callable[..., SiteDir]) -> None:
    site = make_site()
    path = site.indicator(
        "test-measure.yml",
        "title: T\npriority: health\npolarity: higher_is_better\nfrequency: quarterly\n"
        "values: []\n",
    )
    csv = sheet(
        site.root,
        "indicator,period,value,target\ntest-measure,2019/20 Q1,81,80\n"
        "test-measure,2019/20 Q2,82,80\n",
    )
    assert run_cli("import", csv, site.root).exit_code == 0
    assert path.read_text().startswith(
        "title: T\npriority: health\npolarity: higher_is_better\nfrequency: quarterly\n"
        "target: 80\nvalues:\n"
    )


def test_values_go_in_values_before_the_comments_of_the_next_fields(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site()
    path = site.indicator(
        "test-measure.yml",
        "title: T\npriority: health\npolarity: neutral\nvalues: []   # none yet\n"
        "# commentary: |\n#   ...\n# source: Where\n",
    )
    csv = sheet(site.root, "indicator,period,value\ntest-measure,2019/20 Q2,2\n")
    assert run_cli("import", csv, site.root).exit_code == 0
    csv = sheet(site.root, "indicator,period,value\ntest-measure,2019/20 Q1,1\n", "q1.csv")
    assert run_cli("import", csv, site.root).exit_code == 0
    assert path.read_text() == (
        "title: T\npriority: health\npolarity: neutral\nvalues:      # none yet\n"
        "  - period: 2019/20 Q1\n    value: 1\n  - period: 2019/20 Q2\n    value: 2\n"
        "# commentary: |\n#   ...\n# source: Where\n"
    )


def test_headers_as_councils_write_them(make_site: Callable[..., SiteDir]) -> None:
    site = make_site()
    path = site.indicator(
        "test-measure.yml",
        "title: Health visits within 14 days\npriority: health\npolarity: higher_is_better\n"
        "target: 90\nvalues: []\n",
    )
    csv = sheet(
        site.root,
        """\
        Performance Indicator,Quarter,Outturn,Target
        Health visits within 14 days,Q1 2019/20,85.1,90
        Health visits within 14 days,Quarter 2 2019-20,91,90
        """,
    )
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 0, result.stderr
    assert 'indicator = "Performance Indicator"' in result.stdout
    # Written in the canonical form, whatever form the sheet used.
    assert "  - period: 2019/20 Q1\n    value: 85.1\n  - period: 2019/20 Q2\n" in path.read_text()


def test_a_column_per_period(make_site: Callable[..., SiteDir]) -> None:
    site = make_site()
    path = site.indicator(
        "test-measure.yml", "title: T\npriority: health\npolarity: neutral\nvalues: []\n"
    )
    csv = sheet(site.root, "Measure,Q1 2019/20,Q2 2019/20,Jul-19\ntest-measure,1,2,\n")
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 0, result.stderr
    assert 'a column of values per period: "Q1 2019/20", "Q2 2019/20", "Jul-19"' in result.stdout
    assert "values:\n  - period: 2019/20 Q1\n    value: 1\n  - period: 2019/20 Q2\n" in (
        path.read_text()
    )


def test_an_ambiguous_period_in_a_sheet_is_reported(make_site: Callable[..., SiteDir]) -> None:
    site = make_site()
    csv = sheet(site.root, "indicator,period,value\ntest-measure,Jun 19,1\n")
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        'q.csv:row 2, column "period": "Jun 19" could mean June 2019 or 19 June; write Jun-19 '
        "or 2019-06 for the month, or the day as YYYY-MM-DD"
    )


def test_new_then_import_two_quarters_then_build_strict(tmp_path: Path) -> None:
    """End to end: a fresh site, `perfpages new`, a quarter imported, then an earlier one."""
    root = tmp_path / "site"
    made = init_site(root, "none", today=dt.date(2019, 11, 1))
    assert made.period.text == "2019/20 Q2"
    assert run_cli("new", "waiting-times", root).exit_code == 0
    path = root / "indicators" / "waiting-times.yml"
    q2 = sheet(root, "Indicator,Period,Value,Target\nwaiting-times,Q2 2019/20,81.2,80\n", "q2.csv")
    first = run_cli("import", q2, root)
    assert first.exit_code == 0, first.stderr
    q1 = sheet(root, "Indicator,Period,Value,Target\nwaiting-times,2019-20 Q1,79.5,80\n", "q1.csv")
    second = run_cli("import", q1, root)
    assert second.exit_code == 0, second.stderr
    text = path.read_text()
    assert text.count("\ntarget:") == 1 and "\ntarget: 80\n" in text
    values = text.index("values:")
    q1_at, q2_at = text.index("- period: 2019/20 Q1"), text.index("- period: 2019/20 Q2")
    assert values < q1_at < q2_at < text.index("# commentary:")
    config = root / "site_config.yml"  # the site's address, which init leaves to the editor
    config.write_text(config.read_text().replace("# url: https://", "url: https://"))
    built = run_cli("build", "--strict", root)
    assert built.exit_code == 0, built.stderr
