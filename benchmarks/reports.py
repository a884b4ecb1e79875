"""How the reports by period grow: time and output size of the history stage for N indicators
with Q quarters of values each (a report per quarter; a printable report for the current one only:
the site has no narratives).

    python benchmarks/reports.py 200 40        # 200 indicators, 40 quarters (10 years)

Prints, for the given size: the positions for every report (binary search, as built) against
assess.summarise at every period (a scan per indicator per period), then the pages rendered.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

# Run from a checkout: import this repository's generator, not an installed one.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.assess.assessment import summarise
from generator.assess.history import History
from generator.pipeline import check
from generator.render.pages import Renderer
from generator.render.reports import history_outputs


def write_site(root: Path, indicators: int, quarters: int) -> None:
    rng = random.Random(indicators * 1000 + quarters)
    priorities = [{"id": f"p{i}", "title": f"Priority {i}"} for i in range(8)]
    config = {
        "site": {"title": "Benchmark council", "organisation": "Benchmark Council"},
        "reporting_period": "2019/20 Q2",
        "priorities": priorities,
    }
    (root / "site_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    folder = root / "indicators"
    folder.mkdir()
    for n in range(indicators):
        values = []
        year, quarter = 2019, 2
        for _ in range(quarters):
            values.append(
                {
                    "period": f"{year}/{(year + 1) % 100:02d} Q{quarter}",
                    "value": round(rng.uniform(50, 100), 1),
                }
            )
            year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        measure = {
            "title": f"Measure {n}",
            "priority": f"p{n % 8}",
            "unit": "percent",
            "polarity": "higher_is_better",
            "target": 80,
            "values": values,
            "commentary": "Performance improved against target this quarter.",
        }
        (folder / f"m{n}.yml").write_text(yaml.safe_dump(measure), encoding="utf-8")


def main(indicators: int, quarters: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_site(root, indicators, quarters)
        site, assessed, _ = check(root)
        config = site.config
        start = time.perf_counter()
        history = History(config.reporting_period, assessed, site.priority_ids, 12)
        positions = time.perf_counter() - start
        start = time.perf_counter()
        for snapshot in history.states:
            summarise(assessed, site.priority_ids, snapshot.period)
        scanning = time.perf_counter() - start
        renderer = Renderer(site, assessed)
        start = time.perf_counter()
        outputs = history_outputs(renderer, renderer.history)
        rendering = time.perf_counter() - start
    reports = [o for o in outputs if o.path.endswith("/index.md") and o.path != "reports/index.md"]
    prints = [o for o in outputs if o.path.endswith("/print.md")]
    print(f"{indicators} indicators x {quarters} quarters: {len(history.states)} reports")
    print(f"  positions and summaries, all reports (bisect):  {positions:8.3f} s")
    print(f"  the same summaries with assess.summarise:       {scanning:8.3f} s")
    print(f"  rendering {len(outputs)} pages:                        {rendering:8.3f} s")
    print(
        f"  report pages:    {sum(len(o.data) for o in reports) / 1e6:8.1f} MB"
        f" ({max(len(o.data) for o in reports) / 1e3:.0f} KB largest)"
    )
    print(
        f"  printable pages: {sum(len(o.data) for o in prints) / 1e6:8.1f} MB"
        f" ({max(len(o.data) for o in prints) / 1e3:.0f} KB largest)"
    )


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python benchmarks/reports.py INDICATORS QUARTERS")
    main(int(sys.argv[1]), int(sys.argv[2]))
