"""The pages a reader gets, built for real with MkDocs: what each page type must show."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from generator.render.opendata import COLUMNS
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
    description: "Helping people **stay well**."
  - id: economy
    title: A strong economy
"""

DTOC = """\
title: Delayed transfers of care
ref: ASC-07
description: Bed days lost to delays.
priority: health
service: Adult Social Care
tags: [BCF, statutory]
unit: percent
decimals: 2
polarity: lower_is_better
frequency: monthly
source: NHS England
owner: Director of Adult Services
target:
  - {from: 2019-04, value: 3}
  - {from: 2019-07, value: 2.5}
benchmarks:
  - {label: National average, value: 3.02, period: 2018/19}
values:
  - {period: 2019-05, value: 2.28}
  - {period: 2019-04, value: 2.25}
  - {period: 2019-06, value: 2.53}
  - {period: 2019-07, value: 2.96, note: "Community hospital delays."}
  - {period: 2019-08, value: null, missing: not_available}
  - {period: 2019-09, value: 2.46}
commentary: |
  ## Why it moved

  Delays fell in *September*.
actions: Weekly reviews with the hospitals.
"""

OUTPUT = """\
title: Jobs created
priority: economy
polarity: higher_is_better
target: 100
values:
  - {period: 2019/20 Q1, value: 90}
  - {period: 2019/20 Q2, value: 120}
"""

PROJECT = """\
title: New bridge
kind: project
priority: economy
updates:
  - period: 2019/20 Q1
    rating: green
    progress: achieved_milestone
    commentary: Design approved.
  - period: 2019/20 Q2
    rating: amber
    progress: missed_milestone
    commentary: Steel deliveries are late.
milestones:
  - {title: Award contract, due: 2019-06, status: done}
  - {title: Open to traffic, due: 2020/21 Q2, status: at_risk}
next_steps:
  - Agree a new delivery date.
"""


class Text(HTMLParser):
    """Visible text and a few structures of a page, without a third-party parser."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.skip = 0
        self.h1: list[str] = []
        self._in_h1 = False
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)
            if self._in_h1:
                self.h1[-1] += data


def page(site_dir, url):
    html = plain_tables((site_dir / url / "index.html").read_text(encoding="utf-8"))
    parser = Text()
    parser.feed(html)
    text = " ".join(" ".join(parser.text).split())
    return html, text, parser


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    (root / "indicators" / "health").mkdir(parents=True)
    (root / "site_config.yml").write_text(CONFIG)
    (root / "indicators" / "health" / "dtoc.yml").write_text(DTOC)
    (root / "indicators" / "jobs.yml").write_text(OUTPUT)
    (root / "indicators" / "bridge.yml").write_text(PROJECT)
    (root / "content" / "reports").mkdir(parents=True)
    (root / "content" / "reports" / "2019-20-q2.md").write_text(
        "## Highlights\n\nA good quarter.\n"
    )
    (root / "content" / "about.md").write_text("# About this site\n\nRun by Test Council.\n")
    result = run_cli("build", "--strict", root)
    assert result.exit_code == 0, result.stderr
    return root / "site"


def test_home_headline_in_words(built):
    _, text, parser = page(built, "")
    assert parser.h1 == ["Test performance"]
    # dtoc Sep 2.46 <= 2.5 green; jobs 120 >= 100 green: 2 of 2 (the bridge is a project).
    assert "2 of 2 rated measures are Green (100%)" in text
    # dtoc has no direction: August has no value to compare September with; jobs 90 -> 120.
    assert "1 improving, 0 steady, 0 declining" in text
    # Q1: dtoc Jun 2.53 <= 3 green, jobs 90 red (below 95): both rated at both periods, jobs
    # better (red to green), dtoc the same.
    assert (
        "2 measures were rated at both Q1 2019/20 and Q2 2019/20. Since Q1 2019/20, the rating "
        "of 1 is better, of 1 the same and of 0 worse. Green: 1 of them at Q1 2019/20, 2 at "
        "Q2 2019/20." in text
    )
    # The bridge, counted apart: amber at Q2.
    assert "1 project: 1 requiring attention" in text
    assert "as at the end of Q2 2019/20" in text


def test_home_summary_table_and_narrative(built):
    html, text, _ = page(built, "")
    assert (
        '<caption id="summary-table">Measures: ratings and direction of travel by priority at Q2 2019/20</caption>'
        in html
    )
    row = re.search(
        r'<tr><th scope="row"><a href="priorities/economy/">A strong economy</a></th>(.*?)</tr>',
        html,
    )
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1))
    values = [re.sub(r"<[^>]+>", "", c) for c in cells]
    # green, amber, red, blue, not rated, improving, steady, declining
    # jobs only (the bridge is counted with the projects): green, improving
    assert values == ["1", "0", "0", "0", "0", "1", "0", "0"]
    projects = re.search(
        r'<caption id="projects-summary-table">.*?<a href="priorities/economy/">A strong economy</a></th>(.*?)</tr>',
        html,
        re.S,
    )
    assert projects is not None
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", projects.group(1))]
    # on target, requires attention, off target, closed, no update
    assert cells == ["0", "1", "0", "0", "0"]
    changes = re.search(r'<caption id="changes-table">(.*?)</caption>(.*?)</table>', html, re.S)
    assert changes is not None
    assert changes[1] == (
        "Change in rating from Q1 2019/20 to Q2 2019/20, by priority, over the measures rated "
        "at both"
    )
    economy = re.search(r"A strong economy</a></th>(.*?)</tr>", changes[2])
    assert economy is not None
    # rated at both, better, same, worse: jobs, red to green
    assert re.findall(r"<td>(.*?)</td>", economy[1]) == ["1", "1", "0", "0"]
    assert "What the council says about Q2 2019/20" in text
    assert "A good quarter." in text
    assert re.search(r"<h3[^>]*>Highlights</h3>", html), "narrative headings sit under the h2"


def test_priority_page(built):
    html, _text, parser = page(built, "priorities/health")
    assert parser.h1 == ["Healthy lives"]
    assert "<strong>stay well</strong>" in html
    assert '<ul class="pp-cards" aria-label="Measures in this priority at Q2 2019/20">' in html
    row = re.search(
        r'<article class="pp-card" aria-labelledby="card-dtoc">.*?</article>',
        html,
        re.S,
    )
    assert row is not None
    assert "ASC-07" in row.group(0)
    assert "Sep 2019" in row.group(0) and "2.46%" in row.group(0) and "2.50%" in row.group(0)
    assert "pp-rating--green" in row.group(0)
    assert ">No comparison<" in row.group(0), "August is missing, so September has no direction"


def test_measure_page_facts_table_and_downloads(built):
    html, text, parser = page(built, "indicators/dtoc")
    assert parser.h1 == ["Delayed transfers of care"]
    assert "<title>Delayed transfers of care – Test performance</title>" in html
    for fact in (
        "Reference: ASC-07",
        "Service: Adult Social Care",
        "Tags: BCF, statutory",
        "Latest value (Sep 2019) 2.46%",
        "Target from Apr 2019: 3.00%; Target from Jul 2019: 2.50%",
        "Which way is better Lower is better",
        "National average (2018/19): 3.02%",
        "How often it is reported Monthly",
        "Source NHS England",
        "Responsible officer Director of Adult Services",
    ):
        assert fact in text, fact
    body = html[html.index('id="values-table"') :]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', body)
    assert [r[0] for r in rows] == [
        "Sep 2019",
        "Aug 2019",
        "Jul 2019",
        "Jun 2019",
        "May 2019",
        "Apr 2019",
    ]
    aug = re.sub(r"<[^>]+>", "|", rows[1][1])
    assert "Not available" in aug
    jul = re.sub(r"<[^>]+>", " ", rows[2][1])
    assert (
        "2.96%" in jul
        and "Red" in jul
        and "Declining" in jul
        and "Community hospital delays." in jul
    )
    assert "Delays fell in <em>September</em>." in html
    assert re.search(r"<h3[^>]*>Why it moved</h3>", html), "commentary headings sit under the h2"
    assert "Weekly reviews with the hospitals." in text
    assert 'href="../../data/dtoc.csv"' in html and "Download the data (CSV, 1 KB)" in text


def test_measure_chart_is_data_with_a_stepped_target_and_benchmark(built):
    html, text, _ = page(built, "indicators/dtoc")
    raw = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', html, re.S)
    assert raw is not None
    chart = json.loads(raw.group(1))
    values, target, benchmark = chart["data"]
    assert values["x"] == ["Apr 2019", "May 2019", "Jun 2019", "Jul 2019", "Aug 2019", "Sep 2019"]
    assert values["y"] == [2.25, 2.28, 2.53, 2.96, None, 2.46]
    assert target["y"] == [3, 3, 3, 2.5, 2.5, 2.5] and target["line"]["shape"] == "hv"
    assert benchmark["name"] == "National average (2018/19)" and set(benchmark["y"]) == {3.02}
    # One value across the chart: a line from the first period to the last, not a point each.
    assert benchmark["x"] == [values["x"][0], values["x"][-1]] and len(benchmark["y"]) == 2
    assert target["line"]["dash"] != benchmark["line"]["dash"]
    # Readable without JavaScript: the summary is text in the page.
    assert (
        "The latest value is 2.46% for Sep 2019, against a target of 2.50%, so it is rated Green"
        in text
    )
    assert "One period has no value." in text
    assert "plotly" not in html.split("<body")[0].lower(), "Plotly must not load in the head"


def test_plotly_served_once_from_the_site(built):
    html, _, _ = page(built, "indicators/dtoc")
    assert 'data-plotly="../../assets/javascripts/vendor/plotly.min.js"' in html
    assert (built / "assets" / "javascripts" / "vendor" / "plotly.min.js").stat().st_size > 500_000
    home, _, _ = page(built, "")
    assert "charts.js" not in home, "pages without a chart do not load the chart code"


def test_project_page(built):
    html, text, parser = page(built, "indicators/bridge")
    assert parser.h1 == ["New bridge"]
    assert "Update for Q2 2019/20" in text and "Steel deliveries are late." in text
    assert "Amber" in text and "Missed or at risk of missing a milestone" in text
    body = html[html.index('id="milestones-table"') :]
    rows = [
        re.sub(r"<[^>]+>", "", r) for r in re.findall(r"<tr>(.*?)</tr>", body.split("</table>")[0])
    ]
    assert rows[1:] == ["Award contractJun 2019Done", "Open to trafficQ2 2020/21At risk"]
    assert "Agree a new delivery date." in text
    assert "Earlier updates" in text and "Design approved." in text


def test_all_indicators_and_content_pages(built):
    html, _text, _ = page(built, "indicators")
    for title in ("Delayed transfers of care", "Jobs created", "New bridge"):
        assert f">{title}</a>" in html
    _, about, parser = page(built, "about")
    assert parser.h1 == ["About this site"] and "Run by Test Council." in about
    _, rules, _ = page(built, "how-to-read")
    assert "90% or more is green, 85.5% up to 90% is amber, and below 85.5% is red" in rules
    assert "The tolerance is 5% of the target" in rules
    _, statement, _ = page(built, "accessibility")
    assert "This website is run by Test Council." in statement


def test_open_data_files(built):
    rows = (built / "data" / "dtoc.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert rows[0].startswith("indicator_id,indicator_title,priority_id,kind,period,")
    assert rows[1].split(",")[4:9] == ["2019-04", "Apr 2019", "2019-04-01", "2019-04-30", "2.25"]
    text = (built / "data" / "dtoc.json").read_text()
    data = json.loads(text)
    assert [v["value"] for v in data["values"]] == [2.25, 2.28, 2.53, 2.96, None, 2.46]
    assert all(list(v) == COLUMNS[4:] for v in data["values"])  # as SPEC.md says
    # one member a line, each value row a line of its own, no other white space
    lines = 2 + len(data) + sum(len(v) + 1 for v in data.values() if isinstance(v, list) and v)
    assert text.count("\n") == lines
    assert not any(line.startswith(" ") for line in text.splitlines())
    assert data["values"][4]["missing_reason"] == "not_available"
    header, *everything = json.loads((built / "data" / "indicators.json").read_text())
    ident = header.index("indicator_id")
    assert {r[ident] for r in everything} == {"dtoc", "jobs", "bridge"}


def test_search_excludes_data_tables(built):
    index = json.loads((built / "search" / "search_index.json").read_text())
    texts = " ".join(d["text"] for d in index["docs"])
    assert "Delays fell in" in texts
    assert "Community hospital delays." not in texts, "the values table is not indexed"
