"""Ratings, directions and milestone statuses are a word, a distinct shape and a colour, and the
shape is really drawn (CSS masks), in normal and in forced-colours (Windows High Contrast) mode;
directions tell screen readers which way the value moved, taking polarity into account."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest

from generator.site.i18n import t
from tests.browser.pixels import RGB, decode_png, parse_rgb

pytestmark = pytest.mark.browser

SCALE = 4  # device pixels per CSS pixel: enough pixels to see each shape
GRID = 12  # shapes are compared on a GRID x GRID raster

# (page in the stress site, selector of one badge of each kind, its word)
BADGES: dict[str, list[tuple[str, str]]] = {
    "how-to-read/": [
        (".pp-rating--green", t("rating.green")),
        (".pp-rating--amber", t("rating.amber")),
        (".pp-rating--red", t("rating.red")),
        (".pp-rating--blue", t("rating.blue")),
        (".pp-rating--not-rated", t("rating.not_rated")),
    ],
    "indicators/": [
        (".pp-dir.pp-arrow--up", ""),
        (".pp-dir.pp-arrow--down", ""),
        (".pp-dir.pp-arrow--steady", ""),
    ],
    "indicators/town-centre-regeneration/": [
        (".pp-milestone--done", t("milestone.done")),
        (".pp-milestone--on-track", t("milestone.on_track")),
        (".pp-milestone--at-risk", t("milestone.at_risk")),
        (".pp-milestone--missed", t("milestone.missed")),
    ],
}

ICON = """el => {
  const before = getComputedStyle(el, '::before');
  const size = parseFloat(before.width);
  return {
    x: parseFloat(getComputedStyle(el).paddingLeft), size,
    colour: before.backgroundColor, mask: before.maskImage || before.webkitMaskImage,
    word: el.innerText.trim(),
  };
}"""


def icon_shape(page: Any, selector: str) -> dict[str, Any]:
    """The badge's symbol: its colour, mask, and which cells of a GRID x GRID raster it fills."""
    badge = page.locator(selector).first
    badge.scroll_into_view_if_needed()
    icon = badge.evaluate(ICON)
    assert icon["size"] >= 10, f"{selector}: the symbol is {icon['size']} px"
    image = decode_png(badge.screenshot(animations="disabled"))
    colour: RGB = parse_rgb(icon["colour"])
    filled = image.matching(colour)
    left, size = round(icon["x"] * SCALE), round(icon["size"] * SCALE)
    # Centre the raster on what is drawn in the symbol's column (its exact box is not exposed).
    rows = [y for y, row in enumerate(filled) if any(row[left : left + size])]
    assert rows, f"{selector}: nothing drawn in {icon['colour']}"
    top = max(0, (rows[0] + rows[-1] + 1) // 2 - size // 2)
    cells = []
    for gy in range(GRID):
        for gx in range(GRID):
            x0, y0 = left + gx * size // GRID, top + gy * size // GRID
            x1, y1 = left + (gx + 1) * size // GRID, top + (gy + 1) * size // GRID
            area = [
                filled[y][x]
                for y in range(y0, min(y1, image.height))
                for x in range(x0, min(x1, image.width))
            ]
            cells.append(bool(area) and sum(area) * 2 > len(area))
    icon["cells"] = cells
    icon["coverage"] = sum(cells) / len(cells)
    return icon


def shapes_of(open_page: Any, **options: Any) -> dict[str, dict[str, Any]]:
    found = {}
    for path, badges in BADGES.items():
        page = open_page("stress", path, 1280, device_scale_factor=SCALE, **options)
        for selector, word in badges:
            found[selector] = icon_shape(page, selector)
            if word:
                assert found[selector]["word"] == word, selector
    return found


def different(a: list[bool], b: list[bool]) -> float:
    return sum(x != y for x, y in zip(a, b, strict=True)) / len(a)


def assert_drawn_and_distinct(shapes: dict[str, dict[str, Any]]) -> None:
    for selector, icon in shapes.items():
        assert icon["mask"].startswith("url("), f"{selector}: no mask"
        # A shape: neither an empty box (mask or colour missing) nor a filled square.
        assert 0.2 <= icon["coverage"] <= 0.9, f"{selector}: {icon['coverage']:.0%} filled"
    for badges in BADGES.values():
        for (one, _), (other, _) in combinations(badges, 2):
            assert shapes[one]["mask"] != shapes[other]["mask"], (one, other)
            assert different(shapes[one]["cells"], shapes[other]["cells"]) >= 0.1, (one, other)


def test_every_rating_direction_and_milestone_symbol_is_drawn_and_distinct(
    open_page: Any,
) -> None:
    shapes = shapes_of(open_page)
    assert_drawn_and_distinct(shapes)
    # And coloured: each rating its own colour.
    ratings = [shapes[s]["colour"] for s, _ in BADGES["how-to-read/"]]
    assert len(set(ratings)) == len(ratings), ratings


def test_symbols_stay_in_forced_colours_mode_in_the_text_colour(open_page: Any) -> None:
    normal = shapes_of(open_page)
    forced = shapes_of(open_page, forced_colors="active")
    page = open_page("stress", "how-to-read/", forced_colors="active")
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    text_colour = page.evaluate(
        """() => { const probe = document.createElement('span'); probe.style.color = 'CanvasText';
           document.body.appendChild(probe); return getComputedStyle(probe).color; }"""
    )
    assert_drawn_and_distinct(forced)
    for selector, icon in forced.items():
        assert icon["colour"] == text_colour, selector
        # The same shape as in normal mode.
        assert different(icon["cells"], normal[selector]["cells"]) <= 0.05, selector


# (page, direction word, arrow, what a screen reader also hears)
DIRECTIONS = [
    # lower is better, 5.1 -> 4.6 days: improving, so up, as the key says
    ("indicators/hospital-delays/", "improving", "up", t("direction.value_fell")),
    # higher is better, 87.0% -> 85.8%
    ("indicators/social-contact/", "declining", "down", t("direction.value_fell")),
    # lower is better, £1.2m -> £0.35m
    ("indicators/budget-outturn/", "improving", "up", t("direction.value_fell")),
    # higher is better, 83% -> 86%
    ("indicators/bus-punctuality/", "improving", "up", t("direction.value_rose")),
    # neutral: the word is the movement
    ("indicators/population-neutral/", "down", "down", ""),
    ("indicators/rate-per-100k/", "steady", "steady", ""),
]


@pytest.mark.parametrize(("path", "direction", "arrow", "heard"), DIRECTIONS)
def test_direction_words_take_polarity_into_account(
    open_page: Any, path: str, direction: str, arrow: str, heard: str
) -> None:
    page = open_page("stress", path)
    badge = page.locator(".pp-position__badges .pp-dir")
    classes = badge.get_attribute("class") or ""
    assert f"pp-dir--{direction}" in classes.split() and f"pp-arrow--{arrow}" in classes.split()
    word = t(f"direction.{direction}")
    seen = badge.evaluate(
        """el => { const copy = el.cloneNode(true);
           copy.querySelectorAll('.pp-visually-hidden').forEach(h => h.remove());
           return copy.textContent.trim(); }"""
    )
    assert seen == word  # beside the arrow
    spoken = " ".join((badge.text_content() or "").split())
    assert spoken == (f"{word}, {heard}" if heard else word)
    hidden = badge.locator(".pp-visually-hidden")
    if heard:
        box = hidden.bounding_box()
        assert box is not None and box["width"] <= 1 and box["height"] <= 1
    else:
        assert hidden.count() == 0
