"""/how-to-read/ works its rating example from the site's own tolerance, not a fixed one."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from generator.assess.assessment import assess_site
from generator.render.pages import all_outputs
from generator.site.loader import load_site
from generator.site.problems import Problems
from tests.conftest import MINIMAL_CONFIG, MINIMAL_MEASURE


def how_to_read(folder: Path, tolerance: dict[str, float]) -> str:
    (folder / "indicators").mkdir(parents=True, exist_ok=True)
    config = {**MINIMAL_CONFIG, "ratings": {"tolerance": tolerance}}
    (folder / "site_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (folder / "indicators" / "test-measure.yml").write_text(MINIMAL_MEASURE, encoding="utf-8")
    problems = Problems()
    site = load_site(folder, problems)
    assert site is not None, [p.format() for p in problems]
    outputs = all_outputs(site, assess_site(site, problems))
    page = next(o.data.decode() for o in outputs if o.path == "how-to-read.md")
    return html.unescape(" ".join(page.split()))


@pytest.mark.parametrize(
    ("tolerance", "said", "amount"),
    [
        ({"percent": 10}, "10% of the target", 9.0),  # 10% of 90
        ({"percent": 5}, "5% of the target", 4.5),
        ({"absolute": 2.5}, "2.5 in the measure's own unit", 2.5),
        ({"percent": 12.5}, "12.5% of the target", 11.25),
    ],
)
def test_the_worked_example_uses_the_sites_tolerance(tmp_path, tolerance, said, amount):
    text = how_to_read(tmp_path, tolerance)
    edge = 90 - amount
    m = re.search(
        r"this site's tolerance of (.*?) \(([\d.]+) points?\): 90% or more is green, ([\d.]+)% up "
        r"to 90% is amber, and below ([\d.]+)% is red",
        text,
    )
    assert m is not None, text[:2000]
    assert m[1] == said
    assert float(m[2]) == amount
    assert float(m[3]) == edge and float(m[4]) == edge
