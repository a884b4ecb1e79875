"""--strict turns every warning into a failure; without it the site is built and the warnings
are shown. Each kind of warning is tested both ways, and all of them together in one run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MINIMAL_MEASURE, run_cli

STALE = MINIMAL_MEASURE.replace("2019/20 Q1", "2017/18 Q1").replace("2019/20 Q2", "2017/18 Q2")
MISMATCH = MINIMAL_MEASURE.replace("    value: 91\n", "    value: 91\n    rating: red\n")
STOPPED = "The build stopped; the previously built site was not changed."


def remote(what: str, url: str) -> str:
    """The warning for a resource a content page would load from another host."""
    return (
        f"the {what} {url} would be loaded from another host whenever the page is viewed; save "
        f"the file under content/ and use its file name, or make it a link: [description]({url})"
    )


# name -> (files of the site, the warning line it must print)
WARNINGS: dict[str, tuple[dict[str, dict[str, str]], str]] = {
    "rating-mismatch": (
        {"indicators": {"test-measure.yml": MISMATCH}},
        "indicators/test-measure.yml:11: values[1].rating: warning: 2019/20 Q2 is stated as red "
        "but the data gives green (value 91 against target 90); add rating_reason: saying why, "
        "or remove the rating",
    ),
    "stale-data": (
        {"indicators": {"test-measure.yml": MINIMAL_MEASURE, "old-measure.yml": STALE}},
        "indicators/old-measure.yml:9: values[1].period: warning: the latest value is for "
        "Q2 2017/18, more than 12 months before the end of Q2 2019/20; add newer values, or set "
        "status: discontinued",
    ),
    "broken-link": (
        {"content": {"about.md": "# About\n\nRead [the plan](plan.md).\n"}},
        "content/about.md:3: warning: the link 'plan.md' goes to a page that does not exist; "
        "link to another page by its file name relative to this one (about.md), and to the "
        "pages perfpages makes as indicators/ID.md, priorities/ID.md or how-to-read.md",
    ),
    "broken-link-to-indicator": (
        {"content": {"about.md": "# About\n\nSee\n[the measure](indicators/no-such-id.md).\n"}},
        "content/about.md:4: warning: the link 'indicators/no-such-id.md' goes to a page that "
        "does not exist; link to another page by its file name relative to this one (about.md), "
        "and to the pages perfpages makes as indicators/ID.md, priorities/ID.md or how-to-read.md",
    ),
    "missing-anchor": (
        {"content": {"about.md": "# About\n\n## Our plans\n\nSee [plans](#plans).\n"}},
        "content/about.md:5: warning: the link '#plans' goes to a heading that is not on this "
        "page; link to a heading by its text in lower case with hyphens "
        "(## Our plans -> #our-plans)",
    ),
    "broken-link-in-narrative": (
        {
            "content": {
                "reports/2019-20-q2.md": "Performance held up.\n\nSee [detail](detail.md).\n"
            }
        },
        "content/reports/2019-20-q2.md:3: warning: the link 'detail.md' goes to a page that does "
        "not exist; link to another page by its file name relative to this one (about.md), and "
        "to the pages perfpages makes as indicators/ID.md, priorities/ID.md or how-to-read.md",
    ),
    "remote-image": (
        {"content": {"about.md": "# About\n\n![Our logo](https://cdn.example.com/logo.png)\n"}},
        "content/about.md:3: warning: the image https://cdn.example.com/logo.png would be loaded "
        "from another host whenever the page is viewed; save the file under content/ and use its "
        "file name, or make it a link: [description](https://cdn.example.com/logo.png)",
    ),
    **{
        name: ({"content": {page: text}}, f"content/{page}:{line}: warning: {remote(what, url)}")
        for name, page, text, line, what, url in [
            (
                "remote-reference-image",
                "about.md",
                "# About\n\n![Our logo][logo]\n\n[logo]: https://cdn.example.com/logo.png\n",
                3,
                "image",
                "https://cdn.example.com/logo.png",
            ),
            (
                "remote-srcset",
                "about.md",
                '# About\n\n<img src="a.png"\n srcset="a.png 1x, https://cdn.example.com/b.png 2x">\n',
                3,
                "image",
                "https://cdn.example.com/b.png",
            ),
            (
                "remote-style-attribute",
                "about.md",
                '# About\n\n<div style="background: url(//cdn.example.com/bg.png)">Hi</div>\n',
                3,
                "style image",
                "//cdn.example.com/bg.png",
            ),
            (
                "remote-style-element",
                "about.md",
                '# About\n\n<style>\n@import "https://fonts.example.com/f.css";\n</style>\n',
                4,
                "style sheet",
                "https://fonts.example.com/f.css",
            ),
            (
                "remote-image-in-narrative",
                "reports/2019-20-q2.md",
                "Performance held up.\n\n![Chart](https://cdn.example.com/c.png)\n",
                3,
                "image",
                "https://cdn.example.com/c.png",
            ),
        ]
    },
}


def _site(make_site: Callable[..., Any], files: dict[str, dict[str, str]]) -> Path:
    indicators = files.get("indicators", {"test-measure.yml": MINIMAL_MEASURE})
    site = make_site(indicators=indicators, content=files.get("content"))
    return Path(site.root)


@pytest.mark.parametrize("name", list(WARNINGS))
def test_warning_is_shown_and_the_site_built(name: str, make_site: Callable[..., Any]) -> None:
    files, warning = WARNINGS[name]
    root = _site(make_site, files)
    result = run_cli("build", root)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert warning in lines
    assert lines[-2] == "1 warning in 1 file"
    assert lines[-1].startswith("Built ")
    assert (root / "site" / "index.html").is_file()


@pytest.mark.parametrize("name", list(WARNINGS))
def test_warning_fails_the_strict_build(name: str, make_site: Callable[..., Any]) -> None:
    files, warning = WARNINGS[name]
    root = _site(make_site, files)
    result = run_cli("build", "--strict", root)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [warning, "1 warning in 1 file", STOPPED]
    assert not (root / "site").exists()
    assert not list((root / "build").glob("staging*"))


def test_strict_failure_keeps_the_previous_site(make_site: Callable[..., Any]) -> None:
    root = _site(make_site, {})
    assert run_cli("build", "--strict", root).exit_code == 0
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    (root / "indicators" / "test-measure.yml").write_text(MISMATCH)
    assert run_cli("build", "--strict", root).exit_code == 1
    after = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before


def test_every_warning_is_reported_in_one_strict_run(make_site: Callable[..., Any]) -> None:
    """Generator warnings and MkDocs' link warnings together: one run shows them all."""
    indicators: dict[str, str] = {}
    content: dict[str, str] = {}
    expected = []
    for name in ("stale-data", "rating-mismatch", "broken-link", "broken-link-in-narrative"):
        files, warning = WARNINGS[name]
        indicators.update(files.get("indicators", {}))
        content.update(files.get("content", {}))
        expected.append(warning)
    root = _site(make_site, {"indicators": indicators, "content": content})
    result = run_cli("build", "--strict", root)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert sorted(lines[:-2]) == sorted(expected)
    assert lines[-2:] == ["4 warnings in 4 files", STOPPED]


def test_validate_strict_fails_on_data_warnings(make_site: Callable[..., Any]) -> None:
    root = _site(make_site, WARNINGS["rating-mismatch"][0])
    assert run_cli("validate", root).exit_code == 0
    result = run_cli("validate", "--strict", root)
    assert result.exit_code == 1
    assert WARNINGS["rating-mismatch"][1] in result.stderr.splitlines()


def test_a_reason_silences_the_mismatch(make_site: Callable[..., Any]) -> None:
    explained = MISMATCH.replace("rating: red\n", "rating: red\n    rating_reason: As published\n")
    root = _site(make_site, {"indicators": {"test-measure.yml": explained}})
    result = run_cli("build", "--strict", root)
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr


def test_links_to_real_pages_and_remote_links_are_fine(make_site: Callable[..., Any]) -> None:
    page = (
        "# About\n\n## Our plans\n\nSee [the measure](indicators/test-measure.md), "
        "[health](priorities/health.md), [plans](#our-plans), [the rules](how-to-read.md) and "
        "[the council](https://www.example.org/) with its [logo](https://www.example.org/l.png)."
        "\n\n```\n![not an image, code](https://cdn.example.com/x.png)\n```\n"
    )
    root = _site(make_site, {"content": {"about.md": page}})
    result = run_cli("build", "--strict", root)
    assert result.exit_code == 0, result.stderr


def test_example_site_builds_strictly(example_built: Path) -> None:
    """The example (the repository itself) passes --strict: CI runs this through the fixture."""
    assert (example_built / "index.html").is_file()
    assert (example_built / "indicators" / "index.html").is_file()
