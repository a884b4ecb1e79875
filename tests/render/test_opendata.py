"""Open data: the files match the YAML exactly, open cleanly in a spreadsheet, and the Data
Package describing them is valid Frictionless (checked with the frictionless package itself)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.render.opendata import COLUMNS, human_size
from generator.site.periods import parse_period
from tests.conftest import MINIMAL_CONFIG, REPO, run_cli

PROGRESS = {
    "achieved_milestone": "improving",
    "progressing": "steady",
    "missed_milestone": "declining",
}


def read_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), f"{path.name}: no UTF-8 byte order mark"
    text = data.decode("utf-8-sig")  # strict: fails on any byte that is not UTF-8
    reader = csv.reader(io.StringIO(text, newline=""))
    header, *body = list(reader)
    assert header == COLUMNS
    for row in body:
        assert len(row) == len(header), f"{path.name}: ragged row {row}"
    return [dict(zip(header, row, strict=True)) for row in body]


def expected_rating(value: float, target: float, polarity: str, tolerance: dict[str, float]) -> str:
    """The SPEC's rating table, worked independently of generator.assess.assessment."""
    v, t = Decimal(repr(value)), Decimal(repr(target))
    if "percent" in tolerance:
        band = abs(t) * Decimal(repr(float(tolerance["percent"]))) / 100
    else:
        band = Decimal(repr(float(tolerance["absolute"])))
    if polarity == "neutral":
        return "not_rated"
    if polarity == "higher_is_better":
        return "green" if v >= t else "amber" if v >= t - band else "red"
    return "green" if v <= t else "amber" if v <= t + band else "red"


def target_in_force(target: Any, period_text: str) -> float | None:
    if target is None or isinstance(target, dict):
        return None
    if not isinstance(target, list):
        return float(target)
    start = parse_period(period_text).start
    steps = sorted(target, key=lambda s: parse_period(str(s["from"])).start)
    current = None
    for step in steps:
        if parse_period(str(step["from"])).start <= start:
            current = step.get("value")
    return None if current is None else float(current)


def plain(markdown_text: str | None) -> str:
    """Notes in the example are plain sentences: whitespace is the only difference allowed."""
    return " ".join((markdown_text or "").split())


def test_example_files_match_the_yaml_exactly(example_built):
    config = yaml.safe_load((REPO / "site_config.yml").read_text(encoding="utf-8"))
    site_tolerance = config.get("ratings", {}).get("tolerance", {"percent": 5})
    everything = read_csv(example_built / "data" / "indicators.csv")
    header, *table = json.loads((example_built / "data" / "indicators.json").read_text("utf-8"))
    assert header == COLUMNS
    everything_json = [dict(zip(header, values, strict=True)) for values in table]
    checked_values = 0
    seen_rows: list[dict[str, str]] = []
    for path in sorted((REPO / "indicators").rglob("*.yml")):
        source = yaml.safe_load(path.read_text(encoding="utf-8"))
        ident = path.stem
        rows = read_csv(example_built / "data" / f"{ident}.csv")
        info = json.loads((example_built / "data" / f"{ident}.json").read_text("utf-8"))
        assert info["id"] == ident and info["title"] == source["title"]
        assert info["priority_id"] == source["priority"]
        assert info["tags"] == source.get("tags", [])
        assert len(info["values"]) == len(rows)
        seen_rows += rows
        if source.get("kind") == "project":
            updates = sorted(source["updates"], key=lambda u: parse_period(str(u["period"])).end)
            assert [r["period"] for r in rows] == [str(u["period"]) for u in updates]
            for row, update, item in zip(rows, updates, info["values"], strict=True):
                assert row["kind"] == "project" and row["value"] == "" and row["target"] == ""
                assert row["rating"] == update["rating"] == item["rating"]
                assert row["direction"] == PROGRESS[update["progress"]] == item["direction"]
            continue
        values = sorted(source["values"], key=lambda v: parse_period(str(v["period"])).end)
        assert [r["period"] for r in rows] == [str(v["period"]) for v in values], ident
        tolerance = source.get("tolerance", site_tolerance)
        for row, value, item in zip(rows, values, info["values"], strict=True):
            period = parse_period(str(value["period"]))
            assert row["indicator_id"] == ident and row["indicator_title"] == source["title"]
            assert row["start_date"] == period.start.isoformat() == item["start_date"]
            assert row["end_date"] == period.end.isoformat() == item["end_date"]
            assert row["missing_reason"] == (value.get("missing") or "")
            assert item["missing_reason"] == value.get("missing")
            assert plain(row["note"]) == plain(value.get("note")), (ident, value["period"])
            written = value["value"]
            if written is None:
                assert row["value"] == "" and item["value"] is None
            else:
                # The number as written: the same decimal, in CSV text and in JSON.
                assert Decimal(row["value"]) == Decimal(repr(float(written))), (ident, row)
                assert item["value"] == written and type(item["value"]) in (int, float)
                checked_values += 1
            target = target_in_force(source.get("target"), str(value["period"]))
            if target is None:
                assert row["target"] == "" and item["target"] is None
            else:
                assert Decimal(row["target"]) == Decimal(repr(target)) and item["target"] == target
            if "rating" in value:
                assert row["rating"] == value["rating"]
            elif written is None or target is None:
                assert row["rating"] == "not_rated"
            else:
                assert row["rating"] == expected_rating(
                    float(written), target, source["polarity"], tolerance
                ), (ident, value["period"])
            assert item["rating"] == row["rating"]
    sources = [yaml.safe_load(p.read_text("utf-8")) for p in (REPO / "indicators").rglob("*.yml")]
    written = [v for s in sources for v in s.get("values", []) if v["value"] is not None]
    assert len(sources) == 38 and checked_values == len(written) > 0
    # The whole-site files are every indicator's rows, in the same order, and nothing else.
    assert everything == seen_rows
    assert len(everything_json) == len(seen_rows)
    for item, row in zip(everything_json, seen_rows, strict=True):
        assert list(item) == COLUMNS
        for column in COLUMNS:
            if column in ("value", "target") and item[column] is not None:
                assert Decimal(repr(float(item[column]))) == Decimal(row[column])
            else:
                assert ("" if item[column] is None else item[column]) == row[column]


def test_csv_files_open_cleanly_in_a_spreadsheet(example_built):
    """UTF-8 with a byte order mark, CRLF line ends, quotes only where needed, no bare LF."""
    files = sorted((example_built / "data").glob("*.csv"))
    assert len(files) == 39
    for path in files:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
        assert text.endswith("\r\n")
        # Every line end is CRLF; a line feed only appears inside a quoted cell (none here).
        assert "\n" not in text.replace("\r\n", ""), path.name
        read_csv(path)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A site whose text would run as formulas in a spreadsheet if written as it is."""
    root = tmp_path_factory.mktemp("hostile")
    config = {**MINIMAL_CONFIG}
    (root / "site_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (root / "indicators").mkdir()
    (root / "indicators" / "formula.yml").write_text(
        """\
title: "=HYPERLINK(\\"http://evil.example\\",\\"click\\")"
priority: health
unit: number
polarity: higher_is_better
target: -3
values:
  - {period: 2019/20 Q1, value: -5, note: "+SUM(A1:A9)"}
  - {period: 2019/20 Q2, value: -2.5, note: "@cmd|' /C calc'!A0"}
  - {period: 2019/20 Q3, value: null, missing: not_due, note: "-1 late return"}
""",
        encoding="utf-8",
    )
    result = run_cli("build", root)
    assert result.exit_code == 0, result.stderr
    return root / "site" / "data"


def test_no_formula_injection(hostile):
    for name in ("formula.csv", "indicators.csv"):
        rows = read_csv(hostile / name)
        assert [r["indicator_title"] for r in rows] == [
            '\'=HYPERLINK("http://evil.example","click")'
        ] * 3
        assert [r["note"] for r in rows] == [
            "'+SUM(A1:A9)",
            "'@cmd|' /C calc'!A0",
            "'-1 late return",
        ]
        # Negative numbers are numbers, not formulas: never prefixed.
        assert [r["value"] for r in rows] == ["-5", "-2.5", ""]
        assert [r["target"] for r in rows] == ["-3", "-3", "-3"]
        for row in rows:
            for column, cell in row.items():
                if column not in ("value", "target"):
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    # The JSON keeps the text exactly as written.
    info = json.loads((hostile / "formula.json").read_text("utf-8"))
    assert info["title"] == '=HYPERLINK("http://evil.example","click")'
    assert [v["note"] for v in info["values"]] == [
        "+SUM(A1:A9)",
        "@cmd|' /C calc'!A0",
        "-1 late return",
    ]


# ---- The Data Package ------------------------------------------------------------------------


def test_datapackage_describes_every_file_with_types_and_licence(example_built):
    folder = example_built / "data"
    package = json.loads((folder / "datapackage.json").read_text("utf-8"))
    described = {"datapackage.json", "indicators.schema.json"}
    data_files = sorted(p.name for p in folder.iterdir() if p.name not in described)
    assert sorted(r["path"] for r in package["resources"]) == data_files
    names = [r["name"] for r in package["resources"]]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z0-9._/-]+", n) for n in names)
    assert package["licenses"] == [
        {
            "name": "OGL-UK-3.0",
            "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            "title": "Open Government Licence v3.0",
        }
    ]
    assert package["attribution"] == (
        "Contains public sector information licensed under the Open Government Licence v3.0."
    )
    assert package["contributors"][0]["title"] == "Somerset County Council"
    for resource in package["resources"]:
        path = folder / resource["path"]
        data = path.read_bytes()
        if "bytes" in resource:
            assert resource["bytes"] == len(data)
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        if resource["path"].endswith(".csv"):
            assert resource["schema"] == "indicators.schema.json"
            schema = json.loads((folder / resource["schema"]).read_text("utf-8"))
            assert [f["name"] for f in schema["fields"]] == COLUMNS
            types = {f["name"]: f["type"] for f in schema["fields"]}
            assert types["value"] == types["target"] == "number"
            assert types["start_date"] == types["end_date"] == "date"
            assert all(f.get("description") for f in schema["fields"])


def test_datapackage_is_valid_frictionless(example_built, tmp_path):
    import frictionless

    folder = tmp_path / "data"
    shutil.copytree(example_built / "data", folder)
    report = frictionless.validate(str(folder / "datapackage.json"))
    errors = [(task.name, e.type, e.message) for task in report.tasks for e in task.errors]
    assert report.valid, errors[:10]
    assert len(report.tasks) == 2 + 2 * 38

    # The same check fails when a file no longer matches its description. (These checks read
    # the one file changed, in a copy of the package that lists it alone: a package of every
    # file takes seconds to validate.)
    package = json.loads((folder / "datapackage.json").read_text("utf-8"))
    package["resources"] = [
        r for r in package["resources"] if r["path"] in ("dtoc-whole-system.csv", "indicators.csv")
    ]
    assert len(package["resources"]) == 2
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    assert frictionless.validate(str(folder / "datapackage.json")).valid
    csv_path = folder / "dtoc-whole-system.csv"
    csv_path.write_bytes(csv_path.read_bytes().replace(b",2.25,", b",2.25x,", 1))
    broken = frictionless.validate(str(folder / "datapackage.json"))
    kinds = {e.type for task in broken.tasks for e in task.errors}
    assert not broken.valid and {"type-error", "hash-count"} <= kinds

    # And when the shared schema no longer matches the files' columns.
    shutil.copy2(example_built / "data" / "dtoc-whole-system.csv", csv_path)
    schema_path = folder / "indicators.schema.json"
    schema = json.loads(schema_path.read_text("utf-8"))
    schema["fields"][8]["name"] = "amount"
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    renamed = frictionless.validate(str(folder / "datapackage.json"))
    assert "incorrect-label" in {e.type for task in renamed.tasks for e in task.errors}


def test_datapackage_takes_licence_and_attribution_from_the_config(make_site):
    config = {
        **MINIMAL_CONFIG,
        "site": {**MINIMAL_CONFIG["site"], "url": "https://perf.example.org/"},
        "data": {
            "licence": "Creative Commons Attribution 4.0",
            "licence_url": "https://creativecommons.org/licenses/by/4.0/",
            "attribution": "Source: Test Council performance team",
        },
    }
    site = make_site(config=config)
    assert run_cli("build", site.root).exit_code == 0
    package = json.loads((site.root / "site" / "data" / "datapackage.json").read_text("utf-8"))
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ]
    assert package["attribution"] == "Source: Test Council performance team"
    assert package["homepage"] == "https://perf.example.org/"
    page = (site.root / "site" / "indicators" / "index.html").read_text("utf-8")
    assert "Source: Test Council performance team" in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in page


# ---- Download links --------------------------------------------------------------------------

LINK = re.compile(r'<a href="([^"]+)" download>([^<]*\([^<]*(?:CSV|JSON)[^<]*\))</a>')


def test_every_download_link_shows_the_real_size(example_built):
    checked = 0
    pages = [example_built / "indicators" / "index.html"]
    pages += sorted((example_built / "indicators").glob("*/index.html"))
    for page in pages:
        html = page.read_text("utf-8")
        links = LINK.findall(html)
        assert len(links) >= 2, page
        for href, text in links:
            target = (page.parent / href).resolve()
            size = human_size(target.stat().st_size)
            assert text.endswith(f", {size})"), (page, href, text, size)
            checked += 1
    assert checked == 2 * 38 + 3


def test_human_size():
    assert human_size(1) == "1 KB"
    assert human_size(1499) == "1 KB"
    assert human_size(2286) == "2 KB"
    assert human_size(1500) == "2 KB"
    assert human_size(2500) == "3 KB"
    assert human_size(999_499) == "999 KB"
    assert human_size(999_500) == "1.0 MB"
    assert human_size(1_250_000) == "1.3 MB"


def test_ids_used_by_the_site_itself_are_refused(make_site):
    site = make_site(
        indicators={
            "index.yml": "title: A\npriority: health\npolarity: neutral\nvalues: []\n",
            "datapackage.yml": "title: B\npriority: health\npolarity: neutral\nvalues: []\n",
        }
    )
    result = run_cli("validate", site.root)
    assert result.exit_code == 1
    assert (
        'indicators/index.yml: the id "index" is used by the site itself (its pages or data '
        "files); rename the file, e.g. my-index.yml"
    ) in result.stderr
    assert 'indicators/datapackage.yml: the id "datapackage"' in result.stderr


def test_datapackage_describes_published_breakdowns(make_site, tmp_path):
    import frictionless

    site = make_site()
    (site.root / "disaggregations").mkdir()
    (site.root / "disaggregations" / "test-measure.csv").write_text(
        "period,Sex,Value\n2019/20 Q1,Female,84\n2019/20 Q1,Male,86\n", encoding="utf-8"
    )
    assert run_cli("build", "--strict", site.root).exit_code == 0
    folder = site.root / "site" / "data"
    package = json.loads((folder / "datapackage.json").read_text("utf-8"))
    resource = next(
        r for r in package["resources"] if r["path"] == "test-measure-disaggregations.csv"
    )
    data = (folder / "test-measure-disaggregations.csv").read_bytes()
    assert resource["name"] == "indicator-test-measure-disaggregations"
    assert resource["bytes"] == len(data) and "schema" not in resource
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, [e.message for task in report.tasks for e in task.errors][:5]
