"""/how-to-read/ works its rating examples from the site's own settings, not fixed ones: the
tolerance, the band above target, and the rules of the services that set their own; a measure's
page states its own bands in numbers. Expected figures are worked out here, from SPEC."""

from __future__ import annotations

import html
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

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


# ---- Bands: the site's own rules, and those of priorities, services and measures ----------------


def width(target: Fraction, band: dict[str, float]) -> Fraction:
    """A band's width at ``target``, worked out here from SPEC: absolute, or percent of |target|."""
    if "absolute" in band:
        return Fraction(str(band["absolute"]))
    return abs(target) * Fraction(str(band["percent"])) / 100


def plain(number: Fraction) -> str:
    """90, 85.5, 4.25: as the page writes a worked example's figures."""
    text = f"{float(number):.6f}".rstrip("0").rstrip(".")
    return text


def build_pages(folder: Path, config: dict[str, Any], indicators: dict[str, str]) -> dict[str, str]:
    (folder / "indicators").mkdir(parents=True, exist_ok=True)
    (folder / "site_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    for name, text in indicators.items():
        (folder / "indicators" / f"{name}.yml").write_text(text, encoding="utf-8")
    problems = Problems()
    site = load_site(folder, problems)
    assert site is not None, [p.format() for p in problems]
    outputs = all_outputs(site, assess_site(site, problems))
    # As read: HTML entities and Markdown's backslash escapes ("91\\.5%") undone.
    return {
        o.path: re.sub(
            r"\\([!-/:-@\[-`{-~])", r"\1", html.unescape(" ".join(o.data.decode().split()))
        )
        for o in outputs
        if o.path.endswith(".md")
    }


SERVICE_MEASURE = MINIMAL_MEASURE.replace(
    "priority: health", "priority: health\nservice: Public Health"
)

TWO_SETTINGS = [
    {"tolerance": {"percent": 5}},
    {
        "tolerance": {"absolute": 2},
        "above_target": {"percent": 5},
        "services": {"Public Health": {"tolerance": {"percent": 10}}},
    },
    {
        "tolerance": {"percent": 7.5},
        "services": {"Public Health": {"above_target": {"absolute": 1.5}}},
    },
]


@pytest.mark.parametrize(
    "ratings", TWO_SETTINGS, ids=["percent-5", "absolute-2-bands", "service-above"]
)
def test_how_to_read_works_its_examples_from_the_sites_own_settings(tmp_path, ratings):
    config = {**MINIMAL_CONFIG, "ratings": ratings}
    pages = build_pages(tmp_path, config, {"test-measure": SERVICE_MEASURE})
    text = pages["how-to-read.md"]
    t90 = Fraction(90)
    amber = width(t90, ratings["tolerance"])
    edge = plain(t90 - amber)
    above = ratings.get("above_target")
    if above is None:
        example = (
            rf"\(({re.escape(plain(amber))}) points?\): 90% or more is green, "
            rf"{re.escape(edge)}% up to 90% is amber, and below {re.escape(edge)}% is red"
        )
    else:
        top = plain(t90 + width(t90, above))
        example = (
            rf"\({re.escape(plain(amber))} points?\) and its band above target of .*? "
            rf"\({re.escape(plain(width(t90, above)))} points?\): above {re.escape(top)}% is "
            rf"exceeding, 90% to {re.escape(top)}% is green, {re.escape(edge)}% up to 90% is "
            rf"amber, and below {re.escape(edge)}% is red"
        )
    assert re.search(example, text), text[text.find("How a measure is rated") :][:1500]
    exceeding_possible = above is not None or any(
        "above_target" in s for s in ratings.get("services", {}).values()
    )
    assert ("Rating rules" in text and "pp-rating--exceeding" in text) == exceeding_possible
    # Each service's own rule, with its worked example on a 90% target.
    for name, rule in ratings.get("services", {}).items():
        parts = []
        if "above_target" in rule:
            parts.append(f"Exceeding above {plain(t90 + width(t90, rule['above_target']))}%")
        if "tolerance" in rule:
            low = plain(t90 - width(t90, rule["tolerance"]))
            parts += [f"Amber from {low}% up to 90%", f"Red below {low}%"]
        line = (
            re.escape(f"Measures of the service **{name}**: ")
            + ".*?"
            + re.escape(
                f"For example, with a target of 90%, higher being better: {'; '.join(parts)}."
            )
        )
        assert re.search(line, text), name
    if not ratings.get("services"):
        assert "rule of their own" not in text


@pytest.mark.parametrize("ratings", TWO_SETTINGS[1:], ids=["absolute-2-bands", "service-above"])
def test_the_measure_page_and_how_to_read_agree_with_the_rating(tmp_path, ratings):
    """The numbers stated are where the ratings change: a value just past each edge gets the
    rating the sentence gives it."""
    config = {**MINIMAL_CONFIG, "ratings": ratings}
    pages = build_pages(tmp_path, config, {"test-measure": SERVICE_MEASURE})
    sentence = re.search(
        r"How this is rated</dt><dd>(.*?)</dd>", pages["indicators/test-measure.md"]
    )
    assert sentence is not None
    service = ratings["services"]["Public Health"]
    tolerance = service.get("tolerance", ratings["tolerance"])
    above = service.get("above_target", ratings.get("above_target"))
    t90 = Fraction(90)
    low = plain(t90 - width(t90, tolerance))
    top = plain(t90 + width(t90, above))
    assert sentence[1] == (
        f"Exceeding above {top}%; Green from 90% to {top}%; Amber from {low}% up to 90%; "
        f"Red below {low}%"
    )


def shown(number: Fraction, decimals: int, unit: str) -> str:
    """A band's edge as a page should write it: at the measure's precision, or more where the
    edge needs it to be exact (at most 6 places), with separators and the unit."""
    places = decimals
    while places < 6 and number * 10**places != int(number * 10**places):
        places += 1
    text = f"{float(number):,.{places}f}".replace("-", "\u2212")  # a true minus sign
    return {"percent": f"{text}%", "days": f"{text} days"}.get(unit, text)


def band_sentence(
    polarity: str, target: float, decimals: int, unit: str, tol: dict, above: dict | None
) -> str:
    """SPEC's table as the sentence a measure page gives, worked out here."""
    t = Fraction(str(target))
    sign = 1 if polarity == "higher_is_better" else -1
    s = lambda x: shown(x, decimals, unit)  # noqa: E731
    amber = width(t, tol)
    edge = s(t - sign * amber)
    parts = []
    if above is not None:
        top = s(t + sign * width(t, above))
        if not width(t, above):
            parts += [
                f"Exceeding {'above' if sign > 0 else 'below'} {top}",
                f"Green at exactly {s(t)}",
            ]
        elif sign > 0:
            parts += [f"Exceeding above {top}", f"Green from {s(t)} to {top}"]
        else:
            parts += [f"Exceeding below {top}", f"Green from {top} to {s(t)}"]
    else:
        parts.append(f"Green at {s(t)} or {'more' if sign > 0 else 'less'}")
    if amber:
        parts.append(
            f"Amber from {edge} up to {s(t)}"
            if sign > 0
            else f"Amber above {s(t)} and at most {edge}"
        )
    parts.append(f"Red below {edge}" if sign > 0 else f"Red above {edge}")
    return "; ".join(parts)


MEASURES: list[dict[str, Any]] = [
    # polarity, target, decimals, unit, own tolerance, own band above target
    {"polarity": "lower_is_better", "target": 10, "decimals": 1, "unit": "days",
     "tolerance": {"percent": 12.5}, "above_target": {"absolute": 3}},
    {"polarity": "higher_is_better", "target": 85, "decimals": 0, "unit": "percent"},
    {"polarity": "lower_is_better", "target": 1200, "decimals": 0, "unit": "number",
     "tolerance": {"absolute": 0}},
    {"polarity": "higher_is_better", "target": 42.5, "decimals": 2, "unit": "number",
     "tolerance": {"absolute": 0.125}, "above_target": {"percent": 0}},
    {"polarity": "higher_is_better", "target": -20, "decimals": 0, "unit": "number",
     "above_target": {"percent": 10}},
]  # fmt: skip


def measure_yaml(spec: dict[str, Any], value: float = 1) -> str:
    body = {
        "title": "A measure",
        "priority": "health",
        "values": [{"period": "2019/20 Q2", "value": value}],
        **spec,
    }
    return yaml.safe_dump(body)


@pytest.mark.parametrize("site_above", [None, {"percent": 2}])
def test_each_measure_page_states_its_bands_in_numbers(tmp_path, site_above):
    ratings: dict[str, Any] = {"tolerance": {"percent": 5}}
    if site_above:
        ratings["above_target"] = site_above
    config = {**MINIMAL_CONFIG, "ratings": ratings}
    indicators = {f"m{i}": measure_yaml(spec) for i, spec in enumerate(MEASURES)}
    indicators["neutral"] = measure_yaml({**MEASURES[1], "polarity": "neutral"})
    indicators["label"] = measure_yaml({**MEASURES[1], "target": {"label": "Fewer than last year"}})
    pages = build_pages(tmp_path, config, indicators)
    for i, spec in enumerate(MEASURES):
        page = pages[f"indicators/m{i}.md"]
        found = re.search(r"How this is rated</dt><dd>(.*?)</dd>", page)
        assert found is not None, spec
        want = band_sentence(
            spec["polarity"],
            spec["target"],
            spec["decimals"],
            spec["unit"],
            spec.get("tolerance", ratings["tolerance"]),
            spec.get("above_target", site_above),
        )
        assert found[1] == want, spec
    for unrated in ("neutral", "label"):
        assert "How this is rated" not in pages[f"indicators/{unrated}.md"]
