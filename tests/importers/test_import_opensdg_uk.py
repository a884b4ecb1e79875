"""The whole of the UK's Open SDG data converts and builds into a site (slow: about 15 seconds
on two cores; ``scripts/bench_open_sdg.py`` prints the figures)."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

ARCHIVE = REPO / "tests/fixtures/open_sdg/ons-sdg-data.tar.xz"

SUMMARY = """\
248 indicators converted into 17 goals: 175 with values, 73 without values
  without values: 31: a non-statistical indicator (no data)
  without values: 22: the data file says there is no data yet
  without values: 19: no data file in the repository
  without values: 1: no row of the headline series could be converted
3234 headline values converted (39 of periods spanning several years or days, shown at their \
end; 0 repeated rows merged)
35 headline rows not converted:
  33: the headline has different values for the same period (kept in the data file)
  2: a letter after the year (1974a, 1974b) marks several values in one year
100751 other rows (breakdowns, other series and units) kept in 150 data files under \
disaggregations/
"""


def extract(archive: Path, target: Path) -> Path:
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target / "ons-sdg-data"


@pytest.mark.slow
@pytest.mark.bigdata
def test_the_uk_open_sdg_data_converts_and_builds(tmp_path: Path) -> None:
    repo = extract(ARCHIVE, tmp_path)
    site = tmp_path / "uk-sdg"
    result = run_cli("import", "--from", "open-sdg", repo, site)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == SUMMARY

    result = run_cli("build", site)
    assert result.exit_code == 0, result.stderr
    assert "Built 248 indicators into" in result.stderr
    pages = list((site / "site/indicators").glob("*/index.html"))
    assert len(pages) == 248
    assert len(list((site / "site/data").glob("*-disaggregations.csv"))) == 150
    assert (site / "site/priorities/goal-17/index.html").is_file()
