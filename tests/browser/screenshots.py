"""Screenshots of every page type of both test sites at 320 px, and of their print preview, for a
person to look at. Not a test: it only writes pictures.

    python -m tests.browser.screenshots [OUTPUT_FOLDER] [--width 320]

The folder defaults to perfpages-screenshots in the system's temporary folder, outside the
repository. For each site and page type it writes <site>-<page>-<width>.png (the whole page at
that width, and in screen-sized pieces -partNN.png), <site>-<page>-print.png (the page as the print stylesheet lays it out) and
<site>-<page>.pdf (what the browser prints).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from tests.browser import harness

TILE = 1100  # px: one piece of a long page


def tiles(page: Any, stem: Path, width: int, height: int = TILE) -> list[Path]:
    """The whole page cut into screen-sized pieces, which stay legible in an image viewer."""
    total = page.evaluate("document.documentElement.scrollHeight")
    paths = []
    for index, top in enumerate(range(0, total, height), start=1):
        path = stem.with_name(f"{stem.name}-part{index:02d}.png")
        clip = {"x": 0, "y": top, "width": width, "height": min(height, total - top)}
        page.screenshot(path=str(path), full_page=True, clip=clip)
        paths.append(path)
    return paths


def take(base_urls: dict[str, str], out: Path, width: int) -> list[Path]:
    written: list[Path] = []
    with sync_playwright() as playwright:
        browser = harness.launch(playwright)
        for site, base in base_urls.items():
            for kind in harness.PAGE_TYPES:
                page = browser.new_page(viewport={"width": width, "height": harness.HEIGHT})
                page.goto(base + kind.path(site))
                harness.wait_until_ready(page, kind.chart)
                shot = out / f"{site}-{kind.name}-{width}.png"
                page.screenshot(path=str(shot), full_page=True)
                written += tiles(page, out / f"{site}-{kind.name}-{width}", width)
                page.emulate_media(media="print")
                printed = out / f"{site}-{kind.name}-print.png"
                page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
                page.screenshot(path=str(printed), full_page=True)
                written += tiles(page, out / f"{site}-{kind.name}-print", 794)
                pdf = out / f"{site}-{kind.name}.pdf"
                page.pdf(path=str(pdf), format="A4", print_background=True)
                written += [shot, printed, pdf]
                page.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "output",
        nargs="?",
        type=Path,
        default=Path(tempfile.gettempdir()) / "perfpages-screenshots",
    )
    parser.add_argument("--width", type=int, default=320)
    args = parser.parse_args()
    out: Path = args.output.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sites = {"example": harness.build_example(work), "stress": harness.build_stress(work)}
        with harness.serve(sites["example"]) as example, harness.serve(sites["stress"]) as stress:
            written = take({"example": example, "stress": stress}, out, args.width)
    for path in written:
        print(path)


if __name__ == "__main__":
    main()
