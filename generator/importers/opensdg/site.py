"""A whole Open SDG repository as the files of a new perfpages site, with notes on the conversion.

The 17 goals become the site's priorities (the goals that have indicators, in goal order),
titled from the repository's translations when it ships them, else with the UN's own titles.
The reporting period is the calendar year of the latest value.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.importers.opensdg.convert import (
    DISAGGREGATIONS_DIR,
    Converted,
    Outcome,
    convert_indicator,
)
from generator.importers.opensdg.repo import Repository, read_repository, sort_key
from generator.importers.yaml_edit import make_yaml, period_scalar
from generator.site.periods import FINANCIAL_YEAR_START_MONTH, Period
from generator.site.problems import plural

NOTES_FILE = "open-sdg-import.md"  # the conversion notes: what was and was not converted
ABOUT_PAGE = "content/about-this-data.md"

GOALS: dict[str, tuple[str, str]] = {
    "1": ("No poverty", "End poverty in all its forms everywhere."),
    "2": (
        "Zero hunger",
        "End hunger, achieve food security and improved nutrition and promote sustainable "
        "agriculture.",
    ),
    "3": (
        "Good health and well-being",
        "Ensure healthy lives and promote well-being for all at all ages.",
    ),
    "4": (
        "Quality education",
        "Ensure inclusive and equitable quality education and promote lifelong learning "
        "opportunities for all.",
    ),
    "5": ("Gender equality", "Achieve gender equality and empower all women and girls."),
    "6": (
        "Clean water and sanitation",
        "Ensure availability and sustainable management of water and sanitation for all.",
    ),
    "7": (
        "Affordable and clean energy",
        "Ensure access to affordable, reliable, sustainable and modern energy for all.",
    ),
    "8": (
        "Decent work and economic growth",
        "Promote sustained, inclusive and sustainable economic growth, full and productive "
        "employment and decent work for all.",
    ),
    "9": (
        "Industry, innovation and infrastructure",
        "Build resilient infrastructure, promote inclusive and sustainable industrialization "
        "and foster innovation.",
    ),
    "10": ("Reduced inequalities", "Reduce inequality within and among countries."),
    "11": (
        "Sustainable cities and communities",
        "Make cities and human settlements inclusive, safe, resilient and sustainable.",
    ),
    "12": (
        "Responsible consumption and production",
        "Ensure sustainable consumption and production patterns.",
    ),
    "13": ("Climate action", "Take urgent action to combat climate change and its impacts."),
    "14": (
        "Life below water",
        "Conserve and sustainably use the oceans, seas and marine resources for sustainable "
        "development.",
    ),
    "15": (
        "Life on land",
        "Protect, restore and promote sustainable use of terrestrial ecosystems, sustainably "
        "manage forests, combat desertification, and halt and reverse land degradation and halt "
        "biodiversity loss.",
    ),
    "16": (
        "Peace, justice and strong institutions",
        "Promote peaceful and inclusive societies for sustainable development, provide access "
        "to justice for all and build effective, accountable and inclusive institutions at all "
        "levels.",
    ),
    "17": (
        "Partnerships for the goals",
        "Strengthen the means of implementation and revitalize the Global Partnership for "
        "Sustainable Development.",
    ),
}


@dataclass
class Conversion:
    repo: Repository
    files: dict[str, bytes]  # site-relative path -> bytes
    converted: list[Converted]
    goals: list[str]
    reporting_period: str
    totals: Counter[str] = field(default_factory=Counter)

    @property
    def outcomes(self) -> list[Outcome]:
        return [c.outcome for c in self.converted]


def convert_repository(root: Path, title: str | None, organisation: str | None) -> Conversion:
    repo = read_repository(root)
    converted = [
        convert_indicator(repo, src, FINANCIAL_YEAR_START_MONTH) for src in repo.indicators
    ]
    goals = sorted({c.goal.removeprefix("goal-") for c in converted}, key=lambda g: sort_key(g))
    latest = max((c.latest for c in converted if c.latest), default=None, key=_end)
    reporting = str(latest.end.year) if latest else "2015"
    files: dict[str, bytes] = {}
    for c in converted:
        files[c.path] = c.text.encode("utf-8")
        if c.extra is not None:
            files[f"{DISAGGREGATIONS_DIR}/{c.id}.csv"] = c.extra
    conversion = Conversion(repo, files, converted, goals, reporting)
    conversion.totals = totals(conversion)
    files["site_config.yml"] = _site_config(conversion, title, organisation).encode("utf-8")
    files[ABOUT_PAGE] = about_page(conversion).encode("utf-8")
    files[NOTES_FILE] = notes_markdown(conversion).encode("utf-8")
    return conversion


def _end(period: Period) -> tuple[object, ...]:
    return period.sort_key


def _goal_title(repo: Repository, goal: str) -> tuple[str, str]:
    short, long = GOALS.get(goal, (f"Goal {goal}", ""))
    translated = repo.translations.get("global_goals", {})
    return translated.get(f"{goal}-short", translated.get(f"{goal}-title", short)), long


def _site_config(conversion: Conversion, title: str | None, organisation: str | None) -> str:
    """The new site's site_config.yml: title and organisation (from the options, else a default
    and the repository's folder name), the reporting period, a priority per goal that has
    indicators, the licence when recognised, and comments saying what to check before publishing."""
    repo = conversion.repo
    data = CommentedMap()
    site = CommentedMap()
    site["title"] = title or "Sustainable Development Goals data"
    site["organisation"] = organisation or repo.root.resolve().name
    site["description"] = (
        "Data for the UN Sustainable Development Goals, converted from an Open SDG data repository."
    )
    data["site"] = site
    data["reporting_period"] = period_scalar(conversion.reporting_period)
    data["financial_year_start_month"] = FINANCIAL_YEAR_START_MONTH
    priorities = CommentedSeq()
    for goal in conversion.goals:
        short, long = _goal_title(repo, goal)
        item = CommentedMap()
        item["id"] = f"goal-{goal}"
        item["title"] = f"Goal {goal}: {short}"
        if long:
            item["description"] = long
        priorities.append(item)
    data["priorities"] = priorities
    if repo.licence:
        data["data"] = CommentedMap(licence=repo.licence)
    lines = [
        f"Converted from the Open SDG data repository {repo.root.resolve().name} by",
        "'perfpages import --from open-sdg'. Check the title, organisation and contact before",
        "publishing; see open-sdg-import.md for what could not be converted.",
    ]
    if not repo.licence:
        lines.append(
            "The repository's licence was not recognised: set data.licence and data.licence_url."
        )
    data.yaml_set_start_comment("\n".join(lines))
    data.yaml_set_comment_before_after_key(
        "reporting_period", before="The calendar year of the latest value in the data."
    )
    out = io.StringIO()
    make_yaml(2, 2).dump(data, out)
    return out.getvalue()


def totals(conversion: Conversion) -> Counter[str]:
    t: Counter[str] = Counter()
    t["indicators"] = len(conversion.converted)
    for o in conversion.outcomes:
        t["with values" if o.values else "without values"] += 1
        t["values"] += o.values
        t["spans"] += o.spans
        t["merged"] += o.merged
        t["not mapped"] += sum(o.not_mapped.values())
        t["extra rows"] += o.extra_rows
        if o.extra_rows:
            t["extra files"] += 1
    return t


def _reasons(conversion: Conversion) -> tuple[Counter[str], Counter[str]]:
    no_values: Counter[str] = Counter()
    rows: Counter[str] = Counter()
    for o in conversion.outcomes:
        if not o.values and o.no_values_reason:
            no_values[o.no_values_reason] += 1
        rows.update(o.not_mapped)
    return no_values, rows


def summary_lines(conversion: Conversion) -> list[str]:
    """The counts converted and not converted, with the reasons."""
    t = conversion.totals
    no_values, rows = _reasons(conversion)
    lines = [
        f"{plural(t['indicators'], 'indicator')} converted into "
        f"{plural(len(conversion.goals), 'goal')}: {t['with values']} with values, "
        f"{t['without values']} without values",
    ]
    for reason, count in no_values.most_common():
        lines.append(f"  without values: {count}: {reason}")
    lines.append(
        f"{plural(t['values'], 'headline value')} converted "
        f"({t['spans']} of periods spanning several years or days, shown at their end; "
        f"{t['merged']} repeated rows merged)"
    )
    lines.append(f"{plural(t['not mapped'], 'headline row')} not converted:")
    for reason, count in rows.most_common():
        lines.append(f"  {count}: {reason}")
    lines.append(
        f"{plural(t['extra rows'], 'other row')} (breakdowns, other series and units) kept in "
        f"{plural(t['extra files'], 'data file')} under {DISAGGREGATIONS_DIR}/"
    )
    for file, reason in conversion.repo.skipped:
        lines.append(f"Not an indicator: {file}: {reason}")
    if not conversion.repo.licence:
        lines.append(
            "The repository's licence was not recognised: set data.licence and "
            "data.licence_url in site_config.yml before publishing (the default is the "
            "Open Government Licence v3.0)"
        )
    return lines


def notes_markdown(conversion: Conversion) -> str:
    lines = [
        "# Open SDG import report",
        "",
        f"Source: {conversion.repo.root.resolve().name}. This file is not published.",
        "",
        "## Counts",
        "",
    ]
    lines += [
        f"  - {line.strip()}" if line.startswith("  ") else f"- {line}"
        for line in summary_lines(conversion)
    ]
    lines += ["", "## Indicators with something not converted", ""]
    for o in conversion.outcomes:
        parts: list[str] = []
        if o.no_values_reason:
            parts.append(f"no values ({o.no_values_reason})")
        parts += [f"{count} row(s): {reason}" for reason, count in sorted(o.not_mapped.items())]
        parts += o.notes
        if parts:
            lines.append(f"- {o.id}: " + "; ".join(parts))
    return "\n".join(lines) + "\n"


def about_page(conversion: Conversion) -> str:
    name = conversion.repo.root.resolve().name
    licence = conversion.repo.licence or "the licence of the source repository"
    return f"""# About this data

The indicators on this site were converted from the Open SDG data repository "{name}",
published under {licence}.

- **Headline figures.** Each indicator shows its headline series: the figures with no
  breakdown. Where the source has several series or units, the first is shown and the others
  are in the indicator's data file with its breakdowns (by sex, age, region and so on).
- **Periods.** Years, financial years (2019/20), quarters and months are shown as published.
  A figure for a span of several years (for example 2018 to 2020) is shown at the span's last
  year, with a note saying which years it covers.
- **Ratings.** The source data does not say whether a higher or a lower figure is better, so
  the indicators are not rated: the figures are shown as data only.
"""
