"""A realistic synthetic perfpages site of N indicators, for the benchmarks.

The site is deterministic (seeded by N), so two runs of the benchmark build the same input. What
makes it realistic, from the Somerset example and the SPEC: 10-20 priorities; about one indicator
in seven is a project with updates and milestones; measures have 8-40 values, monthly, quarterly
or a quarterly series continued monthly; some values are missing with a reason; some targets
change over time, some are labels, some measures have none; benchmarks; rating overrides with a
reason; notes; ~150 words of commentary, actions and earlier commentary.

    python benchmarks/synthetic.py 1000 benchmarks/out/site-1000
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_TEXT = (
    "the council service demand residents quarter performance improved against target "
    "families care placements delays hospital community partners programme funding review "
    "recruitment staff capacity market providers schools children adults waste recycling "
    "roads highways budget savings pressure winter contract delivery procurement plan data "
    "quality reporting national average comparison trend month year increase decrease support "
    "independent living homes housing growth skills employment digital customers enquiries "
    "volunteers libraries health wellbeing visits assessment reviews outcomes "
)
WORDS = tuple(_TEXT.split())

REPORTING_YEAR = 2019  # the reporting period is 2019/20 Q2 (July-September 2019)
REPORTING_MONTH = 9
REPORTING_QUARTER = (2019, 2)  # financial year starting 2019, quarter 2
MISSING = ("tbc", "not_available", "not_due", "suppressed")
UNITS = (
    ("percent", None, 1),
    ("number", None, 0),
    ("number", "delayed days per calendar day", 1),
    ("rate", "per 100,000 population", 1),
    ("days", None, 0),
    ("currency", None, 1),
    ("score", None, 1),
)
POLARITIES = ("higher_is_better", "higher_is_better", "lower_is_better", "neutral")


def sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def paragraph(rng: random.Random, words: int) -> str:
    """About ``words`` words in sentences of 8-20 words, sometimes with Markdown emphasis."""
    out: list[str] = []
    total = 0
    while total < words:
        n = rng.randint(8, 20)
        text = sentence(rng, n)
        if rng.random() < 0.1:
            first, _, rest = text.partition(" ")
            text = f"**{first}** {rest}"
        out.append(text)
        total += n
    return " ".join(out)


def prose(rng: random.Random, words: int) -> str:
    """Markdown of about ``words`` words in two or three paragraphs."""
    parts = rng.randint(2, 3)
    return "\n\n".join(paragraph(rng, words // parts) for _ in range(parts)) + "\n"


def month_text(index: int) -> str:
    """Month ``index`` counted from January of year 0."""
    year, month = divmod(index, 12)
    return f"{year}-{month + 1:02d}"


def quarter_text(index: int) -> str:
    """Financial quarter ``index`` counted from Q1 of financial year 0."""
    year, q = divmod(index, 4)
    return f"{year}/{(year + 1) % 100:02d} Q{q + 1}"


def periods(rng: random.Random, count: int) -> tuple[str, list[str]]:
    """``count`` consecutive periods ending at (or just before) the reporting period."""
    last_month = REPORTING_YEAR * 12 + REPORTING_MONTH - 1
    last_quarter = REPORTING_QUARTER[0] * 4 + REPORTING_QUARTER[1] - 1
    lag = 0 if rng.random() < 0.85 else 1  # some series are a period behind
    form = rng.choices(("monthly", "quarterly", "mixed"), weights=(4, 4, 2))[0]
    if form == "monthly":
        end = last_month - lag
        return "monthly", [month_text(m) for m in range(end - count + 1, end + 1)]
    if form == "quarterly":
        end = last_quarter - lag
        return "quarterly", [quarter_text(q) for q in range(end - count + 1, end + 1)]
    # A quarterly series continued monthly from the start of a quarter, with no overlap:
    # financial quarter q covers the months 3q+3 .. 3q+5 (Q1 starts in April).
    months = max(3, count // 2)
    end = last_month - lag
    switch = (end - months + 1 - 3) // 3  # the first quarter given month by month
    quarters = [quarter_text(q) for q in range(switch - (count - months), switch)]
    return "monthly", quarters + [month_text(m) for m in range(3 * switch + 3, end + 1)]


def target(rng: random.Random, base: float, series: list[str], decimals: int) -> Any:
    choice = rng.random()
    if choice < 0.55:
        return round(base, decimals)
    if choice < 0.8:
        # A target that changes over time: two or three steps.
        steps = sorted(rng.sample(range(len(series)), k=min(len(series), rng.randint(2, 3))))
        steps[0] = 0
        return [
            {"from": series[i], "value": round(base * (1 + 0.05 * n), decimals)}
            for n, i in enumerate(steps)
        ]
    if choice < 0.9:
        return {"label": f"{round(base, decimals)} per 100,000"}
    return None


@dataclass(frozen=True)
class Shape:
    """How big each indicator is: the benchmarks use FULL; the complexity test uses SMALL,
    because it checks how work grows with the number of indicators, not with their size."""

    periods: tuple[int, int] = (8, 40)
    words: int = 150  # the latest commentary
    actions: int = 40
    earlier: int = 80  # earlier commentary
    updates: int = 60  # earlier project updates


FULL = Shape()
SMALL = Shape(periods=(8, 12), words=20, actions=8, earlier=10, updates=10)


def measure(rng: random.Random, number: int, priority: str, shape: Shape = FULL) -> dict[str, Any]:
    unit, unit_label, decimals = rng.choice(UNITS)
    polarity = rng.choice(POLARITIES)
    frequency, series = periods(rng, rng.randint(*shape.periods))
    base = rng.uniform(10, 95) if unit == "percent" else rng.uniform(5, 5000)
    values: list[dict[str, Any]] = []
    level = base
    for i, period in enumerate(series):
        level = max(0.0, level * rng.uniform(0.93, 1.07))
        entry: dict[str, Any] = {"period": period}
        if rng.random() < 0.06 or (i == len(series) - 1 and rng.random() < 0.05):
            entry["value"] = None
            entry["missing"] = rng.choice(MISSING)
        else:
            entry["value"] = round(level, decimals)
        if rng.random() < 0.08:
            entry["note"] = sentence(rng, rng.randint(8, 18))
        if "value" in entry and entry["value"] is not None and rng.random() < 0.03:
            entry["rating"] = rng.choice(("green", "amber", "red"))
            entry["rating_reason"] = "As published in the quarterly report"
        values.append(entry)
    rng.shuffle(values)  # any order in the file
    data: dict[str, Any] = {
        "title": f"Measure {number}: {sentence(rng, rng.randint(4, 9))[:-1]}",
        "ref": f"M-{number:05d}",
        "description": sentence(rng, rng.randint(10, 22)),
        "priority": priority,
        "service": rng.choice(("Adult Social Care", "Children's Services", "Economy", "Finance")),
        "tags": rng.sample(["statutory", "LAA", "Business Plan", "ASCOF", "PHOF"], 2),
        "unit": unit,
        "decimals": decimals,
        "polarity": polarity,
        "frequency": frequency,
        "values": values,
        "commentary": prose(rng, shape.words),
        "actions": prose(rng, shape.actions),
        "source": "Service records",
        "owner": "Director of Service",
    }
    if unit_label:
        data["unit_label"] = unit_label
    if unit == "currency":
        data["scale"] = "thousand"
    goal = target(rng, base, series, decimals)
    if goal is not None:
        data["target"] = goal
    if rng.random() < 0.6:
        data["benchmarks"] = [
            {
                "label": label,
                "value": round(base * rng.uniform(0.9, 1.1), decimals),
                "period": "2018/19",
            }
            for label in rng.sample(
                ["National average", "South West", "Statistical neighbours"], rng.randint(1, 2)
            )
        ]
    if rng.random() < 0.3:
        data["earlier_commentary"] = [
            {
                "period": quarter_text(REPORTING_QUARTER[0] * 4 + REPORTING_QUARTER[1] - 1 - k),
                "commentary": prose(rng, shape.earlier),
            }
            for k in range(1, rng.randint(2, 3))
        ]
    if rng.random() < 0.02:
        data["status"] = "discontinued"
    return data


def project(rng: random.Random, number: int, priority: str, shape: Shape = FULL) -> dict[str, Any]:
    last_quarter = REPORTING_QUARTER[0] * 4 + REPORTING_QUARTER[1] - 1
    count = rng.randint(1, 8)
    updates = [
        {
            "period": quarter_text(q),
            "rating": rng.choice(("green", "amber", "red")),
            "progress": rng.choice(("achieved_milestone", "progressing", "missed_milestone")),
            "commentary": prose(rng, shape.words if q == last_quarter else shape.updates),
        }
        for q in range(last_quarter - count + 1, last_quarter + 1)
    ]
    milestones = [
        {
            "title": sentence(rng, rng.randint(4, 10))[:-1],
            "due": month_text(REPORTING_YEAR * 12 + rng.randint(-6, 18)),
            "status": rng.choice(("done", "on_track", "at_risk", "missed")),
        }
        for _ in range(rng.randint(3, 8))
    ]
    return {
        "title": f"Project {number}: {sentence(rng, rng.randint(3, 7))[:-1]}",
        "priority": priority,
        "kind": "project",
        "description": sentence(rng, rng.randint(10, 20)),
        "updates": updates,
        "milestones": milestones,
        "next_steps": [sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(1, 3))],
        "owner": "Programme board",
    }


def priority_count(n: int) -> int:
    return min(20, 10 + n // 500)


def site_config(n: int) -> dict[str, Any]:
    rng = random.Random(f"config-{n}")
    return {
        "site": {
            "title": f"Synthetic authority performance ({n} indicators)",
            "organisation": "Synthetic Combined Authority",
            "language": "en",
            "description": "A synthetic site for perfpages' benchmarks.",
        },
        "reporting_period": "2019/20 Q2",
        "financial_year_start_month": 4,
        "priorities": [
            {
                "id": f"priority-{i + 1:02d}",
                "title": f"Priority {i + 1}: {sentence(rng, rng.randint(5, 12))[:-1]}",
                "description": prose(rng, 60),
            }
            for i in range(priority_count(n))
        ],
        "ratings": {"tolerance": {"percent": 5}},
    }


def dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def write_site(n: int, root: Path, shape: Shape = FULL) -> Path:
    """Write the synthetic site of ``n`` indicators into ``root`` (replacing its input files)."""
    config = site_config(n)
    priorities = [p["id"] for p in config["priorities"]]
    root.mkdir(parents=True, exist_ok=True)
    (root / "site_config.yml").write_text(dump(config), encoding="utf-8")
    indicators = root / "indicators"
    wanted: set[Path] = set()
    for number in range(1, n + 1):
        rng = random.Random(f"indicator-{n}-{number}")
        priority = priorities[(number * 7) % len(priorities)]
        if rng.random() < 0.14:
            data = project(rng, number, priority, shape)
            name = f"project-{number:05d}.yml"
        else:
            data = measure(rng, number, priority, shape)
            name = f"measure-{number:05d}.yml"
        path = indicators / priority / name
        wanted.add(path)
        text = dump(data)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for path in indicators.rglob("*.yml"):
        if path not in wanted:
            path.unlink()
    reports = root / "content" / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"narrative-{n}")
    (reports / "2019-20-q2.md").write_text(
        "## Areas of success\n\n" + prose(rng, 200) + "\n## Areas of concern\n\n" + prose(rng, 200),
        encoding="utf-8",
    )
    return root


if __name__ == "__main__":
    write_site(int(sys.argv[1]), Path(sys.argv[2]))
