"""The issue's "done when": a quarter's spreadsheet updates the example site in one command, with a
readable change report, the files' comments intact, and a site that still builds strictly."""

from __future__ import annotations

from pathlib import Path

from generator.site.problems import Problems
from generator.site.yaml_reader import parse_yaml
from tests.conftest import REPO, copy_example, run_cli

RETURN = REPO / "tests/fixtures/import/q3-2019-20.xlsx"

REPORT = """\
Read q3-2019-20.xlsx (sheet "Q3 2019-20"): headers in row 3 (indicator = "Ref", period = "Period", \
value = "Actual", target = "Target", note = "Notes", rating = "RAG override", \
rating_reason = "RAG reason")
indicators/communities/volunteering-enquiries.yml: 2 added, 0 changed, 0 unchanged
    added    2019-10  31
    added    2019-11  1024; note: A recruitment campaign ran this month.
indicators/fairer-life-chances/health-visitor-new-birth-visits.yml: 1 added, 0 changed, 0 unchanged
    added    2019/20 Q2  93.4
indicators/health-and-wellbeing/adult-contacts-resolved.yml: 2 added, 0 changed, 0 unchanged
    added    2019-10  78.2
    added    2019-11  74.9; rating: green; rating_reason: Agreed by the Adult Social Care board: \
within the sampling error
indicators/health-and-wellbeing/breastfeeding-continuation.yml: 1 added, 0 changed, 0 unchanged
    added    2019/20 Q2  52.1
indicators/health-and-wellbeing/dtoc-adult-social-care.yml: 3 added, 1 changed, 0 unchanged
    changed  2019-09  no value (tbc) → 18.4; note: September data for Delayed Transfers of Care \
attributable to Adult Social Care is due to be published 14 November. → September figure \
published 14 November.
    added    2019-10  16.2
    added    2019-11  15.1
    added    2019-12  no value (tbc); note: December data is due to be published 13 February.
indicators/health-and-wellbeing/dtoc-whole-system.yml: 3 added, 1 changed, 0 unchanged
    changed  2019-09  2.46 → 2.49; note: (none) → Revised by NHS England.
    added    2019-10  2.41
    added    2019-11  2.38
    added    2019-12  2.29
6 files changed: 12 values added, 2 changed, 0 unchanged
Left alone: 1 row with no value (row 21)
Columns not imported: "Measure", "Directorate"
Note: read the first sheet, "Q3 2019-20" (others: "Notes"; choose with --sheet)
Note: used "Ref" as the indicator column, not "Measure"
"""

# indicator file -> the periods the return adds or changes
TOUCHED = {
    "indicators/communities/volunteering-enquiries.yml": {"2019-10", "2019-11"},
    "indicators/fairer-life-chances/health-visitor-new-birth-visits.yml": {"2019/20 Q2"},
    "indicators/health-and-wellbeing/adult-contacts-resolved.yml": {"2019-10", "2019-11"},
    "indicators/health-and-wellbeing/breastfeeding-continuation.yml": {"2019/20 Q2"},
    "indicators/health-and-wellbeing/dtoc-adult-social-care.yml": {
        "2019-09",
        "2019-10",
        "2019-11",
        "2019-12",
    },
    "indicators/health-and-wellbeing/dtoc-whole-system.yml": {
        "2019-09",
        "2019-10",
        "2019-11",
        "2019-12",
    },
}


def indicator_files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "indicators").rglob("*.yml"))
    }


def without_items(text: str, periods: set[str]) -> list[str]:
    """The file's lines without the `values` items of ``periods`` (their own lines only: comment
    lines after an item, at the item's indentation or less, are not the item's)."""
    doc = parse_yaml(text.encode("utf-8"), Path("x.yml"), "x.yml", Problems())
    assert doc is not None
    lines = text.splitlines()
    items = doc.data["values"]
    starts = [doc.line(("values", i)) for i in range(len(items))]
    later_keys = [doc.line((k,)) for k in doc.data if doc.line((k,)) > doc.line(("values",))]
    end_of_values = min(later_keys) - 1 if later_keys else len(lines)
    drop: set[int] = set()
    for i, item in enumerate(items):
        if str(item["period"]) not in periods:
            continue
        first = starts[i]
        last = starts[i + 1] - 1 if i + 1 < len(starts) else end_of_values
        indent = len(lines[first - 1]) - len(lines[first - 1].lstrip(" -"))
        while last > first and (
            not lines[last - 1].strip()
            or (
                lines[last - 1].lstrip().startswith("#")
                and len(lines[last - 1]) - len(lines[last - 1].lstrip()) < indent
            )
        ):
            last -= 1
        drop.update(range(first, last + 1))
    return [line for n, line in enumerate(lines, 1) if n not in drop]


def comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def test_a_quarters_return_updates_the_example_in_one_command(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "example")
    before = indicator_files(site)

    result = run_cli("import", RETURN, site)

    assert result.exit_code == 0, result.stderr
    assert result.stdout == REPORT
    assert result.stderr == "Updated 6 files.\n"
    after = indicator_files(site)
    assert {rel for rel in after if after[rel] != before[rel]} == set(TOUCHED)
    for rel, periods in TOUCHED.items():
        old, new = before[rel].decode(), after[rel].decode()
        # Every comment is still there, in the same order ...
        assert comment_lines(new) == comment_lines(old), rel
        # ... and every line outside the added and changed values is exactly as it was.
        assert without_items(new, periods) == without_items(old, periods), rel

    assert run_cli("build", "--strict", site).exit_code == 0
    # Moving the site on to Q3 is the editor's decision, made in site_config.yml.
    config = site / "site_config.yml"
    config.write_text(config.read_text().replace("period: 2019/20 Q2", "period: 2019/20 Q3"))
    assert run_cli("build", "--strict", site).exit_code == 0
    page = (site / "site/indicators/dtoc-whole-system/index.html").read_text()
    assert "Dec 2019" in page and "2.29%" in page


def test_the_dry_run_shows_the_change_as_diff_does_and_writes_nothing(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "example")
    before = indicator_files(site)
    result = run_cli("import", "--dry-run", RETURN, site)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        "### perfpages: what this change does to the site\n\n"
        "Comparing `now` → `after the import` · reporting period Q2 2019/20\n"
    )
    assert "**Indicators:** 6 changed, 32 unchanged" in result.stdout
    assert "| Sep 2019 | 2.46% | 2.49% | changed; note: Revised by NHS England. |" in result.stdout
    tail = REPORT.splitlines()[:1] + REPORT.splitlines()[-4:]
    assert result.stdout.splitlines()[-5:] == tail
    assert result.stderr == "Dry run: nothing was written.\n"
    assert indicator_files(site) == before


def test_importing_the_same_return_twice_changes_nothing_more(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "example")
    assert run_cli("import", RETURN, site).exit_code == 0
    once = indicator_files(site)
    result = run_cli("import", RETURN, site)
    assert result.exit_code == 0, result.stderr
    assert "0 files changed: 0 values added, 0 changed, 14 unchanged" in result.stdout
    assert indicator_files(site) == once
