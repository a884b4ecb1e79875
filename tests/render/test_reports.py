"""Reports by period: which periods get a report, the position and summary as they stood then,
the pages for each period, the printable report, and the navigation staying small."""

from __future__ import annotations

import re

import pytest
import yaml

from generator.assess.history import History, report_periods
from generator.pipeline import check, generate
from generator.site.models import REPORT_YEARS
from generator.site.periods import PeriodKind
from tests.conftest import run_cli
from tests.render.tables import plain_tables

CONFIG = """\
site:
  title: Test performance
  organisation: Test Council
  url: https://performance.test.example/
reporting_period: 2019/20 Q2
priorities:
  - id: health
    title: Healthy lives
  - id: economy
    title: A strong economy
"""

# Target 90, tolerance 5% (85.5): Q4 80 red; Q1 88 amber, improving; Q2 91 green, improving.
WAITS = """\
title: Patients seen within four hours
priority: health
unit: percent
polarity: higher_is_better
target: 90
values:
  - {period: 2018/19 Q4, value: 80}
  - {period: 2019/20 Q1, value: 88, note: "Winter pressures eased."}
  - {period: 2019/20 Q2, value: 91}
commentary: Best quarter for two years.
earlier_commentary:
  - period: 2019/20 Q1
    commentary: A recovery plan is in place.
    actions: Extra weekend clinics.
  - period: 2019/20 Q3
    commentary: Written in advance of its quarter; not shown yet.
"""

# Starts in Q1: not counted at Q4 2018/19.
JOBS = """\
title: Jobs created
priority: economy
polarity: higher_is_better
target: 100
values:
  - {period: 2019/20 Q1, value: 120}
  - {period: 2019/20 Q2, value: 90}
"""

BRIDGE = """\
title: New bridge
kind: project
priority: economy
updates:
  - {period: 2019/20 Q1, rating: green, progress: achieved_milestone, commentary: Design approved.}
  - {period: 2019/20 Q2, rating: amber, progress: missed_milestone, commentary: Steel is late.}
milestones:
  - {title: Open to traffic, due: 2020/21 Q2, status: at_risk}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("history")
    (root / "indicators").mkdir()
    (root / "site_config.yml").write_text(CONFIG)
    (root / "indicators" / "waits.yml").write_text(WAITS)
    (root / "indicators" / "jobs.yml").write_text(JOBS)
    (root / "indicators" / "bridge.yml").write_text(BRIDGE)
    (root / "content" / "reports").mkdir(parents=True)
    (root / "content" / "reports" / "2019-20-q1.md").write_text(
        "## Highlights\n\nA difficult spring for the hospital: see [waiting times]"
        "(indicators/waits.md) and [how to read this](how-to-read.md#ratings).\n"
    )
    (root / "content" / "reports" / "2019-20-q2.md").write_text(
        "A good summer. [Jobs](indicators/jobs.md) rose.\n"
    )
    result = run_cli("build", "--strict", root)
    assert result.exit_code == 0, result.stderr
    return root


def text_of(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


def read(site, url: str) -> str:
    return plain_tables((site / "site" / url / "index.html").read_text(encoding="utf-8"))


def docs(site, path: str) -> str:
    return (site / "build" / "docs" / path).read_text(encoding="utf-8")


# ---- Which periods ----------------------------------------------------------------------------


def test_a_report_for_every_period_back_to_the_earliest_data(site):
    folders = sorted(p.name for p in (site / "site" / "reports").iterdir() if p.is_dir())
    assert folders == ["2018-19-q4", "2019-20-q1", "2019-20-q2"]
    for slug in folders:
        assert (site / "site" / "reports" / slug / "index.html").is_file()
    # A printable version for the current period and each narrated one only (the default,
    # reports: printable: narrated); Q4 2018/19 has no narrative.
    printed = sorted(
        p.parent.parent.name for p in (site / "site").glob("reports/*/print/index.html")
    )
    assert printed == ["2019-20-q1", "2019-20-q2"]
    assert "print" not in docs(site, "reports/2018-19-q4/index.md").split("---")[2]


def test_report_periods_follow_the_form_of_the_reporting_period(make_site):
    monthly = make_site(
        config=CONFIG.replace("2019/20 Q2", "2019-09"),
        indicators={
            "m.yml": "title: M\npriority: health\npolarity: neutral\nvalues:\n"
            "  - {period: 2019-06, value: 1}\n  - {period: 2019/20 Q2, value: 2}\n"
        },
    )
    site_model, assessed, _ = check(monthly.root)
    periods = report_periods(site_model.config.reporting_period, assessed)
    assert [p.text for p in periods] == ["2019-09", "2019-08", "2019-07", "2019-06"]
    # A quarter's value ends in September: it counts from the September report only.
    assert all(p.kind is PeriodKind.MONTH for p in periods)


def test_reports_go_back_ten_years_at_most(make_site):
    """A value from long ago (or a mistyped year) does not make a report for every month since:
    the reports stop REPORT_YEARS back and their index says where the rest is."""
    monthly = make_site(
        config=CONFIG.replace("2019/20 Q2", "2019-09"),
        indicators={
            "m.yml": "title: M\npriority: health\npolarity: neutral\nvalues:\n"
            "  - {period: 1919-09, value: 1}\n  - {period: 2019-09, value: 2}\n"
        },
    )
    site_model, assessed, _ = check(monthly.root)
    periods = report_periods(site_model.config.reporting_period, assessed)
    assert REPORT_YEARS == 10
    assert len(periods) == 12 * REPORT_YEARS
    assert (periods[0].text, periods[-1].text) == ("2019-09", "2009-10")
    history = History(site_model.config.reporting_period, assessed, ["health", "economy"], 120)
    assert history.cut_short
    # The oldest report compares with the month before it, which has the 1919 value.
    assert history.states[-1].previous is not None
    generate(monthly.root, monthly.root / "site")  # the pages MkDocs would be given
    index = (monthly.root / "build" / "docs" / "reports" / "index.md").read_text(encoding="utf-8")
    assert "Reports go back 10 years." in index
    assert not (monthly.root / "build" / "docs" / "reports" / "2009-09").exists()


@pytest.mark.parametrize(
    ("years", "reports", "said"),
    [
        (2, 8, "Reports go back 2 years."),
        (1, 4, "Reports go back one year."),
        (0, 1, "Only the current period has a report."),
    ],
)
def test_reports_go_back_as_far_as_the_site_says(make_site, years, reports, said):
    """reports: years in site_config.yml bounds the reports (a large site's build time grows
    with reports × indicators); the index says so, and no older report is written."""
    values = "".join(
        f"  - {{period: {y}/{(y + 1) % 100:02d} Q{q}, value: {q}}}\n"
        for y in range(2015, 2020)
        for q in range(1, 5)
        if (y, q) <= (2019, 2)
    )
    long = "title: Long series\npriority: health\npolarity: neutral\nvalues:\n" + values
    site = make_site(config=CONFIG + f"reports:\n  years: {years}\n", indicators={"long.yml": long})
    site_model, assessed, _ = check(site.root)
    assert site_model.config.reports.years == years
    history = History(
        site_model.config.reporting_period, assessed, ["health", "economy"], 24, years
    )
    assert [s.period for s in history.states] == report_periods(
        site_model.config.reporting_period, assessed, years
    )
    assert len(history.states) == reports
    assert history.cut_short
    run_cli("build", site.root)
    docs = site.root / "build" / "docs" / "reports"
    assert said in (docs / "index.md").read_text(encoding="utf-8")
    written = sorted(p.name for p in docs.iterdir() if p.is_dir())
    assert written == sorted(s.period.slug for s in history.states)


def test_reports_of_a_short_history_say_nothing_of_a_limit(make_site):
    site = make_site(config=CONFIG, indicators={"waits.yml": WAITS})
    site_model, assessed, _ = check(site.root)
    history = History(site_model.config.reporting_period, assessed, ["health", "economy"], 24)
    assert not history.cut_short
    assert [s.period.text for s in history.states][-1] == "2018/19 Q4"


def test_no_data_gives_only_the_current_report(make_site):
    empty = make_site(
        indicators={"e.yml": "title: E\npriority: health\npolarity: neutral\nvalues: []\n"}
    )
    site_model, assessed, _ = check(empty.root)
    assert report_periods(site_model.config.reporting_period, assessed) == [
        site_model.config.reporting_period
    ]


# ---- Positions and summaries as they stood ------------------------------------------------------


def test_earlier_report_shows_the_position_as_it_stood(site):
    text = text_of(read(site, "reports/2018-19-q4"))
    assert "Report for Q4 2018/19" in text
    # Only the waiting-times measure had data: 80 against 90 is red. Jobs had not started.
    assert "0 of 1 rated measures are Green (0%)" in text
    assert "0 improving, 0 steady, 0 declining" in text
    assert "At Q3 2018/19" not in text, "there is nothing to compare the earliest report with"
    html = read(site, "reports/2018-19-q4")
    row = re.search(r'<tr><th scope="row"><a href="../../indicators/waits/">.*?</tr>', html)
    assert row and "Q4 2018/19" in row.group(0) and "80%" in row.group(0)
    assert "pp-rating--red" in row.group(0)
    # Jobs and the bridge began reporting later: left out and counted, not padded with empty rows.
    assert "../../indicators/jobs/" not in html
    assert "2 indicators began reporting after Q4 2018/19 and are not in this report." in text
    # Its priority had no indicator yet; the bridge (a project) had not begun either.
    assert "No indicator in this priority had begun reporting by Q4 2018/19." in text


def test_q1_report_compares_with_q4_and_shows_its_narrative(site):
    html = read(site, "reports/2019-20-q1")
    text = text_of(html)
    # Q1: waits 88 amber (improving), jobs 120 green: 1 of 2; the bridge (green) is a project.
    assert "1 of 2 rated measures are Green (50%)" in text
    # Only waits was rated at Q4 (red) and at Q1 (amber): compared over that one measure.
    assert (
        "1 measure was rated at both Q4 2018/19 and Q1 2019/20: its rating is better than at "
        "Q4 2018/19." in text
    )
    assert "1 improving, 0 steady, 0 declining" in text
    assert "1 project: 1 on target" in text
    assert "A difficult spring for the hospital" in text
    assert "A good summer." not in text
    assert re.search(r"<h3[^>]*>Highlights</h3>", html)
    # Links written for the home page still work two folders down (the build is strict).
    assert '<a href="../../indicators/waits/">waiting times</a>' in html
    assert '<a href="../../how-to-read/#ratings">how to read this</a>' in html
    row = re.search(r'<tr><th scope="row"><a href="../../indicators/waits/">.*?</tr>', html)
    assert row and "88%" in row.group(0) and "pp-rating--amber" in row.group(0)
    assert "Improving" in row.group(0)
    # Links between reports, and to the printable version.
    assert 'href="../2018-19-q4/"' in html and 'href="../2019-20-q2/"' in html
    assert 'href="print/"' in html
    assert "This is an earlier report" in text


def test_reports_index_lists_every_report_newest_first(site):
    html = read(site, "reports")
    links = re.findall(r'<a href="(20[^"]+/)">Report for ([^<]+)</a>', html)
    assert links == [
        ("2019-20-q2/", "Q2 2019/20"),
        ("2019-20-q1/", "Q1 2019/20"),
        ("2018-19-q4/", "Q4 2018/19"),
    ]
    for slug, _ in links[:2]:
        assert f'href="{slug}print/"' in html
    assert 'href="2018-19-q4/print/"' not in html
    assert text_of(html).count("The report prints as shown") == 1
    assert 'href="../feed.xml"' in html


def test_home_page_links_earlier_reports_and_the_printable_report(site):
    html = read(site, "")
    assert '<a href="indicators/jobs/">Jobs</a>' in html
    assert '<a href="../../../indicators/jobs/">Jobs</a>' in read(site, "reports/2019-20-q2/print")
    assert '<a href="reports/2019-20-q2/print/">' in html
    assert (
        '<a href="reports/2019-20-q1/">Q1 2019/20</a>, <a href="reports/2018-19-q4/">Q4 2018/19</a>'
        in html
    )
    assert '<a href="reports/">' in html


def test_navigation_has_one_entry_for_all_reports(site):
    config = yaml.safe_load((site / "build" / "mkdocs.yml").read_text(encoding="utf-8"))
    entries = yaml.safe_dump(config["nav"])
    assert entries.count("reports/") == 1
    assert {"Reports": "reports/index.md"} in config["nav"]


def test_current_report_is_not_searched_twice_and_print_pages_never(site):
    assert "exclude: true" in docs(site, "reports/2019-20-q2/index.md").split("---")[1]
    assert "exclude: true" not in docs(site, "reports/2019-20-q1/index.md").split("---")[1]
    for slug in ("2019-20-q1", "2019-20-q2"):
        front = yaml.safe_load(docs(site, f"reports/{slug}/print.md").split("---")[1])
        assert front["search"] == {"exclude": True}
        assert front["hide"] == ["navigation", "toc"]


# ---- Earlier commentary ------------------------------------------------------------------------


def test_indicator_page_shows_earlier_commentary_kept_in_the_yaml(site):
    html = read(site, "indicators/waits")
    text = text_of(html)
    assert re.search(r"<h2[^>]*>Earlier commentary</h2>", html)
    assert re.search(r"<h3[^>]*>Q1 2019/20</h3>", html)
    assert "A recovery plan is in place." in text and "Extra weekend clinics." in text
    assert "Written in advance" not in text, "commentary for a later period is not shown yet"


def test_printable_report_uses_the_commentary_of_its_period(site):
    q1 = text_of(read(site, "reports/2019-20-q1/print"))
    q2 = text_of(read(site, "reports/2019-20-q2/print"))
    assert "A recovery plan is in place." in q1 and "Best quarter for two years." not in q1
    assert "Best quarter for two years." in q2 and "A recovery plan is in place." not in q2
    # Projects: the update of the period; milestones only in the current report.
    assert "Design approved." in q1 and "Steel is late." not in q1
    assert "Steel is late." in q2 and "Open to traffic" in q2 and "Open to traffic" not in q1


def test_printable_report_has_every_indicator_in_report_order(site):
    html = read(site, "reports/2019-20-q2/print")
    text = text_of(html)
    body = text_of(html[html.index('class="pp-page-break"') :])
    order = [
        body.index(t)
        for t in (
            "Healthy lives",
            "Patients seen within four hours",
            "A strong economy",
            "Jobs created",
            "New bridge",
        )
    ]
    assert order == sorted(order)
    # A page break before each priority; one h1; the data as a table with a caption.
    assert html.count('class="pp-page-break"') == 2
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert (
        '<caption id="values-waits">Values of Patients seen within four hours up to Q2 2019/20</caption>'
        in html
    )
    # The static chart, with a name, and the written summary beside it.
    assert re.search(
        r'<svg class="pp-spark"[^>]*role="img"[^>]*aria-label="Chart of Patients seen', html
    )
    assert "The latest value is 91% for Q2 2019/20" in text
    assert "pp-raw" not in html, "the carried sections are put back (generator/mkdocs/raw_html.py)"


def test_printable_all_gives_every_report_a_printable_version(make_site):
    every = make_site(
        config=CONFIG + "reports:\n  printable: all\n",
        indicators={"waits.yml": WAITS, "jobs.yml": JOBS, "bridge.yml": BRIDGE},
    )
    result = run_cli("build", "--strict", every.root)
    assert result.exit_code == 0, result.stderr
    index = read(every.root, "reports")
    for slug in ("2018-19-q4", "2019-20-q1", "2019-20-q2"):
        assert f'href="{slug}/print/"' in index
    assert "The report prints as shown" not in index
    assert 'href="print/"' in read(every.root, "reports/2018-19-q4")
    # The earliest report leaves out the indicators that began reporting later, and says so.
    early = text_of(read(every.root, "reports/2018-19-q4/print"))
    assert "Patients seen within four hours" in early and "Jobs created" not in early
    assert "No data yet" not in early
    assert "2 indicators began reporting after Q4 2018/19 and are not in this report." in early


def test_generated_pages_are_deterministic(site, tmp_path):
    from generator.pipeline import generate

    first = {
        p.relative_to(site / "build" / "docs"): p.read_bytes()
        for p in (site / "build" / "docs").rglob("*")
        if p.is_file()
    }
    generate(site, site / "site")
    second = {
        p.relative_to(site / "build" / "docs"): p.read_bytes()
        for p in (site / "build" / "docs").rglob("*")
        if p.is_file()
    }
    assert first == second


def test_printed_report_shows_the_last_values_only(make_site):
    """However long a series, the printed report shows its last eight values; its page and data
    files keep every one."""
    quarters = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in (2017, 2018, 2019) for q in (1, 2, 3, 4)]
    values = "".join(f"  - {{period: {p}, value: {50 + i}}}\n" for i, p in enumerate(quarters[:10]))
    long = make_site(
        indicators={
            "long.yml": "title: Long series\npriority: health\nunit: number\n"
            "polarity: higher_is_better\ntarget: 55\nvalues:\n" + values
        }
    )
    result = run_cli("build", "--strict", long.root)
    assert result.exit_code == 0, result.stderr
    html = plain_tables(
        (long.root / "site" / "reports" / "2019-20-q2" / "print" / "index.html").read_text()
    )
    table = re.search(
        r'<table class="pp-data">\s*<caption id="values-long">(.*?)</caption>(.*?)</table>',
        html,
        re.S,
    )
    assert table.group(1) == "Values of Long series: the last 8 periods up to Q2 2019/20"
    periods = re.findall(r'<tr><th scope="row">([^<]+)</th>', table.group(2))
    assert periods[0] == "Q2 2019/20" and len(periods) == 8 and periods[-1] == "Q3 2017/18"
    assert "Over the 8 periods shown, from Q3 2017/18 to Q2 2019/20" in html
    assert html.count("<circle ") == 8, "the chart shows the same eight values"
    page = (long.root / "site" / "indicators" / "long" / "index.html").read_text()
    assert "Q1 2017/18" in page and "Q1 2017/18" not in table.group(2)


def test_rebase_links_moves_relative_links_only():
    from generator.render.reports import rebase_links

    text = (
        'See [a](indicators/a.md), ![c](img/c.png "t") and <a href="about/">b</a>.\n'
        "[ref]: priorities/x.md\n"
        "Left: [w](https://example.org/x), [r](/root/), [h](#top), [m](mailto:a@b.org).\n"
        "```\n[code](indicators/a.md)\n```\n"
    )
    assert rebase_links(text, "../../") == (
        'See [a](../../indicators/a.md), ![c](../../img/c.png "t") and '
        '<a href="../../about/">b</a>.\n'
        "[ref]: ../../priorities/x.md\n"
        "Left: [w](https://example.org/x), [r](/root/), [h](#top), [m](mailto:a@b.org).\n"
        "```\n[code](indicators/a.md)\n```\n"
    )
