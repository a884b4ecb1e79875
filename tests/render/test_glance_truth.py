"""The home page's position at a glance is true of the data: a property test over random sites.

Hypothesis writes sites of measures (whole-number values over three quarters and one after the
reporting period, some missing, a target or none, any polarity, a rating stated or not, some
discontinued) and projects (updates in some quarters, some closed); the real loader, assessment
and renderer make the home page. The test reads back the chart's labelled counts and the width
of each segment, and the four named lists with the figures each line states, and checks them
against its own reading of the files written: the SPEC's rules worked by hand, in exact
fractions. Nothing here calls the generator's own selection or arithmetic.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.assess.assessment import assess_site
from generator.render.pages import all_outputs
from generator.site.loader import load_site
from generator.site.problems import Problems
from tests.conftest import MINIMAL_CONFIG
from tests.render.tables import column_cells

EXAMPLES = int(os.environ.get("PERFPAGES_FUZZ_EXAMPLES", "300"))
SETTINGS = settings(
    max_examples=max(10, EXAMPLES // 3),
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# The reporting period is Q2 2019/20; Q3 is after it and never counted.
PERIODS = ["2018/19 Q4", "2019/20 Q1", "2019/20 Q2", "2019/20 Q3"]
REPORTING = "2019/20 Q2"
LABEL = {"2018/19 Q4": "Q4 2018/19", "2019/20 Q1": "Q1 2019/20", "2019/20 Q2": "Q2 2019/20"}
PRIORITIES = ["health", "economy"]
SHOWN = 10  # the off-target and not-updated lists name at most this many
MOST = 5  # the improved-most and worsened-most lists


@st.composite
def measure(draw: st.DrawFn) -> dict[str, Any]:
    target = draw(st.sampled_from([0, 20, 40, 100, 200]))
    band = target // 20
    near = st.one_of(
        st.sampled_from([target, target - band, target + band, target - band - 1, 0]),
        st.integers(-15, 15).map(lambda d: target + d),
    ).map(lambda v: max(0, v))
    periods = draw(st.lists(st.sampled_from(PERIODS), min_size=1, max_size=4, unique=True))
    values: list[dict[str, Any]] = []
    for period in sorted(periods, key=PERIODS.index):
        if draw(st.integers(0, 5)) == 0:
            values.append({"period": period, "value": None, "missing": "tbc"})
            continue
        entry: dict[str, Any] = {"period": period, "value": draw(near)}
        if draw(st.integers(0, 5)) == 0:
            entry["rating"] = draw(st.sampled_from(["green", "amber", "red"]))
            entry["rating_reason"] = "As published."
        values.append(entry)
    m: dict[str, Any] = {
        "priority": draw(st.sampled_from(PRIORITIES)),
        "unit": "number",
        "decimals": 0,
        "polarity": draw(st.sampled_from(["higher_is_better", "lower_is_better", "neutral"])),
        "values": draw(st.permutations(values)),  # any order in the file
    }
    if draw(st.booleans()):
        m["target"] = target
    if draw(st.integers(0, 6)) == 0:
        m["status"] = "discontinued"
    return m


@st.composite
def project(draw: st.DrawFn) -> dict[str, Any]:
    periods = draw(st.lists(st.sampled_from(PERIODS), min_size=1, max_size=4, unique=True))
    p: dict[str, Any] = {
        "kind": "project",
        "priority": draw(st.sampled_from(PRIORITIES)),
        "updates": [
            {
                "period": period,
                "rating": draw(st.sampled_from(["green", "amber", "red", "blue"])),
                "progress": "progressing",
            }
            for period in periods
        ],
    }
    if draw(st.integers(0, 6)) == 0:
        p["status"] = "closed"
    return p


# ---- The rules, by hand ---------------------------------------------------------------------


def until_now(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries up to the reporting period, in time order."""
    shown = [e for e in entries if PERIODS.index(e["period"]) <= PERIODS.index(REPORTING)]
    return sorted(shown, key=lambda e: PERIODS.index(e["period"]))


def rating_of(m: dict[str, Any], entry: dict[str, Any]) -> str:
    if "rating" in entry:
        return str(entry["rating"])
    if entry["value"] is None or "target" not in m or m["polarity"] == "neutral":
        return "not_rated"
    v, target = Fraction(entry["value"]), Fraction(m["target"])
    band = abs(target) * Fraction(5, 100)
    if m["polarity"] == "higher_is_better":
        return "green" if v >= target else "amber" if v >= target - band else "red"
    return "green" if v <= target else "amber" if v <= target + band else "red"


def position(ind: dict[str, Any]) -> str | None:
    """The rating of an indicator at the reporting period (None: nothing yet)."""
    if ind.get("kind") == "project":
        updates = until_now(ind["updates"])
        if not updates:
            return None
        return "blue" if ind.get("status") == "closed" else str(updates[-1]["rating"])
    values = until_now(ind["values"])
    if not values:
        return None
    return "blue" if ind.get("status") == "discontinued" else rating_of(ind, values[-1])


def number(n: int) -> str:
    return f"{n:,}"


def half_up_tenths(share: Fraction) -> str:
    tenths = int(share * 1000 + Fraction(1, 2))
    return f"{tenths // 10:,}.{tenths % 10}"


def expected_lists(files: list[tuple[str, dict[str, Any]]]) -> dict[str, list[tuple[str, str]]]:
    """Each list as (id, the figures its line states), from the files, by the SPEC's rules."""
    off: list[tuple[int, str, str]] = []
    improved: list[tuple[Fraction, str, str]] = []
    worsened: list[tuple[Fraction, str, str]] = []
    stale: list[tuple[str, str]] = []
    for ident, ind in files:  # already in report order
        project = ind.get("kind") == "project"
        active = ind.get("status") not in ("closed", "discontinued")
        if not active:
            continue
        if project:
            updates = until_now(ind["updates"])
            if not updates:
                stale.append((ident, "no update yet"))
            elif updates[-1]["period"] != REPORTING:
                stale.append((ident, f"latest update {LABEL[updates[-1]['period']]}"))
            continue
        values = until_now(ind["values"])
        with_value = [e for e in values if e["value"] is not None]
        if not with_value:
            stale.append((ident, "no value yet"))
        elif with_value[-1]["period"] != REPORTING:
            last = with_value[-1]
            stale.append((ident, f"latest value {number(last['value'])}, {LABEL[last['period']]}"))
        if not values:
            continue
        latest = values[-1]
        rating = rating_of(ind, latest)
        if rating in ("red", "amber"):
            shown = "To be confirmed" if latest["value"] is None else number(latest["value"])
            if "target" in ind:
                text = f"{shown} against a target of {number(ind['target'])}"
            else:
                text = shown
            off.append((0 if rating == "red" else 1, ident, f"{text}, {LABEL[latest['period']]}"))
        if len(values) < 2 or ind["polarity"] == "neutral" or latest["period"] != REPORTING:
            continue
        now, before = latest["value"], values[-2]["value"]
        if now is None or before is None or before == 0 or now == before:
            continue
        share = Fraction(abs(now - before), abs(before))
        text = (
            f"{number(now)} in {LABEL[latest['period']]}, from {number(before)} in "
            f"{LABEL[values[-2]['period']]}: a change of {half_up_tenths(share)}% of the "
            "earlier value"
        )
        better = (now > before) == (ind["polarity"] == "higher_is_better")
        (improved if better else worsened).append((share, ident, text))
    off.sort(key=lambda item: item[0])  # stable: red first, then report order
    return {
        "off-target": [(i, text) for _, i, text in off],
        "improved": [(i, t) for _, i, t in sorted(improved, key=lambda c: -c[0])][:MOST],
        "worsened": [(i, t) for _, i, t in sorted(worsened, key=lambda c: -c[0])][:MOST],
        "not-updated": stale,
    }


# ---- Reading the page -----------------------------------------------------------------------


def plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def read_list(home: str, name: str) -> list[tuple[str, str]] | None:
    found = re.search(
        rf'<(?:ul|ol) class="pp-glance__list" id="list-{name}">(.*?)</(?:ul|ol)>', home, re.S
    )
    if found is None:
        return None
    items = re.findall(
        r'<li><a href="indicators/([^/]+)/">.*?<span class="pp-glance__figures">(.*?)</span></span></li>',
        found.group(1),
    )
    return [(ident, plain(text)) for ident, text in items]


def read_more(home: str, key: str) -> int:
    found = re.search(rf"(\d+) more (?:measures?|indicators?) (?:is|are) {key}", home)
    return int(found.group(1)) if found else 0


def read_bars(home: str, heading_id: str) -> dict[str, dict[str, Any]]:
    """Each bar of one chart: its name, its count in words, and per segment the word under it
    with its count, and the width drawn."""
    block = re.search(
        rf'<ul class="pp-glance__bars" aria-labelledby="{heading_id}">(.*?)\n</ul>', home, re.S
    )
    if block is None:
        return {}
    bars: dict[str, dict[str, Any]] = {}
    for row in re.findall(r'<li class="pp-glance__row.*?\n</li>', block.group(1), re.S):
        name = plain(re.search(r'<p class="pp-glance__name">(.*?)</p>', row).group(1))
        title, _, total = name.partition(": ")
        counts = {
            word: int(n)
            for word, n in re.findall(
                r'<span class="pp-rating[^"]*">([^<]+)</span> <span class="pp-glance__count">(\d+)</span>',
                row,
            )
        }
        widths = [
            Fraction(w) / 100
            for w in re.findall(r'<rect class="pp-bar__seg" x="[\d.]+%" width="([\d.]+)%"', row)
        ]
        bars[title] = {"total": total, "counts": counts, "widths": widths}
    return bars


# ---- The site -------------------------------------------------------------------------------


def home_page(
    folder: Path, indicators: list[dict[str, Any]], config: dict[str, Any]
) -> tuple[str, str]:
    (folder / "indicators").mkdir(parents=True, exist_ok=True)
    for old in (folder / "indicators").glob("*.yml"):
        old.unlink()
    (folder / "site_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    for i, indicator in enumerate(indicators):
        path = folder / "indicators" / f"i{i:02d}.yml"
        path.write_text(
            yaml.safe_dump({"title": f"Indicator {i:02d}", **indicator}), encoding="utf-8"
        )
    problems = Problems()
    site = load_site(folder, problems)
    assert site is not None and not problems.errors, [p.format() for p in problems.errors]
    outputs = {o.path: o.data.decode() for o in all_outputs(site, assess_site(site, problems))}
    return outputs["index.md"], outputs["indicators/index.md"]


def report_order(indicators: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """By priority in the site's order, then by title (here, the number in the id)."""
    files = [(f"i{i:02d}", ind) for i, ind in enumerate(indicators)]
    return sorted(files, key=lambda f: (PRIORITIES.index(f[1]["priority"]), f[0]))


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


RATING_WORDS = {
    "green": "Green",
    "amber": "Amber",
    "red": "Red",
    "blue": "Blue",
    "not_rated": "Not rated",
}
STANDING_WORDS = {
    "green": "On target",
    "amber": "Requires attention",
    "red": "Off target",
    "blue": "Closed",
}


def test_the_named_lists_and_the_chart_are_true_of_the_data(folder):
    @SETTINGS
    @given(
        measures=st.lists(measure(), min_size=1, max_size=14),
        projects=st.lists(project(), max_size=4),
    )
    def check(measures: list[dict[str, Any]], projects: list[dict[str, Any]]) -> None:
        check_site(folder, measures, projects)

    check()


def test_long_lists_are_cut_and_say_how_many_more(folder):
    """Sites large enough that the lists reach their limits."""

    @settings(SETTINGS, max_examples=max(5, EXAMPLES // 30))
    @given(
        measures=st.lists(measure(), min_size=30, max_size=45),
        projects=st.lists(project(), min_size=4, max_size=8),
    )
    def check(measures: list[dict[str, Any]], projects: list[dict[str, Any]]) -> None:
        check_site(folder, measures, projects)

    check()


def check_site(
    folder: Path, measures: list[dict[str, Any]], projects: list[dict[str, Any]]
) -> None:
    """The home page of these indicators against the rules worked by hand."""
    indicators = measures + projects
    home, _ = home_page(folder, indicators, MINIMAL_CONFIG)
    files = report_order(indicators)
    expected = expected_lists(files)
    for name in ("off-target", "improved", "worsened", "not-updated"):
        found = read_list(home, name)
        want = expected[name]
        shown = want[:SHOWN]
        if not want:
            assert found is None, name  # the list says there is none instead
        else:
            assert found == shown, name
    assert read_more(home, "off target") == max(0, len(expected["off-target"]) - SHOWN)
    assert read_more(home, "not updated") == max(0, len(expected["not-updated"]) - SHOWN)

    # The chart: every bar's counts, in words, and each segment's share of the bar.
    names = {"health": "Health", "economy": "Economy", None: "All priorities"}
    for heading, kinds, words, unit in (
        ("glance-measures", measures, RATING_WORDS, "measure"),
        ("glance-projects", projects, STANDING_WORDS, "project"),
    ):
        bars = read_bars(home, heading)
        for pid in (None, *PRIORITIES):
            group = [k for k in kinds if pid is None or k["priority"] == pid]
            # Nothing yet at the reporting period: not drawn.
            ratings = [r for r in (position(k) for k in group) if r is not None]
            counts = {words[r]: ratings.count(r) for r in words if ratings.count(r)}
            if unit == "project" and not ratings:
                assert names[pid] not in bars
                continue
            bar = bars[names[pid]]
            total = len(ratings)
            assert bar["total"] == f"{total} {unit}{'' if total == 1 else 's'}"
            assert bar["counts"] == counts
            assert list(bar["counts"]) == [words[r] for r in words if ratings.count(r)]
            shares = [Fraction(n, total) for n in counts.values()]
            assert len(bar["widths"]) == len(shares)
            for width, share in zip(bar["widths"], shares, strict=True):
                assert abs(width - share) <= Fraction(1, 200_000)


def test_the_readers_read_what_they_should():
    """The property is only as good as its readers."""
    home = (
        '<ol class="pp-glance__list" id="list-improved">\n<li><a href="indicators/i03/">I</a> '
        '<span class="pp-glance__detail"><span class="pp-dir">Improving</span> '
        '<span class="pp-glance__figures">5 in Q2 2019/20, from 4 in Q1 2019/20: a change of '
        "25.0% of the earlier value</span></span></li>\n</ol>"
        '<p class="pp-glance__more"><a href="indicators/">3 more measures are off target: see'
    )
    assert read_list(home, "improved") == [
        ("i03", "5 in Q2 2019/20, from 4 in Q1 2019/20: a change of 25.0% of the earlier value")
    ]
    assert read_list(home, "worsened") is None
    assert read_more(home, "off target") == 3
    assert half_up_tenths(Fraction(1, 16)) == "6.3"  # 6.25: the half goes up
    assert half_up_tenths(Fraction(1234, 1)) == "123,400.0"


def test_a_priority_without_a_short_title_is_shown_by_its_title(folder):
    config = {
        **MINIMAL_CONFIG,
        "priorities": [
            {"id": "health", "title": "Healthy and independent lives", "short_title": "Health"},
            {"id": "economy", "title": "A thriving economy"},
        ],
    }
    indicators = [
        {
            "priority": "health",
            "polarity": "higher_is_better",
            "values": [{"period": REPORTING, "value": 1}],
        },
        {
            "priority": "economy",
            "polarity": "higher_is_better",
            "values": [{"period": REPORTING, "value": 2}],
        },
    ]
    home, listing = home_page(folder, indicators, config)
    cells = column_cells(listing, "Priority")
    assert cells == ["Health", "A thriving economy"]
    options = re.search(r'<select id="pp-filter-priority".*?</select>', listing, re.S)
    assert options is not None
    assert re.findall(r'<option value="(\w+)">([^<]+)</option>', options.group(0)) == [
        ("health", "Health"),
        ("economy", "A thriving economy"),
    ]
    assert set(read_bars(home, "glance-measures")) == {
        "All priorities",
        "Health",
        "A thriving economy",
    }
    # The summary tables name each priority as shortly (their rows stack on a phone); the
    # priority's own page gives its full title.
    assert ">Health</a></th>" in home and ">A thriving economy</a></th>" in home
    assert "Healthy and independent lives</a></th>" not in home
    # No indicator has tags: no tags column, no tag filter.
    assert "Tags" not in listing and 'data-filter="tag"' not in listing
