"""perfpages serve on a site in two languages (site: languages): both languages' pages are
served, each at its address, and an edit of a Welsh text reaches the Welsh page."""

from __future__ import annotations

from pathlib import Path

from tests.commands.test_serve import fetch, start_serve, wait_for
from tests.conftest import BILINGUAL, copy_example

PAGE = "indicators/recycling-rate/"


def test_serve_shows_both_languages_and_an_edit_of_the_welsh(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "site", BILINGUAL)
    source = root / "indicators" / "recycling" / "recycling-rate.yml"
    for other in (root / "indicators").rglob("*.yml"):
        if other != source:
            other.unlink()  # this indicator alone, and no earlier reports: a quicker preview
    config = root / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "reports:\n  years: 0\n", "utf-8")
    text = source.read_text(encoding="utf-8")
    welsh_title = "Canran y gwastraff trefol awdurdod lleol a gafodd ei ailddefnyddio"
    assert welsh_title in text
    process, base = start_serve(root, quiet=True)
    try:
        welsh = wait_for(lambda: fetch(base + "cy/" + PAGE))
        assert welsh is not None, "the Welsh pages were not served"
        assert '<html lang="cy"' in welsh and welsh_title in welsh
        english = fetch(base + PAGE)
        assert english is not None and '<html lang="en"' in english
        assert welsh_title not in english

        source.write_text(text.replace(welsh_title, "Cyfradd ailgylchu golygedig"), "utf-8")
        edited = wait_for(
            lambda: (page := fetch(base + "cy/" + PAGE)) and "Cyfradd ailgylchu golygedig" in page
        )
        assert edited, "the edited Welsh title never reached the Welsh page"
        english = fetch(base + PAGE)
        assert english is not None and "Cyfradd ailgylchu golygedig" not in english
    finally:
        process.terminate()
        process.communicate(timeout=20)
